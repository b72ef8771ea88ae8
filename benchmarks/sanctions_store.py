"""Storing full-size sanctions-list versions: ~18,000 parties × ~20 facts, on SQLite and
PostgreSQL.

    .venv/bin/python benchmarks/sanctions_store.py                      # both backends
    .venv/bin/python benchmarks/sanctions_store.py --backend sqlite --targets 18000

Parsing is measured by the format benchmarks; this one builds the parsed list in memory
(synthetic parties of every kind with names in two scripts, programmes, dates, ids, addresses
and remarks) and times :func:`prisonwatch.store.sanctions.import_read`:

1. the first version (every fact inserted);
2. a second version with 1 % of the parties removed, 1 % added and 5 % changed — the usual
   publisher update (only the difference is written);
3. the same facts again (a re-encoded copy: a version row, no fact written);
4. the difference of the two stored versions (:func:`version_diff`), as the web page and
   ``sanctions diff 1:1 1:2`` compute it;
5. a target page's read (:func:`target_view`);
6. a name search (:func:`find_targets`): the first builds the candidate index of every name.

Prints wall time and peak memory (ru_maxrss) of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from _pg import temp_pg_database
from prisonwatch.sanctions.model import ListHeader, Target, TargetKind
from prisonwatch.store.db import Database
from prisonwatch.store.sanctions import ReadList, import_read
from prisonwatch.store.sanctions_query import (
    find_targets,
    resolve_version,
    target_view,
    version_diff,
)

KINDS = [TargetKind.PERSON] * 55 + [TargetKind.ORGANISATION] * 40 + [TargetKind.VESSEL] * 3
KINDS += [TargetKind.AIRCRAFT] * 2
SURNAMES = ["IVANOV", "PETROV", "LUKASHENKA", "SIDOROV", "KOVALENKO", "NOVIK", "ZHUK", "MOROZ"]
GIVEN = ["Aliaksandr", "Viktar", "Siarhei", "Mikalai", "Ihar", "Dzmitry", "Andrei", "Yury"]
CYR = {
    "IVANOV": "Іваноў",
    "PETROV": "Пятроў",
    "LUKASHENKA": "Лукашэнка",
    "SIDOROV": "Сідараў",
    "KOVALENKO": "Каваленка",
    "NOVIK": "Новік",
    "ZHUK": "Жук",
    "MOROZ": "Мароз",
}


def make_target(i: int, rng: random.Random, variant: int = 0) -> Target:
    kind = KINDS[i % len(KINDS)]
    sur, given = SURNAMES[i % len(SURNAMES)], GIVEN[(i // 8) % len(GIVEN)]
    caption = f"{sur}, {given} {i}" if kind is TargetKind.PERSON else f"{sur} HOLDING {i} LLC"
    t = Target(id=str(10_000 + i), kind=kind, caption=caption)
    t.add("name", caption)
    t.add("alias", f"{CYR[sur]} {i}")
    t.add("alias", f"{sur.title()} {given} {i}")
    for k in range(3):
        t.add("weakAlias", f"{sur[:4]}-{i}-{k}")
    t.add("program", "BELARUS-EO14038" if i % 2 else "BELARUS")
    t.add("program", "RUSSIA-EO14024" if i % 3 == 0 else None)
    t.add("listingDate", f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}")
    if kind is TargetKind.PERSON:
        t.add("birthDate", f"19{50 + i % 40}-0{1 + i % 9}-2{i % 8}")
        t.add("birthPlace", "Minsk, Belarus")
        t.add("nationality", "by")
        t.add("gender", "male" if i % 2 else "female")
        t.add("passportNumber", f"MP{i:07d}")
        t.add("position", "Judge of the Minsk City Court" if i % 5 == 0 else "Official")
    else:
        t.add("registrationNumber", f"{i:09d}")
        t.add("country", "by")
    for k in range(4):
        t.add("address", f"{k + 1} Prospekt Nezalezhnasci {i}, Minsk, Belarus")
    t.add("idNumber", f"ID-{i:08d}")
    t.add(
        "notes",
        f"Remarks for {caption}; linked to {sur} group; Secondary sanctions risk. "
        f"Additional text {rng.random():.6f}"
        if variant == 0
        else f"Remarks for {caption} (amended {variant})",
    )
    return t


def version(
    n: int, rng: random.Random, *, drop: float = 0.0, add: float = 0.0, change: float = 0.0
) -> dict[str, Target]:
    keep = [i for i in range(n) if rng.random() >= drop]
    extra = range(n, n + int(n * add))
    out: dict[str, Target] = {}
    for i in [*keep, *extra]:
        t = make_target(i, random.Random(i), variant=1 if rng.random() < change else 0)
        out[t.id] = t
    return out


def header(published: date) -> ListHeader:
    return ListHeader(
        format="bench",
        authority="US OFAC",
        list_name="SDN",
        published=published,
        parser_version="1",
    )


def run(url: str, n: int) -> None:
    db = Database(url)
    db.migrate()
    rng = random.Random(7)
    v1 = version(n, rng)
    facts = sum(sum(len(v) for v in t.props.values()) + 2 for t in v1.values())
    print(f"  {len(v1):,} targets, {facts:,} facts")
    steps = [
        ("first version", v1, date(2025, 1, 1), "h1", False),
        (
            "update (−1 %, +1 %, 5 % changed)",
            version(n, random.Random(8), drop=0.01, add=0.01, change=0.05),
            date(2025, 2, 1),
            "h2",
            False,
        ),
        ("same facts, another file", None, date(2025, 3, 1), "h3", False),
    ]
    last: dict[str, Target] = v1
    for label, targets, published, content, accept in steps:
        targets = targets if targets is not None else last
        read = ReadList(Path(f"{content}.bin"), "bench", header(published), targets, [])
        t0 = time.perf_counter()
        r = import_read(db, read, content, actor="bench", accept_mass_removal=accept)
        dt_ = time.perf_counter() - t0
        print(
            f"  {label}: {dt_:.1f} s — added {r.added:,}, removed {r.removed:,}, "
            f"changed {r.changed:,}, cause {r.cause}"
        )
        last = targets
    db.analyze()
    with db.session() as s:
        t0 = time.perf_counter()
        d = version_diff(s, resolve_version(s, "1:1"), resolve_version(s, "1:2"))
        print(
            f"  diff of stored versions 1:1 → 1:2: {time.perf_counter() - t0:.1f} s "
            f"({len(d.added):,} added, {len(d.removed):,} removed, {len(d.changed):,} changed)"
        )
        t0 = time.perf_counter()
        target_view(s, 1)
        print(f"  a target's page data: {(time.perf_counter() - t0) * 1000:.0f} ms")
        for label in ("first name search (builds the name index)", "next name search"):
            t0 = time.perf_counter()
            hits = find_targets(s, "Лукашэнка Аляксандр 2")
            print(f"  {label}: {time.perf_counter() - t0:.2f} s ({len(hits)} hits)")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--targets", type=int, default=18_000)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite")
            run(f"sqlite:///{tmp}/bench.db", args.targets)
    if args.backend in ("postgresql", "both"):
        with temp_pg_database("pw_bench_sanctions") as url:
            print("PostgreSQL")
            run(url, args.targets)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
