"""Login throttling that strangers cannot turn into a lock-out.

Three counters of failed logins, each over a window of :data:`WINDOW` (15 minutes):

* per (account, client): after :data:`MAX_PER_ACCOUNT_CLIENT` (5) failures that client may not
  try that account again until the window ends (429 with Retry-After);
* per client: after :data:`MAX_PER_CLIENT` (20) failures, on any accounts, that client may not
  try any account until the window ends (stops one address spraying many usernames);
* per account, from all clients together: after :data:`ACCOUNT_SLOWDOWN_AFTER` (10) failures
  the account is *slowed down*, never locked: at most one attempt per
  :data:`SLOWDOWN_INTERVAL` (2 s), whoever makes it. A botnet cannot lock the owner out; the
  owner, from a client without failures, gets in (at worst after a 2-second wait).

An attempt first *reserves* its place — one short transaction that increments every counter
with ``UPDATE … RETURNING``, in one fixed key order, and refuses when a limit is passed — and
only then is the password checked. So 12 parallel wrong passwords cannot all be checked: the
database hands out the counts one at a time and the 6th and later are refused without a check.
A successful login takes its own failure back (and clears the (account, client) counter).

The client is the TCP peer, or the address a configured trusted proxy reports
(``PRISONWATCH_TRUSTED_PROXIES``; see ``prisonwatch.web.proxy``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, or_, select, update
from sqlalchemy.orm import Session

from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.schema import utcnow
from prisonwatch.store.schema_auth import LoginThrottle

WINDOW = dt.timedelta(minutes=15)
MAX_PER_ACCOUNT_CLIENT = 5
MAX_PER_CLIENT = 20
ACCOUNT_SLOWDOWN_AFTER = 10
SLOWDOWN_INTERVAL = dt.timedelta(seconds=2)


class LoginThrottled(Exception):
    """Too many failed logins recently; ``retry_after`` says how long to wait."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = max(retry_after, dt.timedelta(seconds=1))
        seconds = int(self.retry_after.total_seconds()) + 1
        wait = f"{seconds} seconds" if seconds < 120 else f"{seconds // 60 + 1} minutes"
        super().__init__(f"too many failed logins: try again in {wait}")


@dataclass(frozen=True, slots=True)
class Keys:
    account_client: str
    client: str
    account: str

    @classmethod
    def of(cls, username: str, client: str | None) -> Keys:
        user = username.strip().lower()[:100]
        peer = (client or "-")[:100]
        return cls(f"ac:{user}|{peer}", f"c:{peer}", f"a:{user}")


def _ensure_rows(s: Session, keys: list[str], now: dt.datetime) -> None:
    rows = [{"key": k, "failures": 0, "window_start": now} for k in keys]
    s.execute(dialect_of(s).insert_ignore(LoginThrottle, ["key"]).values(rows))


def reserve(s: Session, keys: Keys) -> None:
    """Count this attempt as a failure before the password is checked; raise
    :class:`LoginThrottled` (and let the caller roll back) when a limit is passed."""
    now = utcnow()
    since = now - WINDOW
    t = LoginThrottle
    ordered = sorted([keys.account_client, keys.client, keys.account])  # one lock order
    _ensure_rows(s, ordered, now)
    stale = t.window_start < since
    new_failures = case((stale, 1), else_=t.failures + 1)
    new_start = case((stale, now), else_=t.window_start)
    for key in ordered:
        if key == keys.account:
            slowed = new_failures > ACCOUNT_SLOWDOWN_AFTER
            got = s.execute(
                update(t)
                .where(
                    t.key == key, or_(t.next_allowed_at.is_(None), t.next_allowed_at <= now, stale)
                )
                .values(
                    failures=new_failures,
                    window_start=new_start,
                    next_allowed_at=case((slowed, now + SLOWDOWN_INTERVAL), else_=None),
                )
                .returning(t.failures)
            ).first()
            if got is None:
                until = s.scalar(select(t.next_allowed_at).where(t.key == key)) or now
                raise LoginThrottled(until - now)
            continue
        count, start = s.execute(
            update(t)
            .where(t.key == key)
            .values(failures=new_failures, window_start=new_start)
            .returning(t.failures, t.window_start)
        ).one()
        limit = MAX_PER_ACCOUNT_CLIENT if key == keys.account_client else MAX_PER_CLIENT
        if count > limit:
            raise LoginThrottled(start + WINDOW - now)


def succeeded(s: Session, keys: Keys) -> None:
    """The reserved attempt was the right password: take its failure back."""
    t = LoginThrottle
    s.execute(delete(t).where(t.key == keys.account_client))
    for key in sorted([keys.client, keys.account]):
        s.execute(
            update(t).where(and_(t.key == key, t.failures > 0)).values(failures=t.failures - 1)
        )


def forget_expired(s: Session) -> None:
    """Drop counters whose window ended long ago (called now and then by logins)."""
    s.execute(delete(LoginThrottle).where(LoginThrottle.window_start < utcnow() - 2 * WINDOW))
