"""Tables of web sign-in: server-side sessions and login-throttle counters, plus the rule that
usernames are unique regardless of case.

* ``web_session``: one row per logged-in browser. The cookie carries a random session id; the
  row holds its SHA-256. Logging out deletes the row; a password change, a role change or
  disabling the account deletes all rows of the user, so a copied cookie is dead.
* ``login_throttle``: failure counters per (account, client), per client and per account (see
  ``prisonwatch.store.throttle``), updated atomically so parallel attempts cannot overrun them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, User, utcnow


class WebSession(Base):
    __tablename__ = "web_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    next_allowed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


#: "Anna" and "anna" are the same user
USERNAME_CI_INDEX = Index("uq_app_user_username_ci", func.lower(User.username), unique=True)
