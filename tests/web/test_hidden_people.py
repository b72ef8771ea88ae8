"""A person whose names are all private is not public at all: absent from every list, count,
breakdown, latest event, export and audit entry a viewer or an anonymous public reader gets —
not only from their own page (store.visibility). Editors see them (the positive control)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import Seeded, login

from prisonwatch.io.exporter import export
from prisonwatch.store.db import Database
from prisonwatch.store.registry import CaseInput, EventInput, Registry

REGION = "Zzhidden Region"
FACILITY = "Zzhidden Colony No. 9"


@pytest.fixture
def hidden_facts(db: Database, seeded: Seeded) -> int:
    """The seeded hidden person gets public-looking facts: birth date, region, a public
    detention and a public case."""
    with db.session() as s:
        reg = Registry(s, "test:seed")
        reg.edit_person(
            seeded.hidden, {"birth_date": "1971-07-07", "gender": "male", "region": REGION}
        )
        reg.add_event(seeded.hidden, EventInput("detained", "2024-02-02", facility=FACILITY))
        reg.add_case(seeded.hidden, CaseInput(articles="342", facility=FACILITY))
    return seeded.hidden


def _clients(app: FastAPI, public_app: FastAPI) -> Iterator[tuple[str, TestClient]]:
    yield "viewer", login(TestClient(app), "viewer")
    yield "anonymous", TestClient(public_app)


def test_a_person_without_a_public_name_is_absent_from_everything_public(
    app: FastAPI, public_app: FastAPI, db: Database, seeded: Seeded, hidden_facts: int
) -> None:
    hidden = hidden_facts
    editor = login(TestClient(app), "editor")
    # the positive control: editors see the person everywhere
    assert hidden in [p["id"] for p in editor.get("/api/v1/people?per_page=200").json()["items"]]
    assert editor.get("/api/v1/held").json()["breakdown"]["region"].get(REGION) == 1
    assert hidden in [e["person_id"] for e in editor.get("/api/v1/events/latest").json()["items"]]
    editor_total = editor.get("/api/v1/people").json()["total"]

    for who, client in _clients(app, public_app):
        people = client.get("/api/v1/people?per_page=200").json()
        assert hidden not in [p["id"] for p in people["items"]], who
        assert people["total"] == editor_total - 1 == len(people["items"]), who
        for path in (
            "/api/v1/people?status=held",
            f"/api/v1/people?region={REGION}",
            "/api/v1/people?article=342",
            "/api/v1/people?detained_from=2024-01-01",
            "/api/v1/people?sort=-detained",
            f"/api/v1/people?facility={FACILITY}",
        ):
            page = client.get(path).json()
            assert hidden not in [p["id"] for p in page["items"]], (who, path)
            assert page["total"] == len(page["items"]), (who, path)
        assert client.get(f"/api/v1/people?region={REGION}").json()["total"] == 0, who
        held = client.get("/api/v1/held").json()
        assert REGION not in held["breakdown"]["region"], who
        assert held["held"] == editor.get("/api/v1/held").json()["held"] - 1, who
        latest = client.get("/api/v1/events/latest?limit=200").json()["items"]
        assert hidden not in [e["person_id"] for e in latest], who
        for path in (
            "/",
            "/people",
            "/people?status=held",
            "/people.csv",
            "/changes",
            "/changes/series.csv",
            "/api/v1/changes/series",
        ):
            text = client.get(path).text
            for value in (REGION, FACILITY, f"#{hidden}", "1971-07-07", f"/people/{hidden}"):
                assert value not in text, (who, path, value)
        rows = list(csv.DictReader(io.StringIO(client.get("/people.csv").text)))
        assert len(rows) == editor_total - 1, who
        assert client.get(f"/people/{hidden}").status_code == 404, who
        assert client.get(f"/api/v1/people/{hidden}").status_code == 404, who

    viewer = login(TestClient(app), "viewer")
    audit = viewer.get("/api/v1/audit?per_page=200").json()["items"]
    assert audit and hidden not in [e["person_id"] for e in audit]
    assert viewer.get(f"/api/v1/audit?person_id={hidden}").json()["total"] == 0
    assert editor.get(f"/api/v1/audit?person_id={hidden}").json()["total"] > 0

    buf = io.StringIO()
    export(db, buf, "jsonl")
    assert REGION not in buf.getvalue() and FACILITY not in buf.getvalue()
    full = io.StringIO()
    export(db, full, "jsonl", include_private=True)
    assert REGION in full.getvalue()
