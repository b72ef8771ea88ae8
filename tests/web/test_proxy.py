"""Proxy headers only from configured proxies; the session cookie Secure over HTTPS; a copied
session cookie is dead after logout."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import csrf_of, login

from prisonwatch.store.db import Database
from prisonwatch.store.schema import LoginAttempt
from prisonwatch.web.app import create_app


def _login_from(client: TestClient, headers: dict[str, str]) -> int:
    page = client.get("/login", headers=headers)
    resp = client.post(
        "/login",
        headers=headers,
        follow_redirects=False,
        data={
            "username": "viewer",
            "password": "wrong wrong wrong",
            "csrf_token": csrf_of(page.text),
        },
    )
    return resp.status_code


def test_forwarded_for_ignored_unless_the_proxy_is_trusted(
    db: Database, users: dict[str, str]
) -> None:
    # no proxy configured: a local client's X-Forwarded-For is not believed
    plain = TestClient(
        create_app(db, secret_key="k", trusted_proxies=[]), client=("127.0.0.1", 5000)
    )
    _login_from(plain, {"X-Forwarded-For": "203.0.113.5"})
    proxied = TestClient(
        create_app(db, secret_key="k", trusted_proxies=["127.0.0.0/8"]), client=("127.0.0.1", 5000)
    )
    # the right-most address that is not a trusted proxy
    _login_from(proxied, {"X-Forwarded-For": "203.0.113.5, 198.51.100.7, 127.0.0.2"})
    with db.session() as s:
        clients = list(s.scalars(select(LoginAttempt.client).order_by(LoginAttempt.id)))
    assert clients == ["127.0.0.1", "198.51.100.7"]


def test_secure_cookie_behind_an_https_proxy(db: Database, users: dict[str, str]) -> None:
    app = create_app(db, secret_key="k", trusted_proxies=["127.0.0.1"])
    proxied = TestClient(app, client=("127.0.0.1", 5000))
    cookie = proxied.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "secure" in cookie.lower()
    cookie = proxied.get("/login", headers={"X-Forwarded-Proto": "http"}).headers["set-cookie"]
    assert "secure" not in cookie.lower()
    stranger = TestClient(app, client=("192.0.2.1", 5000))
    cookie = stranger.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["set-cookie"]
    assert "secure" not in cookie.lower()


def test_copied_cookie_is_dead_after_logout(app: FastAPI) -> None:
    client = login(TestClient(app), "editor")
    copied = dict(client.cookies)
    assert client.get("/api/v1/people").status_code == 200
    page = client.get("/")
    assert (
        client.post(
            "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
        ).status_code
        == 303
    )
    thief = TestClient(app, cookies=copied)
    assert thief.get("/api/v1/people").status_code == 401
    assert thief.get("/people", follow_redirects=False).status_code == 303
