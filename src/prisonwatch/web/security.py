"""Who is asking and what they may do: session cookies, API tokens, roles and CSRF tokens.

* Anonymous readers get nothing unless the app runs with ``public=True``; then they get a
  read-only view of public facts.
* Viewer accounts (a journalist, a partner organisation) read the public registry only, as a
  public reader would, plus the audit trail of public entries, redacted. Editors and admins see
  private facts (:attr:`Reader.include_private`) and write; only admins see the audit trail
  unredacted.
* Every HTML form carries the session's CSRF token (``csrf_token`` field); a POST without it
  gets 403. API writes authenticated by the session cookie need the ``X-CSRF-Token`` header;
  API writes with a Bearer token need none (no cookie, no cross-site risk).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.model import Role
from prisonwatch.store.private_export import (
    PrivateExportRefused,
    export_scope,
    may_export_private,
)
from prisonwatch.store.sessions import session_user, start_session
from prisonwatch.store.users import Account, account_for_token, touch_token
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError, LoginRequired, is_api

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True, slots=True)
class Reader:
    """The person behind a request. ``account`` is None for an anonymous public reader."""

    account: Account | None
    via_token: bool = False

    @property
    def include_private(self) -> bool:
        """Private facts (relatives' contacts, internal notes, unverified reports) are for the
        people who maintain the registry: editors and admins. A viewer account (a journalist, a
        partner organisation) reads the public registry only."""
        return self.account is not None and self.account.role.can_edit()

    @property
    def can_edit(self) -> bool:
        return self.account is not None and self.account.role.can_edit()

    @property
    def is_admin(self) -> bool:
        return self.account is not None and self.account.role.is_admin()

    @property
    def may_export_private(self) -> bool:
        """Whether this reader's downloads may carry private fields (admins only:
        store/private_export.py, the rule the CLI's ``export --include-private`` obeys too)."""
        return may_export_private(self.account.role if self.account is not None else None)

    def export_scope(self, private: bool) -> bool:
        """``include_private`` for a download that asked for private fields or not; 403 when
        they are asked for by someone who is not an admin."""
        who = self.account.username if self.account is not None else "an anonymous reader"
        role = self.account.role if self.account is not None else None
        try:
            return export_scope(role, who, private=private)
        except PrivateExportRefused as exc:
            raise ApiError(403, str(exc)) from exc

    @property
    def actor(self) -> str:
        if self.account is None:
            raise ApiError(403, "anonymous readers cannot change anything")
        return f"web:{self.account.username}"


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with ctx(request).db.session() as session:
        yield session


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _check_csrf(request: Request, given: object) -> None:
    expected = request.session.get("csrf")
    if (
        not isinstance(expected, str)
        or not isinstance(given, str)
        or not hmac.compare_digest(expected.encode(), given.encode())
    ):
        raise ApiError(
            403, "the form has expired or did not come from this site: reload it", code="csrf"
        )


async def checked_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token (403 without a valid one)."""
    form = await request.form()
    _check_csrf(request, form.get(CSRF_FIELD))
    return form


def _account(
    request: Request, session: Session, background: BackgroundTasks
) -> tuple[Account | None, bool]:
    auth = request.headers.get("authorization", "")
    if is_api(request) and auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "Authorization must be 'Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        found = account_for_token(session, token.strip())
        if found is None:
            raise ApiError(
                401,
                "unknown, revoked or disabled API token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        account, touch = found
        if touch is not None:  # after the response, best effort: a read never writes
            background.add_task(touch_token, ctx(request).db, touch)
        return account, True
    uid, sid = request.session.get("uid"), request.session.get("sid")
    if isinstance(uid, int):
        user = session_user(session, uid, sid) if isinstance(sid, str) else None
        if user is None:  # logged out elsewhere, expired, revoked, disabled or deleted
            request.session.pop("uid", None)
            request.session.pop("sid", None)
            return None, False
        return Account.of(user), False
    return None, False


def reader(
    request: Request, background: BackgroundTasks, session: Session = Depends(db_session)
) -> Reader:
    """The reader of a page or API call; anonymous only when the app is public."""
    account, via_token = _account(request, session, background)
    if account is None and not ctx(request).public:
        raise LoginRequired()
    r = Reader(account, via_token)
    request.state.reader = r
    if (
        is_api(request)
        and account is not None
        and not via_token
        and request.method not in ("GET", "HEAD", "OPTIONS")
    ):
        _check_csrf(request, request.headers.get(CSRF_HEADER))
    return r


def optional_reader(
    request: Request, background: BackgroundTasks, session: Session = Depends(db_session)
) -> Reader:
    """Like :func:`reader` but never demands a login (the login page itself, language switch)."""
    account, via_token = _account(request, session, background)
    r = Reader(account, via_token)
    request.state.reader = r
    return r


def editor(r: Reader = Depends(reader)) -> Reader:
    if not r.can_edit:
        raise ApiError(403, "only editors and admins can change the registry")
    return r


def admin(r: Reader = Depends(reader)) -> Reader:
    if not r.is_admin:
        raise ApiError(403, "only admins can do this")
    return r


def login_session(request: Request, account: Account) -> None:
    """Start a logged-in session: a server-side session record (ended by logout, password or
    role change, disabling), a fresh CSRF token, the user's own language if set."""
    with ctx(request).db.session() as s:
        sid = start_session(s, account.id)
    lang = request.session.get("lang")
    script = request.session.get("script")
    request.session.clear()
    request.session["uid"] = account.id
    request.session["sid"] = sid
    request.session["csrf"] = secrets.token_urlsafe(32)
    if account.locale:
        request.session["lang"] = account.locale
    elif lang:
        request.session["lang"] = lang
    if script:
        request.session["script"] = script


ROLE_ORDER = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}
