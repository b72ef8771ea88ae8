"""Parallel writers against the real web server, on SQLite and PostgreSQL: ``--clients``
threads each POST ``--requests`` events over HTTP (uvicorn on 127.0.0.1), half of them on one
shared person (the contended case: every write locks that person's row) and half spread over
``--people`` people; meanwhile ``--readers`` threads read with an API token. Prints per backend
the errors (target: 0 — no 500s, no 503s), and p50/p99/max latency of writes and reads.

    .venv/bin/python benchmarks/concurrent_writes.py --clients 10 --requests 30

Needs PostgreSQL at 127.0.0.1:5432 (``PRISONWATCH_TEST_PG``); a throw-away database is
created and dropped. Only 127.0.0.1 is targeted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).parent))
from _pg import temp_pg_database
from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.users import create_token, create_user
from prisonwatch.web.app import create_app


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(db: Database) -> Iterator[str]:
    port = _port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(db, secret_key="bench"),
            host="127.0.0.1",
            port=port,
            log_level="error",
            proxy_headers=False,
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(url: str, clients: int, requests: int, people: int, readers: int) -> dict[str, object]:
    db = Database(url)
    db.migrate()
    with db.session() as s:
        create_user(s, "bench", "bench password 123", "editor", actor="bench")
        _, secret = create_token(s, "bench", "bench", actor="bench")
        reg = Registry(s, "bench")
        ids = [
            reg.add_person(PersonInput(names=[NameInput(f"Асоба {n} Тэставая")])).id
            for n in range(people)
        ]
    headers = {"Authorization": f"Bearer {secret}"}
    write_ms: list[float] = []
    read_ms: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def record(code: int, took: float, into: list[float], ok: int) -> None:
        with lock:
            into.append(took)
            if code != ok:
                errors[code] = errors.get(code, 0) + 1

    with serve(db) as base:

        def writer(n: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                for i in range(requests):
                    pid = ids[0] if i % 2 == 0 else ids[(n * requests + i) % len(ids)]
                    start = time.perf_counter()
                    resp = client.post(
                        f"/api/v1/people/{pid}/events",
                        json={
                            "kind": "transferred",
                            "date": f"2024-{i % 12 + 1:02d}-{n % 28 + 1:02d}",
                        },
                    )
                    record(resp.status_code, time.perf_counter() - start, write_ms, 201)

        def reader(_: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                while not stop.is_set():
                    start = time.perf_counter()
                    resp = client.get(f"/api/v1/people/{ids[0]}")
                    record(resp.status_code, time.perf_counter() - start, read_ms, 200)

        started = time.perf_counter()
        with ThreadPoolExecutor(clients + readers) as pool:
            reading = [pool.submit(reader, r) for r in range(readers)]
            list(pool.map(writer, range(clients)))
            stop.set()
            for f in reading:
                f.result()
        wall = time.perf_counter() - started
    db.dispose()
    return {
        "writes": len(write_ms),
        "reads": len(read_ms),
        "errors": errors,
        "wall_s": wall,
        "write_p50": _pct(write_ms, 0.5),
        "write_p99": _pct(write_ms, 0.99),
        "write_max": max(write_ms) * 1000 if write_ms else float("nan"),
        "read_p50": _pct(read_ms, 0.5),
        "read_p99": _pct(read_ms, 0.99),
        "writes_per_s": len(write_ms) / wall if wall else 0.0,
        "mean_write": statistics.fmean(write_ms) * 1000 if write_ms else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=10, help="parallel writers")
    ap.add_argument("--requests", type=int, default=30, help="writes per writer")
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--readers", type=int, default=2, help="parallel token readers")
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    print(
        f"{args.clients} writers x {args.requests} POST /api/v1/people/ID/events "
        f"(half on one person), {args.readers} token readers"
    )
    print(
        f"{'backend':<11} {'writes':>6} {'errors':>8} {'w/s':>6} {'write p50':>9} "
        f"{'p99':>7} {'max':>7} {'reads':>6} {'read p50':>8} {'p99':>7}  (ms)"
    )
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                r = run(
                    f"sqlite:///{tmp}/bench.db",
                    args.clients,
                    args.requests,
                    args.people,
                    args.readers,
                )
        else:
            with temp_pg_database("pw_bench_conc") as url:
                r = run(url, args.clients, args.requests, args.people, args.readers)
        errors = r["errors"]
        errs = sum(errors.values()) if isinstance(errors, dict) else 0
        print(
            f"{backend:<11} {r['writes']:>6} {errs:>8} {r['writes_per_s']:>6.1f} "
            f"{r['write_p50']:>9.0f} {r['write_p99']:>7.0f} {r['write_max']:>7.0f} "
            f"{r['reads']:>6} {r['read_p50']:>8.0f} {r['read_p99']:>7.0f}"
            + (f"  errors by status: {r['errors']}" if errs else "")
        )


if __name__ == "__main__":
    main()
