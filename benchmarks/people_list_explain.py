"""Query plans and timings of the people list at scale, on PostgreSQL: the SQL that
``list_people`` sends for the page and the total, each run under ``EXPLAIN (ANALYZE, BUFFERS)``.

    .venv/bin/python benchmarks/people_list_explain.py --people 1000000
    .venv/bin/python benchmarks/people_list_explain.py --db postgresql+psycopg://…/registry

Without ``--db`` the registry is generated as for ``benchmarks/web_load.py`` (same generator,
COPY) in a throw-away database that is dropped at the end. Scenarios: the unfiltered list
sorted by name (pages 1 and 20) and ``status=held&region=Minsk`` (pages 1 and 3), as the public
reader ``/people`` serves; then the wall time of whole ``list_people`` calls (single client).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).parent))
from _pg import temp_pg_database
from prisonwatch.store.db import Database
from prisonwatch.store.people import PeopleFilter, list_people
from web_load import generate

SCENARIOS: list[tuple[str, PeopleFilter, int]] = [
    ("unfiltered, sort=name, page 1", PeopleFilter(), 1),
    ("unfiltered, sort=name, page 20", PeopleFilter(), 20),
    ("status=held&region=Minsk, page 1", PeopleFilter(status="held", region="Minsk"), 1),
    ("status=held&region=Minsk, page 3", PeopleFilter(status="held", region="Minsk"), 3),
]


@contextlib.contextmanager
def captured(db: Database) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, stmt: str, params: Any, _ctx: Any, _many: bool) -> None:
        statements.append((stmt, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)


def explain(db: Database) -> None:
    for label, flt, page in SCENARIOS:
        with db.session() as s, captured(db) as statements:
            list_people(s, flt, page=page, per_page=50)
        print(f"\n=== {label} ===")
        # the page's ids and the total; describe_people's look-ups of the 50 ids are small
        wanted = [
            (sql, params)
            for sql, params in statements
            if "person_tally" in sql
            or ("ORDER BY" in sql and "FROM person" in sql)
            or "status_valid_until <=" in sql
        ]
        with db.engine.connect() as conn:
            for sql, params in wanted:
                raw = conn.connection.driver_connection
                assert raw is not None
                with raw.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print("\n".join(r[0] for r in cur.fetchall()))
                print()


def timings(db: Database, runs: int) -> None:
    print(f"\n=== list_people wall time, public reader, {runs} runs each ===")
    for label, flt, page in SCENARIOS:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            with db.session() as s:
                list_people(s, flt, page=page, per_page=50)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{label}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")


def run(url: str, runs: int) -> None:
    db = Database(url)
    with db.engine.connect() as conn:
        n = conn.scalar(text("SELECT count(*) FROM person"))
        size = conn.scalar(text("SELECT pg_size_pretty(pg_total_relation_size('person'))"))
    print(f"{n:,} people; table person with its indexes: {size}")
    timings(db, runs)  # warms the cache too
    explain(db)
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--db", help="an existing PostgreSQL registry instead of a generated one")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    if args.db:
        run(args.db, args.runs)
        return
    with temp_pg_database("pw_listexplain") as url:
        Database(url).migrate()
        t0 = time.perf_counter()
        print(f"generating {args.people:,} people ...", flush=True)
        generate(url, args.people)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
        run(url, args.runs)


if __name__ == "__main__":
    main()
