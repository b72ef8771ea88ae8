"""Fast bulk inserts for imports and benchmarks, inside the caller's transaction.

* PostgreSQL: ids are taken from the table's sequence in one query, then rows go in with
  ``COPY … FROM STDIN`` (psycopg 3) — an order of magnitude faster than multi-row INSERTs.
* SQLite: Core ``executemany`` (``INSERT … RETURNING`` when ids are needed).

Rows are dicts keyed by column name; columns missing from a row get the column's default.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Table, insert, text
from sqlalchemy.orm import Session


def _default(col: Column[Any]) -> Any:
    """The Python-side default of a column (scalar or callable), as Core would apply it."""
    d = col.default
    if d is None:
        return None
    arg = getattr(d, "arg", None)
    if getattr(d, "is_scalar", False):
        return arg
    if callable(arg):
        return arg(None)  # SQLAlchemy wraps Python callables to take an execution context
    return None


def _defaults(table: Table, rows: list[dict[str, Any]]) -> list[str]:
    cols = [c.name for c in table.columns if c.name != "id" or (rows and "id" in rows[0])]
    for row in rows:
        for col in table.columns:
            if col.name not in row and col.name != "id":
                row[col.name] = _default(col)
    return cols


def bulk_insert(
    session: Session, table: Table, rows: list[dict[str, Any]], *, return_ids: bool = False
) -> list[int]:
    """Insert ``rows``; returns their new ids in order when ``return_ids`` is set."""
    if not rows:
        return []
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        if return_ids:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return [int(r[0]) for r in conn.execute(stmt, rows)]
        conn.execute(insert(table), rows)
        return []
    ids: list[int] = []
    if return_ids:
        seq = conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)},
        ).scalars()
        ids = [int(i) for i in seq]
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
    cols = _defaults(table, rows)
    json_cols = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    raw = conn.connection.driver_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]
        names = ", ".join(f'"{c}"' for c in cols)
        with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row.get(c), ensure_ascii=False)
                        if c in json_cols and row.get(c) is not None
                        else row.get(c)
                        for c in cols
                    ]
                )
    return ids
