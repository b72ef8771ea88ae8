"""End-to-end speed of list reconciliation from CSV files: 10,000 × 1,000,000 by default.

Generates (seeded, once; reused when present) two CSV files in ``--dir``:

* ``right-*.csv``: ``--right-n`` synthetic people in Cyrillic (Belarusian, or Russian-looking
  letters; surname first, half with a patronymic, some surnames in capitals), columns
  ``id,name,birth_year``; surnames come from a pool of ``--surnames`` forms (default 100,000,
  masculine/feminine endings on top) drawn with Zipf-like frequencies as in a real population;
* ``left-*.csv``: ``--left-n`` rows in Latin (ICU BGN/PCGN romanisation, given name first, no
  patronymic): 80 % are people of the right file, 20 % are not; columns ``id,name,birth_year``.

Then runs, in a fresh child process, exactly what ``prisonwatch reconcile left.csv right.csv
-o out.csv`` does (read both files, build the candidate index over the right side, match,
assign, write the CSV) and prints the wall time of each stage, the total, and the child's peak
memory (max RSS), and the share of the 80 % found.

Run: ``.venv/bin/python benchmarks/reconcile_speed.py [--left-n 10000] [--right-n 1000000]
[--index-cache DIR]`` (with a cache, run twice: the second run loads the index).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import icu

MALE = [
    "Аляксандр",
    "Сяргей",
    "Мікалай",
    "Уладзімір",
    "Андрэй",
    "Дзмітрый",
    "Аляксей",
    "Ігар",
    "Віктар",
    "Павел",
    "Міхаіл",
    "Юрый",
    "Яўген",
    "Алег",
    "Іван",
    "Максім",
    "Дзяніс",
    "Антон",
    "Вадзім",
    "Раман",
    "Кірыл",
    "Канстанцін",
    "Генадзь",
    "Леанід",
    "Валерый",
    "Васіль",
    "Пётр",
    "Сцяпан",
    "Рыгор",
    "Анатоль",
    "Барыс",
    "Вячаслаў",
    "Цімафей",
    "Яраслаў",
    "Мікіта",
    "Алесь",
    "Зміцер",
    "Станіслаў",
    "Арцём",
    "Ілья",
]
FEMALE = [
    "Марыя",
    "Святлана",
    "Кацярына",
    "Вольга",
    "Наталля",
    "Таццяна",
    "Алена",
    "Ганна",
    "Ірына",
    "Юлія",
    "Вікторыя",
    "Дар'я",
    "Анастасія",
    "Людміла",
    "Галіна",
    "Марына",
    "Валянціна",
    "Вераніка",
    "Алеся",
    "Ксенія",
    "Паліна",
    "Надзея",
]
ONSET = [
    "б",
    "в",
    "г",
    "д",
    "ж",
    "з",
    "к",
    "л",
    "м",
    "н",
    "п",
    "р",
    "с",
    "т",
    "х",
    "ц",
    "ч",
    "ш",
    "бр",
    "гр",
    "кр",
    "пр",
    "ст",
    "шч",
    "дз",
    "сц",
    "хв",
    "зв",
]
VOWEL = ["а", "о", "у", "е", "і", "ы", "я", "ё", "ю"]
SUFFIX_M = ["евіч", "овіч", "скі", "цкі", "ёнак", "ук", "чык", "ка", "енка", "ец", "оў", "аў"]
FEMININE = {"скі": "ская", "цкі": "цкая", "оў": "ова", "аў": "ава"}
RU = str.maketrans({"і": "и", "ў": "в", "'": "ь"})


def surname_stem(rng: random.Random) -> str:
    return "".join(rng.choice(ONSET) + rng.choice(VOWEL) for _ in range(rng.randint(1, 3)))


class Surnames:
    """A pool of ``n`` surnames (stem + suffix) drawn with Zipf-like frequencies, as in a real
    population: a few very common, a long tail of rare ones."""

    def __init__(self, rng: random.Random, n: int) -> None:
        forms: set[tuple[str, str]] = set()
        while len(forms) < n:
            forms.add((surname_stem(rng), rng.choice(SUFFIX_M)))
        self.forms = sorted(forms)
        rng.shuffle(self.forms)
        weights = [1.0 / (rank + 10) for rank in range(n)]
        total, acc = sum(weights), 0.0
        self.cum: list[float] = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def pick(self, rng: random.Random) -> tuple[str, str]:
        return rng.choices(self.forms, cum_weights=self.cum)[0]


def person(rng: random.Random, surnames: Surnames) -> tuple[str, str, int]:
    """(given name, full Cyrillic name as the right list writes it, birth year)."""
    female = rng.random() < 0.3
    given = rng.choice(FEMALE if female else MALE)
    stem, suffix = surnames.pick(rng)
    surname = stem + (FEMININE.get(suffix, suffix) if female else suffix)
    surname = surname[0].upper() + surname[1:]
    father = rng.choice(MALE)
    patronymic = father + ("аўна" if female else "авіч")
    parts = [surname, given] + ([patronymic] if rng.random() < 0.5 else [])
    if rng.random() < 0.3:
        parts[0] = parts[0].upper()
    text = " ".join(parts)
    if rng.random() < 0.4:
        text = text.translate(RU)
    return given, text, rng.randint(1940, 2005)


def generate(
    folder: Path, left_n: int, right_n: int, seed: int, surname_pool: int
) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{right_n}-s{surname_pool}"
    left, right = folder / f"left-{left_n}-{tag}.csv", folder / f"right-{tag}.csv"
    if left.exists() and right.exists():
        return left, right
    rng = random.Random(seed)
    surnames = Surnames(rng, surname_pool)
    latin = icu.Transliterator.createInstance(
        "Belarusian-Latin/BGN; Russian-Latin/BGN; Latin-ASCII"
    )
    people = [person(rng, surnames) for _ in range(right_n)]
    with right.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "birth_year"])
        for i, (_g, text, year) in enumerate(people):
            w.writerow([f"R{i}", text, year])
    present = rng.sample(range(right_n), int(left_n * 0.8))
    with left.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "birth_year", "truth"])
        for j, i in enumerate(present):
            _g, text, year = people[i]
            words = text.split()
            surname, given = words[0].capitalize(), words[1]
            name = latin.transliterate(f"{given} {surname}")
            w.writerow([f"L{j}", name, year, f"R{i}"])
        for j in range(len(present), left_n):
            _g, text, year = person(rng, surnames)
            words = text.split()
            w.writerow(
                [f"L{j}", latin.transliterate(f"{words[1]} {words[0].capitalize()}"), year, ""]
            )
    return left, right


CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from prisonwatch.reconcile import ReconcileOptions, read_list, reconcile
from prisonwatch.reconcile.report import write_csv
stages = {}
marks = {}
def progress(stage, done, total):
    marks.setdefault(stage, time.perf_counter())
    if done >= total:
        stages[stage] = round(time.perf_counter() - marks[stage], 1)
t = time.perf_counter()
left = read_list(sys.argv[1])
right = read_list(sys.argv[2])
stages["read"] = round(time.perf_counter() - t, 1)
cache = Path(sys.argv[5]) if len(sys.argv) > 5 else None
opts = ReconcileOptions(candidates=int(sys.argv[4]), index_cache=cache)
result = reconcile(left, right, opts, progress=progress)
t = time.perf_counter()
write_csv(result, sys.argv[3])
stages["write"] = round(time.perf_counter() - t, 1)
truth = {r.key: r.raw["truth"] for r in left}
found = sum(1 for p in result.pairs if p.verdict == "match" and p.right is not None
            and truth[p.left.key] == p.right.id)
import resource
who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
cpu = sum(getattr(resource.getrusage(w), f) for w in who for f in ("ru_utime", "ru_stime"))
print(json.dumps({"cpu": round(cpu, 1), "stages": stages, "counts": result.counts, "found": found,
                  "present": sum(1 for v in truth.values() if v),
                  "total": round(time.perf_counter() - t0, 1)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--left-n", type=int, default=10_000)
    ap.add_argument("--right-n", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/pw-reconcile-speed"))
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--candidates", type=int, default=20, help="candidates per left row")
    ap.add_argument("--index-cache", type=Path, default=None, help="reuse the index from here")
    ap.add_argument("--surnames", type=int, default=100_000, help="distinct surname forms")
    args = ap.parse_args()
    t = time.perf_counter()
    left, right = generate(args.dir, args.left_n, args.right_n, args.seed, args.surnames)
    print(
        f"files: {left} ({args.left_n:,} rows), {right} ({args.right_n:,} rows) "
        f"[{time.perf_counter() - t:.1f} s to generate or find]"
    )
    out = args.dir / "out.csv"
    t = time.perf_counter()
    cache = [str(args.index_cache)] if args.index_cache else []
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(left),
            str(right),
            str(out),
            str(args.candidates),
            *cache,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"stages (s, wall): {report['stages']}; CPU time of all processes {report['cpu']} s")
    print(f"counts: {report['counts']}")
    print(
        f"found {report['found']:,} of the {report['present']:,} left rows that are on the "
        f"right ({report['found'] / max(1, report['present']):.1%}) as 'match'"
    )
    print(f"end to end (child process, incl. imports): {wall:.1f} s; peak memory {peak_mb:,.0f} MB")
    print(f"load average now: {os.getloadavg()[0]:.1f} (other work on this machine slows it)")


if __name__ == "__main__":
    main()
