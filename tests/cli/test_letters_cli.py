"""``prisonwatch letters``: the commands translate only — a small registry through them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from typer.testing import CliRunner

from prisonwatch.cli import app
from prisonwatch.store.db import Database
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.users import create_user

runner = CliRunner()
TODAY = dt.date.today().isoformat()


def _run(db_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["letters", *args, "--db", db_url])
    return result.exit_code, result.output


def _person(db: Database, name: str, facility: str) -> int:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput(name, language="ru")])).id
        reg.add_event(pid, EventInput("detained", "2024-01-10", facility=facility))
        return pid


def test_letters_commands(db: Database, db_url: str) -> None:
    code, out = _run(
        db_url,
        "facility",
        "add",
        "IK-3 Viciebsk",
        "--kind",
        "penal_colony",
        "--name-ru",
        "ИК-3",
        "--postal-code",
        "211322",
        "--locality",
        "пос. Витьба",
    )
    assert code == 0, out
    pid = _person(db, "Статкевич Николай", "IK-3 Viciebsk")
    other = _person(db, "Бялецкий Алесь", "IK-3 Viciebsk")
    code, out = _run(db_url, "recipients", "--format", "csv", "-q", "Statkevich")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["id"] for r in rows] == [str(pid)]
    assert rows[0]["address_ru"] == "ИК-3; пос. Витьба; 211322"
    assert _run(db_url, "log", str(pid))[0] == 0
    code, out = _run(db_url, "log", str(pid))
    assert code == 75 and "already logged" in out
    code, out = _run(db_url, "fewest", "--format", "json", "--limit", "1")
    assert [r["id"] for r in json.loads(out)] == [other]
    code, out = _run(db_url, "stats", "--format", "json")
    stats = json.loads(out)
    assert (stats["eligible"], stats["with_letter_90d"], stats["share"]) == (2, 1, 0.5)
    code, out = _run(db_url, "flag", str(other), "no_publicity", "--reason", "family")
    assert code == 0, out
    code, out = _run(db_url, "pick", "--format", "json", "--seed", "1")
    assert [r["id"] for r in json.loads(out)] == [pid]
    code, out = _run(db_url, "recipients", "--format", "json", "--private")
    assert {r["id"]: r["flags"] for r in json.loads(out)} == {pid: [], other: ["no_publicity"]}
    code, out = _run(db_url, "flag", str(other), "famous", "--reason", "x")
    assert code == 1 and "flag" in out
    assert _run(db_url, "unflag", str(other), "no_publicity", "--reason", "ok")[0] == 0
    code, out = _run(db_url, "correct", str(pid), "--delta", "-1", "--reason", "dup")
    assert code == 0, out
    code, out = _run(db_url, "facility", "list", "--format", "json")
    (fac,) = json.loads(out)
    code, out = _run(
        db_url, "facility", "verify", str(fac["id"]), "--source-url", "https://example.org/a"
    )
    assert code == 0, out
    code, out = _run(db_url, "facility", "list", "--format", "json")
    assert json.loads(out)[0]["verified_on"] == TODAY
    code, out = _run(db_url, "facility", "edit", str(fac["id"]), "--set", "kind=castle")
    assert code == 1 and "kind" in out
    code, out = _run(db_url, "birthdays", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "day,id,name,age,facility"


def test_viewers_may_not_flag_or_see_private_lists(db: Database, db_url: str) -> None:
    with db.session() as s:
        create_user(s, "vera", "a long enough password 1", role="viewer", actor="test")
    pid = _person(db, "Статкевич Николай", "IK-3")
    code, out = _run(db_url, "flag", str(pid), "incommunicado", "--reason", "x", "--as", "vera")
    assert code == 1 and "only active editors" in out
    code, out = _run(db_url, "recipients", "--private", "--as", "vera")
    assert code == 1
