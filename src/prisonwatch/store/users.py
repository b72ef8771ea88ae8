"""Accounts of the web app: users with a role, argon2 password hashes, API tokens for scripts and
login throttling (counted in the ``login_attempt`` table, so it holds across processes).

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
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.model import Role
from prisonwatch.store import audit
from prisonwatch.store.schema import ApiToken, LoginAttempt, User, utcnow

MIN_PASSWORD_LENGTH = 10
#: failed logins for one username (or from one client) within the window that lock it out
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
TOKEN_PREFIX = "pwt_"

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,100}$")
_hasher = PasswordHasher()
# Verified against when the username does not exist, so a miss costs as much as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


class UserError(ValueError):
    """A user operation was refused; the message names the field."""


class LoginThrottled(Exception):
    """Too many failed logins recently."""

    def __init__(self, retry_after: dt.timedelta) -> None:
        self.retry_after = retry_after
        minutes = max(1, int(retry_after.total_seconds() // 60) + 1)
        super().__init__(f"too many failed logins: try again in {minutes} minutes")


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
    return session.scalar(select(User).where(User.username == username))


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


def _throttle_state(session: Session, username: str, client: str | None) -> dt.timedelta | None:
    """How long the caller must wait, or None when a login may be tried."""
    since = utcnow() - FAILURE_WINDOW
    conds = [LoginAttempt.username == username]
    if client:
        conds.append(LoginAttempt.client == client)
    for cond in conds:
        last_ok = session.scalar(
            select(func.max(LoginAttempt.at)).where(cond, LoginAttempt.ok.is_(True))
        )
        start = max(since, last_ok) if last_ok else since
        rows = session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                cond, LoginAttempt.ok.is_(False), LoginAttempt.at > start
            )
        ).one()
        count, first = int(rows[0]), rows[1]
        if count >= MAX_FAILURES and first is not None:
            return max(dt.timedelta(seconds=1), first + FAILURE_WINDOW - utcnow())
    return None


def authenticate(
    session: Session, username: str, password: str, client: str | None = None
) -> Account | None:
    """The account when the password is right and the user is enabled, else None.

    Raises :class:`LoginThrottled` after :data:`MAX_FAILURES` failures within
    :data:`FAILURE_WINDOW` for the username or the client address. Every attempt is recorded.
    """
    username = username.strip()[:100]
    client = client[:100] if client else None
    wait = _throttle_state(session, username, client)
    if wait is not None:
        raise LoginThrottled(wait)
    user = get_user(session, username)
    ok = False
    try:
        ok = _hasher.verify(
            user.password_hash if user and user.password_hash else _DUMMY_HASH, password
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and not user.disabled
    session.add(LoginAttempt(username=username, client=client, ok=ok))
    session.flush()
    if not ok or user is None:
        return None
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return Account.of(user)


def account_by_id(session: Session, user_id: int) -> Account | None:
    user = session.get(User, user_id)
    if user is None or user.disabled:
        return None
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


def revoke_token(session: Session, token_id: int, *, actor: str) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise UserError(f"token: no token {token_id}")
    row.revoked = True
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="api_token",
        entity_id=row.id,
        before={"revoked": False},
        after={"revoked": True},
    )


def account_for_token(session: Session, token: str) -> Account | None:
    """The account a Bearer token belongs to, or None (unknown, revoked, user disabled)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.revoked:
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        row.last_used_at = now
    return Account.of(user)
