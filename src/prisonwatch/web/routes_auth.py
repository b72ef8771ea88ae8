"""Logging in and out, and the reader's choice of language and script."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from prisonwatch.store.sessions import end_session
from prisonwatch.store.throttle import LoginThrottled
from prisonwatch.store.users import login as check_login
from prisonwatch.web.context import ctx
from prisonwatch.web.i18n import LANGUAGES, SCRIPTS
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, checked_form, login_session, optional_reader

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect a reader off the site after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.get("/login")
def login_page(
    request: Request, next: str | None = None, r: Reader = Depends(optional_reader)
) -> Response:
    return render(request, "login.html", next=safe_next(next), error=None, username="")


@router.post("/login")
def login(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(optional_reader)
) -> Response:
    username = str(form.get("username", ""))
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "/")))
    try:
        account = check_login(ctx(request).db, username, password, _client(request))
    except LoginThrottled as exc:
        response = render(
            request,
            "login.html",
            429,
            next=target,
            error="too many failed logins: try again in a few minutes",
            username=username,
        )
        response.headers["Retry-After"] = str(int(exc.retry_after.total_seconds()) + 1)
        return response
    if account is None:
        return render(
            request,
            "login.html",
            401,
            next=target,
            error="wrong username or password",
            username=username,
        )
    login_session(request, account)
    return RedirectResponse(target, 303)


@router.post("/logout")
def logout(request: Request, form: FormData = Depends(checked_form)) -> Response:
    """End the session on the server too: the cookie, even a copy of it, is dead."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        with ctx(request).db.session() as s:
            end_session(s, sid)
    lang, script = request.session.get("lang"), request.session.get("script")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    if script:
        request.session["script"] = script
    return RedirectResponse("/login" if not ctx(request).public else "/", 303)


@router.get("/prefs")
def preferences(
    request: Request, lang: str | None = None, script: str | None = None, next: str | None = None
) -> Response:
    """Plain links (no JavaScript) switch the interface language and the script of names."""
    if lang in LANGUAGES:
        request.session["lang"] = lang
    if script in SCRIPTS:
        request.session["script"] = script
    return RedirectResponse(safe_next(next), 303)
