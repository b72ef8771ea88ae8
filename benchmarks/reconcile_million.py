"""``prisonwatch reconcile`` against a rapidfuzz brute-force scan, 10,000 × 1,000,000 names.

Generates (seeded, once; reused when present) in ``--dir``:

* ``right-*.csv`` (``id,name,birth_year``): ``--right-n`` people with Belarusian surnames
  (a pool of ``--surnames`` stems × suffixes, drawn with Zipf-like frequencies, so namesakes
  abound) written one way each: Belarusian Cyrillic, the Russian form in Cyrillic (Сяргей →
  Сергей, -ёнак → -ёнок, шч → щ, дз → д), or Latin (ICU BGN/PCGN of either form, or the
  scholarly transliteration with or without its diacritics); surname or given name first,
  half with a patronymic, some surnames in capitals;
* ``left-*.csv`` (same columns): ``--left-n`` rows, 80 % *planted* spellings of a right row
  (another of the ways above: other script or other language form, other word order,
  patronymic dropped or added, 15 % with one typo in the surname, birth year kept), 20 %
  people not on the right; their *truth* goes to ``truth-*.csv``, which the command never sees;
* a third of the planted rows also get one or two *namesakes* on the right: another person
  with the same surname and given name, written in another form, born in another year.

Then, in the same run and each in a fresh child process (imports and reading included):

1. **brute force**: rapidfuzz ``process.cdist`` (``workers=2``, ``fuzz.ratio``) of every left
   name against every right name, both unidecoded, lower-cased and word-sorted, in chunks of
   left rows; the best right row per left row is its proposal;
2. **ours**: ``prisonwatch reconcile LEFT RIGHT -o OUT.csv --no-db`` (with ``--index-cache``
   when given: run twice, the second run loads the saved index and the right list's rows
   saved beside it).

For each it prints the wall time, the peak memory (max RSS of its largest process) and the
recall: the share of planted left rows whose proposed right row (for ours: as ``match`` or
``review``) is the planted one.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/reconcile_million.py [--left-n 10000]
[--right-n 1000000] [--index-cache DIR] [--skip-brute]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import icu

# (Belarusian, Russian) given names
MALE = [
    ("Аляксандр", "Александр"),
    ("Сяргей", "Сергей"),
    ("Мікалай", "Николай"),
    ("Уладзімір", "Владимир"),
    ("Андрэй", "Андрей"),
    ("Дзмітрый", "Дмитрий"),
    ("Аляксей", "Алексей"),
    ("Ігар", "Игорь"),
    ("Віктар", "Виктор"),
    ("Павел", "Павел"),
    ("Міхаіл", "Михаил"),
    ("Юрый", "Юрий"),
    ("Яўген", "Евгений"),
    ("Алег", "Олег"),
    ("Іван", "Иван"),
    ("Максім", "Максим"),
    ("Дзяніс", "Денис"),
    ("Антон", "Антон"),
    ("Вадзім", "Вадим"),
    ("Раман", "Роман"),
    ("Кірыл", "Кирилл"),
    ("Канстанцін", "Константин"),
    ("Генадзь", "Геннадий"),
    ("Леанід", "Леонид"),
    ("Валерый", "Валерий"),
    ("Васіль", "Василий"),
    ("Пётр", "Пётр"),
    ("Сцяпан", "Степан"),
    ("Рыгор", "Григорий"),
    ("Анатоль", "Анатолий"),
    ("Барыс", "Борис"),
    ("Вячаслаў", "Вячеслав"),
    ("Цімафей", "Тимофей"),
    ("Яраслаў", "Ярослав"),
    ("Мікіта", "Никита"),
    ("Арцём", "Артём"),
    ("Ілья", "Илья"),
    ("Станіслаў", "Станислав"),
]
FEMALE = [
    ("Марыя", "Мария"),
    ("Святлана", "Светлана"),
    ("Кацярына", "Екатерина"),
    ("Вольга", "Ольга"),
    ("Наталля", "Наталья"),
    ("Таццяна", "Татьяна"),
    ("Алена", "Елена"),
    ("Ганна", "Анна"),
    ("Ірына", "Ирина"),
    ("Юлія", "Юлия"),
    ("Вікторыя", "Виктория"),
    ("Дар'я", "Дарья"),
    ("Анастасія", "Анастасия"),
    ("Людміла", "Людмила"),
    ("Галіна", "Галина"),
    ("Марына", "Марина"),
    ("Валянціна", "Валентина"),
    ("Вераніка", "Вероника"),
    ("Ксенія", "Ксения"),
    ("Паліна", "Полина"),
    ("Надзея", "Надежда"),
]
FATHERS = [(be, ru) for be, ru in MALE if not be.endswith(("а", "я"))]
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
VOWEL = ["а", "о", "у", "е", "і", "ы", "я", "ю"]
# (Belarusian masculine, feminine, Russian masculine, feminine)
SUFFIXES = [
    ("евіч", "евіч", "евич", "евич"),
    ("овіч", "овіч", "ович", "ович"),
    ("скі", "ская", "ский", "ская"),
    ("цкі", "цкая", "цкий", "цкая"),
    ("ёнак", "ёнак", "ёнок", "ёнок"),
    ("ук", "ук", "ук", "ук"),
    ("чык", "чык", "чик", "чик"),
    ("енка", "енка", "енко", "енко"),
    ("ец", "ец", "ец", "ец"),
    ("оў", "ова", "ов", "ова"),
    ("аў", "ава", "ов", "ова"),
    ("ін", "іна", "ин", "ина"),
]
STEM_RU = [("шч", "щ"), ("дз", "д"), ("і", "и"), ("ў", "в")]


def _ru_stem(stem: str) -> str:
    for a, b in STEM_RU:
        stem = stem.replace(a, b)
    return stem


def _patronymic(father: str, female: bool, ru: bool) -> str:
    if ru:
        base = father[:-1] + "е" if father.endswith(("й", "ь")) else father + "о"
        return base + ("вна" if female else "вич")
    base = father[:-1] + "е" if father.endswith(("й", "ь")) else father + "а"
    return base + ("ўна" if female else "віч")


class Person:
    __slots__ = ("female", "given", "patronymic", "surname", "year")

    def __init__(
        self,
        surname: tuple[str, str],
        given: tuple[str, str],
        patronymic: tuple[str, str],
        female: bool,
        year: int,
    ) -> None:
        self.surname, self.given, self.patronymic = surname, given, patronymic
        self.female, self.year = female, year


class Population:
    """Surnames drawn with Zipf-like frequencies from a pool of ``n`` forms."""

    def __init__(self, rng: random.Random, n: int) -> None:
        forms: set[tuple[str, int]] = set()
        while len(forms) < n:
            stem = "".join(rng.choice(ONSET) + rng.choice(VOWEL) for _ in range(rng.randint(1, 3)))
            forms.add((stem, rng.randrange(len(SUFFIXES))))
        self.forms = sorted(forms)
        rng.shuffle(self.forms)
        weights = [1.0 / (rank + 10) for rank in range(n)]
        total, acc = sum(weights), 0.0
        self.cum: list[float] = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def person(self, rng: random.Random, like: Person | None = None) -> Person:
        """A new person (a namesake of ``like``: same surname and given name, when given)."""
        female = rng.random() < 0.3 if like is None else like.female
        father = rng.choice(FATHERS)
        patr = (_patronymic(father[0], female, False), _patronymic(father[1], female, True))
        year = rng.randint(1940, 2005)
        if like is not None:
            return Person(like.surname, like.given, patr, female, year)
        stem, si = rng.choices(self.forms, cum_weights=self.cum)[0]
        be_m, be_f, ru_m, ru_f = SUFFIXES[si]
        surname = (stem + (be_f if female else be_m), _ru_stem(stem) + (ru_f if female else ru_m))
        surname = (surname[0].capitalize(), surname[1].capitalize())
        given = rng.choice(FEMALE if female else MALE)
        return Person(surname, given, patr, female, year)


#: How a name can be written: Cyrillic (Belarusian or Russian form), or Latin from either.
FORMS = ["be", "ru", "be-bgn", "ru-bgn", "be-sch", "ru-sch-ascii"]
_TRANS = {
    "be-bgn": "Belarusian-Latin/BGN; Latin-ASCII",
    "ru-bgn": "Russian-Latin/BGN; Latin-ASCII",
    "be-sch": "Cyrillic-Latin",
    "ru-sch-ascii": "Cyrillic-Latin; Latin-ASCII",
}
_ICU = {k: icu.Transliterator.createInstance(v) for k, v in _TRANS.items()}


def write_name(p: Person, form: str, rng: random.Random, patronymic: bool) -> str:
    ru = form.startswith("ru")
    surname, given = p.surname[ru], p.given[ru]
    parts = [surname, given]
    if rng.random() < 0.3:
        parts = [given, surname]
    if patronymic:
        parts.append(p.patronymic[ru])
    text = " ".join(parts)
    if form in _ICU:
        text = _ICU[form].transliterate(text)
    if rng.random() < 0.25:
        words = text.split()
        i = 0 if parts[0] == surname else 1
        words[i] = words[i].upper()
        text = " ".join(words)
    return text


def typo(text: str, rng: random.Random) -> str:
    """One slip in the longest word: a letter dropped, doubled, swapped or replaced."""
    words = text.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    if len(w) < 6:
        return text
    k = rng.randrange(1, len(w) - 2)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:k] + w[k + 1 :]
    elif kind == 1:
        w = w[:k] + w[k] + w[k:]
    elif kind == 2:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    else:
        pool = "аоеіыу" if "а" <= w[k].lower() <= "я" or w[k] in "іў" else "aoeiuy"
        w = w[:k] + rng.choice(pool.replace(w[k], "") or "a") + w[k + 1 :]
    words[i] = w
    return " ".join(words)


def generate(folder: Path, left_n: int, right_n: int, seed: int, surnames: int) -> tuple[Path, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{left_n}x{right_n}-s{surnames}-seed{seed}"
    left, right, truth = (folder / f"{k}-{tag}.csv" for k in ("left", "right", "truth"))
    if left.exists() and right.exists() and truth.exists():
        return left, right, truth
    rng = random.Random(seed)
    pop = Population(rng, surnames)
    n_planted = int(left_n * 0.8)
    n_namesakes_for = n_planted // 3
    slots = right_n - n_namesakes_for * 2  # room for up to two namesakes each
    people = [pop.person(rng) for _ in range(slots)]
    forms = [rng.choices(FORMS, weights=[40, 25, 12, 8, 8, 7])[0] for _ in people]
    planted = rng.sample(range(slots), n_planted)
    extra: list[tuple[Person, str]] = []
    for i in planted[:n_namesakes_for]:
        for _ in range(rng.choice((1, 2))):
            other = rng.choice([f for f in FORMS if f != forms[i]])
            extra.append((pop.person(rng, like=people[i]), other))
    while len(people) + len(extra) < right_n:
        p = pop.person(rng)
        extra.append((p, rng.choice(FORMS)))
    rows: list[tuple[Person, str]] = list(zip(people, forms, strict=True)) + extra
    order = list(range(len(rows)))
    rng.shuffle(order)
    rid = {old: new for new, old in enumerate(order)}
    with right.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "birth_year"])
        for old in order:
            p, form = rows[old]
            w.writerow([f"R{rid[old]}", write_name(p, form, rng, rng.random() < 0.5), p.year])
    lrows: list[tuple[str, int, str]] = []
    for i in planted:
        p = people[i]
        form = rng.choice([f for f in FORMS if f != forms[i]])
        name = write_name(p, form, rng, rng.random() < 0.3)
        if rng.random() < 0.15:
            name = typo(name, rng)
        lrows.append((name, p.year, f"R{rid[i]}"))
    while len(lrows) < left_n:
        p = pop.person(rng)
        lrows.append((write_name(p, rng.choice(FORMS), rng, rng.random() < 0.3), p.year, ""))
    rng.shuffle(lrows)
    with (
        left.open("w", newline="", encoding="utf-8") as fh,
        truth.open("w", newline="", encoding="utf-8") as th,
    ):
        w, t = csv.writer(fh), csv.writer(th)
        w.writerow(["id", "name", "birth_year"])
        t.writerow(["id", "truth"])
        for j, (name, year, true_id) in enumerate(lrows):
            w.writerow([f"L{j}", name, year])
            t.writerow([f"L{j}", true_id])
    return left, right, truth


BRUTE = r"""
import csv, json, sys, time
import numpy as np
from rapidfuzz import fuzz, process
from unidecode import unidecode
t0 = time.perf_counter()
def norm(s):
    return " ".join(sorted(unidecode(s).lower().split()))
def names(path):
    with open(path, encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        return [(row["id"], row["name"]) for row in r]
left, right = names(sys.argv[1]), names(sys.argv[2])
lq = [norm(n) for _i, n in left]
rq = [norm(n) for _i, n in right]
prep = time.perf_counter() - t0
best = np.empty(len(lq), dtype=np.int64)
chunk = int(sys.argv[4])
for a in range(0, len(lq), chunk):
    m = process.cdist(lq[a:a + chunk], rq, scorer=fuzz.ratio, workers=2, dtype=np.uint8)
    best[a:a + chunk] = m.argmax(axis=1)
with open(sys.argv[3], "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["left_id", "right_id"])
    for (lid, _n), b in zip(left, best.tolist()):
        w.writerow([lid, right[b][0]])
print(json.dumps({"prepare": round(prep, 1), "total": round(time.perf_counter() - t0, 1)}))
"""


def run_child(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (the child, its threads and the worker processes it waited
    for), peak MB (max RSS of the child or of its largest waited-for process) and stdout of
    one child process."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout


def recall(pairs: dict[str, str], truth: dict[str, str]) -> tuple[int, int]:
    planted = {k: v for k, v in truth.items() if v}
    return sum(1 for k, v in planted.items() if pairs.get(k) == v), len(planted)


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r["truth"] for r in csv.DictReader(fh)}


def ours_pairs(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Left id → proposed right id (match or review), and left id → verdict."""
    pairs: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            verdicts[r["left_id"]] = r["verdict"]
            if r["verdict"] in ("match", "review") and r["right_id"]:
                pairs[r["left_id"]] = r["right_id"]
    return pairs, verdicts


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--left-n", type=int, default=10_000)
    ap.add_argument("--right-n", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/pw-reconcile-million"))
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--surnames", type=int, default=100_000, help="distinct surname stems")
    ap.add_argument("--index-cache", type=Path, default=None, help="run ours twice, cached")
    ap.add_argument("--skip-brute", action="store_true", help="only ours (for profiling)")
    ap.add_argument("--chunk", type=int, default=250, help="left rows per cdist call")
    args = ap.parse_args()
    t = time.perf_counter()
    left, right, truth_path = generate(
        args.dir, args.left_n, args.right_n, args.seed, args.surnames
    )
    print(f"files: {left.name}, {right.name} in {args.dir} [{time.perf_counter() - t:.1f} s]")
    truth = read_truth(truth_path)
    results: list[tuple[str, float, float, float, int, int]] = []
    if not args.skip_brute:
        out = args.dir / "brute.csv"
        cmd = [sys.executable, "-c", BRUTE, str(left), str(right), str(out), str(args.chunk)]
        wall, cpu, peak, stdout = run_child(cmd)
        with out.open(encoding="utf-8", newline="") as fh:
            bpairs = {r["left_id"]: r["right_id"] for r in csv.DictReader(fh)}
        found, n = recall(bpairs, truth)
        stages = json.loads(stdout.strip().splitlines()[-1])
        print(
            f"brute force: {wall:.1f} s, CPU {cpu:.1f} s (read + unidecode {stages['prepare']} s), "
            f"peak {peak:,.0f} MB"
        )
        results.append(("brute force (cdist, fuzz.ratio, workers=2)", wall, cpu, peak, found, n))
    out = args.dir / "ours.csv"
    cli = [sys.executable, "-c", "from prisonwatch.cli import main; main()", "reconcile"]
    cli += [str(left), str(right)]
    cli += ["-o", str(out), "--no-db"]
    runs = [("ours", cli)]
    if args.index_cache is not None:
        cached = [*cli, "--index-cache", str(args.index_cache)]
        had = args.index_cache.exists() and any(args.index_cache.glob("*.npz"))
        first = "ours, cache present" if had else "ours, index built and saved"
        runs = [(first, cached), ("ours, saved index loaded", cached)]
    for label, cmd in runs:
        wall, cpu, peak, _stdout = run_child(cmd)
        pairs, verdicts = ours_pairs(out)
        found, n = recall(pairs, truth)
        counts = {v: sum(1 for x in verdicts.values() if x == v) for v in set(verdicts.values())}
        as_match = sum(
            1 for k, v in truth.items() if v and pairs.get(k) == v and verdicts[k] == "match"
        )
        print(
            f"{label}: {wall:.1f} s, CPU {cpu:.1f} s, peak {peak:,.0f} MB; verdicts {counts}; "
            f"planted as match {as_match:,}"
        )
        results.append((label, wall, cpu, peak, found, n))
    print()
    print("| run | wall | CPU (all processes) | peak RSS | planted right row proposed |")
    print("|---|---|---|---|---|")
    base = results[0][1] if not args.skip_brute else None
    for label, wall, cpu, peak, found, n in results:
        ratio = f" ({wall / base:.2f} × brute force)" if base and label.startswith("ours") else ""
        print(
            f"| {label} | {wall:.1f} s{ratio} | {cpu:.1f} s | {peak:,.0f} MB "
            f"| {found:,}/{n:,} = {found / n:.1%} |"
        )
    print(f"load average now: {os.getloadavg()[0]:.1f} (2 cores; other work slows both runs)")


if __name__ == "__main__":
    main()
