"""Which database errors mean "busy, try again" rather than "broken".

SQLite: ``database is locked`` / ``database is busy`` (another writer held the lock longer than
the busy timeout). PostgreSQL: serialization failure (40001), deadlock (40P01) and lock
timeout (55P03). The web app answers these 503 with ``Retry-After`` and the CLI prints a clear
message, never a traceback."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

_PG_TRANSIENT = {"40001", "40P01", "55P03"}
#: seconds a client should wait before trying again
RETRY_AFTER = 2


def is_busy(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _PG_TRANSIENT:
        return True
    text = str(orig).lower()
    return (
        "database is locked" in text
        or "database is busy" in text
        or "database table is locked" in text
    )
