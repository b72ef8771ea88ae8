"""Birthdays of the people who can be written to, this month and the next.

Only birth dates known to the day count: a date known to the year or the month never appears
(the person would be greeted on a made-up day). A birthday on 29 February is shown on
28 February in years without one — still in February, and before the day has passed, so a card
sent for it is not late (docs/letters.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from .eligibility import eligible_recipients
from .model import Birthday, Recipient


def _month_start(day: dt.date, months_ahead: int) -> tuple[int, int]:
    y, m = divmod(day.month - 1 + months_ahead, 12)
    return day.year + y, m + 1


def birthday_in(year: int, month: int, day: int) -> dt.date:
    """The day a birthday on ``month``/``day`` falls on in ``year`` (29 Feb → 28 Feb)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def full_birth_date(text: str | None) -> dt.date | None:
    """The birth date when it is known to the day (``YYYY-MM-DD``), else None."""
    if not text or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def birthdays(
    session: Session, today: dt.date, *, months: int = 2, include_private: bool = False
) -> list[Birthday]:
    """Birthdays in the ``months`` calendar months starting with ``today``'s (past days of
    this month included), of the people eligible today, in date order. ``age``: the age
    reached on that day."""
    people = eligible_recipients(session, today, include_private=include_private)
    return birthdays_among(people, today, months=months)


def birthdays_among(
    people: Sequence[Recipient], today: dt.date, *, months: int = 2
) -> list[Birthday]:
    """:func:`birthdays` over an eligible list computed once (for ``today``)."""
    months = max(1, months)
    wanted = {_month_start(today, i) for i in range(months)}
    out = []
    for r in people:
        born = full_birth_date(r.birth_date)
        if born is None:
            continue
        for year, month in wanted:
            if born.month != month:
                continue
            day = birthday_in(year, month, born.day)
            if day <= born:
                continue
            out.append(Birthday(r.person_id, r.display_name, day, day.year - born.year, r.facility))
    out.sort(key=lambda b: (b.day, b.display_name.casefold(), b.person_id))
    return out


__all__ = ["birthday_in", "birthdays", "birthdays_among", "full_birth_date"]
