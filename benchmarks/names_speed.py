"""Speed of the candidate index on synthetic registries (default: 1,000,000 names).

Synthetic names are realistic Belarusian/Russian full names (given name, patronymic made
from a father's given name, surname from generated stems and the usual suffixes), written in
Russian or Belarusian Cyrillic or in one of several romanisations (BGN, passport, German,
Polish, Swedish), in either word order, sometimes in capitals. Queries are other spellings of
registry people, perturbed (patronymic dropped, one typo, word order).

Prints: build time, time for all queries one by one (``search``, limit 10, one process) and as
a batch (``search_many``: two forked workers sharing the index), single-query p50/p99, peak
memory, and rapidfuzz brute force (``process.extractOne`` with ``token_sort_ratio`` over all
keys) on a sample, as the ratio. Then recall of the index against brute-force scoring with the
matcher on a smaller registry (``--recall-n`` names × ``--recall-q`` queries), at the match and
review thresholds.

Run: ``.venv/bin/python benchmarks/names_speed.py [--n 1000000] [--queries 10000]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

import icu
from rapidfuzz import fuzz, process

from prisonwatch.names import CandidateIndex, default_matcher, search_key

MALE = [
    "Александр",
    "Сергей",
    "Николай",
    "Владимир",
    "Андрей",
    "Дмитрий",
    "Алексей",
    "Игорь",
    "Виктор",
    "Павел",
    "Михаил",
    "Юрий",
    "Евгений",
    "Олег",
    "Иван",
    "Максим",
    "Денис",
    "Антон",
    "Вадим",
    "Артём",
    "Роман",
    "Кирилл",
    "Константин",
    "Геннадий",
    "Леонид",
    "Валерий",
    "Василий",
    "Пётр",
    "Степан",
    "Григорий",
    "Анатолий",
    "Борис",
    "Вячеслав",
    "Тимофей",
    "Ярослав",
    "Никита",
]
FEMALE = [
    "Мария",
    "Светлана",
    "Екатерина",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Елена",
    "Анна",
    "Ирина",
    "Юлия",
    "Виктория",
    "Дарья",
    "Анастасия",
    "Людмила",
    "Галина",
    "Марина",
    "Валентина",
    "Вероника",
    "Алеся",
    "Ксения",
    "Полина",
    "Надежда",
]
PATR = {"й": ("евич", "евна"), "ь": ("евич", "евна"), "": ("ович", "овна")}
SYLL = [
    "ба",
    "бо",
    "ва",
    "ве",
    "го",
    "да",
    "до",
    "ду",
    "же",
    "за",
    "зи",
    "ка",
    "ке",
    "ко",
    "ку",
    "ла",
    "ле",
    "ли",
    "ло",
    "лу",
    "ма",
    "ме",
    "ми",
    "мо",
    "на",
    "не",
    "ни",
    "но",
    "па",
    "пе",
    "по",
    "ра",
    "ре",
    "ро",
    "ру",
    "са",
    "се",
    "си",
    "со",
    "та",
    "те",
    "ти",
    "то",
    "ту",
    "фе",
    "ха",
    "хо",
    "ца",
    "це",
    "ча",
    "че",
    "ша",
    "ше",
    "шу",
]
SUFFIX_M = ("ов", "ев", "ин", "ский", "енко", "ук", "ич", "евич", "ович", "ёнок", "ко", "ец")
FEM = {"ов": "ова", "ев": "ева", "ин": "ина", "ский": "ская", "ёнок": "ёнок"}

_RU_BE = (
    ("ий", "і"),
    ("ый", "ы"),
    ("и", "і"),
    ("е", "е"),
    ("о", "а"),
    ("ё", "ё"),
    ("щ", "шч"),
    ("ов ", "оў "),
    ("ъ", "'"),
)
# (transliterator, applied to the Belarusian form?) — Belarusian BGN only knows Belarusian
# letters (it leaves Russian и as is), so it gets the Belarusian spelling. Every romanisation
# ends with Any-Latin so no Cyrillic letter is left in a Latin spelling.
_ROMAN = (
    ("Russian-Latin/BGN; Any-Latin; Latin-ASCII", False),
    ("Belarusian-Latin/BGN; Any-Latin; Latin-ASCII", True),
    ("Cyrillic-Latin; Any-Latin", False),
    ("Any-Latin; Latin-ASCII", False),
)
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _patronymic(father: str, female: bool) -> str:
    end = father[-1] if father[-1] in "йь" else ""
    stem = father[:-1] if end else father
    return stem + PATR[end][1 if female else 0]


def _belarusian(text: str) -> str:
    out = text + " "
    for a, b in _RU_BE:
        out = out.replace(a, b)
    return out.strip()


class Names:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tr = [(icu.Transliterator.createInstance(t), be) for t, be in _ROMAN]
        self.stems = sorted(
            {
                "".join(self.rng.choice(SYLL) for _ in range(self.rng.choice((2, 2, 3))))
                for _ in range(60_000)
            }
        )

    def person(self) -> tuple[str, str, str]:
        r = self.rng
        female = r.random() < 0.35
        given = r.choice(FEMALE if female else MALE)
        patr = _patronymic(r.choice(MALE), female)
        stem = r.choice(self.stems)
        suf = r.choice(SUFFIX_M)
        sur = (stem + (FEM.get(suf, suf) if female else suf)).capitalize()
        return given, patr, sur

    def spell(self, p: tuple[str, str, str], drop_patr: bool = False) -> str:
        r = self.rng
        given, patr, sur = p
        parts = [given] if drop_patr else [given, patr]
        if r.random() < 0.5:
            words = [sur.upper() if r.random() < 0.3 else sur, *parts]
        else:
            words = [*parts, sur.upper() if r.random() < 0.3 else sur]
        text = " ".join(words)
        mode = r.random()
        if mode < 0.3:
            return text
        if mode < 0.45:
            return _belarusian(text)
        tr, be = r.choice(self.tr)
        latin = tr.transliterate(_belarusian(text) if be else text)
        assert not _CYRILLIC.search(latin), latin
        if r.random() < 0.15:
            latin = latin.replace("vich", "witsch").replace("ovna", "owna")
        elif r.random() < 0.15:
            latin = latin.replace("vich", "wicz").replace("sh", "sz")
        elif r.random() < 0.1:
            latin = latin.replace("vich", "vitj").replace("sh", "sj")
        return latin

    def typo(self, text: str) -> str:
        i = self.rng.randrange(1, max(2, len(text) - 1))
        if text[i].isalpha():
            return text[:i] + text[i + 1 :]
        return text


def registry(names: Names, n: int) -> tuple[list[tuple[str, str, str]], list[str]]:
    people = [names.person() for _ in range(max(1, n // 2))]
    spellings = [names.spell(people[i // 2]) for i in range(n)]
    return people, spellings


def queries(names: Names, people: list[tuple[str, str, str]], q: int) -> list[str]:
    out = []
    for _ in range(q):
        p = names.rng.choice(people)
        s = names.spell(p, drop_patr=names.rng.random() < 0.3)
        if names.rng.random() < 0.3:
            s = names.typo(s)
        out.append(s)
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description="candidate index speed")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--brute-sample", type=int, default=20)
    ap.add_argument("--recall-n", type=int, default=50_000)
    ap.add_argument("--recall-q", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--recall-only", action="store_true", help="skip the speed part")
    args = ap.parse_args()
    gen = Names(args.seed)
    t0 = time.perf_counter()
    people, spellings = registry(gen, args.n)
    qs = queries(gen, people, args.queries)
    print(
        f"synthetic: {args.n:,} names ({len(people):,} people), {len(qs):,} queries, "
        f"generated in {time.perf_counter() - t0:.1f} s"
    )
    print("examples:", " | ".join(spellings[:6]))
    if args.recall_only:
        recall(gen, people, spellings, args.recall_n, args.recall_q)
        return

    t0 = time.perf_counter()
    built = CandidateIndex.build(enumerate(spellings))
    build = time.perf_counter() - t0
    print(f"index build:        {build:8.1f} s   (peak memory so far {peak_mb():,.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "names.npz"
        t0 = time.perf_counter()
        built.save(path)
        saved = time.perf_counter() - t0
        size = path.stat().st_size / 1e6
        del built
        t0 = time.perf_counter()
        idx = CandidateIndex.load(path)
        loaded = time.perf_counter() - t0
    print(
        f"index save / load:  {saved:8.1f} s / {loaded:.1f} s ({size:,.0f} MB file); "
        "queries below run on the loaded index"
    )

    # The batch first, on the freshly loaded index: the one-by-one run after it starts as cold
    # (the workers' caches die with them).
    t0 = time.perf_counter()
    batch = idx.search_many(qs, limit=10)
    batch_s = time.perf_counter() - t0
    print(
        f"all queries, batch: {batch_s:8.1f} s   ({len(qs):,} queries, search_many: "
        "2 forked workers sharing the index)"
    )
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of a batch worker: {child:,.0f} MB (pages shared with the parent counted)")

    lat: list[float] = []
    t0 = time.perf_counter()
    same = 0
    for q, expected in zip(qs, batch, strict=True):
        s = time.perf_counter()
        found = idx.search(q, limit=10)
        lat.append(time.perf_counter() - s)
        same += found == expected
    total = time.perf_counter() - t0
    lat.sort()
    p50 = statistics.median(lat) * 1000
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000
    print(f"all queries, 1 by 1: {total:7.1f} s   ({len(qs):,} × search(limit=10), 1 process)")
    print(f"single query:       p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {lat[-1] * 1000:.1f} ms")
    print(f"same results in the batch and one by one: {same:,} of {len(qs):,}")
    hits = sum(bool(r) for r in batch)
    print(f"queries with a result >= review: {hits / len(qs):.1%}")
    print(f"peak memory (RSS):  {peak_mb():8,.0f} MB")

    keys = [search_key(s) for s in spellings]
    sample = qs[: args.brute_sample]
    t0 = time.perf_counter()
    for q in sample:
        process.extractOne(search_key(q), keys, scorer=fuzz.token_sort_ratio)
    per = (time.perf_counter() - t0) / len(sample)
    print(
        f"rapidfuzz brute force (token_sort_ratio over {args.n:,} keys): {per * 1000:.0f} ms"
        f"/query -> {per * len(qs):,.0f} s for {len(qs):,} queries "
        f"= {per * len(qs) / total:.0f}× the index"
    )
    del keys, idx

    recall(gen, people, spellings, args.recall_n, args.recall_q)


_RECALL: tuple[CandidateIndex, list[str], float, float] | None = None


def _recall_chunk(qs: list[str]) -> list[tuple[str, list[tuple[int, float]], set[int], set[int]]]:
    """Brute force for ``qs`` (in a forked worker): every name scored with the matcher."""
    assert _RECALL is not None
    sidx, sub, review_t, _match_t = _RECALL
    m = default_matcher()
    out = []
    for q in qs:
        hits = [(i, s) for i, n in enumerate(sub) if (s := m.score(q, n)) >= review_t]
        cands = {int(k) for k in sidx.candidates(q, limit=50)}
        found = {int(k) for k, _r in sidx.search(q, limit=50, min_score=review_t)}
        out.append((q, hits, cands, found))
    return out


def recall(
    gen: Names, people: list[tuple[str, str, str]], spellings: list[str], n: int, q: int
) -> None:
    """Recall of the index against scoring every pair with the matcher, on ``n`` names: of the
    pairs brute force finds at a threshold, the share among ``candidates(limit=50)`` and among
    the results of ``search(limit=50)``. Brute force runs in two forked processes."""
    global _RECALL
    m = default_matcher()
    sub = spellings[:n]
    sidx = CandidateIndex.build(enumerate(sub))
    rq = queries(gen, people[: n // 2], q)
    _RECALL = (sidx, sub, m.review_threshold, m.match_threshold)
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        done = [r for part in pool.map(_recall_chunk, [rq[0::2], rq[1::2]]) for r in part]
    print(
        f"recall vs brute force ({len(rq):,} queries × {len(sub):,} names, "
        f"{time.perf_counter() - t0:.0f} s):"
    )
    for t in (m.match_threshold, m.review_threshold):
        brute = cand = found = 0
        misses: list[str] = []
        for query, hits, cands, got in done:
            for i, s in hits:
                if s < t:
                    continue
                brute += 1
                cand += i in cands
                found += i in got
                if i not in cands:
                    misses.append(f"{query!r} ~ {sub[i]!r} ({s:.3f})")
        print(
            f"  score >= {t}: {cand}/{brute} = {cand / max(1, brute):.2%} of brute-force hits"
            f" are candidates (limit 50); {found}/{brute} = {found / max(1, brute):.2%} are"
            " returned by search(limit=50)"
        )
        if t == m.match_threshold:
            for line in misses[:10]:
                print(f"    not a candidate: {line}")


if __name__ == "__main__":
    main()
