"""Import of N people from CSV into SQLite and PostgreSQL: wall time and peak memory.

    .venv/bin/python benchmarks/registry_import.py [--people 100000] \
        [--backend sqlite|postgresql|both]

Each import runs as the real CLI (`prisonwatch import`) in a child process, so the figures
include start-up, validation of every row, the one transaction and the audit entries. Peak memory
is the child's maximum resident set size. Targets (issue 2): under 60 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import temp_pg_database
from prisonwatch.demo import ARTICLES, COURTS, FACILITIES, FATHERS, MALE, REGIONS, SURNAMES
from prisonwatch.io.importer import FIELDS
from prisonwatch.names.patronymic import patronymic

HEADER = list(FIELDS[:16])  # the default import columns, without the optional extras


def make_csv(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            sur = rng.choice(SURNAMES)
            given = rng.choice(MALE)
            father = rng.choice(FATHERS)
            year = rng.randint(2020, 2024)
            detained = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            released = rng.random() < 0.4
            fac = rng.choice(FACILITIES)
            w.writerow(
                [
                    f"b-{i}",
                    f"{sur[0]} {given[0]} {patronymic(father[0], 'be')}",
                    f"{sur[1]} {given[1]} {patronymic(father[1], 'ru')}; {given[0]} {sur[0]} {i}",
                    str(rng.randint(1950, 2004)),
                    "male",
                    rng.choice(REGIONS)[0],
                    detained,
                    rng.choice(ARTICLES)[0],
                    rng.choice(COURTS),
                    "",
                    f"{rng.randint(1, 15)} years",
                    fac[0],
                    fac[1],
                    "released_end_of_term" if released else "sentenced",
                    f"{year + 1 if released else year}-{rng.randint(1, 12):02d}",
                    f"https://example.org/report/{i % 500}",
                ]
            )


def run_import(url: str, csv_path: Path) -> tuple[float, float]:
    env = dict(os.environ, PRISONWATCH_DB=url, PRISONWATCH_USER="bench")
    exe = str(Path(sys.executable).with_name("prisonwatch"))
    subprocess.run([exe, "init"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "import", str(csv_path)], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"import failed:\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("   ", proc.stdout.strip().splitlines()[-1])
    return elapsed, max(peak, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "people.csv"
        make_csv(csv_path, args.people)
        print(f"{args.people:,} people, {csv_path.stat().st_size / 1e6:.1f} MB CSV")
        if args.backend in ("sqlite", "both"):
            secs, mb = run_import(f"sqlite:///{Path(tmp) / 'bench.db'}", csv_path)
            print(f"SQLite:     {secs:6.1f} s   peak RSS {mb:7.0f} MB   (target < 60 s, < 1024 MB)")
        if args.backend in ("postgresql", "both"):
            with temp_pg_database() as url:
                secs, mb = run_import(url, csv_path)
                print(f"PostgreSQL: {secs:6.1f} s   peak RSS {mb:7.0f} MB   (targets as above)")


if __name__ == "__main__":
    main()
