"""`status --on`: held on a date over 100,000 people and 500,000 events, in SQL.

    .venv/bin/python benchmarks/registry_status.py [--people 100000] \
        [--events-per-person 5] [--backend sqlite|postgresql|both]

The registry is filled with bulk inserts (synthetic timelines: detention, recognition, sentence,
transfers, releases, re-arrests), then `held_on` — the exact query `prisonwatch status --on` runs,
breakdowns included — is timed for several dates (best and median of 5 runs each).
Target (issue 2): under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import temp_pg_database
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.custody import rebuild_all
from prisonwatch.store.db import Database
from prisonwatch.store.schema import Name, Organisation, Person, StatusEvent
from prisonwatch.store.status import held_on

REGIONS = [
    "Minsk",
    "Brest Region",
    "Hrodna Region",
    "Homiel Region",
    "Mahilioŭ Region",
    "Viciebsk Region",
]
DATES = [dt.date(2021, 6, 1), dt.date(2023, 1, 1), dt.date(2025, 9, 11), dt.date(2026, 11, 1)]


def fill(db: Database, people: int, per_person: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    n_events = 0
    with db.session() as s:
        (org_id,) = bulk_insert(s, Organisation.__table__, [{"name": "Bench Org"}], return_ids=True)  # type: ignore[arg-type]
        for start in range(0, people, 20_000):
            count = min(20_000, people - start)
            pids = bulk_insert(
                s,
                Person.__table__,  # type: ignore[arg-type]
                [
                    {
                        "region": rng.choice(REGIONS),
                        "gender": rng.choice(["male", "female"]),
                        "synthetic": True,
                    }
                    for _ in range(count)
                ],
                return_ids=True,
            )
            # one public name each: a person without a public name is hidden and counts
            # nowhere public (prisonwatch.store.visibility)
            bulk_insert(
                s,
                Name.__table__,  # type: ignore[arg-type]
                [
                    {
                        "person_id": pid,
                        "full_text": f"Person {pid}",
                        "script": "latin",
                        "kind": "official",
                        "is_primary": True,
                        "visibility": "public",
                    }
                    for pid in pids
                ],
            )
            events = []
            for pid in pids:
                day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
                kinds = [
                    "detained",
                    "recognised",
                    "sentenced",
                    "transferred",
                    "released_end_of_term",
                    "re_arrested",
                    "pardoned",
                    "transferred",
                    "expelled_abroad",
                ]
                for k in range(per_person):
                    kind = kinds[k % len(kinds)]
                    events.append(
                        {
                            "person_id": pid,
                            "kind": kind,
                            "date_start": day,
                            "date_precision": rng.choice([3, 3, 3, 2, 1]),
                            "date_approx": False,
                            "organisation_id": org_id if kind == "recognised" else None,
                            "destination_country": "Lithuania"
                            if kind == "expelled_abroad"
                            else None,
                            "visibility": "public",
                        }
                    )
                    day += dt.timedelta(days=rng.randint(10, 400))
            bulk_insert(s, StatusEvent.__table__, events)  # type: ignore[arg-type]
            n_events += len(events)
        t0 = time.perf_counter()
        rows = rebuild_all(s)  # the derived custody_change table, as after any bulk load
        print(f"custody_change rebuilt: {rows:,} rows in {time.perf_counter() - t0:.1f} s")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return n_events


def measure(db: Database, label: str) -> None:
    for day in DATES:
        runs = []
        held = 0
        for _ in range(5):
            with db.session() as s:
                t0 = time.perf_counter()
                held = held_on(s, day).held
                runs.append(time.perf_counter() - t0)
        with db.session() as s:
            t0 = time.perf_counter()
            only = held_on(s, day, recognised_by="Bench Org").held
            rec = time.perf_counter() - t0
        print(
            f"{label:11} {day}  held {held:7,}  best {min(runs) * 1000:7.0f} ms  "
            f"median {statistics.median(runs) * 1000:7.0f} ms   "
            f"--recognised-by: {only:7,} in {rec * 1000:5.0f} ms   (target < 1000 ms)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--events-per-person", type=int, default=5)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'status.db'}")
            db.migrate()
            n = fill(db, args.people, args.events_per_person)
            print(f"SQLite: {args.people:,} people, {n:,} events")
            measure(db, "SQLite")
            db.dispose()
    if args.backend in ("postgresql", "both"):
        with temp_pg_database() as url:
            db = Database(url)
            db.migrate()
            n = fill(db, args.people, args.events_per_person)
            print(f"PostgreSQL: {args.people:,} people, {n:,} events")
            measure(db, "PostgreSQL")
            db.dispose()


if __name__ == "__main__":
    main()
