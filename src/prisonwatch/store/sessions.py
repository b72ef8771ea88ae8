"""Server-side web sessions (``web_session``): the signed cookie names a session, the database
says whether it is still alive. Logging out, changing the password or the role, and disabling
the account end sessions here, so a cookie copied earlier stops working at once.

Checking a session only reads; sessions are written at login and logout."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from prisonwatch.store.schema import User, utcnow
from prisonwatch.store.schema_auth import WebSession

#: a session lasts as long as its cookie (the web app's max age)
SESSION_LIFETIME = dt.timedelta(hours=12)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start_session(s: Session, user_id: int, lifetime: dt.timedelta = SESSION_LIFETIME) -> str:
    """A new session for the user: its secret id (for the cookie; stored hashed)."""
    now = utcnow()
    s.execute(delete(WebSession).where(WebSession.expires_at < now))
    sid = secrets.token_urlsafe(32)
    s.add(
        WebSession(id_hash=_hash(sid), user_id=user_id, created_at=now, expires_at=now + lifetime)
    )
    s.flush()
    return sid


def session_user(s: Session, user_id: int, sid: str) -> User | None:
    """The enabled user of a live session, or None (logged out, expired, revoked, disabled)."""
    row = s.get(WebSession, _hash(sid))
    if row is None or row.user_id != user_id or row.expires_at <= utcnow():
        return None
    user = s.get(User, user_id)
    if user is None or user.disabled:
        return None
    return user


def end_session(s: Session, sid: str) -> None:
    s.execute(delete(WebSession).where(WebSession.id_hash == _hash(sid)))


def end_user_sessions(s: Session, user_id: int) -> int:
    """End every session of the user; the number ended."""
    ids = list(s.scalars(select(WebSession.id_hash).where(WebSession.user_id == user_id)))
    if ids:
        s.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return len(ids)
