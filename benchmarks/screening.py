"""Screening officials against sanctioned names: 5,000 officials × 1,000,000 names (default).

Sanctioned names are synthetic and realistic: 70 % Belarusian/Russian full names (the
generator of ``names_speed.py``: Cyrillic or one of several romanisations, either word order,
sometimes "SURNAME, Given Patronymic" as lists write them, sometimes in capitals) and 30 %
names from elsewhere (Arabic, Persian, Chinese, Spanish, English, Turkish, Georgian ... given
names and surnames, some with a middle name or "bin"). Officials are other invented Slavic
people, each with a Cyrillic name and, for a third, a Latin spelling too. ``--planted`` of them
are also put on the sanctions side, spelled another way (another script or romanisation,
patronymic dropped, a typo for some).

Screening is what ``prisonwatch officials screen`` runs: :class:`ScreeningIndex` over the
officials' names, every sanctioned name looked up once (two forked processes).

Prints: wall time and CPU time (this process and its workers) of the index build and of the
screening, peak memory (largest resident set of this process and of a worker), recall of the
planted pairs at the match threshold (0.8) and at the review threshold (0.6), and the other
pairs found: at ≥ 0.8 (false matches) and in the review band.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/screening.py [--officials 5000]
[--names 1000000] [--planted 500]``
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from names_speed import Names
from prisonwatch.names import MATCH_THRESHOLD
from prisonwatch.names.screen import ScreeningIndex, ScreeningStats

WORLD_GIVEN = [
    "Mohammed",
    "Ahmed",
    "Ali",
    "Hassan",
    "Hussein",
    "Omar",
    "Abdullah",
    "Ibrahim",
    "Yusuf",
    "Khalid",
    "Mahmoud",
    "Reza",
    "Hamid",
    "Mehdi",
    "Javad",
    "Wei",
    "Li",
    "Jun",
    "Ming",
    "Hua",
    "Jose",
    "Juan",
    "Carlos",
    "Luis",
    "Miguel",
    "Antonio",
    "Maria",
    "Carmen",
    "John",
    "James",
    "Robert",
    "Michael",
    "David",
    "William",
    "Mehmet",
    "Mustafa",
    "Ahmet",
    "Giorgi",
    "Levan",
    "Nino",
    "Kim",
    "Park",
    "Hiroshi",
    "Kenji",
    "Fatima",
    "Aisha",
    "Zainab",
    "Elena",
    "Sofia",
    "Pierre",
    "Jean",
    "Hans",
    "Klaus",
]
WORLD_SUR = [
    "Al-Rashid",
    "Haddad",
    "Khalil",
    "Nasser",
    "Saleh",
    "Qasim",
    "Hosseini",
    "Rezaei",
    "Karimi",
    "Mousavi",
    "Tehrani",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Anderson",
    "Thomas",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Celik",
    "Sahin",
    "Beridze",
    "Kapanadze",
    "Gelashvili",
    "Tsiklauri",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Tanaka",
    "Suzuki",
    "Watanabe",
    "Dubois",
    "Moreau",
    "Laurent",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
]


def world_name(rng: random.Random) -> str:
    given = rng.choice(WORLD_GIVEN)
    sur = rng.choice(WORLD_SUR) + rng.choice(("", "", "", "i", "a", "ov", "yan", "o", "ez"))
    r = rng.random()
    if r < 0.2:
        return f"{given} bin {rng.choice(WORLD_GIVEN)} {sur}"
    if r < 0.4:
        return f"{sur.upper()}, {given} {rng.choice(WORLD_GIVEN)}"
    if r < 0.6:
        return f"{given} {rng.choice(WORLD_GIVEN)} {sur}"
    return f"{given} {sur}"


def sanctions_style(names: Names, p: tuple[str, str, str], drop_patr: bool = False) -> str:
    s = names.spell(p, drop_patr=drop_patr)
    if names.rng.random() < 0.3:
        words = s.split()
        # "SURNAME, Given Patronymic" when the spelling put the surname first or last
        sur = words[0] if words[0].isupper() or names.rng.random() < 0.5 else words[-1]
        rest = [w for w in words if w != sur]
        s = f"{sur.upper()}, {' '.join(rest)}"
    return s


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def cpu() -> float:
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--officials", type=int, default=5000)
    ap.add_argument("--names", type=int, default=1_000_000)
    ap.add_argument("--planted", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()

    t = time.perf_counter()
    names = Names(args.seed)
    rng = names.rng
    officials = [names.person() for _ in range(args.officials)]
    official_names: list[tuple[int, str]] = []
    for i, p in enumerate(officials):
        given, patr, sur = p
        official_names.append((i, f"{sur} {given} {patr}"))
        if rng.random() < 0.33:
            official_names.append((i, names.spell(p)))
    planted_ids = rng.sample(range(args.officials), args.planted)
    stream: list[tuple[int, str]] = []
    for n in range(args.names - args.planted):
        if rng.random() < 0.7:
            stream.append((n, sanctions_style(names, names.person())))
        else:
            stream.append((n, world_name(rng)))
    planted: dict[int, int] = {}  # stream key -> official
    for j, oid in enumerate(planted_ids):
        key = args.names + j
        s = sanctions_style(names, officials[oid], drop_patr=rng.random() < 0.3)
        if rng.random() < 0.2:
            s = names.typo(s)
        planted[key] = oid
        stream.insert(rng.randrange(len(stream) + 1), (key, s))
    print(
        f"synthesised {len(official_names):,} names of {args.officials:,} officials and "
        f"{len(stream):,} sanctioned names ({args.planted} planted) in "
        f"{time.perf_counter() - t:.1f} s"
    )

    c0, t0 = cpu(), time.perf_counter()
    index = ScreeningIndex(official_names)
    t1, c1 = time.perf_counter(), cpu()
    stats = ScreeningStats()
    hits = index.screen(stream, workers=args.workers, stats=stats)
    t2, c2 = time.perf_counter(), cpu()
    own, child = peak_mb()

    best: dict[tuple[int, int], float] = {}
    for h in hits:
        k = (int(h.key), int(h.other_key))
        best[k] = max(best.get(k, 0.0), h.score)
    found_match = sum(1 for k, o in planted.items() if best.get((o, k), 0) >= MATCH_THRESHOLD)
    found_any = sum(1 for k, o in planted.items() if (o, k) in best)
    other = {k: s for k, s in best.items() if planted.get(k[1]) != k[0]}
    false_match = sum(1 for s in other.values() if s >= MATCH_THRESHOLD)
    review = sum(1 for s in other.values() if s < MATCH_THRESHOLD)
    print(f"index of officials' names: {t1 - t0:.2f} s wall, {c1 - c0:.2f} s CPU")
    print(
        f"screening {len(stream):,} names: {t2 - t1:.1f} s wall, {c2 - c1:.1f} s CPU "
        f"(all processes), {len(hits):,} hits"
    )
    print(f"total: {t2 - t0:.1f} s wall, {c2 - c0:.1f} s CPU on {os.cpu_count()} cores")
    print(f"peak memory: {own:.0f} MB (main process), {child:.0f} MB (largest worker)")
    print(
        f"planted recall: {found_match}/{len(planted)} at score >= {MATCH_THRESHOLD} "
        f"({100 * found_match / max(1, len(planted)):.1f} %), {found_any}/{len(planted)} "
        "at >= 0.6 (review band included)"
    )
    print(
        f"other pairs: {false_match} at >= {MATCH_THRESHOLD} (false matches), "
        f"{review} in the review band (uncertain, for the review queue)"
    )


if __name__ == "__main__":
    main()
