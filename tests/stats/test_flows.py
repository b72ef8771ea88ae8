"""Hand-computed timelines (see conftest.TIMELINE) against the flows, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.stats.flows import held_count, series, totals
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.periods import Period, Unit
from prisonwatch.store.db import Database

D = dt.date

# year: (held_start, {inflow kind: n}, {outflow kind: n}, held_end, newly recognised, withdrawn)
YEARLY = {
    "2020": (0, {"detained": 2}, {"released_other": 1}, 1, 0, 0),
    "2021": (1, {"detained": 2}, {}, 3, 1, 0),
    "2022": (3, {"detained": 2}, {}, 5, 2, 0),
    "2023": (5, {}, {"released_end_of_term": 1}, 4, 0, 2),
    "2024": (4, {"re_arrested": 1}, {"died_in_custody": 1, "pardoned": 1}, 3, 0, 0),
    "2025": (3, {}, {"expelled_abroad": 1}, 2, 0, 0),
}


@pytest.mark.parametrize("label", sorted(YEARLY))
def test_yearly_flows_match_hand_computed(
    db: Database, timeline: dict[str, int], label: str
) -> None:
    with db.session() as s:
        result = series(s, Period(D(2020, 1, 1), D(2025, 12, 31)), Unit.YEAR)
    rows = {r.label: r for r in result.rows}
    held_start, inflow, outflow, held_end, newly, withdrawn = YEARLY[label]
    row = rows[label]
    assert row.held_start == held_start
    assert {k: v for k, v in row.flows.inflow_by_kind.items() if v} == inflow
    assert {k: v for k, v in row.flows.outflow_by_kind.items() if v} == outflow
    assert row.held_end == held_end
    assert (row.flows.newly_recognised, row.flows.recognition_withdrawn) == (newly, withdrawn)


def test_private_detention_counts_only_when_asked(db: Database, timeline: dict[str, int]) -> None:
    period = Period(D(2025, 1, 1), D(2025, 12, 31))
    with db.session() as s:
        public = totals(s, period)[0]
        private = totals(s, period, include_private=True)[0]
    assert (public.flows.inflow, public.held_end) == (0, 2)
    assert (private.flows.inflow, private.held_end) == (1, 3)


@pytest.mark.parametrize(
    ("day", "held"),
    [
        (D(2020, 8, 9), 0),
        (D(2020, 8, 10), 1),
        (D(2020, 8, 20), 0),  # released that day: not held at its end
        (D(2020, 12, 31), 1),
        (D(2021, 1, 1), 2),  # "2021" takes effect on 2021-01-01
        (D(2021, 4, 30), 2),
        (D(2021, 5, 1), 3),  # "2021-05" takes effect on 2021-05-01
        (D(2024, 2, 15), 4),  # p1 re-arrested and p3 died the same day
        (D(2025, 9, 11), 2),
    ],
)
def test_held_on_day(db: Database, timeline: dict[str, int], day: dt.date, held: int) -> None:
    with db.session() as s:
        assert held_count(s, day) == {None: held}


def test_monthly_buckets_place_partial_dates_on_first_day(
    db: Database, timeline: dict[str, int]
) -> None:
    with db.session() as s:
        rows = {r.label: r for r in series(s, Period(D(2021, 1, 1), D(2021, 6, 30))).rows}
    assert list(rows) == ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05", "2021-06"]
    assert rows["2021-01"].flows.inflow == 1  # p2, "2021"
    assert rows["2021-05"].flows.inflow == 1  # p1, "2021-05"
    assert rows["2021-06"].flows.newly_recognised == 1
    assert [r.held_end for r in rows.values()] == [2, 2, 2, 2, 3, 3]


def test_weeks_start_on_monday(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        rows = series(s, Period(D(2025, 9, 1), D(2025, 9, 21)), Unit.WEEK).rows
    assert [(r.label, r.period.first, r.flows.outflow) for r in rows] == [
        ("2025-W36", D(2025, 9, 1), 0),
        ("2025-W37", D(2025, 9, 8), 1),
        ("2025-W38", D(2025, 9, 15), 0),
    ]


def test_partial_buckets_are_clipped_to_the_period(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        rows = series(s, Period(D(2024, 2, 15), D(2024, 3, 10)), Unit.MONTH).rows
    assert [(r.period.first, r.period.last) for r in rows] == [
        (D(2024, 2, 15), D(2024, 2, 29)),
        (D(2024, 3, 1), D(2024, 3, 10)),
    ]
    assert rows[0].held_start == 4  # at the end of 2024-02-14
    assert rows[0].flows.inflow_by_kind == {"re_arrested": 1}
    assert rows[0].flows.outflow_by_kind == {"died_in_custody": 1}


# 2024: p1 re-arrested (Minsk), p3 died (Minsk), p2 pardoned (Homel)
BREAKDOWNS_2024 = {
    Dimension.REGION: {
        "Minsk": (1, 1, 1, 1),  # p3 held at start; p1 in; p3 out; p1 held at end (p5 never held)
        "Homel": (1, 0, 1, 0),
        "Brest": (1, 0, 0, 1),
        "unknown": (1, 0, 0, 1),
    },
    Dimension.GENDER: {"female": (0, 1, 0, 1), "male": (3, 0, 2, 1), "unknown": (1, 0, 0, 1)},
    Dimension.ARTICLE: {
        "342": (1, 1, 1, 1),
        "361-1": (2, 0, 2, 0),
        "unknown": (2, 0, 0, 2),
    },
    # ages on 2024-12-31: p1 44, p2 59 (born "2025"→01-01), p3 66, p4 34
    Dimension.AGE: {
        "40-49": (0, 1, 0, 1),
        "50-59": (1, 0, 1, 0),
        "60-69": (1, 0, 1, 0),
        "30-39": (1, 0, 0, 1),
        "unknown": (1, 0, 0, 1),
    },
    Dimension.ORGANISATION: {"Viasna": (0, 1, 0, 1), "none": (4, 0, 2, 2)},
}


@pytest.mark.parametrize("dimension", list(BREAKDOWNS_2024))
def test_breakdowns_2024(db: Database, timeline: dict[str, int], dimension: Dimension) -> None:
    with db.session() as s:
        rows = totals(s, Period(D(2024, 1, 1), D(2024, 12, 31)), dimension=dimension)
    got = {
        r.group: (r.held_start, r.flows.inflow, r.flows.outflow, r.held_end)
        for r in rows
        if (r.held_start, r.flows.inflow, r.flows.outflow, r.held_end) != (0, 0, 0, 0)
    }
    assert got == BREAKDOWNS_2024[dimension]


def test_recognition_flows_by_organisation(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        rows = series(
            s, Period(D(2022, 1, 1), D(2023, 12, 31)), Unit.YEAR, dimension=Dimension.ORGANISATION
        ).rows
    got = {
        (r.label, r.group): (r.flows.newly_recognised, r.flows.recognition_withdrawn)
        for r in rows
        if r.flows.newly_recognised or r.flows.recognition_withdrawn
    }
    assert got == {
        ("2022", "Viasna"): (2, 1),
        ("2022", "Libereco"): (1, 0),
        ("2023", "Viasna"): (0, 1),
        ("2023", "Libereco"): (0, 1),
    }


def test_recognition_can_be_skipped(db: Database, timeline: dict[str, int]) -> None:
    period = Period(D(2020, 1, 1), D(2025, 12, 31))
    with db.session() as s:
        full = series(s, period, Unit.YEAR).rows
        custody = series(s, period, Unit.YEAR, recognition=False).rows
    assert [r.flows.newly_recognised for r in full] == [0, 1, 2, 0, 0, 0]
    assert all(r.flows.newly_recognised == r.flows.recognition_withdrawn == 0 for r in custody)
    assert [(r.held_start, r.flows.inflow_by_kind, r.flows.outflow_by_kind) for r in custody] == [
        (r.held_start, r.flows.inflow_by_kind, r.flows.outflow_by_kind) for r in full
    ]
