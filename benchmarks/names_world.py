"""Names from the rest of the world (issue 16 §4) on our own table of pairs
(``tests/names/data/world_names.csv``, written for this, not taken from another project):
other scripts, accents, typos, spacing, titles, diminutives, Arabic particles, initials —
matches and non-matches. Prints precision, recall and F1 at the match threshold, average
precision over the scores, and the false matches between two names in non-Latin, non-Cyrillic
scripts (target 0).

Run: ``.venv/bin/python benchmarks/names_world.py``
"""

from __future__ import annotations

import csv
from pathlib import Path

from prisonwatch.names import MATCH_THRESHOLD, compare
from prisonwatch.names.script import detect_script

DATA = Path(__file__).resolve().parents[1] / "tests" / "names" / "data" / "world_names.csv"


def average_precision(scored: list[tuple[float, bool]]) -> float:
    ranked = sorted(scored, key=lambda t: -t[0])
    positives = sum(y for _s, y in ranked)
    hits = 0
    total = 0.0
    for i, (_s, y) in enumerate(ranked, 1):
        if y:
            hits += 1
            total += hits / i
    return total / positives if positives else 0.0


def main() -> None:
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    scored: list[tuple[float, bool]] = []
    other_script_false = 0
    for r in rows:
        result = compare(r["left"], r["right"])
        same = r["same"] == "1"
        scored.append((result.score, same))
        hit = result.score >= MATCH_THRESHOLD
        if hit != same:
            print(
                f"{'missed' if same else 'false match'}: {r['left']} | {r['right']} "
                f"{result.score:.2f} {result.why}"
            )
        both_other = all(detect_script(r[k]).value == "other" for k in ("left", "right"))
        if both_other and hit and not same:
            other_script_false += 1
    tp = sum(1 for s, y in scored if y and s >= MATCH_THRESHOLD)
    fp = sum(1 for s, y in scored if not y and s >= MATCH_THRESHOLD)
    fn = sum(1 for s, y in scored if y and s < MATCH_THRESHOLD)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    print(f"pairs {len(rows)} ({sum(y for _s, y in scored)} same person)")
    print(f"P {p:.3f} R {rc:.3f} F1 {f1:.3f} AP {average_precision(scored):.3f}")
    print(f"false matches between two names in other scripts: {other_script_false}")


if __name__ == "__main__":
    main()
