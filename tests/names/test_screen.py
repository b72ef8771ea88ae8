"""The screening index (officials indexed, sanctioned names streamed): the pairs it finds,
against the matcher scoring every pair."""

from __future__ import annotations

import random

import pytest

from prisonwatch.names import MATCH_THRESHOLD, default_matcher
from prisonwatch.names.screen import ScreeningIndex

OFFICIALS = [
    (1, "Лукашенко Виктор Петрович"),
    (2, "Khalid Shaikh Mohammed"),
    (3, "Иванов И.И."),
    (4, "Лукашенко Вадим"),
    (5, "Статкевіч Мікалай Віктаравіч"),
]


@pytest.mark.parametrize(
    ("listed", "found"),
    [
        ("LUKASHENKA, Viktar Aliaksandravich", {1}),  # another patronymic: uncertain
        ("Khalid Sheikh MOHAMMED", {2}),
        ("IVANOV, Igor Ivanovich", {3}),  # initials: uncertain
        ("LUKASHENKA, Alyaksandr Hryhoryavich", set()),  # another given name
        ("STATKEVICH, Mikalai Viktaravich", {5}),
        ("Nikolai Statkevich", {5}),
        ("PETROV, Viktor Petrovich", set()),  # another surname
        ("BELAVIA", set()),
    ],
)
def test_pairs_found(listed: str, found: set[int]) -> None:
    idx = ScreeningIndex(OFFICIALS)
    assert {int(h.key) for h in idx.screen_one(0, listed)} == found


def _names(rng: random.Random, n: int) -> list[str]:
    given = ["Сергей", "Аляксандр", "Ivan", "Alexander", "Мікалай", "Nikolai", "Ольга", "Olga"]
    patr = ["Иванович", "Петрович", "Ivanovich", "Viktaravich", "Сяргеевіч", ""]
    sur = ["Иванов", "Ivanou", "Петров", "Petrov", "Statkevich", "Статкевіч", "Kovalenko",
           "Коваленко", "Sidorova", "Сидорова", "Lukashenka", "Лукашенко"]  # fmt: skip
    return [
        " ".join(x for x in (rng.choice(sur), rng.choice(given), rng.choice(patr)) if x)
        for _ in range(n)
    ]


def test_no_match_the_matcher_finds_is_missed_and_nothing_else_is_found() -> None:
    rng = random.Random(5)
    officials = list(enumerate(_names(rng, 60)))
    stream = list(enumerate(_names(rng, 400)))
    m = default_matcher()
    brute = {
        (o, k) for o, on in officials for k, sn in stream if m.score(on, sn) >= MATCH_THRESHOLD
    }
    assert brute  # the test data has matches
    idx = ScreeningIndex(officials)
    got = idx.screen(stream, workers=1)
    found = {(int(h.key), int(h.other_key)) for h in got if h.score >= MATCH_THRESHOLD}
    assert found == brute
    assert all(h.score >= m.review_threshold for h in got)
    # two forked workers give the same hits
    assert sorted(idx.screen(stream, workers=2)) == sorted(got)
