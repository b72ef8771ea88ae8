"""Time in custody on the hand-checked timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.stats.duration import band_of, held_durations, median_of, released_durations
from prisonwatch.stats.periods import parse_period
from prisonwatch.store.db import Database

D = dt.date


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ({}, None),
        ({5: 1}, 5.0),
        ({1: 1, 3: 1}, 2.0),
        ({1: 2, 10: 1}, 1.0),
        ({1: 1, 2: 2, 9: 1}, 2.0),
    ],
)
def test_median_of_histogram(histogram: dict[int, int], median: float | None) -> None:
    assert median_of(histogram) == median


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "under 1 month"),
        (29, "under 1 month"),
        (30, "1-6 months"),
        (364, "6-12 months"),
        (365, "1-2 years"),
        (1826, "5+ years"),
    ],
)
def test_bands(days: int, band: str) -> None:
    assert band_of(days) == band


def test_held_durations(db: Database, timeline: dict[str, int]) -> None:
    day = D(2025, 12, 31)
    p4 = (day - D(2020, 9, 15)).days
    p6 = (day - D(2022, 6, 1)).days  # the second 'detained' does not restart the spell
    with db.session() as s:
        stats = held_durations(s, day)
    assert stats.count == 2
    assert stats.median_days == (p4 + p6) / 2
    assert stats.bands["5+ years"] == 1 and stats.bands["3-5 years"] == 1


def test_released_durations_by_kind(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        stats = released_durations(s, parse_period("2024"))
    died = (D(2024, 2, 15) - D(2022, 3, 1)).days
    pardoned = (D(2024, 7, 3) - D(2021, 1, 1)).days  # detained "2021" counts from 2021-01-01
    assert stats["all"].count == 2
    assert stats["all"].median_days == (died + pardoned) / 2
    assert stats["died_in_custody"].median_days == died
    assert stats["pardoned"].median_days == pardoned


def test_short_spell_and_rearrest(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        first_spells = released_durations(s, parse_period("2020"))
        p1_second = held_durations(s, D(2024, 12, 31))
    assert first_spells["released_other"].median_days == 10  # 2020-08-10 → 2020-08-20
    # on 2024-12-31 p1's current spell began with the re-arrest on 2024-02-15
    assert (D(2024, 12, 31) - D(2024, 2, 15)).days in p1_second.histogram
