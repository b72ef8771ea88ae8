"""Accounts: argon2 hashes, roles, throttled logins, API tokens — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from prisonwatch.model import Role
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, User
from prisonwatch.store.users import (
    UserError,
    account_for_token,
    create_token,
    create_user,
    login,
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
    account = login(db, "anna", PW)
    assert account is not None and account.role is Role.ADMIN
    assert login(db, "ANNA", PW) is not None  # usernames are case-insensitive
    assert login(db, "anna", PW + "x") is None
    assert login(db, "nobody", PW) is None
    with db.session() as s:
        set_disabled(s, "anna", True, actor="test")
    assert login(db, "anna", PW) is None


def test_api_tokens(db: Database) -> None:
    with db.session() as s:
        create_user(s, "bot", PW, Role.EDITOR, actor="test")
        row, secret = create_token(s, "bot", "nightly import", actor="test")
        token_id = row.id
    with db.session() as s:
        found = account_for_token(s, secret)
        assert found is not None and found[0].username == "bot"
        assert account_for_token(s, secret + "x") is None
        assert account_for_token(s, "not-a-token") is None
    with db.session() as s:
        revoke_token(s, token_id, actor="test")
    with db.session() as s:
        assert account_for_token(s, secret) is None
