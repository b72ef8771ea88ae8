"""The few SQL expressions that differ between SQLite and PostgreSQL (date buckets, day counts),
and reading their results back as Python dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, cast, func, literal
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from prisonwatch.stats.periods import Unit


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def bucket_expr(col: Any, unit: Unit, dialect: str) -> ColumnElement[Any]:
    """The first day of ``col``'s week (Monday), month or year."""
    if dialect == "sqlite":
        if unit is Unit.WEEK:
            # 'weekday 0' moves forward to Sunday (or stays on one); 6 days back is Monday.
            return func.date(col, literal("weekday 0"), literal("-6 days"))
        fmt = "%Y-%m-01" if unit is Unit.MONTH else "%Y-01-01"
        return func.strftime(literal(fmt), col)
    return cast(func.date_trunc(literal(unit.value), col), Date)


def days_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """Whole days from ``start`` to ``end``."""
    if dialect == "sqlite":
        return cast(func.julianday(end) - func.julianday(start), Integer)
    return cast(end - start, Integer)


def as_date(value: object) -> dt.date:
    """A date read back from SQL (SQLite returns text from date functions)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    raise TypeError(f"not a date from the database: {value!r}")


__all__ = ["as_date", "bucket_expr", "days_between", "dialect_of"]
