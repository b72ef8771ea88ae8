"""Migrating a test database to a revision (see ``fresh_url`` in this folder's conftest)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine

from prisonwatch.store.db import alembic_config


def migrate(url: str, target: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) the database at ``url`` to the revision ``target``."""
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)
    engine.dispose()
