"""Migration 0009_letters on a big registry built at 0007: free-text facilities → records.

    .venv/bin/python benchmarks/letters_migration.py [--people 100000] [--facilities 300] \
        [--backend sqlite|postgresql|both]

A registry at revision 0007 gets ``--people`` people, one case each (facility text from
``--facilities`` distinct names, written in two spellings, with an address) and five events
each (one in five a transfer naming a facility), by plain SQL inserts; then the upgrade to
0009_letters is timed, and the facilities created and rows linked are counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from alembic import command
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    column,
    create_engine,
    insert,
    table,
    text,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import temp_pg_database
from prisonwatch.store.db import alembic_config


def _upgrade(url: str, target: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    engine.dispose()


def run(url: str, people: int, facilities: int) -> None:
    _upgrade(url, "0007")
    rng = random.Random(1)
    names = [f"ИК-{i} (bench), г. Город{i}" for i in range(facilities)]
    spelled = [n.lower().replace(",", "") for n in names]  # the same facility, another spelling
    person = table(
        "person",
        column("id", Integer),
        column("synthetic", Boolean),
        column("created_at", DateTime),
        column("updated_at", DateTime),
        column("version", Integer),
    )
    case = table(
        "case_file",
        column("person_id", Integer),
        column("facility", String),
        column("facility_address", String),
        column("visibility", String),
    )
    event = table(
        "status_event",
        column("person_id", Integer),
        column("kind", String),
        column("date_start", Date),
        column("date_precision", Integer),
        column("date_approx", Boolean),
        column("facility", String),
        column("visibility", String),
        column("created_at", DateTime),
    )
    now = dt.datetime(2026, 1, 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        for start in range(0, people, 10_000):
            ids = range(start + 1, min(people, start + 10_000) + 1)
            conn.execute(
                insert(person),
                [
                    dict(id=i, synthetic=True, created_at=now, updated_at=now, version=1)
                    for i in ids
                ],
            )
            cases, events = [], []
            for i in ids:
                f = rng.randrange(facilities)
                cases.append(
                    dict(
                        person_id=i,
                        facility=(names if i % 2 else spelled)[f],
                        facility_address=f"а/я {f}, {200000 + f} г. Город{f}",
                        visibility="public",
                    )
                )
                for k in range(5):
                    transfer = k == 4
                    events.append(
                        dict(
                            person_id=i,
                            kind="transferred" if transfer else "detained",
                            date_start=dt.date(2020, 1, 1) + dt.timedelta(days=k * 100),
                            date_precision=3,
                            date_approx=False,
                            facility=names[rng.randrange(facilities)] if transfer else None,
                            visibility="public",
                            created_at=now,
                        )
                    )
            conn.execute(insert(case), cases)
            conn.execute(insert(event), events)
    t = time.perf_counter()
    _upgrade(url, "head")
    elapsed = time.perf_counter() - t
    with engine.connect() as conn:
        n_fac = conn.execute(text("SELECT count(*) FROM facility")).scalar()
        n_case = conn.execute(
            text("SELECT count(*) FROM case_file WHERE facility_id IS NOT NULL")
        ).scalar()
        n_ev = conn.execute(
            text("SELECT count(*) FROM status_event WHERE facility_id IS NOT NULL")
        ).scalar()
    engine.dispose()
    print(
        f"{engine.dialect.name}: {people:,} people, {people * 5:,} events: upgrade 0007 → head "
        f"{elapsed:.1f} s; {n_fac} facilities, {n_case:,} cases and {n_ev:,} events linked"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--facilities", type=int, default=300)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = ap.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/mig.db", args.people, args.facilities)
    if args.backend in ("postgresql", "both"):
        with temp_pg_database("pw_bench_letters") as url:
            run(url, args.people, args.facilities)


if __name__ == "__main__":
    main()
