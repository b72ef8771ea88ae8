"""The letter readings on an existing registry (e.g. the demo): each call timed after a warm-up.

    .venv/bin/python benchmarks/letters_speed.py sqlite:///demo.db [--on 2026-12-04] [--runs 3]

Prints the best and median time of ``eligible_recipients`` (public and private, with and without
a query), ``fewest_letters``, ``pick``, ``birthdays`` and ``letter_figures``, and how many rows
each returned. No assertions: figures for docs/letters.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

from prisonwatch.letters.birthdays import birthdays
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.figures import letter_figures
from prisonwatch.letters.log import fewest_letters, pick
from prisonwatch.store.db import Database


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--on", default=dt.date.today().isoformat())
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    day = dt.date.fromisoformat(args.on)
    db = Database(args.url)
    with db.session() as s:
        calls: list[tuple[str, Callable[[], object]]] = [
            ("eligible_recipients", lambda: len(eligible_recipients(s, day))),
            (
                "eligible_recipients private",
                lambda: len(eligible_recipients(s, day, include_private=True)),
            ),
            (
                "eligible_recipients query=address",
                lambda: len(eligible_recipients(s, day, query="Гомель")),
            ),
            (
                "eligible_recipients query=name",
                lambda: len(eligible_recipients(s, day, query="Navumchyk")),
            ),
            ("fewest_letters", lambda: len(fewest_letters(s, day))),
            ("pick", lambda: getattr(pick(s, day, rng=random.Random(1)), "person_id", None)),
            ("birthdays", lambda: len(birthdays(s, day))),
            ("letter_figures", lambda: letter_figures(s, day).eligible),
        ]
        for label, fn in calls:
            fn()
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - t)
            print(
                f"{label:36s} best {min(times) * 1000:7.1f} ms  "
                f"median {statistics.median(times) * 1000:7.1f} ms  -> {result}"
            )


if __name__ == "__main__":
    main()
