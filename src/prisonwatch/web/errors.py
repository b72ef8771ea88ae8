"""One error shape for every error of the JSON API, and plain HTML error pages elsewhere.

API errors look like ``{"error": {"code": "not_found", "message": "...", "details": ...}}``.
Unexpected exceptions become a 500 whose body and log line carry only the exception type and an
incident id — never the message, which could quote private values.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prisonwatch.reconcile.errors import (
    ReviewConflict,
    ReviewError,
    ReviewInvalid,
    ReviewNotFound,
)
from prisonwatch.store.busy import RETRY_AFTER, is_busy

log = logging.getLogger("prisonwatch.web")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "internal_error",
    503: "busy",
}


class ApiError(Exception):
    """An error with an HTTP status, a stable code, a readable message and optional details."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def review_error(exc: ReviewError) -> ApiError:
    """The HTTP error for a review-queue action that cannot be done, chosen by its type."""
    if isinstance(exc, ReviewNotFound):
        return ApiError(404, str(exc))
    if isinstance(exc, ReviewConflict):
        return ApiError(409, str(exc))
    if isinstance(exc, ReviewInvalid):
        return ApiError(422, str(exc), code="invalid")
    return ApiError(409, str(exc))


class LoginRequired(Exception):
    """An anonymous reader asked for a page that needs an account."""


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json_safe(errors: Any) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        # The rejected input is not echoed back: it may be a private value.
        out.append({"field": ".".join(loc), "message": str(err.get("msg", ""))})
    return out


class Incidents:
    """Turns an unexpected exception into the 500 of ``handler`` (which logs the incident id
    and the exception type) and does *not* re-raise it. Starlette's own handler for
    ``Exception`` answers the 500 and then re-raises, and uvicorn logs the re-raised exception
    with its traceback and message — which can quote private values (a database error quotes
    the row it could not write). A plain ASGI middleware, inside the session middleware (the
    error page is rendered in the reader's language); installed by :func:`install` before the
    other middlewares."""

    def __init__(self, app: ASGIApp, handler: Callable[[Request, Exception], Response]) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            response = self.handler(Request(scope), exc)  # logs the incident either way
            if not started:  # a response under way (a streamed CSV) can only be cut short
                await response(scope, receive, send)


def install(app: FastAPI) -> None:
    from prisonwatch.web.render import render_error

    def respond(
        request: Request,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if is_api(request):
            return JSONResponse(error_body(code, message, details), status, headers=headers)
        return render_error(request, status, message, details, headers=headers)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if is_api(request):
            return JSONResponse(
                error_body("unauthorized", "log in or send an API token (Authorization: Bearer)"),
                401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = str(exc.detail) if exc.detail else code.replace("_", " ")
        return respond(request, exc.status_code, code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details = _json_safe(exc.errors())
        fields = ", ".join(d["field"] for d in details) or "request"
        return respond(request, 422, "invalid", f"invalid input: {fields}", details)

    def unexpected(request: Request, exc: Exception) -> Response:
        if is_busy(exc):  # another writer holds the lock: try again, never a 500
            log.warning("database busy on %s %s", request.method, request.url.path)
            return respond(
                request,
                503,
                "busy",
                "the registry is busy with another change: try again shortly",
                None,
                {"Retry-After": str(RETRY_AFTER)},
            )
        incident = secrets.token_hex(6)
        log.error(
            "incident %s: %s on %s %s",
            incident,
            type(exc).__name__,
            request.method,
            request.url.path,
        )
        return respond(
            request, 500, "internal_error", f"internal error (incident {incident})", None
        )

    app.add_middleware(Incidents, handler=unexpected)
