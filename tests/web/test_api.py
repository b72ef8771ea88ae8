"""The JSON API: health, pagination, one error shape, token access, writes through the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import Seeded

from prisonwatch.store.db import Database
from prisonwatch.store.users import create_token


@pytest.fixture
def editor_api(app: FastAPI, db: Database) -> TestClient:
    with db.session() as s:
        _, secret = create_token(s, "editor", "tests", actor="test")
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


def test_health_needs_no_login(app: FastAPI) -> None:
    body = TestClient(app).get("/api/v1/health").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["name_index"] == "ready"


def test_openapi_schema_lists_the_api(app: FastAPI) -> None:
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/search",
        "/api/v1/health",
        "/api/v1/audit",
        "/api/v1/review",
    ):
        assert path in schema["paths"], path
    assert not any(p.startswith("/people") for p in schema["paths"])


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/people/999999", 404, "not_found"),
        ("GET", "/api/v1/people/abc", 422, "invalid"),
        ("GET", "/api/v1/people?status=free", 422, "invalid"),
        ("GET", "/api/v1/people?per_page=100000", 422, "invalid"),
        ("GET", "/api/v1/nothing-here", 404, "not_found"),
        ("DELETE", "/api/v1/people", 405, "method_not_allowed"),
        ("POST", "/api/v1/people", 422, "invalid"),
        ("POST", "/api/v1/people/999999/events", 404, "not_found"),
    ],
)
def test_one_error_shape(
    editor_api: TestClient, method: str, path: str, status: int, code: str
) -> None:
    body = {"kind": "detained", "date": "2024"} if "events" in path else {"names": []}
    resp = editor_api.request(method, path, json=body if method == "POST" else None)
    assert resp.status_code == status
    err = resp.json()["error"]
    assert err["code"] == code and err["message"]
    assert set(err) == {"code", "message", "details"}


def test_pagination(editor_api: TestClient) -> None:
    first = editor_api.get("/api/v1/people?per_page=1&sort=id").json()
    second = editor_api.get("/api/v1/people?per_page=1&page=2&sort=id").json()
    assert first["total"] == second["total"] == 3
    assert first["pages"] == 3 and len(first["items"]) == 1
    assert first["items"][0]["id"] < second["items"][0]["id"]


def test_write_through_the_api_is_audited_and_searchable(editor_api: TestClient) -> None:
    resp = editor_api.post(
        "/api/v1/people",
        json={
            "names": [{"text": "Ales Bialiatski"}, {"text": "Алесь Бяляцкі", "language": "be"}],
            "region": "Minsk",
        },
    )
    assert resp.status_code == 201
    pid = resp.json()["id"]
    resp = editor_api.post(
        f"/api/v1/people/{pid}/events", json={"kind": "detained", "date": "2021-07-14"}
    )
    assert resp.status_code == 201
    bad = editor_api.post(
        f"/api/v1/people/{pid}/events", json={"kind": "expelled_abroad", "date": "2025"}
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "destination_country"
    # the one date rule (docs/architecture.md, "Events dated ahead"), as the import applies it
    ahead = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    bad = editor_api.post(f"/api/v1/people/{pid}/events", json={"kind": "pardoned", "date": ahead})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "date"
    assert "in the future" in bad.json()["error"]["details"][0]["message"]
    scheduled = editor_api.post(
        f"/api/v1/people/{pid}/events", json={"kind": "released_end_of_term", "date": ahead}
    )
    assert scheduled.status_code == 201
    hits = editor_api.get("/api/v1/search", params={"q": "Беляцкий"}).json()["items"]
    assert hits and hits[0]["person_id"] == pid and hits[0]["why"]
    log = editor_api.get(f"/api/v1/audit?person_id={pid}").json()
    assert {e["entity_type"] for e in log["items"]} >= {"person", "name", "event"}
    assert {e["actor"] for e in log["items"]} == {"web:editor"}


def test_person_and_held(editor_api: TestClient, seeded: Seeded) -> None:
    person = editor_api.get(f"/api/v1/people/{seeded.statkevich}").json()
    assert person["status"] == "held" and person["current_facility"] == "Prison No. 13"
    assert {n["script"] for n in person["names"]} >= {"cyrillic", "latin"}
    held = editor_api.get("/api/v1/held?on=2020-07-01").json()
    assert held["held"] == 1


def test_bad_tokens(app: FastAPI) -> None:
    for header in ("Bearer pwt_nope", "Basic abc", "Bearer "):
        resp = TestClient(app, headers={"Authorization": header}).get("/api/v1/people")
        assert resp.status_code == 401, header
        assert resp.json()["error"]["code"] == "unauthorized"
