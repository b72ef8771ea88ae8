"""Fixtures of the web tests: an app over the ``db`` fixture (SQLite file, then PostgreSQL),
accounts of every role, logged-in clients, and a small seeded registry with private values."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from webhelpers import PASSWORD, Seeded, login, seed_registry

from prisonwatch.store.db import Database
from prisonwatch.store.users import create_user
from prisonwatch.web.app import create_app


@pytest.fixture
def users(db: Database) -> dict[str, str]:
    with db.session() as s:
        for role in ("viewer", "editor", "admin"):
            create_user(s, role, PASSWORD, role, actor="test")
    return {"viewer": "viewer", "editor": "editor", "admin": "admin"}


@pytest.fixture
def seeded(db: Database) -> Seeded:
    return seed_registry(db)


@pytest.fixture
def app(db: Database, users: dict[str, str], seeded: Seeded) -> FastAPI:
    return create_app(db, secret_key="test-secret")


@pytest.fixture
def public_app(db: Database, users: dict[str, str], seeded: Seeded) -> FastAPI:
    return create_app(db, public=True, secret_key="test-secret")


@pytest.fixture
def client_for(app: FastAPI) -> Callable[[str | None], TestClient]:
    def make(role: str | None) -> TestClient:
        client = TestClient(app)
        return login(client, role) if role else client

    return make
