"""Security of the web app: logins, cookies, CSRF, roles, escaping, SQL metacharacters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webhelpers import PASSWORD, Seeded, all_routes, csrf_of, login

from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.schema import Person
from prisonwatch.store.throttle import MAX_PER_ACCOUNT_CLIENT
from prisonwatch.store.users import create_token


def _post_routes(app: FastAPI, api: bool) -> list[str]:
    paths = [
        route.path
        for route in all_routes(app)
        if "POST" in route.methods and route.path.startswith("/api/") == api
    ]
    assert paths
    return paths


def _fill(path: str, seeded: Seeded) -> str:
    filled = path
    for name in ("{person_id:row_id}", "{person_id}"):
        filled = filled.replace(name, str(seeded.statkevich))
    for name in (
        "{item_id:row_id}",
        "{item_id}",
        "{claim_id:row_id}",
        "{claim_id}",
        "{event_id:row_id}",
        "{event_id}",
        "{concession_id:row_id}",
        "{concession_id}",
    ):
        filled = filled.replace(name, "1")
    for name in ("{deal_id:row_id}", "{deal_id}"):
        filled = filled.replace(name, str(seeded.deal))
    for name in ("{official_id:row_id}", "{official_id}"):
        filled = filled.replace(name, str(seeded.judge))
    assert "{" not in filled, path
    return filled


HTML_PAGES = ["/", "/people", "/people.csv", "/search?q=x", "/audit", "/people/new"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_anonymous_is_sent_to_login(app: FastAPI, path: str) -> None:
    resp = TestClient(app).get(path, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"].startswith("/login?next=")


def test_anonymous_api_gets_401_in_the_error_shape(app: FastAPI) -> None:
    resp = TestClient(app).get("/api/v1/people")
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthorized"
    assert set(resp.json()["error"]) == {"code", "message", "details"}


def test_session_cookie_flags(app: FastAPI) -> None:
    client = login(TestClient(app), "viewer")
    cookie = [v for k, v in client.cookies.jar._cookies.items()]
    assert cookie
    page = TestClient(app).get("/login")
    header = page.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_secure_cookie_flag_is_configurable(db: Database, users: dict[str, str]) -> None:
    from prisonwatch.web.app import create_app

    app = create_app(db, secret_key="k", secure_cookies=True)
    header = TestClient(app).get("/login").headers["set-cookie"].lower()
    assert "secure" in header


def test_wrong_password_then_throttled(app: FastAPI) -> None:
    client = TestClient(app)
    for _ in range(MAX_PER_ACCOUNT_CLIENT):
        page = client.get("/login")
        resp = client.post(
            "/login",
            data={
                "username": "viewer",
                "password": "nope nope nope",
                "csrf_token": csrf_of(page.text),
            },
        )
        assert resp.status_code == 401
        assert "wrong username or password" in resp.text
    page = client.get("/login")
    resp = client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert resp.status_code == 429
    assert "Retry-After" in resp.headers


def test_login_redirect_stays_on_site(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/login")
    resp = client.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert resp.headers["location"] == "/"


def test_every_form_without_csrf_token_is_403(app: FastAPI, seeded: Seeded) -> None:
    client = login(TestClient(app), "admin")
    for path in _post_routes(app, api=False):
        resp = client.post(
            _fill(path, seeded), data={"name": "x", "text": "x"}, follow_redirects=False
        )
        assert resp.status_code == 403, path
        resp = client.post(
            _fill(path, seeded), data={"csrf_token": "forged"}, follow_redirects=False
        )
        assert resp.status_code == 403, path


def test_api_write_with_session_cookie_needs_csrf_header(app: FastAPI, db: Database) -> None:
    client = login(TestClient(app), "editor")
    body = {"names": [{"text": "Ivan Testau"}]}
    assert client.post("/api/v1/people", json=body).status_code == 403
    token = csrf_of(client.get("/people/new").text)
    resp = client.post("/api/v1/people", json=body, headers={"X-CSRF-Token": token})
    assert resp.status_code == 201


#: writes open to every reader: "I sent a letter" (no registry change; rate-limited per client;
#: tests/web/test_letters.py)
ANYONE_MAY_POST = ("/letters/log", "/api/v1/letters/log")


def test_viewer_gets_403_on_every_write(app: FastAPI, db: Database, seeded: Seeded) -> None:
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Person))
    client = login(TestClient(app), "viewer")
    token = csrf_of(client.get("/").text)
    for path in _post_routes(app, api=False):
        if path in ("/login", "/logout", *ANYONE_MAY_POST):
            continue
        resp = client.post(
            _fill(path, seeded),
            data={
                "csrf_token": token,
                "name": "X Y",
                "text": "X Y",
                "kind": "detained",
                "date": "2024",
            },
            follow_redirects=False,
        )
        assert resp.status_code == 403, path
    with db.session() as s:
        _, secret = create_token(s, "viewer", actor="test")
    api = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    for path in _post_routes(app, api=True):
        if path in ANYONE_MAY_POST:
            continue
        resp = api.post(
            _fill(path, seeded),
            json={
                "names": [{"text": "X Y"}],
                "text": "X Y",
                "kind": "detained",
                "date": "2024",
                "title": "t",
            },
        )
        assert resp.status_code == 403, path
        assert resp.json()["error"]["code"] == "forbidden"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == before


def test_script_in_a_name_renders_escaped(app: FastAPI, db: Database) -> None:
    evil = '<script>alert("x")</script> Ivanou'
    with db.session() as s:
        pid = Registry(s, "test").add_person(PersonInput(names=[NameInput(evil)])).id
    client = login(TestClient(app), "viewer")
    for path in (f"/people/{pid}", "/people?text=Ivanou", "/search?q=Ivanou", "/audit"):
        html = client.get(path).text
        assert "<script>alert" not in html, path
    assert "&lt;script&gt;" in client.get(f"/people/{pid}").text


SQL_NASTY = [
    "' OR 1=1 --",
    "x'; DROP TABLE person; --",
    '"; DELETE FROM name; --',
    "%",
    "_",
    "\\",
    "Статкевіч' UNION SELECT relatives_contact FROM person --",
]


@pytest.mark.parametrize("nasty", SQL_NASTY)
def test_sql_metacharacters_are_harmless(
    client_for: Callable[[str | None], TestClient], db: Database, nasty: str
) -> None:
    client = client_for("viewer")
    for path, params in [
        ("/search", {"q": nasty}),
        ("/people", {"text": nasty}),
        (
            "/people",
            {"region": nasty, "article": nasty[:30], "facility": nasty, "recognised_by": nasty},
        ),
        ("/api/v1/search", {"q": nasty}),
        ("/api/v1/people", {"text": nasty}),
        ("/audit", {"actor": nasty}),
    ]:
        resp = client.get(path, params=params)
        assert resp.status_code in (200, 422), (path, resp.status_code)
        if path == "/people" and "text" in params and nasty in ("%", "_"):
            # LIKE wildcards are matched literally: no name contains them
            assert "Nobody matches" in resp.text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 3


def test_security_headers_forbid_outside_resources(app: FastAPI) -> None:
    resp = TestClient(app).get("/login")
    csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["cache-control"] == "no-store"
    static = TestClient(app).get("/static/style.css")
    assert static.headers["cache-control"] == "public, max-age=86400"
    assert "default-src 'self'" in static.headers["content-security-policy"]
    assert "http" not in resp.text.split("<body>")[0].replace('charset="utf-8"', "")


def test_every_api_patch_and_delete_needs_an_editor_and_the_csrf_header(
    app: FastAPI, db: Database, seeded: Seeded
) -> None:
    routes = [
        (method, route.path)
        for route in all_routes(app)
        if route.path.startswith("/api/")
        for method in sorted(route.methods & {"PATCH", "PUT", "DELETE"})
    ]
    assert ("DELETE", "/api/v1/deals/{deal_id}/concessions/{concession_id}") in routes
    with db.session() as s:
        _, secret = create_token(s, "viewer", actor="test")
    viewer = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    editor = login(TestClient(app), "editor")  # a session cookie, no X-CSRF-Token header
    for method, path in routes:
        for client in (viewer, editor):
            resp = client.request(method, _fill(path, seeded), json={"title": "t"})
            assert resp.status_code == 403, (method, path)
            assert resp.json()["error"]["code"] in ("forbidden", "csrf"), (method, path)
