"""Accounts: argon2 hashes, roles, throttled logins, API tokens — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from prisonwatch.model import Role
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, User
from prisonwatch.store.users import (
    MAX_FAILURES,
    LoginThrottled,
    UserError,
    account_for_token,
    authenticate,
    create_token,
    create_user,
    revoke_token,
    set_disabled,
)

PW = "long enough password"


def test_password_is_stored_as_argon2_and_never_audited(db: Database) -> None:
    with db.session() as s:
        create_user(s, "anna", PW, "editor", actor="test")
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "anna"))
        assert user is not None and user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PW not in user.password_hash
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "user")).all()
        assert len(entries) == 1
        assert "password_hash" not in (entries[0].after or {})


@pytest.mark.parametrize(
    ("username", "password", "role", "field"),
    [
        ("a", PW, "viewer", "username"),
        ("bad name!", PW, "viewer", "username"),
        ("bob", "short", "viewer", "password"),
        ("bob", PW, "superuser", "role"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(
    db: Database, username: str, password: str, role: str, field: str
) -> None:
    with db.session() as s, pytest.raises(UserError, match=f"^{field}:"):
        create_user(s, username, password, role, actor="test")


def test_duplicate_username(db: Database) -> None:
    with db.session() as s:
        create_user(s, "anna", PW, actor="test")
    with db.session() as s, pytest.raises(UserError, match="already exists"):
        create_user(s, "anna", PW, actor="test")


def test_authenticate_and_disable(db: Database) -> None:
    with db.session() as s:
        create_user(s, "anna", PW, Role.ADMIN, actor="test")
    with db.session() as s:
        account = authenticate(s, "anna", PW)
        assert account is not None and account.role is Role.ADMIN
        assert authenticate(s, "anna", PW + "x") is None
        assert authenticate(s, "nobody", PW) is None
    with db.session() as s:
        set_disabled(s, "anna", True, actor="test")
    with db.session() as s:
        assert authenticate(s, "anna", PW) is None


def test_throttling_after_repeated_failures(db: Database) -> None:
    with db.session() as s:
        create_user(s, "anna", PW, actor="test")
    for _ in range(MAX_FAILURES):
        with db.session() as s:
            assert authenticate(s, "anna", "wrong password!", "10.0.0.1") is None
    # even the right password is refused now, from any client
    with db.session() as s, pytest.raises(LoginThrottled):
        authenticate(s, "anna", PW, "10.0.0.2")
    # another user from the same client is throttled too (the client hit the limit)
    with db.session() as s:
        create_user(s, "boris", PW, actor="test")
    with db.session() as s, pytest.raises(LoginThrottled):
        authenticate(s, "boris", PW, "10.0.0.1")
    with db.session() as s:
        assert authenticate(s, "boris", PW, "10.0.0.3") is not None


def test_api_tokens(db: Database) -> None:
    with db.session() as s:
        create_user(s, "bot", PW, Role.EDITOR, actor="test")
        row, secret = create_token(s, "bot", "nightly import", actor="test")
        token_id = row.id
    with db.session() as s:
        account = account_for_token(s, secret)
        assert account is not None and account.username == "bot"
        assert account_for_token(s, secret + "x") is None
        assert account_for_token(s, "not-a-token") is None
    with db.session() as s:
        revoke_token(s, token_id, actor="test")
    with db.session() as s:
        assert account_for_token(s, secret) is None
