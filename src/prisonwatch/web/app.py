"""The app factory: ``create_app(db)`` builds the whole web app — HTML pages, the JSON API under
``/api/v1``, sessions, security headers and the name search index."""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prisonwatch import __version__
from prisonwatch.config import ServeSettings, index_cache_dir, trusted_proxies_from_env
from prisonwatch.config import secret_key as config_secret_key
from prisonwatch.name_search import NameSearch
from prisonwatch.store.db import Database
from prisonwatch.web import errors
from prisonwatch.web.context import AppContext
from prisonwatch.web.limits import ApiBodyLimit
from prisonwatch.web.proxy import SecureCookieOverHttps, TrustedProxies, parse_networks
from prisonwatch.web.render import make_templates

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "pw_session"
SESSION_MAX_AGE = 12 * 3600

#: Nothing is loaded from outside: scripts, styles, images, fonts and form targets are ours.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    """Adds the security and cache headers to every HTTP response.

    A plain ASGI middleware: ``@app.middleware("http")`` (Starlette's ``BaseHTTPMiddleware``)
    cost 1-2 ms of CPU per request, a tenth of a people-list page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if static:
                    headers["Cache-Control"] = "public, max-age=86400"
                else:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _optional_routers(app: FastAPI, nav: list[tuple[str, str]]) -> None:
    """Routers other areas add to the web app (``prisonwatch.web.changes``: the statistics
    pages; ``prisonwatch.web.deals``: deals; ``prisonwatch.web.claims``: claims from news;
    ``prisonwatch.web.sanctions``: sanctions lists; ``prisonwatch.web.officials``: officials
    and their screening; ``prisonwatch.web.letters*``: letters to prisoners). Each module
    exposes ``router`` and may
    expose ``NAV = (path, label)``."""
    for module_name in (
        "prisonwatch.web.changes",
        "prisonwatch.web.sanctions",
        "prisonwatch.web.sanctions_import",
        "prisonwatch.web.deals",
        "prisonwatch.web.claims",
        "prisonwatch.web.officials",
        "prisonwatch.web.letters",
        "prisonwatch.web.letters_feeds",
        "prisonwatch.web.letters_api",
        "prisonwatch.web.letters_editors",
    ):
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        app.include_router(module.router)
        if hasattr(module, "NAV"):
            nav.append(tuple(module.NAV))


def create_app(
    db: Database,
    *,
    public: bool = False,
    secret_key: str | None = None,
    secure_cookies: bool | None = None,
    trusted_proxies: list[str] | None = None,
    build_index_in_background: bool = False,
) -> FastAPI:
    """The web app over ``db``.

    ``public``: anonymous readers get a read-only view of public facts (off by default: every
    page needs an account). ``secret_key`` signs session cookies; without it (and without
    ``PRISONWATCH_SECRET_KEY``) a random key is used and sessions end when the server stops.
    ``secure_cookies`` (default from ``PRISONWATCH_SECURE_COOKIES=1``) sends the session cookie
    over HTTPS only; without it the cookie is still ``Secure`` on requests that came over HTTPS.
    ``trusted_proxies`` (default from ``PRISONWATCH_TRUSTED_PROXIES``): addresses or networks
    whose ``X-Forwarded-For``/``X-Forwarded-Proto`` are believed (none by default).
    """
    from prisonwatch.web import convertors

    convertors.register()  # before the routers that use {…:row_id}
    from prisonwatch.web import api, routes_auth, routes_edit, routes_lists, routes_pages

    key = config_secret_key(secret_key)
    if secure_cookies is None:
        secure_cookies = os.environ.get("PRISONWATCH_SECURE_COOKIES", "") in ("1", "true", "yes")
    proxies = parse_networks(
        trusted_proxies if trusted_proxies is not None else trusted_proxies_from_env()
    )

    app = FastAPI(
        title="PrisonWatch",
        version=__version__,
        description="Registry of political prisoners: people, names across scripts, events, "
        "audit trail and list reconciliation. Errors always have the shape "
        '{"error": {"code", "message", "details"}}.',
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN
        redoc_url=None,
    )
    search = NameSearch(db, cache_dir=index_cache_dir())
    nav: list[tuple[str, str]] = []
    app.state.ctx = AppContext(
        db=db, public=public, templates=make_templates(), search=search, extra_nav=nav
    )
    errors.install(app)
    app.add_middleware(ApiBodyLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(SecureCookieOverHttps)
    app.add_middleware(TrustedProxies, networks=proxies)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_edit.router)
    app.include_router(routes_lists.router)
    app.include_router(api.router)
    _optional_routers(app, nav)
    search.start(background=build_index_in_background)
    return app


def app_from_settings(settings: ServeSettings) -> FastAPI:
    """The app of one worker process of ``serve --workers N`` (:mod:`prisonwatch.web.workers`),
    from the settings the command passed to every worker (one secret key for all)."""
    return create_app(
        Database(settings.db_url),
        public=settings.public,
        secret_key=settings.secret_key,
        build_index_in_background=True,
    )
