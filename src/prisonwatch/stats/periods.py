"""Periods and buckets (week, month, year) — pure date arithmetic, no I/O.

A :class:`Period` is an inclusive range of days ``[first, last]``. "Held at the start" of a
period means held at the end of the day before ``first``; "held at the end" means held at the end
of ``last``; flows count transitions dated within ``[first, last]``. With these boundaries
``held_end - held_start == inflow - outflow`` holds exactly (see :mod:`prisonwatch.stats.flows`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from prisonwatch.dates import PartialDate, PartialDateError, parse_day

ONE_DAY = dt.timedelta(days=1)


class Unit(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class PeriodError(ValueError):
    """A period or bucket specification is invalid; the message says why."""


@dataclass(frozen=True, slots=True)
class Period:
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(f"period ends ({self.last}) before it starts ({self.first})")

    @property
    def day_before(self) -> dt.date:
        """The day whose end is the period's start."""
        return self.first - ONE_DAY

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def bucket_start(day: dt.date, unit: Unit) -> dt.date:
    """The first day of the bucket holding ``day`` (weeks start on Monday, ISO 8601)."""
    if unit is Unit.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if unit is Unit.MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_bucket(start: dt.date, unit: Unit) -> dt.date:
    if unit is Unit.WEEK:
        return start + dt.timedelta(days=7)
    if unit is Unit.MONTH:
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def bucket_label(start: dt.date, unit: Unit) -> str:
    if unit is Unit.WEEK:
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if unit is Unit.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def buckets(period: Period, unit: Unit) -> list[Period]:
    """The buckets covering ``period``, clipped to it (the first and last may be partial)."""
    out: list[Period] = []
    start = bucket_start(period.first, unit)
    while start <= period.last:
        nxt = next_bucket(start, unit)
        out.append(Period(max(start, period.first), min(nxt - ONE_DAY, period.last)))
        start = nxt
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise PeriodError(f"cannot move {day} by {months} months")  # pragma: no cover


_LENGTH = re.compile(r"^\s*(\d+)\s*(d|day|days|w|week|weeks|m|month|months|y|year|years)\s*$", re.I)


def parse_length(text: str) -> tuple[int, str]:
    """``"12 months"`` → ``(12, "month")``; also ``d``/``w``/``m``/``y`` abbreviations."""
    m = _LENGTH.match(text[:40])
    if not m or len(text) > 40 or int(m.group(1)) <= 0:
        raise PeriodError(
            f"{text[:40]!r} is not a length: use e.g. '12 months', '6m', '2 years', '30d'"
        )
    unit = {"d": "day", "w": "week", "m": "month", "y": "year"}[m.group(2).lower()[0]]
    count = int(m.group(1))
    if count * _DAYS_PER[unit] > MAX_LENGTH_DAYS:
        raise PeriodError(f"{text!r} is too long: at most 30 years")
    return count, unit


#: the longest length a comparison accepts (``parse_length``)
MAX_LENGTH_DAYS = 366 * 30
_DAYS_PER = {"day": 1, "week": 7, "month": 31, "year": 366}


def shift(day: dt.date, count: int, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(days=7 * count)
    if unit == "month":
        return add_months(day, count)
    return add_months(day, 12 * count)


def around(pivot: dt.date, length: str) -> tuple[Period, Period]:
    """ "``length`` before vs after ``pivot``": ``[pivot - length, pivot - 1]`` and
    ``[pivot, pivot + length - 1]``. The pivot day (e.g. the day of a release) is in *after*."""
    count, unit = parse_length(length)
    try:
        before = Period(shift(pivot, -count, unit), pivot - ONE_DAY)
        after = Period(pivot, shift(pivot, count, unit) - ONE_DAY)
    except (OverflowError, ValueError) as exc:  # beyond year 1 or 9999
        raise PeriodError(f"{length!r} around {pivot} leaves the calendar") from exc
    return before, after


def parse_period(text: str) -> Period:
    """``2024-01-01..2024-12-31``; also a partial date for a whole year or month (``2024``,
    ``2024-09``)."""
    raw = text.strip()
    try:
        if ".." in raw:
            a, b = raw.split("..", 1)
            return Period(parse_day(a), parse_day(b))
        pd = PartialDate.parse(raw)
        return Period(pd.start, pd.end)
    except PartialDateError as exc:
        raise PeriodError(f"period {text!r}: {exc}") from exc


__all__ = [
    "ONE_DAY",
    "Period",
    "PeriodError",
    "Unit",
    "add_months",
    "around",
    "bucket_label",
    "bucket_start",
    "buckets",
    "next_bucket",
    "parse_length",
    "parse_period",
    "shift",
]
