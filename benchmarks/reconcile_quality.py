"""List-to-list reconciliation quality on ../shared/data/names-dev.csv.

From the EU-list spellings of 225 people two pairs of lists are built (seeded):

* **Latin vs Cyrillic**: people with both scripts; the left list has one Latin spelling per
  person, the right list one Cyrillic spelling;
* **Latin vs Latin**: people with two different Latin spellings, one on each side.

In each task 10% of the people are dropped from the left list and another 10% from the right
list, so some rows must stay unmatched. The full pipeline runs — candidate index (or every pair),
evidence-free scores, one-to-one global assignment — and a left row counts as a true positive
when its ``match`` partner is the same person. P = TP / matches, R = TP / people on both lists.
``+review`` counts review pairs as matches too.

Baselines go through the same assignment, each with every pair scored and at its *best*
threshold on this very data (a favour to them): rapidfuzz ``token_sort_ratio`` on unidecoded
lower-case names, and nomenklatura ``logic-v2`` (``bench`` extra; skipped with a message when not
installed; it scores only the 20 nearest right rows by rapidfuzz ``token_set_ratio``, the rest 0).

Run: ``.venv/bin/python benchmarks/reconcile_quality.py [--data PATH] [--seed 7]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from prisonwatch.model import Verdict
from prisonwatch.names.base import MatchResult, verdict_for
from prisonwatch.reconcile import ListRow, ReconcileOptions, ReconcileResult, reconcile

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "names-dev.csv"
ScoreFn = Callable[[str, str], float]


@dataclass
class Task:
    name: str
    left: list[ListRow]
    right: list[ListRow]
    truth: dict[str, str]  # left key -> right key of the same person


def load(path: Path) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            groups[r["group_id"]].append((r["name"], r["script"]))
    return groups


def build(groups: dict[str, list[tuple[str, str]]], mode: str, seed: int) -> Task:
    rng = random.Random(f"{seed}-{mode}")
    people: list[tuple[str, str, str]] = []
    for gid in sorted(groups):
        latin = sorted({n for n, s in groups[gid] if s == "latin"})
        cyr = sorted({n for n, s in groups[gid] if s == "cyrillic"})
        if mode == "latin-cyrillic" and latin and cyr:
            people.append((gid, rng.choice(latin), rng.choice(cyr)))
        elif mode == "latin-latin" and len(latin) >= 2:
            a, b = rng.sample(latin, 2)
            people.append((gid, a, b))
    order = list(range(len(people)))
    rng.shuffle(order)
    tenth = len(people) // 10
    no_left, no_right = set(order[:tenth]), set(order[tenth : 2 * tenth])
    left = [
        ListRow(f"l:{gid}", i + 2, gid, a)
        for i, (gid, a, _b) in enumerate(people)
        if i not in no_left
    ]
    right = [
        ListRow(f"r:{gid}", i + 2, gid, b)
        for i, (gid, _a, b) in enumerate(people)
        if i not in no_right
    ]
    rng.shuffle(right)
    both = {gid for i, (gid, _a, _b) in enumerate(people) if i not in no_left | no_right}
    return Task(mode, left, right, {f"l:{g}": f"r:{g}" for g in both})


def measure(task: Task, result: ReconcileResult, with_review: bool) -> tuple[float, float, float]:
    ok = {Verdict.MATCH.value, "review"} if with_review else {Verdict.MATCH.value}
    predicted = [p for p in result.pairs if p.verdict in ok and p.right is not None]
    tp = sum(1 for p in predicted if p.right and task.truth.get(p.left.key) == p.right.key)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(task.truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


class TableMatcher:
    """Scores looked up in a precomputed table (for sweeping a baseline's threshold)."""

    def __init__(self, name: str, table: dict[tuple[str, str], float], threshold: float) -> None:
        self.name = name
        self.table = table
        self.match_threshold = threshold
        self.review_threshold = threshold

    def score(self, left: str, right: str) -> float:
        return self.table.get((left, right), 0.0)

    def compare(self, left: str, right: str) -> MatchResult:
        s = self.score(left, right)
        v = verdict_for(s, self.match_threshold, self.review_threshold)
        return MatchResult(s, v, f"{self.name} {s:.2f}")


def baselines() -> list[tuple[str, ScoreFn, bool]]:
    """(label, score function, score every pair?)"""
    from unidecode import unidecode

    out: list[tuple[str, ScoreFn, bool]] = [
        (
            "token_sort_ratio (unidecode)",
            lambda a, b: fuzz.token_sort_ratio(unidecode(a).lower(), unidecode(b).lower()) / 100,
            True,
        )
    ]
    try:
        from followthemoney import ValueEntity
        from nomenklatura.matching import get_algorithm
    except ImportError:
        print("! nomenklatura not installed: logic-v2 baseline skipped", file=sys.stderr)
        return out
    algo = get_algorithm("logic-v2")
    assert algo is not None
    cfg = algo.default_config()

    def ent(side: str, name: str) -> ValueEntity:
        uid = f"{side}-{hashlib.sha1(name.encode()).hexdigest()}"
        return ValueEntity.from_dict(
            {"id": uid, "schema": "Person", "properties": {"name": [name]}}
        )

    out.append(
        (
            "nomenklatura logic-v2",
            lambda a, b: float(algo.compare(ent("q", a), ent("r", b), cfg).score),
            False,
        )
    )
    return out


def score_table(task: Task, fn: ScoreFn, every_pair: bool) -> dict[tuple[str, str], float]:
    from unidecode import unidecode

    rights = [r.name for r in task.right]
    flat = [unidecode(n).lower() for n in rights]
    table: dict[tuple[str, str], float] = {}
    for lrow in task.left:
        if every_pair:
            near = rights
        else:
            hits = process.extract(
                unidecode(lrow.name).lower(), flat, scorer=fuzz.token_set_ratio, limit=20
            )
            near = [rights[i] for _s, _sc, i in hits]
        for r in near:
            table[(lrow.name, r)] = fn(lrow.name, r)
    return table


def row(
    label: str,
    task: str,
    t: float | str,
    scores: tuple[float, float, float],
    review: tuple[float, float, float] | None,
    secs: float,
) -> None:
    p, r, f = scores
    extra = f"{review[2]:6.3f}" if review else "     -"
    tt = f"{t:.2f}" if isinstance(t, float) else t
    print(f"{label:34} {task:15} {tt:>5} {p:6.3f} {r:6.3f} {f:6.3f} {extra} {secs:7.1f}s")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-baselines", action="store_true", help="only PrisonWatch's matcher")
    args = ap.parse_args(argv)
    groups = load(args.data)
    tasks = [build(groups, m, args.seed) for m in ("latin-cyrillic", "latin-latin")]
    print(f"data: {args.data} ({sum(map(len, groups.values()))} names, {len(groups)} people)")
    for t in tasks:
        print(f"task {t.name}: {len(t.left)} left, {len(t.right)} right, {len(t.truth)} on both")
    print()
    head = (
        f"{'method':34} {'task':15} {'t':>5} {'P':>6} {'R':>6} {'F1':>6} {'F1+rv':>6} {'time':>8}"
    )
    print(head)
    print("-" * len(head))
    for task in tasks:
        for label, opts in (
            ("slavic-v1, candidate index", ReconcileOptions(exhaustive_pairs=0)),
            ("slavic-v1, every pair", ReconcileOptions(exhaustive_pairs=10**9)),
        ):
            t0 = time.perf_counter()
            res = reconcile(task.left, task.right, opts)
            row(
                label,
                task.name,
                res.match_threshold,
                measure(task, res, False),
                measure(task, res, True),
                time.perf_counter() - t0,
            )
        for label, fn, every in [] if args.no_baselines else baselines():
            t0 = time.perf_counter()
            table = score_table(task, fn, every)
            best: tuple[float, tuple[float, float, float]] = (0.0, (0.0, 0.0, 0.0))
            for step in range(30, 100):
                th = step / 100
                opts = ReconcileOptions(
                    matcher=TableMatcher(label, table, th),
                    exhaustive_pairs=10**9,
                    use_evidence=False,
                )
                m = measure(task, reconcile(task.left, task.right, opts), False)
                if m[2] > best[1][2]:
                    best = (th, m)
            row(label, task.name, best[0], best[1], None, time.perf_counter() - t0)


if __name__ == "__main__":
    main()
