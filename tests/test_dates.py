"""Partial dates: parsing, intervals and ordering."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.dates import PartialDate, PartialDateError, Precision, parse_day

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "approx"),
    [
        ("2021", D(2021, 1, 1), D(2021, 12, 31), Precision.YEAR, False),
        ("2021-05", D(2021, 5, 1), D(2021, 5, 31), Precision.MONTH, False),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), Precision.MONTH, False),
        ("2021-05-03", D(2021, 5, 3), D(2021, 5, 3), Precision.DAY, False),
        ("2021-5-3", D(2021, 5, 3), D(2021, 5, 3), Precision.DAY, False),
        ("03.05.2021", D(2021, 5, 3), D(2021, 5, 3), Precision.DAY, False),
        ("~2021-05", D(2021, 5, 1), D(2021, 5, 31), Precision.MONTH, True),
        ("about 2020", D(2020, 1, 1), D(2020, 12, 31), Precision.YEAR, True),
        ("2020?", D(2020, 1, 1), D(2020, 12, 31), Precision.YEAR, True),
        ("c. 2019-12", D(2019, 12, 1), D(2019, 12, 31), Precision.MONTH, True),
    ],
)
def test_parse(text: str, start: dt.date, end: dt.date, precision: Precision, approx: bool) -> None:
    d = PartialDate.parse(text)
    assert (d.start, d.end, d.precision, d.approximate) == (start, end, precision, approx)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2021-13",
        "2021-02-30",
        "2023-02-29",
        "21-05-03",
        "May 2021",
        "2021-05-03x",
        "0999",
    ],
)
def test_invalid(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


def test_round_trip_text() -> None:
    for text in ["2021", "2021-05", "2021-05-03", "~2021-05"]:
        assert str(PartialDate.parse(text)) == text


def test_ordering_less_precise_first_then_by_day() -> None:
    dates = [
        PartialDate.parse(x) for x in ["2021-05-03", "2021", "2021-05", "2020-12-31", "2021-01-01"]
    ]
    assert [str(d) for d in sorted(dates)] == [
        "2020-12-31",
        "2021",
        "2021-01-01",
        "2021-05",
        "2021-05-03",
    ]


@pytest.mark.parametrize(
    ("a", "b", "before", "overlap"),
    [
        ("2020", "2021-01", True, False),
        ("2021", "2021-05", False, True),
        ("2021-05", "2021-05-31", False, True),
        ("2021-05-31", "2021-06", True, False),
    ],
)
def test_definitely_before_and_overlap(a: str, b: str, before: bool, overlap: bool) -> None:
    pa, pb = PartialDate.parse(a), PartialDate.parse(b)
    assert pa.definitely_before(pb) is before
    assert pa.may_overlap(pb) is overlap


def test_from_parts_inverse() -> None:
    for text in ["2021", "2021-05", "2021-05-03"]:
        d = PartialDate.parse(text)
        assert PartialDate.from_parts(d.start, int(d.precision)) == d


def test_parse_day_needs_full_date() -> None:
    assert parse_day("2025-09-11") == D(2025, 9, 11)
    with pytest.raises(PartialDateError):
        parse_day("2025-09")
