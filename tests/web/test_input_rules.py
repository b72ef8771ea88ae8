"""One input rule on every web path: the JSON API, the editor forms and figure sources refuse
control characters, over-long values and non-http(s) URLs with an error naming the field
(never a 500), write nothing, and pages never link a non-http(s) URL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webhelpers import Seeded, csrf_of, login

from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, Source
from prisonwatch.store.users import create_token

BAD_PERSON_VALUES = [
    ("region", "Minsk\x00"),
    ("region", "x" * 5000),
    ("region", "Minsk\u202e"),
    ("nationality", "BY\u200b"),
    ("internal_notes", "a\x00b"),
]
BAD_URLS = ["javascript:alert(document.cookie)", "data:text/html;base64,PHNjcmlwdD4="]


def audit_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.fixture
def editor_api(app: FastAPI, db: Database) -> TestClient:
    with db.session() as s:
        _, secret = create_token(s, "editor", "tests", actor="test")
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def editor_web(app: FastAPI) -> TestClient:
    return login(TestClient(app), "editor")


def field_of(resp: Any) -> str:
    details = resp.json()["error"].get("details") or []
    return str(details[0].get("field") if details else resp.json()["error"]["message"])


@pytest.mark.parametrize(("field", "value"), BAD_PERSON_VALUES)
def test_api_person_fields(editor_api: TestClient, db: Database, field: str, value: str) -> None:
    before = audit_count(db)
    resp = editor_api.post(
        "/api/v1/people", json={"names": [{"text": "Іван Іваноў"}], field: value}
    )
    assert resp.status_code == 422, resp.text
    assert field in field_of(resp)
    assert audit_count(db) == before


@pytest.mark.parametrize("name", ["Іван\x00Іваноў", "Іван\u202eІваноў", "Іван\nІваноў"])
def test_api_names(editor_api: TestClient, db: Database, seeded: Seeded, name: str) -> None:
    before = audit_count(db)
    resp = editor_api.post(f"/api/v1/people/{seeded.statkevich}/names", json={"text": name})
    assert resp.status_code == 422, resp.text
    assert "text" in field_of(resp) or "name" in field_of(resp)
    assert audit_count(db) == before


def test_api_event_note_and_facility(editor_api: TestClient, seeded: Seeded) -> None:
    for body in ({"note": "x\x00"}, {"facility": "Colony\u2066 No. 3"}):
        resp = editor_api.post(
            f"/api/v1/people/{seeded.statkevich}/events",
            json={"kind": "transferred", "date": "2024-01-02", **body},
        )
        assert resp.status_code == 422, resp.text
        assert next(iter(body)) in field_of(resp)


@pytest.mark.parametrize("url", BAD_URLS)
def test_api_source_and_figure_urls(editor_api: TestClient, db: Database, url: str) -> None:
    before = audit_count(db)
    resp = editor_api.post("/api/v1/sources", json={"url": url, "title": "x"})
    assert resp.status_code == 422, resp.text
    assert field_of(resp) == "url"
    resp = editor_api.post(
        "/api/v1/changes/figures",
        json={"value": 1300, "as_of": "2025-09-11", "wording": "about 1,300", "source_url": url},
    )
    assert resp.status_code == 422, resp.text
    assert "source_url" in resp.text
    assert audit_count(db) == before


def test_form_region_has_the_api_limit(editor_web: TestClient, db: Database) -> None:
    page = editor_web.get("/people/new")
    before = audit_count(db)
    resp = editor_web.post(
        "/people/new",
        data={"csrf_token": csrf_of(page.text), "name": "Іван Іваноў", "region": "x" * 5000},
    )
    assert resp.status_code == 422
    assert "region: longer than 200 characters" in resp.text
    resp = editor_web.post(
        "/people/new",
        data={"csrf_token": csrf_of(page.text), "name": "Іван Іваноў", "region": "Minsk\x00"},
    )
    assert resp.status_code == 422
    assert "region:" in resp.text and "U+0000" in resp.text
    assert audit_count(db) == before


@pytest.mark.parametrize("url", BAD_URLS)
def test_form_source_url(editor_web: TestClient, db: Database, url: str) -> None:
    page = editor_web.get("/sources/new")
    before = audit_count(db)
    resp = editor_web.post(
        "/sources/new", data={"csrf_token": csrf_of(page.text), "url": url, "title": "report"}
    )
    assert resp.status_code == 422
    assert "url:" in resp.text
    assert audit_count(db) == before


def test_pages_never_link_a_non_web_url(app: FastAPI, db: Database, seeded: Seeded) -> None:
    """Defence in depth: a javascript: URL already in the database (from before the rule) is
    shown as text, not as a link."""
    with db.session() as s:
        src = s.get(Source, seeded.source)
        assert src is not None
        src.url = "javascript:alert(1)"
    page = login(TestClient(app), "editor").get(f"/people/{seeded.statkevich}")
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text


def test_people_csv_neutralises_formula_cells(
    editor_api: TestClient, editor_web: TestClient
) -> None:
    name = '=HYPERLINK("http://evil.example","Click")'
    assert editor_api.post("/api/v1/people", json={"names": [{"text": name}]}).status_code == 201
    text = editor_web.get("/people.csv").text
    assert "'=HYPERLINK(" in text
    assert '\n"=HYPERLINK' not in text and ",=HYPERLINK" not in text
