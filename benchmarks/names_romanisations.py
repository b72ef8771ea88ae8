"""Recall per romanisation class (issue 16 §1) on our own table of variants
(``tests/names/data/romanisations.csv``: Dutch, German, Polish, Czech, Hungarian, Turkish,
Spanish, Lithuanian/Latvian, English given names, iotated spellings — invented for the test, not
tuned on a real list), and how many different-surname negatives (the same given name with
another surname) stay below the match threshold. Then the same per cause on the table of other
readings (``tests/names/data/readings.csv``: German/Dutch ch = х, ё written е, Belarusian ў for
л and а for е after ц/ж/ш/ч, -khan, Ukrainian -o, j of an iotated vowel), with its non-matches.

Run: ``.venv/bin/python benchmarks/names_romanisations.py``
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from prisonwatch.names import MATCH_THRESHOLD, REVIEW_THRESHOLD, compare

DATA = Path(__file__).resolve().parents[1] / "tests" / "names" / "data" / "romanisations.csv"
READINGS = DATA.with_name("readings.csv")


def main() -> None:
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    per: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        per[r["class"]].append(compare(r["latin"], r["cyrillic"]).score)
    print(f"{'class':12} {'pairs':>5} {'match':>6} {'review+':>8}")
    total = matched = proposed = 0
    for cls, scores in per.items():
        m = sum(s >= MATCH_THRESHOLD for s in scores)
        p = sum(s >= REVIEW_THRESHOLD for s in scores)
        total, matched, proposed = total + len(scores), matched + m, proposed + p
        print(f"{cls:12} {len(scores):5} {m / len(scores):6.2f} {p / len(scores):8.2f}")
    print(f"{'all':12} {total:5} {matched / total:6.3f} {proposed / total:8.3f}")
    negatives = false = 0
    for r in rows:
        words = r["cyrillic"].split()
        for other in rows:
            o = other["cyrillic"].split()
            if len(o) == len(words) and o[-1][:3] != words[-1][:3]:
                negatives += 1
                false += compare(r["latin"], " ".join(words[:-1] + o[-1:])).score >= MATCH_THRESHOLD
    print(f"different-surname negatives: {negatives}, false matches: {false}")
    print()
    readings_table()


def readings_table() -> None:
    rows = list(csv.DictReader(READINGS.open(encoding="utf-8")))
    per: dict[str, list[float]] = defaultdict(list)
    false: dict[str, int] = defaultdict(int)
    negatives: dict[str, int] = defaultdict(int)
    for r in rows:
        score = compare(r["left"], r["right"]).score
        if r["same"] == "1":
            per[r["cause"]].append(score)
        else:
            negatives[r["cause"]] += 1
            false[r["cause"]] += score >= MATCH_THRESHOLD
    print(f"{'cause':15} {'pairs':>5} {'match':>6} {'review+':>8} {'non-matches':>12} {'false':>6}")
    for cause, scores in per.items():
        m = sum(s >= MATCH_THRESHOLD for s in scores) / len(scores)
        p = sum(s >= REVIEW_THRESHOLD for s in scores) / len(scores)
        print(
            f"{cause:15} {len(scores):5} {m:6.2f} {p:8.2f} {negatives[cause]:12} {false[cause]:6}"
        )


if __name__ == "__main__":
    main()
