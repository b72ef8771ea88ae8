"""`prisonwatch serve --workers 2`: real worker processes over a real SQLite file, over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from webhelpers import free_port

from prisonwatch.store.db import Database
from prisonwatch.web.workers import bound_socket, own_sockets_supported

CLI = str(Path(sys.executable).with_name("prisonwatch"))


def _listeners(port: int) -> int:
    """Listening TCP sockets on ``port`` (Linux: /proc/net/tcp, state 0A)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            count += 1
    return count


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    Database(url).migrate()
    port = free_port()
    env = {**os.environ, "PRISONWATCH_INDEX_CACHE": "off"}
    env.pop("PRISONWATCH_SECRET_KEY", None)
    proc = subprocess.Popen(
        [CLI, "serve", "--db", url, "--port", str(port), "--workers", "2", "--public"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                proc.kill()
                pytest.fail(f"serve --workers 2 did not start: {out}")
            time.sleep(0.3)
    yield port, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


@pytest.mark.skipif(not own_sockets_supported(), reason="SO_REUSEPORT balancing is Linux's")
def test_each_worker_listens_on_its_own_socket(
    served: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, _proc = served
    deadline = time.monotonic() + 30
    while _listeners(port) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # the second worker may still be starting
    assert _listeners(port) == 2
    for _ in range(10):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=x", timeout=10) as r:
            assert r.status == 200 and json.loads(r.read())["items"] == []


@pytest.mark.skipif(not own_sockets_supported(), reason="SO_REUSEPORT balancing is Linux's")
def test_a_second_server_on_the_same_port_is_refused(
    served: tuple[int, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """Not silently sharing the port (and its visitors) with the first one."""
    port, _proc = served
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    Database(url).migrate()
    res = subprocess.run(
        [CLI, "serve", "--db", url, "--port", str(port), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in res.stdout + res.stderr
    with pytest.raises(OSError):
        bound_socket("127.0.0.1", port, shared=False)


def test_sigterm_stops_every_worker(served: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, proc = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
