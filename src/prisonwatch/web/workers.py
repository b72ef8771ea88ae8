"""Serving on several worker processes, each with its own listening socket.

uvicorn's ``--workers`` shares one listening socket between the workers. A worker woken by a
new connection accepts every connection waiting at that moment, so clients that connect at
once — a reverse proxy opening its pool of keep-alive connections, or a load tool — can all end
up in the one worker that woke first, where their requests queue behind each other while the
other workers idle (seen here: all 20 of wrk's connections in one of four workers, a third of
the throughput). On Linux each worker here listens on a socket of its own bound with
``SO_REUSEPORT``, and the kernel spreads new connections over the workers' sockets by a hash of
the client's address and port. uvicorn's supervisor is kept as it is (health checks, restarting
a worker that dies, signals); only its worker class is replaced, for this process alone.

Elsewhere (no ``SO_REUSEPORT`` load balancing: macOS, Windows) uvicorn's shared socket is used.
"""

from __future__ import annotations

import functools
import socket
import sys

import uvicorn
from uvicorn.supervisors import multiprocess

from prisonwatch.config import ServeSettings
from prisonwatch.web.app import app_from_settings

#: Seconds a worker may take to answer the supervisor's health check before it is killed as
#: hung and started again. uvicorn's 5 s is too short here: loading a big saved name index
#: holds the interpreter for longer stretches than that (unpickling its word lists), and the
#: workers of a registry of a million names were killed and restarted in a loop at start-up.
HEALTHCHECK_TIMEOUT = 120


def own_sockets_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    """A socket bound to ``host:port``; ``shared``: other workers' sockets may bind it too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _OwnSocketProcess(multiprocess.Process):
    """A uvicorn worker that listens on a socket of its own (see the module docstring)."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:
        # runs in the worker process (covered by the test that serves on two workers)
        own = bound_socket(self.config.host, self.config.port, shared=True)
        super().target([own])


def serve_workers(host: str, port: int, workers: int, settings: ServeSettings) -> None:
    """Serve :func:`~prisonwatch.web.app.app_from_settings` on ``workers`` processes until
    interrupted; each worker gets ``settings`` (pickled with uvicorn's configuration, not
    through the environment). Raises :class:`OSError` when the address cannot be used."""
    config = uvicorn.Config(
        functools.partial(app_from_settings, settings),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        timeout_worker_healthcheck=HEALTHCHECK_TIMEOUT,
        timeout_graceful_shutdown=10,
    )
    sockets: list[socket.socket] = []
    if own_sockets_supported():
        # Fail here if anything holds the port — another server, or another PrisonWatch whose
        # workers would otherwise share it with ours (a bind without SO_REUSEPORT fails
        # against any listener). A worker that failed to bind would be restarted over and over.
        bound_socket(host, port, shared=False).close()
        multiprocess.Process = _OwnSocketProcess  # type: ignore[misc]
    else:
        sockets = [config.bind_socket()]  # uvicorn's shared socket, as `uvicorn --workers`
    multiprocess.Multiprocess(config, sockets=sockets).run()
