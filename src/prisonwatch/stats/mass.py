"""Deals and mass releases, for marking on the timeline.

* From deals: every :class:`Deal` with status events linked to it (``StatusEvent.deal_id``) —
  the events counted by kind, and ``released`` = the linked custody *transitions* out of
  custody (an ``expelled_abroad`` ends custody; a ``refused_to_leave`` does not), read from the
  stored changes (``custody_change``, see :mod:`prisonwatch.store.custody`).
* Otherwise from the events themselves: a date on which at least ``threshold`` outflow
  transitions of one kind that are not linked to a deal took place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from prisonwatch.stats.periods import Period
from prisonwatch.store.schema import CustodyChange, Deal, StatusEvent
from prisonwatch.store.visibility import event_visible

DEFAULT_THRESHOLD = 10


@dataclass
class MassRelease:
    date: dt.date
    released: int
    by_kind: dict[str, int]
    origin: str  # "deal" or "same-date"
    deal_id: int | None = None
    title: str | None = None
    concessions: str | None = None
    event_kinds: dict[str, int] = field(default_factory=dict)

    def label(self) -> str:
        if self.title:
            return f"{self.title} ({self.released} released)"
        kinds = ", ".join(f"{n} {k}" for k, n in self.by_kind.items())
        return f"{self.released} released on one day: {kinds}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "released": self.released,
            "released_by_kind": self.by_kind,
            "origin": self.origin,
            "deal_id": self.deal_id,
            "title": self.title,
            "concessions": self.concessions,
            "linked_events_by_kind": self.event_kinds,
            "label": self.label(),
        }


def mass_releases(
    session: Session,
    period: Period,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    include_private: bool = False,
) -> list[MassRelease]:
    """Deals with linked events, and same-date outflows of ≥ ``threshold``, within ``period``
    (a deal is in the period when its date is, or, undated, when its first linked event is)."""
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    out: dict[int, MassRelease] = {}
    ev_conds: list[ColumnElement[bool]] = [StatusEvent.deal_id.is_not(None)]
    ev_conds += event_visible(include_private)
    if not include_private:
        # a private deal (e.g. still being negotiated) is not marked for public readers
        ev_conds.append(Deal.visibility == "public")
    linked = session.execute(
        select(
            Deal.id,
            Deal.title,
            Deal.date_start,
            Deal.concessions,
            StatusEvent.kind,
            func.min(StatusEvent.date_start),
            func.count(),
        )
        .join(Deal, Deal.id == StatusEvent.deal_id)
        .where(*ev_conds)
        .group_by(Deal.id, Deal.title, Deal.date_start, Deal.concessions, StatusEvent.kind)
    )
    for deal_id, title, deal_date, concessions, kind, first_event, n in linked:
        day = deal_date or first_event
        if not period.first <= day <= period.last:
            continue
        mr = out.setdefault(deal_id, MassRelease(day, 0, {}, "deal", deal_id, title, concessions))
        mr.event_kinds[str(kind)] = int(n)

    cc = CustodyChange.__table__.c
    outflow = [
        cc.scope == ("all" if include_private else "public"),
        cc.delta_held == -1,
        cc.date_start <= period.last,
    ]
    released = session.execute(
        select(cc.deal_id, cc.kind, func.count())
        .where(*outflow, cc.deal_id.is_not(None))
        .group_by(cc.deal_id, cc.kind)
    )
    for deal_id, kind, n in released:
        if deal_id in out:
            out[deal_id].by_kind[str(kind)] = int(n)
            out[deal_id].released += int(n)

    same_day = session.execute(
        select(cc.date_start, cc.kind, func.count())
        .where(*outflow, cc.deal_id.is_(None), cc.date_start >= period.first)
        .group_by(cc.date_start, cc.kind)
        .having(func.count() >= threshold)
    )
    result = list(out.values())
    for day, kind, n in same_day:
        result.append(MassRelease(day, int(n), {str(kind): int(n)}, "same-date"))
    return sorted(result, key=lambda m: (m.date, m.origin, m.deal_id or 0))


__all__ = ["DEFAULT_THRESHOLD", "MassRelease", "mass_releases"]
