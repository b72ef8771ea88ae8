"""A real lock conflict on each backend is recognised as "busy" (503 / clear CLI message)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from prisonwatch.store.busy import is_busy
from prisonwatch.store.db import Database


def test_lock_conflict_is_busy(db: Database) -> None:
    holder = db.engine.connect()
    try:
        if db.is_sqlite:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            holder.begin()
            holder.execute(text("LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
            if db.is_sqlite:
                conn.exec_driver_sql("PRAGMA busy_timeout = 50")
            else:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
            conn.execute(
                text(
                    "INSERT INTO app_user (username, role, disabled, created_at) "
                    "VALUES ('x', 'viewer', false, CURRENT_TIMESTAMP)"
                )
            )
        assert is_busy(caught.value)
    finally:
        holder.rollback()
        holder.close()
        if db.is_sqlite:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout = 30000")


def test_other_errors_are_not_busy(db: Database) -> None:
    with pytest.raises(DBAPIError) as caught, db.engine.begin() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert not is_busy(caught.value)
    assert not is_busy(ValueError("database is locked"))
