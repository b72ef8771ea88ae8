"""Accounts of the web app: users with a role, argon2 password hashes, API tokens for scripts,
logins (throttled by ``prisonwatch.store.throttle``; every attempt is kept in ``login_attempt``).

Usernames are case-insensitive ("Anna" is "anna"). A password change, a role change or disabling
an account ends its web sessions; disabling it also revokes its API tokens, so enabling it again
revives neither.

Every change to an account writes an audit entry (``entity_type='user'`` / ``'api_token'``);
password and token hashes never appear in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from prisonwatch.model import Role
from prisonwatch.store import audit, throttle
from prisonwatch.store.db import Database
from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.schema import ApiToken, LoginAttempt, User, utcnow
from prisonwatch.store.sessions import end_user_sessions

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "pwt_"
#: how stale ``api_token.last_used_at`` may get: it is written at most this often
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,100}$")
_hasher = PasswordHasher()
# Verified against when the username does not exist, so a miss costs as much as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


class UserError(ValueError):
    """A user operation was refused; the message names the field."""


@dataclass(frozen=True, slots=True)
class Account:
    """What the web layer keeps about the logged-in user."""

    id: int
    username: str
    role: Role
    display_name: str | None
    locale: str | None

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(user.id, user.username, Role(user.role), user.display_name, user.locale)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")


def _user_snapshot(user: User) -> dict[str, object]:
    snap = audit.snapshot(user)
    snap.pop("password_hash", None)
    return snap


def get_user(session: Session, username: str) -> User | None:
    """The user, whatever the case of the letters ("Anna" is "anna")."""
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role | str = Role.VIEWER,
    *,
    actor: str,
    display_name: str | None = None,
    locale: str | None = None,
) -> User:
    if not _USERNAME.match(username):
        raise UserError("username: 2-100 characters of letters, digits, '_', '.', '@' or '-'")
    try:
        role = Role(role)
    except ValueError as exc:
        raise UserError(f"role: {role!r} is not one of viewer, editor, admin") from exc
    _check_password_rules(password)
    if get_user(session, username) is not None:
        raise UserError(f"username: {username!r} already exists")
    user = User(
        username=username,
        role=role.value,
        password_hash=hash_password(password),
        display_name=display_name,
        locale=locale,
        disabled=False,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="user",
        entity_id=user.id,
        after=_user_snapshot(user),
    )
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def _require(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(f"username: no user {username!r}")
    return user


def set_disabled(session: Session, username: str, disabled: bool, *, actor: str) -> User:
    user = _require(session, username)
    before = _user_snapshot(user)
    user.disabled = disabled
    session.flush()
    if disabled:
        end_user_sessions(session, user.id)
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        ):
            _revoke(session, token, actor=actor, reason="account disabled")
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="user",
        entity_id=user.id,
        before={"disabled": before["disabled"]},
        after={"disabled": disabled},
    )
    return user


def set_role(session: Session, username: str, role: Role | str, *, actor: str) -> User:
    user = _require(session, username)
    try:
        new = Role(role)
    except ValueError as exc:
        raise UserError(f"role: {role!r} is not one of viewer, editor, admin") from exc
    old = user.role
    user.role = new.value
    session.flush()
    if old != new.value:
        end_user_sessions(session, user.id)
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="user",
        entity_id=user.id,
        before={"role": old},
        after={"role": new.value},
    )
    return user


def set_password(session: Session, username: str, password: str, *, actor: str) -> User:
    user = _require(session, username)
    _check_password_rules(password)
    user.password_hash = hash_password(password)
    session.flush()
    end_user_sessions(session, user.id)
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="user",
        entity_id=user.id,
        before={"password": "[changed]"},
        after={"password": "[changed]"},
    )
    return user


# -- login ------------------------------------------------------------------------------------


def _verify(user: User | None, password: str) -> bool:
    ok: bool = False
    try:
        ok = _hasher.verify(
            user.password_hash if user and user.password_hash else _DUMMY_HASH, password
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return ok and user is not None and not user.disabled


def login(db: Database, username: str, password: str, client: str | None = None) -> Account | None:
    """The account when the password is right and the user is enabled, else None.

    Raises :class:`LoginThrottled` when the attempt may not be made (see
    ``prisonwatch.store.throttle``): the attempt is counted in its own transaction *before* the
    password is checked, so parallel attempts cannot exceed the limits. Every checked attempt is
    recorded in ``login_attempt``.
    """
    username = username.strip()[:100]
    client = client[:100] if client else None
    keys = throttle.Keys.of(username, client)
    with db.session() as s:
        throttle.reserve(s, keys)
    with db.session() as s:
        user = get_user(s, username)
        ok = _verify(user, password)
        s.add(LoginAttempt(username=username, client=client, ok=ok))
        if not ok or user is None:
            if secrets.randbelow(50) == 0:
                throttle.forget_expired(s)
            return None
        throttle.succeeded(s, keys)
        if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return Account.of(user)


# -- API tokens -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session, username: str, label: str | None = None, *, actor: str
) -> tuple[ApiToken, str]:
    """A new API token for the user: the row and the secret (shown once, stored hashed)."""
    user = _require(session, username)
    if user.disabled:
        raise UserError(f"username: {username!r} is disabled")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_token_hash(secret), label=label, revoked=False)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="api_token",
        entity_id=row.id,
        after={"user": username, "label": label},
    )
    return row, secret


def _revoke(session: Session, row: ApiToken, *, actor: str, reason: str | None = None) -> None:
    if row.revoked:
        return
    row.revoked = True
    after: dict[str, object] = {"revoked": True}
    if reason:
        after["reason"] = reason
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="api_token",
        entity_id=row.id,
        before={"revoked": False},
        after=after,
    )


def revoke_token(session: Session, token_id: int, *, actor: str) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise UserError(f"token: no token {token_id}")
    _revoke(session, row, actor=actor)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    username: str
    label: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


def list_tokens(session: Session, username: str | None = None) -> list[TokenInfo]:
    """API tokens (never their secrets), of one user or of all, oldest first."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        user = _require(session, username)
        query = query.where(ApiToken.user_id == user.id)
    return [
        TokenInfo(t.id, name, t.label, t.created_at, t.last_used_at, t.revoked)
        for t, name in session.execute(query.order_by(ApiToken.id))
    ]


def account_for_token(session: Session, token: str) -> tuple[Account, int | None] | None:
    """The account a Bearer token belongs to, or None (unknown, revoked, user disabled), with
    the token's id when its ``last_used_at`` is due a refresh (see :func:`touch_token`).
    Only reads: a read request must never wait for, or fail on, a write."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.revoked:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    due = row.last_used_at is None or utcnow() - row.last_used_at > TOKEN_TOUCH_EVERY
    return Account.of(user), (row.id if due else None)


def touch_token(db: Database, token_id: int) -> bool:
    """Best effort: set the token's ``last_used_at`` in a short transaction of its own that
    waits at most ~0.2 s for a lock and gives up silently (the web app runs it after the
    response). True when written. Throttled to once per :data:`TOKEN_TOUCH_EVERY`."""
    now = utcnow()
    try:
        with db.session() as s:
            conn = s.connection()
            with dialect_of(conn).short_lock_wait(conn):
                done = s.execute(
                    update(ApiToken)
                    .where(ApiToken.id == token_id)
                    .where(
                        (ApiToken.last_used_at.is_(None))
                        | (ApiToken.last_used_at < now - TOKEN_TOUCH_EVERY)
                    )
                    .values(last_used_at=now)
                )
            return bool(getattr(done, "rowcount", 0))
    except DBAPIError:
        return False
