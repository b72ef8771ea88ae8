"""Shared fixtures: every test that takes ``db`` runs once on a real SQLite file and once on a
real PostgreSQL database.

PostgreSQL is found at ``PRISONWATCH_TEST_PG`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``). A throw-away database is created for
the test session and dropped at the end. Without a reachable server the PostgreSQL variants are
skipped with the reason — except when ``CI`` is set, where they fail: CI must test both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from prisonwatch.store.db import Database
from prisonwatch.store.schema import Base

PG_ADMIN_URL = os.environ.get(
    "PRISONWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# ../shared/data beside the checkout (a git worktree in /work/wt/NAME looks one level higher)
SHARED_DATA = next(
    (
        p / "shared" / "data"
        for p in Path(__file__).resolve().parents[1].parents
        if (p / "shared" / "data").is_dir()
    ),
    Path(__file__).resolve().parents[1].parent / "shared" / "data",
)


def _pg_problem() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}: {exc}"
    return None


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    problem = _pg_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests, but {problem}")
        pytest.skip(problem)
    name = f"pw_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    Database(url).migrate()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _truncate_pg(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty, migrated registry on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'registry.db'}"
        d = Database(url)
        d.migrate()
        d.dispose()
        yield url
    else:
        url = request.getfixturevalue("pg_url")
        d = Database(url)
        _truncate_pg(d)
        d.dispose()
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An empty, migrated registry: a real SQLite file, then a real PostgreSQL database."""
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """Only SQLite, for tests about SQLite-specific behaviour (file backup)."""
    database = Database(f"sqlite:///{tmp_path / 'only.db'}")
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "names-dev.csv").exists():
        pytest.skip(f"development data not found at {SHARED_DATA}")
    return SHARED_DATA
