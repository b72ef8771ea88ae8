"""The comparison table ("12 months before vs after 2025-09-11") on the hand-checked timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.stats.compare import compare
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.periods import Period, PeriodError, around, parse_period
from prisonwatch.store.db import Database

D = dt.date


def test_around_splits_at_the_pivot_day() -> None:
    before, after = around(D(2025, 9, 11), "12 months")
    assert before == Period(D(2024, 9, 11), D(2025, 9, 10))
    assert after == Period(D(2025, 9, 11), D(2026, 9, 10))


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2024", Period(D(2024, 1, 1), D(2024, 12, 31))),
        ("2024-02", Period(D(2024, 2, 1), D(2024, 2, 29))),
        ("2024-02-03..2024-03-01", Period(D(2024, 2, 3), D(2024, 3, 1))),
    ],
)
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("bad", ["2024-13", "2024-03-01..2024-02-01", "soon", "2024-02..2024-03"])
def test_bad_periods_say_why(bad: str) -> None:
    with pytest.raises(PeriodError, match=r"period|before"):
        parse_period(bad)


EXPECTED = {
    "days": (365, 365, 0),
    "held at start": (3, 3, 0),
    "inflow": (0, 0, 0),
    "outflow": (0, 1, 1),
    "  outflow: expelled_abroad": (0, 1, 1),
    "  outflow: pardoned": (0, 0, 0),
    "net change": (0, -1, -1),
    "held at end": (3, 2, -1),
}


def test_comparison_table(db: Database, timeline: dict[str, int]) -> None:
    before, after = around(D(2025, 9, 11), "12 months")
    with db.session() as s:
        (cmp,) = compare(s, before, after)
    table = {r.measure: (r.first, r.second, r.change) for r in cmp.rows()}
    for measure, expected in EXPECTED.items():
        assert table[measure] == expected, measure
    assert list(table)[:2] == ["days", "held at start"]


def test_comparison_by_region(db: Database, timeline: dict[str, int]) -> None:
    # 2023 vs 2024: Minsk held p1 and p3 at the start of 2023; p1 released 2023-05-01
    with db.session() as s:
        rows = compare(s, parse_period("2023"), parse_period("2024"), dimension=Dimension.REGION)
    by_group = {c.group: c for c in rows}
    minsk = {r.measure: (r.first, r.second) for r in by_group["Minsk"].rows()}
    assert minsk["held at start"] == (2, 1)
    assert minsk["outflow"] == (1, 1)
    assert minsk["inflow"] == (0, 1)
    assert minsk["held at end"] == (1, 1)
