"""Speed of the "has anything changed?" queries on a synthetic registry of ~1,000,000 events.

    .venv/bin/python benchmarks/stats_speed.py                 # both backends
    .venv/bin/python benchmarks/stats_speed.py --backend sqlite --events 200000

Builds the registry once per backend (SQLite file under /tmp; PostgreSQL database
``pw_bench_stats_cc_<events>`` on PRISONWATCH_TEST_PG's server), bulk-loaded through
``prisonwatch.store.bulk`` (Core executemany on SQLite, COPY on PostgreSQL) and the derived
``custody_change`` table rebuilt with ``rebuild_all``, then times (median of several runs, warm
cache; wall time and this process's CPU time):

* the monthly series 2020-01..2026-12 with outflow by kind (target < 1 s);
* the period comparison "12 months before vs after 2025-09-11" (target < 300 ms);
* a yearly series broken down by region, and refreshing one person's changes, for reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from prisonwatch.stats import Dimension, Period, Unit, around, compare, series
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.custody import rebuild_all, refresh_people
from prisonwatch.store.db import Database
from prisonwatch.store.schema import Organisation, Person, StatusEvent

PG_ADMIN = os.environ.get(
    "PRISONWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
START = dt.date(2020, 1, 1)
REGIONS = ["Minsk", "Minsk region", "Brest", "Homel", "Hrodna", "Mahilyou", "Vitsebsk"]
OUT_KINDS = ["released_end_of_term"] * 6 + ["pardoned"] * 2 + ["expelled_abroad", "released_other"]


Rows = tuple[list[dict[str, object]], list[tuple[object, ...]]]


def people_events(n_events: int, seed: int = 7) -> Rows:
    """People and their events (person_id, kind, date_start, precision, org, visibility)."""
    rng = random.Random(seed)
    people: list[dict[str, object]] = []
    events: list[tuple[object, ...]] = []
    pid = 0
    while len(events) < n_events:
        pid += 1
        people.append(
            {
                "id": pid,
                "region": rng.choice(REGIONS),
                "gender": rng.choice(["male", "male", "female"]),
                "synthetic": True,
            }
        )
        day = START + dt.timedelta(days=rng.randrange(0, 6 * 365))
        vis = "private" if rng.random() < 0.03 else "public"
        events.append((pid, "detained", day, rng.choice([2, 3, 3, 3]), None, vis))
        events.append(
            (pid, "recognised", day + dt.timedelta(days=rng.randrange(10, 90)), 3, 1, "public")
        )
        events.append(
            (pid, "sentenced", day + dt.timedelta(days=rng.randrange(30, 200)), 3, None, "public")
        )
        if rng.random() < 0.6:
            out = day + dt.timedelta(days=rng.randrange(180, 1800))
            kind = "died_in_custody" if rng.random() < 0.01 else rng.choice(OUT_KINDS)
            events.append((pid, kind, out, 3, None, "public"))
            if rng.random() < 0.15:
                events.append(
                    (
                        pid,
                        "re_arrested",
                        out + dt.timedelta(days=rng.randrange(30, 400)),
                        3,
                        None,
                        "public",
                    )
                )
    return people, events


def batched(rows: list[tuple[object, ...]], size: int) -> Iterator[list[tuple[object, ...]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


EVENT_KEYS = ("person_id", "kind", "date_start", "date_precision", "organisation_id", "visibility")


def load(db: Database, n_events: int) -> int:
    """The bulk path of imports (COPY on PostgreSQL, executemany on SQLite), then the derived
    ``custody_change`` table rebuilt in set-based SQL, as after any bulk load."""
    people, events = people_events(n_events)
    now = dt.datetime(2026, 1, 1)
    with db.session() as s:
        bulk_insert(s, _t(Organisation), [{"id": 1, "name": "Viasna"}])
        bulk_insert(s, _t(Person), people)
        for chunk in batched(events, 100_000):
            rows = [
                {**dict(zip(EVENT_KEYS, e, strict=True)), "date_approx": False, "created_at": now}
                for e in chunk
            ]
            bulk_insert(s, _t(StatusEvent), rows)
        if db.backend == "postgresql":
            for table in ("person", "organisation"):
                s.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
        t, c = time.perf_counter(), time.process_time()
        n = rebuild_all(s)
        print(
            f"  rebuild_all: {n:,} custody_change rows in {time.perf_counter() - t:.1f} s wall"
            f" ({time.process_time() - c:.1f} s cpu in this process)"
        )
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return len(events)


def _t(entity: type[Any]) -> Table:
    table: Table = entity.__table__
    return table


def server_cpu(session: Session) -> float:
    """CPU seconds used so far by this session's PostgreSQL backend process, read from
    /proc when the server runs on this machine (NaN otherwise); 0 on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return 0.0
    pid = session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Query = Callable[[Session], object]


def timed(db: Database, fn: Query, runs: int) -> tuple[float, float, float]:
    """Median wall time, CPU time of this process (SQLite runs in-process, so this is the
    query's) and CPU time of the PostgreSQL backend serving the query (clock ticks of 10 ms)."""
    walls, cpus, servers = [], [], []
    for i in range(runs + 1):
        with db.sessionmaker() as s:
            srv = server_cpu(s)
            t, c = time.perf_counter(), time.process_time()
            fn(s)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            srv = server_cpu(s) - srv
            s.rollback()
        if i:  # the first run warms the caches
            walls.append(wall)
            cpus.append(cpu)
            servers.append(srv)
    return statistics.median(walls), statistics.median(cpus), statistics.median(servers)


def open_backend(backend: str, n_events: int, rebuild: bool) -> Database:
    if backend == "sqlite":
        path = Path(f"/tmp/pw_bench_stats_cc_{n_events}.db")
        if rebuild and path.exists():
            path.unlink()
        fresh = not path.exists()
        db = Database(f"sqlite:///{path}")
    else:
        name = f"pw_bench_stats_cc_{n_events}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"), {"n": name})
            fresh = exists.first() is None or rebuild
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        db = Database(make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False))
    if fresh:
        db.migrate()
        t = time.perf_counter()
        n = load(db, n_events)
        print(f"  loaded {n:,} events in {time.perf_counter() - t:.1f} s")
    return db


#: An index in the order of the window functions (person, date, precision, id) that also covers
#: the columns they read, so neither backend has to sort. Not in the schema: ``--with-index``
#: creates it on the benchmark database only, to measure what it would bring.
TIMELINE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_bench_status_event_timeline ON status_event "
    "(person_id, date_start, date_precision, id, kind, visibility, organisation_id)"
)


def bench(backend: str, n_events: int, runs: int, rebuild: bool, with_index: bool) -> None:
    print(f"{backend}{' (with timeline index)' if with_index else ''}:")
    db = open_backend(backend, n_events, rebuild)
    with db.engine.begin() as conn:
        if with_index:
            conn.execute(text(TIMELINE_INDEX))
        else:
            conn.execute(text("DROP INDEX IF EXISTS ix_bench_status_event_timeline"))
        conn.execute(text("ANALYZE"))
    if backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # as autovacuum would: sets the visibility map, so the statistics read
            # custody_change with index-only scans
            conn.execute(text("VACUUM ANALYZE"))
    with db.session() as s:
        n = s.scalar(text("SELECT count(*) FROM status_event"))
    print(f"  {n:,} events")
    monthly = Period(dt.date(2020, 1, 1), dt.date(2026, 12, 31))
    before, after = around(dt.date(2025, 9, 11), "12 months")

    def run_series(s: Session) -> object:
        return series(s, monthly, Unit.MONTH)

    def run_compare(s: Session) -> object:
        return compare(s, before, after)

    def run_series_custody(s: Session) -> object:
        return series(s, monthly, Unit.MONTH, recognition=False)

    def run_compare_custody(s: Session) -> object:
        return compare(s, before, after, recognition=False)

    def run_refresh(s: Session) -> object:
        # the write path: one person's rows recomputed (as Registry.add_event does); the
        # session is rolled back by timed()
        refresh_people(s, [4242])
        return None

    def run_regions(s: Session) -> object:
        return series(s, monthly, Unit.YEAR, dimension=Dimension.REGION)

    pg = backend == "postgresql"
    print(f"  {'':<45} {'wall':>8} {'client cpu':>11}{' server cpu' if pg else ''}")
    for label, fn, target in (
        ("monthly series 2020-2026, outflow by kind", run_series, 1.0),
        ("  the same without recognition flows", run_series_custody, 1.0),
        ("compare 12 months before/after 2025-09-11", run_compare, 0.3),
        ("  the same without recognition flows", run_compare_custody, 0.3),
        ("yearly series by region", run_regions, None),
        ("refresh_people, one person (write path)", run_refresh, None),
    ):
        secs, cpu, srv = timed(db, fn, runs)
        verdict = ""
        if target is not None:
            verdict = "  OK" if secs < target else f"  SLOWER than {target} s"
        server = f" {srv * 1000:8.0f} ms" if pg else ""
        print(f"  {label:<45} {secs * 1000:5.0f} ms {cpu * 1000:8.0f} ms{server}{verdict}")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true", help="Reload the data even if present.")
    ap.add_argument("--with-index", action="store_true", help="Add the timeline index first.")
    args = ap.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        bench(backend, args.events, args.runs, args.rebuild, args.with_index)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
