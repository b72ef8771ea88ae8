"""Reading dates back from the statistics' SQL (the expressions that differ between SQLite
and PostgreSQL — date buckets, day counts — are in :mod:`prisonwatch.store.dialect`)."""

from __future__ import annotations

import datetime as dt


def as_date(value: object) -> dt.date:
    """A date read back from SQL (SQLite returns text from date functions)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    raise TypeError(f"not a date from the database: {value!r}")


__all__ = ["as_date"]
