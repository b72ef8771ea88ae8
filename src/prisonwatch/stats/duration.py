"""Time in custody: the distribution and median length of custody spells, for the people held
on a day (time so far) and for those released in a period (by how they left).

A spell runs from an inflow transition to the next outflow transition of the same person (the
stored changes of :mod:`prisonwatch.store.custody`), paired in SQL with ``LEAD``. Spells of
partially dated events count from the first day of their dates, so they are approximate by up
to the imprecision of those dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.stats.periods import Period
from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.schema import CustodyChange

#: (label, fewest days, most days + 1 or None)
DURATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1 month", 0, 30),
    ("1-6 months", 30, 183),
    ("6-12 months", 183, 365),
    ("1-2 years", 365, 730),
    ("2-3 years", 730, 1095),
    ("3-5 years", 1095, 1826),
    ("5+ years", 1826, None),
)


def band_of(days: int) -> str:
    for label, low, high in DURATION_BANDS:
        if days >= low and (high is None or days < high):
            return label
    raise ValueError(f"negative duration {days}")


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: count}."""
    total = sum(histogram.values())
    if total == 0:
        return None
    want = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and want[len(found)] < seen:
            found.append(value)
    return (found[0] + found[1]) / 2


@dataclass
class DurationStats:
    count: int
    median_days: float | None
    bands: dict[str, int]
    histogram: dict[int, int] = field(repr=False, default_factory=dict)

    @classmethod
    def from_histogram(cls, histogram: dict[int, int]) -> DurationStats:
        bands = {label: 0 for label, _, _ in DURATION_BANDS}
        for days, n in histogram.items():
            bands[band_of(days)] += n
        return cls(sum(histogram.values()), median_of(histogram), bands, histogram)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "median_days": self.median_days,
            "median_years": round(self.median_days / 365.25, 2)
            if self.median_days is not None
            else None,
            "bands": self.bands,
        }


def spells(*, include_private: bool = False, until: dt.date | None = None) -> Subquery:
    """(person_id, start, end, end_kind) per custody spell; ``end`` is NULL while it lasts.
    From the stored custody changes (``custody_change``) of the scope asked for."""
    cc = CustodyChange.__table__.c
    conds: list[Any] = [
        cc.scope == ("all" if include_private else "public"),
        cc.delta_held != 0,
    ]
    if until is not None:
        conds.append(cc.date_start <= until)
    order = (cc.date_start, cc.date_precision, cc.event_id)
    seq = (
        select(
            cc.person_id,
            cc.delta_held.label("delta"),
            cc.date_start.label("start"),
            func.lead(cc.date_start).over(partition_by=cc.person_id, order_by=order).label("end"),
            func.lead(cc.kind).over(partition_by=cc.person_id, order_by=order).label("end_kind"),
        )
        .where(*conds)
        .subquery("spell_seq")
    )
    return (
        select(seq.c.person_id, seq.c.start, seq.c.end, seq.c.end_kind)
        .where(seq.c.delta == 1)
        .subquery("spells")
    )


def held_durations(
    session: Session, day: dt.date, *, include_private: bool = False
) -> DurationStats:
    """How long the people held at the end of ``day`` have been in custody (current spell)."""
    sp = spells(include_private=include_private, until=day)
    days = dialect_of(session).days_between(sp.c.start, literal(day)).label("days")
    stmt = select(days, func.count()).where(sp.c.end.is_(None)).group_by(days)
    return DurationStats.from_histogram({int(d): int(n) for d, n in session.execute(stmt)})


def released_durations(
    session: Session, period: Period, *, include_private: bool = False
) -> dict[str, DurationStats]:
    """Length of the spells that ended within ``period``: ``all`` and one entry per kind."""
    sp = spells(include_private=include_private, until=period.last)
    days = dialect_of(session).days_between(sp.c.start, sp.c.end).label("days")
    stmt = (
        select(sp.c.end_kind, days, func.count())
        .where(sp.c.end >= period.first, sp.c.end <= period.last)
        .group_by(sp.c.end_kind, days)
    )
    by_kind: dict[str, dict[int, int]] = {}
    overall: dict[int, int] = {}
    for kind, d, n in session.execute(stmt):
        by_kind.setdefault(str(kind), {})[int(d)] = int(n)
        overall[int(d)] = overall.get(int(d), 0) + int(n)
    out = {"all": DurationStats.from_histogram(overall)}
    out.update({k: DurationStats.from_histogram(h) for k, h in sorted(by_kind.items())})
    return out


__all__ = [
    "DURATION_BANDS",
    "DurationStats",
    "band_of",
    "held_durations",
    "median_of",
    "released_durations",
    "spells",
]
