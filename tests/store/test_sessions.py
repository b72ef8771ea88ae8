"""Server-side sessions end on logout, password change, role change and disabling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from prisonwatch.store.db import Database
from prisonwatch.store.sessions import end_session, session_user, start_session
from prisonwatch.store.users import create_user, set_disabled, set_password, set_role

PW = "correct horse battery"

ENDINGS: dict[str, Callable[[Session, str], object]] = {
    "logout": lambda s, sid: end_session(s, sid),
    "password": lambda s, sid: set_password(s, "anna", PW + "!", actor="test"),
    "role": lambda s, sid: set_role(s, "anna", "editor", actor="test"),
    "disabled": lambda s, sid: set_disabled(s, "anna", True, actor="test"),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_session_ends(db: Database, ending: str) -> None:
    with db.session() as s:
        uid = create_user(s, "anna", PW, "viewer", actor="test").id
        sid = start_session(s, uid)
        other = start_session(s, uid)
    with db.session() as s:
        assert session_user(s, uid, sid) is not None
        assert session_user(s, uid + 1, sid) is None  # another user's id with this cookie
        assert session_user(s, uid, sid + "x") is None
    with db.session() as s:
        ENDINGS[ending](s, sid)
    with db.session() as s:
        assert session_user(s, uid, sid) is None
        # logout ends this session only; the account changes end all of them
        assert (session_user(s, uid, other) is not None) == (ending == "logout")
