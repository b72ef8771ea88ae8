"""The Alembic migrations create exactly the tables the code declares, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from prisonwatch.store.db import Database
from prisonwatch.store.schema import Base


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == [], f"schema.py and the migrations differ: {diffs}"


def test_database_is_at_head(db: Database) -> None:
    assert db.current_revision() == db.head_revision()
    db.check_ready()
