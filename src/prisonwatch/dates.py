"""Partial dates: a year, a year and month, or a full date, optionally approximate.

A documenter often knows only "detained in May 2021" or "about 2020". Such dates are
first-class values here.

Conventions (used everywhere, in Python and in SQL):

* A partial date covers an interval of days: ``2021`` covers 2021-01-01..2021-12-31,
  ``2021-05`` covers 2021-05-01..2021-05-31.
* **An event with a partial date takes effect on the first day of its interval.** So a person
  "detained 2021-05" counts as held on 2021-05-20, and one "released 2025" is no longer held on
  2025-01-02. This is the ordering of ISO prefixes (``"2021-05" < "2021-05-20"``), the same as
  FollowTheMoney's prefix dates, and it is stored as the ``*_start`` column so SQL can use it.
* Ordering (``sort_key``): first day, then less precise before more precise, so "2021" sorts
  before "2021-01-01". ``definitely_before`` / ``may_overlap`` answer the stricter questions.
* Approximate dates ("about 2021-05", "~2021-05", "2021-05?", "c. 2021") keep their interval;
  the flag is carried for display and export.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

__all__ = ["PartialDate", "PartialDateError", "Precision"]


class PartialDateError(ValueError):
    """A string is not a valid partial date; the message says why."""


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


_APPROX_PREFIX = re.compile(
    r"^\s*(?:~|about|approx\.?|approximately|ca\.?|c\.|circa|около|каля)\s*", re.I
)
_APPROX_SUFFIX = re.compile(r"\s*\?\s*$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if not 1800 <= self.year <= 2200:
            raise PartialDateError(f"year {self.year} is out of range 1800-2200")
        if self.month is None and self.day is not None:
            raise PartialDateError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError(f"month {self.month} does not exist")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise PartialDateError(
                    f"day {self.day} does not exist in {self.year}-{self.month:02d}"
                )

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (also ``DD.MM.YYYY``), with an optional
        approximate marker (``~``, ``about``, ``c.``, a trailing ``?``)."""
        if not isinstance(text, str):
            raise PartialDateError(f"expected text, got {type(text).__name__}")
        raw = text.strip()
        if not raw:
            raise PartialDateError("empty date")
        approx = False
        stripped = _APPROX_PREFIX.sub("", raw)
        if stripped != raw:
            approx = True
        raw2 = _APPROX_SUFFIX.sub("", stripped)
        if raw2 != stripped:
            approx = True
        raw2 = raw2.strip()
        m = _ISO.match(raw2)
        if m:
            year = int(m.group(1))
            month = int(m.group(2)) if m.group(2) else None
            day = int(m.group(3)) if m.group(3) else None
            return cls(year, month, day, approx)
        m = _DMY.match(raw2)
        if m:
            return cls(int(m.group(3)), int(m.group(2)), int(m.group(1)), approx)
        raise PartialDateError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")

    @classmethod
    def from_parts(cls, start: dt.date, precision: int, approximate: bool = False) -> PartialDate:
        """Rebuild from the stored columns (first day + precision)."""
        p = Precision(precision)
        if p is Precision.YEAR:
            return cls(start.year, None, None, approximate)
        if p is Precision.MONTH:
            return cls(start.year, start.month, None, approximate)
        return cls(start.year, start.month, start.day, approximate)

    # -- views ----------------------------------------------------------------------------
    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def start(self) -> dt.date:
        """The first day the date may denote; the day the event takes effect."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day the date may denote."""
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        """The ISO prefix without the approximate marker: ``2021``, ``2021-05``, ``2021-05-03``."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return ("~" if self.approximate else "") + self.iso()

    def sort_key(self) -> tuple[dt.date, int]:
        return (self.start, int(self.precision))

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PartialDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PartialDate) -> bool:
        return self.sort_key() >= other.sort_key()

    def definitely_before(self, other: PartialDate) -> bool:
        """True when every day this date may denote is before every day ``other`` may."""
        return self.end < other.start

    def may_overlap(self, other: PartialDate) -> bool:
        return not (self.end < other.start or other.end < self.start)


def parse_day(text: str) -> dt.date:
    """Parse a full date (``YYYY-MM-DD``) for queries such as ``status --on``."""
    pd = PartialDate.parse(text)
    if pd.precision is not Precision.DAY:
        raise PartialDateError(f"{text!r}: a full date YYYY-MM-DD is needed here")
    return pd.start
