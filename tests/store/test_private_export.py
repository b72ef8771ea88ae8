"""The export rule (store/private_export.py): private fields leave in a file only for an
active admin who asks; asking without being one is refused, not narrowed."""

from __future__ import annotations

import pytest

from prisonwatch.model import Role
from prisonwatch.store.db import Database
from prisonwatch.store.private_export import (
    PrivateExportRefused,
    active_role,
    export_scope,
    may_export_private,
)
from prisonwatch.store.users import create_user, set_disabled


@pytest.mark.parametrize(
    ("role", "private", "expected"),
    [
        (Role.ADMIN, True, True),
        (Role.ADMIN, False, False),
        (Role.EDITOR, False, False),
        (Role.EDITOR, True, PrivateExportRefused),
        (Role.VIEWER, True, PrivateExportRefused),
        (None, True, PrivateExportRefused),
        (None, False, False),
    ],
)
def test_export_scope(role: Role | None, private: bool, expected: object) -> None:
    assert may_export_private(role) is (role is Role.ADMIN)
    if expected is PrivateExportRefused:
        with pytest.raises(PrivateExportRefused, match="only admins may export private fields"):
            export_scope(role, "who", private=private)
    else:
        assert export_scope(role, "who", private=private) is expected


def test_active_role_of_a_cli_user(db: Database) -> None:
    with db.session() as s:
        create_user(s, "Anna", "a-long-password-1", "admin", actor="test")
        create_user(s, "gone", "a-long-password-1", "admin", actor="test")
        set_disabled(s, "gone", True, actor="test")
    with db.session() as s:
        assert active_role(s, "anna") is Role.ADMIN
        assert active_role(s, "gone") is None  # a disabled admin is no admin
        assert active_role(s, "nobody") is None
