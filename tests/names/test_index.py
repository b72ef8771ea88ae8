"""CandidateIndex: recall against brute force on the dev data, add/remove, save/load."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prisonwatch.names import CandidateIndex, default_matcher
from prisonwatch.names.index.hashing import HashTable

REGISTRY = [
    (1, "Мікалай Статкевіч"),
    (2, "Аляксандр Рыгоравіч Лукашэнка"),
    (3, "Aliaksandr Milinkevich"),
    (4, "Фабричный Сергей Юрьевич"),
    (5, "Святлана Ціханоўская"),
    ("p-6", "Мария Колесникова"),
]


@pytest.fixture
def small() -> CandidateIndex:
    return CandidateIndex.build(REGISTRY)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("STATKEVICH Nikolai", 1),
        ("Alexander Lukashenko", 2),
        ("Lukasjenko Aljaksandr", 2),
        ("Sviatłana Cichanoŭskaja", 5),
        ("Kalesnikava Maryia", "p-6"),
        ("Статкевича Николая", 1),
    ],
)
def test_search_finds_the_person(small: CandidateIndex, query: str, key: int | str) -> None:
    assert key in small.candidates(query, limit=5)
    results = small.search(query, limit=3)
    assert results and results[0][0] == key
    assert results[0][1].score >= default_matcher().match_threshold


def test_one_word_query_finds_the_person_for_review(small: CandidateIndex) -> None:
    results = small.search("statkevich")
    assert [k for k, _r in results] == [1]
    assert results[0][1].verdict.value == "review"


def test_search_does_not_return_other_people(small: CandidateIndex) -> None:
    # shares given name and patronymic only: below the review threshold, not returned
    assert small.search("Бидонько Сергей Юрьевич") == []
    assert [k for k, _r in small.search("Aliaksandr Milinkevich")] == [3]
    assert small.search("Aliaksandr Milinkevich", min_score=0.0)[0][0] == 3


def test_add_and_remove(small: CandidateIndex) -> None:
    small.add(7, "Ihar Losik")
    assert small.search("Игорь Лосик")[0][0] == 7
    small.remove(7)
    assert small.search("Игорь Лосик") == []
    small.remove(1)
    assert 1 not in small.candidates("Mikalai Statkevich")
    assert len(small) == len(REGISTRY) - 1


def test_remembered_query_words_do_not_hide_later_additions(small: CandidateIndex) -> None:
    # the first search remembers what "Ihar"/"Losik" reach; add() must make it forget that
    assert small.search("Ihar Losik") == []
    small.add(7, "Игорь Лосик")
    assert [k for k, _r in small.search("Ihar Losik")] == [7]
    small.remove(7)
    assert small.search("Ihar Losik") == []


def test_search_names_without_explanations(small: CandidateIndex) -> None:
    full = small.search_names("STATKEVICH Nikolai", limit=3)
    bare = small.search_names("STATKEVICH Nikolai", limit=3, explain=False)
    assert [(k, n, r.score, r.verdict) for k, n, r in full] == [
        (k, n, r.score, r.verdict) for k, n, r in bare
    ]
    assert full[0][:2] == (1, "Мікалай Статкевіч") and "surname" in full[0][2].why
    assert bare[0][2].why == ""


@pytest.mark.parametrize("workers", [1, 2])
def test_search_many_equals_one_by_one(small: CandidateIndex, workers: int) -> None:
    queries = ["STATKEVICH Nikolai", "Бидонько Сергей Юрьевич", "Kalesnikava Maryia", ""] * 3
    expected = [small.search(q) for q in queries]
    done: list[int] = []
    assert small.search_many(queries, workers=workers, progress=done.append) == expected
    assert done[-1] == len(queries)
    assert [r[0][0] for r in expected[:3] if r] == [1, "p-6"]


def test_save_and_load_round_trip(small: CandidateIndex, tmp_path: Path) -> None:
    small.add(8, "Maria Kalesnikava")
    small.remove(3)
    path = tmp_path / "idx.npz"
    small.save(path)
    loaded = CandidateIndex.load(path)
    assert len(loaded) == len(small)
    for q in ["Nikolai Statkevich", "Maria Kalesnikava", "Aliaksandr Lukashenka"]:
        assert loaded.candidates(q) == small.candidates(q)
    assert 3 not in loaded.candidates("Aliaksandr Milinkevich")
    assert set(loaded.candidates("Maria Kalesnikava")) == {8, "p-6"}


def test_load_rejects_other_files(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "other.npz"
    np.savez(path, meta=np.frombuffer(b'{"format": "x"}', dtype=np.uint8))
    with pytest.raises(ValueError):
        CandidateIndex.load(path)


def test_empty_index() -> None:
    idx = CandidateIndex.build([])
    assert idx.candidates("Mikalai Statkevich") == []
    assert idx.search("Mikalai Statkevich") == []


def test_progress_callback() -> None:
    seen: list[int] = []
    CandidateIndex.build(((i, f"Ivan Petrov{i}") for i in range(20_000)), progress=seen.append)
    assert seen == [10_000, 20_000]


def test_recall_against_brute_force(shared_data: Path) -> None:
    """Every match that scoring all pairs finds is among the index's candidates (≥ 99.5%)."""
    with (shared_data / "names-dev.csv").open(encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    idx = CandidateIndex.build(enumerate(names))
    m = default_matcher()
    queries = names[::7]
    found = total = 0
    for q in queries:
        brute = {i for i, n in enumerate(names) if m.score(q, n) >= m.match_threshold}
        cands = set(idx.candidates(q, limit=50))
        total += len(brute)
        found += len(brute & cands)
    assert total > 300
    assert found / total >= 0.995, (found, total)


def test_letters_deleted_far_apart_do_not_make_a_candidate_look_close() -> None:
    # РОНАЕВИЧ reaches the patronymic Андреевич through deleted letters (four edits apart):
    # such a row must not be estimated like a real variant, or it crowds out Разіевіч (two
    # edits, which the matcher takes as a spelling variant). Registry order puts them first.
    rows = [(i, f"Игорь Андреевич Ситеру{chr(0x430 + i)}ч") for i in range(10)]
    rows.append((99, "Игарь Антанавіч Разіевіч"))
    idx = CandidateIndex.build(rows)
    assert idx.candidates("Игор РОНАЕВИЧ", limit=1) == [99]
    assert default_matcher().score("Игор РОНАЕВИЧ", "Игарь Антанавіч Разіевіч") >= 0.8


def _namesakes(n: int) -> list[tuple[int, str]]:
    """``n`` people called Алена + one surname-only spelling that a one-word query hits
    exactly: the pool (every Алена is reached from "Лена") is bigger than the pruning cap."""
    rows = [(i, f"Алена Сур{chr(0x430 + i % 30)}{chr(0x430 + i // 30 % 30)}ка") for i in range(n)]
    rows.append(("exact", "Лейна Мікалаеўна"))
    return rows


def test_a_big_pool_is_pruned_to_the_rows_reached_best(monkeypatch: pytest.MonkeyPatch) -> None:
    import prisonwatch.names.index.candidate_index as index_module

    idx = CandidateIndex.build(_namesakes(300))
    full = idx.candidates("Лейна", limit=5)
    monkeypatch.setattr(index_module, "PRUNE_POOL", 20)
    monkeypatch.setattr(index_module, "PRUNE_PER_RESULT", 2)
    pruned = idx.candidates("Лейна", limit=5)
    assert pruned[0] == "exact" == full[0]


def test_distinct_rows_by_scatter_equal_distinct_rows_by_sort(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import prisonwatch.names.index.candidate_index as index_module

    idx = CandidateIndex.build(_namesakes(300))
    queries = ["Лейна", "Алена Сурабка", "Alena Surabka", "Лейна Мікалаеўна"]
    by_sort = [idx.candidates(q, limit=400) for q in queries]
    monkeypatch.setattr(index_module, "DENSE_ROWS", 0)
    idx._forget_hits()
    by_scatter = [idx.candidates(q, limit=400) for q in queries]
    assert [sorted(map(str, c)) for c in by_scatter] == [sorted(map(str, c)) for c in by_sort]
    assert all(by_sort)


def test_a_one_word_query_puts_the_same_spelling_before_variants() -> None:
    # every hit of a surname-only query is capped at the same score (one name part in common):
    # among them the exact surname must come first, not the registry's order
    rows = [(i, f"{given} Kamanienka") for i, given in enumerate(["Alena", "Andrei", "Hanna"])]
    rows += [(10, "Ihar Komanienka"), (11, "Maksim Kamaenka")]
    idx = CandidateIndex.build(rows)
    found = idx.search("kamaenka", limit=5)
    assert found[0][0] == 11
    assert {r.score for _k, r in found} == {found[0][1].score}  # all equal: the order decides
    assert idx.candidates("kamaenka", limit=1) == [11]


# ------------------------------------------------ the index's vectorised steps vs plain Python
_ROWS = st.lists(st.integers(0, 299), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(rows=_ROWS, data=st.data())
def test_distinct_rows_keep_each_row_once_with_its_highest_value(
    rows: list[int], data: st.DataObject
) -> None:
    from prisonwatch.names.index.arrays import Work, distinct_rows

    vals = data.draw(st.lists(st.integers(0, 250), min_size=len(rows), max_size=len(rows)))
    got_rows, got_vals = distinct_rows(
        np.array(rows, dtype=np.int32), np.array(vals, dtype=np.uint8), 300, Work()
    )
    expected: dict[int, int] = {}
    for r, v in zip(rows, vals, strict=True):
        expected[r] = max(v, expected.get(r, 0))
    assert len(got_rows) == len(expected)
    assert dict(zip(got_rows.tolist(), got_vals.tolist(), strict=True)) == expected


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(st.integers(-1, 49), max_size=200), n_extra=st.integers(0, 5_000))
def test_unique_inverse_equals_numpy_unique(ids: list[int], n_extra: int) -> None:
    from prisonwatch.names.index.arrays import Work, unique_inverse

    arr = np.array(ids, dtype=np.int32)
    want_u, want_inv = np.unique(arr, return_inverse=True)
    work = Work()
    for _ in range(2):  # the second call runs on the work arrays the first one left
        got_u, got_inv = unique_inverse(arr, 50 + n_extra, work)
        assert got_u.tolist() == want_u.tolist()
        assert got_inv.ravel().tolist() == want_inv.ravel().tolist()


@pytest.fixture(scope="module")
def pooled() -> CandidateIndex:
    rows: list[tuple[int | str, str]] = list(_namesakes(300))
    rows += [(f"one{i}", f"Лейна{chr(0x430 + i)}") for i in range(10)]  # one-word names
    return CandidateIndex.build(rows)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_pool_equals_the_rule_applied_row_by_row(
    pooled: CandidateIndex, data: st.DataObject
) -> None:
    """Rows reached by two query words, or by one when the name has a single word or the
    word is rare; each once with how many words reach it."""
    import prisonwatch.names.index.candidate_index as index_module

    n = len(pooled._keys)
    k = data.draw(st.integers(2, 4))
    posts = [
        data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=250)) for _ in range(k)
    ]
    rare_at = data.draw(st.sampled_from([0, 20, index_module.RARE_POSTINGS]))
    full = pooled._name_full
    reach: dict[int, int] = {}
    for t, p in enumerate(posts):
        for r in p:
            reach[r] = reach.get(r, 0) | 1 << t
    rare = {t for t, p in enumerate(posts) if len(p) <= rare_at}
    expected = {
        r: bin(b).count("1")
        for r, b in reach.items()
        if bin(b).count("1") >= 2 or full[r] <= 1 or any(b >> t & 1 for t in rare)
    }
    work = index_module.Work()
    arrays = [np.array(p, dtype=np.int32) for p in posts]
    old = index_module.RARE_POSTINGS
    index_module.RARE_POSTINGS = rare_at
    try:
        for _ in range(2):  # again on the same work arrays: they were left clean
            pool, hit = pooled._pool(arrays, work)
            assert len(pool) == len(set(pool.tolist()))
            assert dict(zip(pool.tolist(), hit.tolist(), strict=True)) == expected
    finally:
        index_module.RARE_POSTINGS = old


@pytest.mark.parametrize("n", [0, 1, 7, 5_000])
def test_hash_table_finds_what_a_binary_search_finds(n: int) -> None:
    """Every position of every query hash, present (repeats included) or absent."""
    rng = np.random.default_rng(n)
    hashes = np.sort(rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64, endpoint=True))
    if n > 1:
        hashes[1] = hashes[0]  # a hash shared by two words
    table = HashTable(hashes)
    queries = np.concatenate(
        [hashes[: min(n, 50)], rng.integers(0, 2**63, size=20, dtype=np.uint64)]
    )
    lo = np.searchsorted(hashes, queries, side="left")
    hi = np.searchsorted(hashes, queries, side="right")
    expected = sorted(p for a, b in zip(lo.tolist(), hi.tolist(), strict=True) for p in range(a, b))
    assert sorted(table.positions(queries).tolist()) == expected
    assert table.positions(np.zeros(0, dtype=np.uint64)).tolist() == []
