"""Behind a reverse proxy: the client's address and scheme, trusted only from configured
proxies, and the session cookie marked ``Secure`` when the reader came over HTTPS.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are read only when the TCP peer is one of the
trusted proxies (``PRISONWATCH_TRUSTED_PROXIES``, addresses or networks, comma-separated; none
by default). Anyone else could write these headers, fake the address stored with a login
attempt and escape the per-client login limits. The client is the right-most address in
``X-Forwarded-For`` that is not itself a trusted proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """``["10.0.0.1", "192.168.0.0/16"]`` → networks; raises ValueError naming a bad entry."""
    out: list[Network] = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            out.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"trusted proxy {value!r} is not an IP address or network") from None
    return out


def _trusted(host: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in net for net in networks)


class TrustedProxies:
    """Rewrites ``scope["client"]`` and ``scope["scheme"]`` from a trusted proxy's headers."""

    def __init__(self, app: ASGIApp, networks: list[Network]) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            client = scope.get("client")
            if client and _trusted(client[0], self.networks):
                headers = dict(scope.get("headers") or [])
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                hops = [h.strip() for h in forwarded.split(",") if h.strip()]
                real = None
                for hop in reversed(hops):
                    real = hop
                    if not _trusted(hop, self.networks):
                        break
                scope = dict(scope)
                if real:
                    try:
                        ipaddress.ip_address(real)
                        scope["client"] = (real, 0)
                    except ValueError:
                        pass  # not an address: keep the peer
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


class SecureCookieOverHttps:
    """Adds ``Secure`` to the cookies set in answers to HTTPS requests (directly or, per
    :class:`TrustedProxies`, through a trusted proxy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        if "secure" not in [p.strip().lower() for p in cookie.split(";")]:
                            cookie += "; secure"
                        headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_secure)
