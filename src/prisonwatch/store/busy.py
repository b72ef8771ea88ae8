"""Which database errors mean "busy, try again" rather than "broken".

SQLite: ``database is locked`` / ``database is busy`` (another writer held the lock longer than
the busy timeout). PostgreSQL: serialization failure (40001), deadlock (40P01) and lock
timeout (55P03). The web app answers these 503 with ``Retry-After`` and the CLI prints a clear
message, never a traceback."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")

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


def retrying(work: Callable[[], T], *, attempts: int = 4, pause: float = 0.2) -> T:
    """``work()`` (one whole transaction), run again when the database was busy — a deadlock
    or serialization failure rolled it back, so nothing was written — at most ``attempts``
    times in all, with a growing, jittered pause. The last busy error is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if attempt == attempts or not is_busy(exc):
                raise
            time.sleep(pause * attempt * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover
