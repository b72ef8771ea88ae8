"""``prisonwatch deal add|show|list|link`` end to end, as a user would type them, on a real
SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from prisonwatch.cli import app
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry

runner = CliRunner()


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PRISONWATCH_DB", db_url)
    monkeypatch.setenv("PRISONWATCH_USER", "cli:tester")
    monkeypatch.chdir(tmp_path)
    return db_url


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _released(name: str, kind: str = "expelled_abroad", *extra: str) -> int:
    code, out = run("person", "add", name)
    assert code == 0, out
    pid = int(out.split("Added person ")[1].split(".")[0])
    assert run("event", "add", str(pid), "detained", "2021-02-03")[0] == 0
    code, out = run("event", "add", str(pid), kind, "2025-09-11", *extra)
    assert code == 0, out
    return pid


def test_add_link_show_list(env: str, tmp_path: Path) -> None:
    ales = _released("Алесь Бяляцкі", "expelled_abroad", "--destination", "Lithuania")
    maria = _released("Марыя Калеснікава", "expelled_abroad", "--destination", "Lithuania")
    mikola = _released("Мікола Статкевіч", "refused_to_leave")
    hidden = _released(
        "Ціхан Прыватны", "expelled_abroad", "--destination", "Lithuania", "--private"
    )
    code, out = run(
        "deal",
        "add",
        "Release of 52 for Belavia",
        "--date",
        "2025-09-11",
        "--party",
        "United States",
        "--party",
        "Belarus",
        "--intermediary",
        "US envoy",
        "--source-url",
        "https://example.org/lrt",
    )
    assert code == 0, out
    assert "Added deal 1" in out
    code, out = run(
        "deal",
        "link",
        "1",
        "--person",
        str(mikola),
        "--person",
        str(hidden),
        "--concession",
        "general_licence",
        "--certainty",
        "stated_officially",
        "--authority",
        "US OFAC",
        "--target-name",
        "BELAVIA",
        "--target-ref",
        "123",
        "--on",
        "2025-09-11",
        "--source-publisher",
        "US Treasury",
        "--source-date",
        "2025-09-11",
    )
    assert code == 0, out
    assert "2 release event(s) linked" in out and "Added concession 1" in out
    names = tmp_path / "released.csv"
    names.write_text("name\nAles Bialiatski\nMaryia Kalesnikava\nIvan Nobody\n", "utf-8")
    code, out = run("deal", "link", "1", "--names", str(names), "--format", "json")
    assert code == 0, out
    got = json.loads(out)
    assert sorted(x["person_id"] for x in got["names"]["linked"]) == sorted([ales, maria])
    assert [x["name"] for x in got["names"]["unmatched"]] == ["Ivan Nobody"]

    code, out = run("deal", "show", "1", "--format", "json")
    assert code == 0, out
    deal = json.loads(out)
    assert deal["parties"] == ["United States", "Belarus"]
    assert deal["intermediaries"] == ["US envoy"]
    assert {r["person_id"] for r in deal["released"]} == {ales, maria, mikola}  # not hidden
    assert deal["by_kind"] == {"expelled_abroad": 2, "refused_to_leave": 1}
    c = deal["concessions"][0]
    assert (c["kind"], c["certainty"], c["target_ref"], c["target_authority"]) == (
        "general_licence",
        "stated_officially",
        "123",
        "US OFAC",
    )
    assert c["sources"][0]["publisher"] == "US Treasury"
    assert deal["sources"][0]["url"] == "https://example.org/lrt"
    code, out = run("deal", "show", "1", "--private")
    assert "Ціхан Прыватны" in out and "1 of them is not shown on public pages" in out
    code, out = run("deal", "show", "1")
    assert "Ціхан" not in out and "BELAVIA" in out
    code, out = run("deal", "list", "--format", "json")
    assert [(d["id"], d["released"], d["concession_kinds"]) for d in json.loads(out)] == [
        (1, 3, ["general_licence"])
    ]
    code, out = run("person", "show", str(ales), "--format", "json")
    assert [e["deal_id"] for e in json.loads(out)["events"]] == [None, 1]
    with Database(env).session() as s:
        links = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "event", AuditEntry.action == "update"
            )
        ).all()
        assert {(e.actor, e.context) for e in links} == {("cli:tester", "deal link")}
        assert len(links) == 4


def test_a_bad_link_writes_nothing(env: str) -> None:
    pid = _released("Алесь Бяляцкі", "expelled_abroad", "--destination", "Lithuania")
    assert run("deal", "add", "Deal", "--date", "2025-09-11")[0] == 0
    # the person is fine, the concession is not: neither is written
    code, out = run(
        "deal",
        "link",
        "1",
        "--person",
        str(pid),
        "--concession",
        "bribe",
        "--certainty",
        "reported",
    )
    assert code == 1 and "unknown concession kind 'bribe'" in out
    code, out = run("deal", "show", "1", "--format", "json")
    assert json.loads(out)["released"] == [] and json.loads(out)["concessions"] == []
    code, out = run("deal", "link", "1", "--concession", "delisting")
    assert code == 1 and "--certainty" in out
    code, out = run("deal", "link", "1")
    assert code == 1 and "nothing to link" in out
    code, out = run("deal", "show", "7")
    assert code == 1 and "no deal with id 7" in out
    code, out = run("deal", "add", "Deal", "--date", "2025-02-30")
    assert code == 1 and "date" in out


def test_edit_and_unlink_are_audited_and_refuse_foreign_ids(env: str, db_url: str) -> None:
    ales = _released("Алесь Бяляцкі", "expelled_abroad", "--destination", "Lithuania")
    maria = _released("Марыя Калеснікава", "expelled_abroad", "--destination", "Lithuania")
    assert run("deal", "add", "Deal", "--date", "2025-09-11")[0] == 0
    assert run("deal", "add", "Other deal", "--date", "2025-09-11")[0] == 0
    code, out = run(
        "deal", "link", "1", "--person", str(ales), "--person", str(maria),
        "--concession", "delisting", "--certainty", "reported", "--authority", "US OFAC",
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "deal", "edit", "1", "--title", "Release of 52 for Belavia",
        "--party", "United States", "--party", "Belarus", "--visibility", "private",
    )  # fmt: skip
    assert code == 0, out
    got = json.loads(run("deal", "show", "1", "--private", "--format", "json")[1])
    assert (got["title"], got["parties"], got["visibility"]) == (
        "Release of 52 for Belavia",
        ["United States", "Belarus"],
        "private",
    )
    assert run("deal", "edit", "1")[0] == 1
    code, out = run("deal", "edit", "1", "--date", "2025-13-01")
    assert code == 1 and "date" in out
    # a concession or person of deal 1 cannot be removed through deal 2
    concession_id = got["concessions"][0]["id"]
    code, out = run("deal", "unlink", "2", "--concession", str(concession_id))
    assert code == 1 and f"no concession with id {concession_id} of deal 2" in out
    code, out = run("deal", "unlink", "2", "--person", str(ales))
    assert code == 1 and "names no event" in out
    # one bad id in a command undoes the good ones before it
    code, out = run("deal", "unlink", "1", "--person", str(ales), "--concession", "999")
    assert code == 1
    assert (
        len(json.loads(run("deal", "show", "1", "--private", "--format", "json")[1])["released"])
        == 2
    )
    code, out = run(
        "deal", "unlink", "1", "--person", str(ales), "--concession", str(concession_id)
    )
    assert code == 0 and "1 release event(s) unlinked, 1 concession(s) deleted" in out
    got = json.loads(run("deal", "show", "1", "--private", "--format", "json")[1])
    assert [p["person_id"] for p in got["released"]] == [maria]
    assert got["concessions"] == []
    with Database(db_url).session() as s:
        entries = {
            (e.action, e.entity_type)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.context.in_(("deal edit", "deal unlink")))
            )
        }
    assert entries == {("update", "deal"), ("update", "event"), ("delete", "concession")}
