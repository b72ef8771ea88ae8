"""The use cases the CLI and the web share give the same answer for the same input, on both
backends: the people filter (store/people_filter.py), the invisible person (store/visibility.py
through person_view), the private-export rule (store/private_export.py), the name search
(name_search.py) and list-to-list reconciliation (reconcile/usecase.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webhelpers import SECRETS, Seeded, csrf_of

from prisonwatch.cli import app as cli_app
from prisonwatch.store.db import Database

Client = Callable[[str | None], TestClient]
runner = CliRunner()


def cli(db: Database, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli_app, [*args, "--db", db.url])
    return result.exit_code, result.output


# (web query string, the same filter as CLI options)
FILTERS = [
    ("", ()),
    ("status=held", ("--status", "held")),
    ("status=held&article=293", ("--status", "held", "--article", "293")),
    ("detained_from=2020-09-01", ("--detained-from", "2020-09-01")),
    ("recognised_by=Viasna&sort=-name", ("--recognised-by", "Viasna", "--sort", "-name")),
    ("min_sentence_months=100", ("--min-sentence", "100")),
    ("gender=female", ("--gender", "female")),
    ("text=Statk", ("--name", "Statk")),
    ("region=Minsk&sort=-id", ("--region", "Minsk", "--sort", "-id")),
]


@pytest.mark.parametrize(("query", "options"), FILTERS)
def test_people_filter_same_rows_from_cli_and_web(
    db: Database, client_for: Client, seeded: Seeded, query: str, options: tuple[str, ...]
) -> None:
    code, out = cli(db, "people", *options, "--format", "json", "--limit", "200")
    assert code == 0, out
    from_cli = [p["id"] for p in json.loads(out)["people"]]
    # the CLI reads the public registry: the web's answer to a viewer
    web = client_for("viewer").get(f"/api/v1/people?{query}&per_page=200")
    assert web.status_code == 200, web.text
    assert from_cli == [p["id"] for p in web.json()["items"]]
    page = client_for("viewer").get(f"/people.csv?{query}")
    assert [int(r["id"]) for r in csv.DictReader(io.StringIO(page.text))] == from_cli
    assert seeded.hidden not in from_cli


# (web query string, CLI options, the field both name)
BAD_FILTERS = [
    ("status=escaped", ("--status", "escaped"), "status", "use one of held, released"),
    ("gender=x", ("--gender", "x"), "gender", "use one of male, female, other"),
    ("detained_to=2020-13-01", ("--detained-to", "2020-13-01"), "detained_to", "YYYY-MM-DD"),
    ("min_sentence_months=5000", ("--min-sentence", "5000"), "min_sentence_months", "between"),
    ("sort=age", ("--sort", "age"), "sort", "use one of name, -name"),
]


@pytest.mark.parametrize(("query", "options", "field", "message"), BAD_FILTERS)
def test_people_filter_same_refusal_from_cli_and_web(
    db: Database, client_for: Client, query: str, options: tuple[str, ...], field: str, message: str
) -> None:
    code, out = cli(db, "people", *options)
    assert code == 1 and message in out, out
    option = {"min_sentence_months": "--min-sentence", "detained_to": "--detained-to"}
    assert option.get(field, f"--{field}") in out
    for path in ("/api/v1/people", "/people", "/people.csv"):
        resp = client_for("viewer").get(f"{path}?{query}")
        assert resp.status_code == 422, path
        assert message in resp.text, path
    details = client_for("viewer").get(f"/api/v1/people?{query}").json()["error"]["details"]
    assert details[0]["field"] == field


def test_hidden_person_is_not_found_from_cli_and_web(
    db: Database, client_for: Client, seeded: Seeded
) -> None:
    """A person with only private names: 'no person' to the public CLI and to a viewer, shown
    to whoever may see private facts (the CLI's --private, an editor)."""
    code, out = cli(db, "person", "show", str(seeded.hidden))
    assert code == 1 and f"no person with id {seeded.hidden}" in out
    assert SECRETS["private_name"] not in out
    for path in (f"/people/{seeded.hidden}", f"/api/v1/people/{seeded.hidden}"):
        resp = client_for("viewer").get(path)
        assert resp.status_code == 404 and f"no person with id {seeded.hidden}" in resp.text
        assert SECRETS["private_name"] not in resp.text
        assert client_for("editor").get(path).status_code == 200
    code, out = cli(db, "person", "show", str(seeded.hidden), "--private")
    assert code == 0 and SECRETS["private_name"] in out


@pytest.mark.parametrize(("role", "allowed"), [("editor", False), ("admin", True)])
def test_private_export_same_rule_from_cli_and_web(
    db: Database, client_for: Client, role: str, allowed: bool
) -> None:
    code, out = cli(db, "export", "-", "--format", "jsonl", "--include-private", "--as", role)
    assert (code == 0) is allowed, out
    assert (SECRETS["relatives_contact"] in out) is allowed
    if not allowed:
        assert "only admins may export private fields" in out
    c = client_for(role)
    for path in ("/people.csv?private=1", "/changes/series.csv?private=1"):
        resp = c.get(path)
        assert resp.status_code == (200 if allowed else 403), path
        if not allowed:
            assert "only admins may export private fields" in resp.text
    people = c.get("/people.csv?private=1").text
    assert (SECRETS["private_name"] in people) is allowed
    # without asking, everyone's export is public
    assert SECRETS["private_name"] not in c.get("/people.csv").text
    code, out = cli(db, "export", "-", "--format", "jsonl", "--as", role)
    assert code == 0 and SECRETS["relatives_contact"] not in out


@pytest.mark.parametrize("query", ["Statkevich Nikolai", "Калеснікава", "Zzyzxprivat", "Losik"])
def test_name_search_same_hits_from_cli_and_web(
    db: Database, client_for: Client, seeded: Seeded, query: str
) -> None:
    """`prisonwatch search` and /api/v1/search run the same use case (name_search.py): the
    same people, names, scores and order; private names only with --private / for editors."""
    for role, flags in (("viewer", ()), ("editor", ("--private",))):
        code, out = cli(db, "search", query, "--format", "json", *flags)
        assert code == 0, out
        from_cli = json.loads(out)
        web = client_for(role).get("/api/v1/search", params={"q": query}).json()
        assert from_cli == web, role
        shown = [h["name"] for h in web["items"]]
        assert (SECRETS["private_name"] in shown) is (role == "editor" and query == "Zzyzxprivat")
    code, out = cli(db, "search", "Statkevich")  # the table
    assert code == 0 and "Mikalai Statkevich" in out and "1 found" in out


DEMANDED = (
    "id,name\n1,Мікалай Статкевіч\n2,Марыя Калеснікава\n3,Ihar Losik\n"
    "4,Aliaksandr Milinkevich\n5,Maksim Znak\n"
)
RELEASED = "id,name\na,Mikalai Statkevich\nb,Igor Losik\nc,Lukashenka Aliaksandr\nd,Maksym Znakh\n"


def test_list_reconciliation_same_from_cli_and_web(
    db: Database, client_for: Client, tmp_path: Path
) -> None:
    """`prisonwatch reconcile A B` and the Lists page run one use case (reconcile/usecase.py):
    the same verdicts, the same review pairs queued under the same keys and context, and a
    decision taken on the web is honoured by the CLI."""
    from prisonwatch.reconcile.report import pair_row
    from prisonwatch.web.lists import Upload, run

    left, right = tmp_path / "demanded.csv", tmp_path / "released.csv"
    left.write_text(DEMANDED, encoding="utf-8")
    right.write_text(RELEASED, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, text = cli(db, "reconcile", str(left), str(right), "-o", str(out))
    assert code == 0 and "1 new pair(s) queued" in text, text
    from_cli = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))[1:]
    web = run(
        db,
        Upload("demanded.csv", DEMANDED.encode()),
        Upload("released.csv", RELEASED.encode()),
        id_col="id",
        name_col="name",
    )
    assert [list(pair_row(p).cells()) for p in web.result.pairs] == from_cli
    assert web.queued == 0  # the CLI queued the very same pair (same keys)
    editor = client_for("editor")
    items = editor.get("/api/v1/review").json()["items"]
    assert [(i["left_name"], i["right_name"], i["context"]) for i in items] == [
        ("Maksim Znak", "Maksym Znakh", "demanded.csv × released.csv")
    ]
    # the same over HTTP: the upload queues nothing new
    token = csrf_of(editor.get("/lists").text)
    resp = editor.post(
        "/lists/reconcile",
        data={"csrf_token": token, "name_col": "name", "id_col": "id"},
        files={
            "left": ("demanded.csv", DEMANDED.encode(), "text/csv"),
            "right": ("released.csv", RELEASED.encode(), "text/csv"),
        },
    )
    assert resp.status_code == 200 and "demanded × released" in resp.text
    assert editor.get("/api/v1/review").json()["total"] == 1
    decided = editor.post(
        f"/api/v1/review/{items[0]['id']}",
        json={"decision": "same"},
        headers={"X-CSRF-Token": token},
    )
    assert decided.status_code == 200, decided.text
    code, text = cli(db, "reconcile", str(left), str(right), "-o", str(out))
    assert code == 0 and "queued" not in text
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert rows["5"][2:4] == ["d", "Maksym Znakh"] and rows["5"][5] == "match"
