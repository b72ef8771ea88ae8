"""Quality of the name matchers on ../shared/data/names-dev.csv.

Builds, from the EU-list name variants of 225 people:

* **pairs**: every pair of spellings of one person (positives) and, for each spelling, the
  three nearest spellings of *other* people by a neutral string measure (rapidfuzz
  ``token_set_ratio`` on ICU ``Any-Latin; Latin-ASCII``) plus every other-person name that
  shares a word with it (hard negatives: same given name, same patronymic);
* **lists**: one spelling per person on each side (Cyrillic vs Latin; Latin vs another Latin
  spelling), linked one-to-one, best score first, above the threshold.

Prints average precision and precision/recall/F1 at the default threshold (for baselines,
which have no default, at their best threshold on this very data — a favour to them) for:

* ``slavic-v1`` — prisonwatch.names.default_matcher();
* ``token_sort_ratio`` — rapidfuzz on unidecoded, lowercased names;
* ``nomenklatura logic-v2`` — OpenSanctions' matcher, if ``nomenklatura`` is installed
  (``pip install nomenklatura==4.17.4``, the ``bench`` extra); skipped with a message if not.

Run: ``.venv/bin/python benchmarks/names_quality.py [--data ../shared/data/names-dev.csv]``
(``--misses``: print every person a list task links wrongly or not at all, with the
matcher's explanation — how the causes in docs/names.md were found).
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
from pathlib import Path

import icu
from rapidfuzz import fuzz, process

from prisonwatch.names import default_matcher

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "names-dev.csv"
ScoreFn = Callable[[str, str], float]


def load(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [(r["group_id"], r["name"], r["script"]) for r in csv.DictReader(fh)]


def build_pairs(rows: list[tuple[str, str, str]], k: int = 3) -> list[tuple[str, str, bool]]:
    to_ascii = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")
    flat = [to_ascii.transliterate(n) for _g, n, _s in rows]
    pairs: dict[tuple[int, int], bool] = {}
    by_word: dict[str, set[int]] = defaultdict(set)
    for i, a in enumerate(flat):
        for w in a.split():
            if len(w) > 2:
                by_word[w].add(i)
    for i, (gi, _n, _s) in enumerate(rows):
        for j in range(i + 1, len(rows)):
            if rows[j][0] == gi:
                pairs[(i, j)] = True
        near = process.extract(flat[i], flat, scorer=fuzz.token_set_ratio, limit=k + 15)
        taken = 0
        for _c, _sc, j in near:
            if rows[j][0] != gi and taken < k:
                pairs[(min(i, j), max(i, j))] = False
                taken += 1
        for w in flat[i].split():
            for j in by_word.get(w, ()):
                if rows[j][0] != gi:
                    pairs[(min(i, j), max(i, j))] = False
    return [(rows[i][1], rows[j][1], same) for (i, j), same in sorted(pairs.items())]


def build_lists(
    rows: list[tuple[str, str, str]], mode: str, seed: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for g, n, s in rows:
        groups[g].append((n, s))
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    for g, names in sorted(groups.items()):
        lat = [n for n, s in names if s == "latin"]
        cyr = [n for n, s in names if s == "cyrillic"]
        if mode == "cyrillic-latin" and lat and cyr:
            left.append((g, rng.choice(cyr)))
            right.append((g, rng.choice(lat)))
        elif mode == "latin-latin" and len(lat) >= 2:
            a, b = rng.sample(lat, 2)
            left.append((g, a))
            right.append((g, b))
    return left, right


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits = 0
    total = 0.0
    for rank, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / max(1, sum(labels))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def at_threshold(
    scores: Sequence[float], labels: Sequence[bool], t: float
) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= t and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= t and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < t and y)
    return prf(tp, fp, fn)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    cands = sorted(set(round(s, 3) for s in scores))
    return max(cands, key=lambda t: at_threshold(scores, labels, t)[2])


def link_lists(
    left: list[tuple[str, str]], right: list[tuple[str, str]], fn: ScoreFn, t: float
) -> tuple[list[float], list[bool], tuple[float, float, float]]:
    """Score all left×right pairs; link one-to-one, best first; return pair scores + P/R/F1."""
    scored: list[tuple[float, int, int]] = []
    for i, (_gl, a) in enumerate(left):
        for j, (_gr, b) in enumerate(right):
            scored.append((fn(a, b), i, j))
    labels = [left[i][0] == right[j][0] for _s, i, j in scored]
    scores = [s for s, _i, _j in scored]
    return scores, labels, _assign(scored, left, right, t)


def _assign(
    scored: list[tuple[float, int, int]],
    left: list[tuple[str, str]],
    right: list[tuple[str, str]],
    t: float,
) -> tuple[float, float, float]:
    used_l: set[int] = set()
    used_r: set[int] = set()
    tp = fp = 0
    for s, i, j in sorted(scored, key=lambda x: -x[0]):
        if s < t:
            break
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        if left[i][0] == right[j][0]:
            tp += 1
        else:
            fp += 1
    return prf(tp, fp, len(left) - tp)


def list_misses(
    scored: list[tuple[float, int, int]],
    left: list[tuple[str, str]],
    right: list[tuple[str, str]],
    t: float,
) -> list[tuple[str, str, str | None]]:
    """The people the one-to-one links got wrong: (left name, its partner's name, the name it
    was linked to instead or None) — for reading every miss with its explanation."""
    used_r: set[int] = set()
    link: dict[int, int] = {}
    for s, i, j in sorted(scored, key=lambda x: -x[0]):
        if s < t:
            break
        if i in link or j in used_r:
            continue
        link[i] = j
        used_r.add(j)
    partner = {g: n for g, n in right}
    out: list[tuple[str, str, str | None]] = []
    for i, (g, name) in enumerate(left):
        j = link.get(i)
        if g in partner and (j is None or right[j][0] != g):
            out.append((name, partner[g], None if j is None else right[j][1]))
    return out


def matchers() -> list[tuple[str, ScoreFn, float | None]]:
    m = default_matcher()
    out: list[tuple[str, ScoreFn, float | None]] = [
        (
            f"{m.name} (default t={m.match_threshold})",
            lambda a, b: m.compare(a, b).score,
            m.match_threshold,
        ),
    ]
    try:
        from unidecode import unidecode
    except ImportError:
        print("! unidecode not installed: token_sort_ratio baseline skipped", file=sys.stderr)
    else:
        out.append(
            (
                "token_sort_ratio (unidecode)",
                lambda a, b: (
                    fuzz.token_sort_ratio(unidecode(a).lower(), unidecode(b).lower()) / 100
                ),
                None,
            )
        )
    try:
        from followthemoney import ValueEntity
        from nomenklatura.matching import get_algorithm
    except ImportError:
        print(
            "! nomenklatura not installed (pip install nomenklatura==4.17.4): "
            "logic-v2 baseline skipped",
            file=sys.stderr,
        )
    else:
        algo = get_algorithm("logic-v2")
        assert algo is not None
        cfg = algo.default_config()

        def ent(eid: str, name: str) -> ValueEntity:
            # One id per distinct name: logic-v2 caches name analysis by entity id.
            uid = f"{eid}-{hashlib.sha1(name.encode()).hexdigest()}"
            return ValueEntity.from_dict(
                {"id": uid, "schema": "Person", "properties": {"name": [name]}}
            )

        out.append(
            (
                "nomenklatura logic-v2",
                lambda a, b: float(algo.compare(ent("q", a), ent("r", b), cfg).score),
                None,
            )
        )
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", help="run only the matchers whose label starts with this")
    ap.add_argument(
        "--misses",
        action="store_true",
        help="print every person the list tasks link wrongly or not at all, explained",
    )
    args = ap.parse_args(argv)
    rows = load(args.data)
    pairs = build_pairs(rows)
    npos = sum(1 for *_x, y in pairs if y)
    print(f"data: {args.data} — {len(rows)} names, {len({g for g, *_ in rows})} people")
    print(f"pairs: {len(pairs)} ({npos} same person, {len(pairs) - npos} hard negatives)")
    lists = {mode: build_lists(rows, mode, args.seed) for mode in ("cyrillic-latin", "latin-latin")}
    for mode, (left, _r) in lists.items():
        print(f"list {mode}: {len(left)} people on each side")
    print()
    header = f"{'matcher':44} {'task':22} {'AP':>6} {'t':>6} {'P':>6} {'R':>6} {'F1':>6}"
    print(header)
    print("-" * len(header))
    for label, fn, default_t in matchers():
        if args.only and not label.startswith(args.only):
            continue
        t0 = time.perf_counter()
        scores = [fn(a, b) for a, b, _y in pairs]
        labels = [y for *_x, y in pairs]
        t = default_t if default_t is not None else best_threshold(scores, labels)
        p, r, f = at_threshold(scores, labels, t)
        ap_ = average_precision(scores, labels)
        print(f"{label:44} {'pairs':22} {ap_:6.3f} {t:6.3f} {p:6.3f} {r:6.3f} {f:6.3f}")
        for mode, (left, right) in lists.items():
            ls, ll, _ = link_lists(left, right, fn, 0.0)
            scored = [
                (s, i, j)
                for s, (i, j) in zip(
                    ls, [(i, j) for i in range(len(left)) for j in range(len(right))], strict=True
                )
            ]
            lt = t
            if default_t is None:
                lt = max(
                    sorted(set(round(s, 3) for s in ls if s > 0.3)),
                    key=lambda x: _assign(scored, left, right, x)[2],
                )
            p, r, f = _assign(scored, left, right, lt)
            ap_ = average_precision(ls, ll)
            print(f"{'':44} {'list ' + mode:22} {ap_:6.3f} {lt:6.3f} {p:6.3f} {r:6.3f} {f:6.3f}")
            if args.misses and default_t is not None:
                explain = default_matcher().compare
                for a, b, other in list_misses(scored, left, right, lt):
                    res = explain(a, b)
                    print(f"    miss: {a} | {b}: {res.score:.2f} {res.why}")
                    if other is not None:
                        print(f"          linked instead to {other}: {fn(a, other):.2f}")
        print(f"{'':44} ({time.perf_counter() - t0:.1f} s)")
    print("\nAP = average precision over all pairs scored; t = threshold used (baselines: their")
    print("best on this data); list P/R/F1 = one-to-one links, best score first, score >= t.")


if __name__ == "__main__":
    main()
