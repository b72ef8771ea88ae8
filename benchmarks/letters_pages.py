"""The letter pages, feeds and API over an existing registry (e.g. the demo), each route timed
after a warm-up through the app in-process (public reader).

    .venv/bin/python benchmarks/letters_pages.py sqlite:///demo.db [--runs 3]

Prints the median time and the size of each answer. No assertions: figures for
docs/letters-web.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from prisonwatch.store.db import Database
from prisonwatch.web.app import create_app

ROUTES = (
    "/letters",
    "/letters?q=Минск",
    "/letters/pick",
    "/letters/labels?person=1&person=2&person=3",
    "/letters/birthdays.ics",
    "/letters.csv",
    "/api/v1/letters/recipients",
    "/api/v1/letters/fewest",
    "/api/v1/letters/figures",
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    client = TestClient(create_app(Database(args.url), public=True, secret_key="benchmark"))
    client.get("/letters?q=warm up")  # the name keys and the templates load once
    for path in ROUTES:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            resp = client.get(path)
            times.append(time.perf_counter() - start)
            resp.raise_for_status()
        print(f"{path:45s} {statistics.median(times) * 1000:7.0f} ms {len(resp.content):9,d} bytes")


if __name__ == "__main__":
    main()
