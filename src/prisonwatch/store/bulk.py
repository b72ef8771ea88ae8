"""Fast bulk inserts for imports and benchmarks, inside the caller's transaction.

* PostgreSQL: ids are taken from the table's sequence in one query, then rows go in with
  ``COPY … FROM STDIN`` (psycopg 3) — an order of magnitude faster than multi-row INSERTs.
* SQLite: Core ``executemany`` (``INSERT … RETURNING`` when ids are needed).

Both live in :meth:`prisonwatch.store.dialect.Dialect.bulk_insert`.

Rows are dicts keyed by column name; columns missing from a row get the column's default.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from prisonwatch.store.dialect import dialect_of


def bulk_insert(
    session: Session, table: Table, rows: list[dict[str, Any]], *, return_ids: bool = False
) -> list[int]:
    """Insert ``rows``; returns their new ids in order when ``return_ids`` is set."""
    if not rows:
        return []
    conn = session.connection()
    return dialect_of(conn).bulk_insert(conn, table, rows, return_ids=return_ids)
