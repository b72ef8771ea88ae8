"""A size limit on JSON API request bodies: more than :data:`MAX_API_BODY` bytes is answered
413 in the API's error shape before any handler runs (declared ``Content-Length`` or counted
while a chunked body arrives). Uploads of lists go through the HTML form routes, which have
their own limit."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from prisonwatch.web.errors import error_body

#: the largest JSON API request body, in bytes (1 MB: a person with every name and case is
#: a few kilobytes)
MAX_API_BODY = 1_000_000


class ApiBodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_API_BODY) -> None:
        self.app = app
        self.limit = limit

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            error_body("too_large", f"the request body is larger than {self.limit:,} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.limit
            except ValueError:
                too_large = True
            if too_large:
                await self._too_large(send)
                return
        # Read the body (at most limit + one chunk), then replay it to the app.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._too_large(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)
