"""Rendering pages: every template gets the reader, the CSRF token, the translation functions,
the language and script choice, and the navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from prisonwatch.validation import is_web_url
from prisonwatch.web.context import ctx
from prisonwatch.web.i18n import DEFAULT_SCRIPT, LANGUAGES, SCRIPTS, Locale, pick_language

TEMPLATES = Path(__file__).parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.autoescape = True
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    # defence in depth: only an http(s) URL is ever rendered as a link (`x is web_url`)
    templates.env.tests["web_url"] = is_web_url
    return templates


def locale_of(request: Request) -> Locale:
    lang = pick_language(request.session.get("lang"), request.headers.get("accept-language"))
    script = request.session.get("script")
    if script not in SCRIPTS:
        script = DEFAULT_SCRIPT[lang]
    return Locale(lang, str(script))


def _base_context(request: Request) -> dict[str, Any]:
    from prisonwatch.web.security import Reader, csrf_token

    loc = locale_of(request)
    reader = getattr(request.state, "reader", None) or Reader(None)
    app_ctx = ctx(request)
    return {
        "request": request,
        "reader": reader,
        "csrf_token": csrf_token(request),
        "_": loc.gettext,
        "ngettext": loc.ngettext,
        "lang": loc.lang,
        "script": loc.script,
        "languages": LANGUAGES,
        "public_mode": app_ctx.public,
        "extra_nav": app_ctx.extra_nav,
        "path": request.url.path,
        "query": str(request.url.query),
    }


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    context = _base_context(request)
    context.update(values)
    templates = ctx(request).templates
    return templates.TemplateResponse(request, template, context, status_code=status)


def render_error(
    request: Request,
    status: int,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    # query="" keeps the rejected input out of the page's links
    response = render(
        request,
        "error.html",
        status,
        status_code=status,
        message=message,
        query="",
        details=details if isinstance(details, list) else None,
    )
    if headers:
        response.headers.update(headers)
    return response
