"""The letter figures: Gini on known distributions, the share with a letter."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.letters.figures import gini, letter_figures
from prisonwatch.letters.flags import set_flag
from prisonwatch.letters.log import log_letter
from prisonwatch.store.db import Database


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], 0.0),
        ([0, 0, 0], 0.0),
        ([5], 0.0),
        ([1, 1, 1, 1], 0.0),
        ([0, 0, 0, 4], 0.75),  # one has everything: (n-1)/n
        ([1, 2, 3, 4], 0.25),
        ([0, 1], 0.5),
        ([3, 1, 2, 4], 0.25),  # order does not matter
        ([-2, 0, 0, 4], 0.75),  # over-corrected counts count as 0
    ],
)
def test_gini(values: list[int], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


def test_gini_matches_the_mean_absolute_difference() -> None:
    xs = [0, 3, 3, 7, 1, 0, 12, 5]
    n, mean = len(xs), sum(xs) / len(xs)
    mad = sum(abs(a - b) for a in xs for b in xs) / (n * n)
    assert gini(xs) == pytest.approx(mad / (2 * mean))


def test_letter_figures(db: Database, build: type) -> None:
    day = dt.date(2025, 1, 1)
    with db.session() as s:
        b = build(s)
        ids = [b.person(f"Асоба {c}", [("detained", "2024-01-10", "IK-3")]) for c in "АБВГ"]
        flagged = b.person("Пазначаны", [("detained", "2024-01-10", "IK-3")])
        set_flag(s, flagged, "no_publicity", reason="family", actor="editor")
        for i in range(3):
            log_letter(s, ids[0], client_key=f"c{i}", day=day)
        log_letter(s, ids[1], client_key="c0", day=day)
        f = letter_figures(s, day)
        assert (f.eligible, f.with_letter_90d) == (4, 2)
        assert f.share == pytest.approx(0.5)
        assert f.gini == pytest.approx(gini([3, 1, 0, 0]))
        later = letter_figures(s, day + dt.timedelta(days=90))  # the letters left the window
        assert (later.with_letter_90d, later.share, later.gini) == (0, 0.0, 0.0)
