"""A person's status on a date, derived from status events in SQL — never stored.

Rule (the same for the CLI, the web pages and the statistics): take the person's events that
change custody (``CUSTODY_EFFECT`` ≠ 0) and have taken effect on the day (``date_start <= day``;
partial dates take effect on their first day, see :mod:`prisonwatch.dates`). The latest of them —
ordered by first day, then precision (a day-precise event is later than a month-precise one with
the same first day), then the order in which they were recorded — decides: +1 means held.

Recognition by an organisation works the same way with ``recognised`` and
``recognition_withdrawn`` events of that organisation.

Private events (unverified reports) are left out unless ``include_private`` is set, so a public
count never reveals an unverified report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.model import CUSTODY_EFFECT, EventKind
from prisonwatch.store.schema import Organisation, Person, StatusEvent

CUSTODY_KINDS = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v != 0)
HELD_KINDS = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v > 0)
RECOGNITION_KINDS = (EventKind.RECOGNISED.value, EventKind.RECOGNITION_WITHDRAWN.value)


def _visible(include_private: bool) -> list[object]:
    return [] if include_private else [StatusEvent.visibility == "public"]


def latest_custody_events(
    day: dt.date, *, include_private: bool = False, person_ids: Select[tuple[int]] | None = None
) -> Subquery:
    """One row per person who has a custody event by ``day``: (person_id, kind, date_start).

    ``kind`` is that of the deciding event; the person is held iff it is in ``HELD_KINDS``.
    """
    rn = (
        func.row_number()
        .over(
            partition_by=StatusEvent.person_id,
            order_by=(
                StatusEvent.date_start.desc(),
                StatusEvent.date_precision.desc(),
                StatusEvent.id.desc(),
            ),
        )
        .label("rn")
    )
    conds = [StatusEvent.kind.in_(CUSTODY_KINDS), StatusEvent.date_start <= day]
    conds += _visible(include_private)  # type: ignore[arg-type]
    if person_ids is not None:
        conds.append(StatusEvent.person_id.in_(person_ids))
    ranked = (
        select(
            StatusEvent.person_id.label("person_id"),
            StatusEvent.kind.label("kind"),
            StatusEvent.date_start.label("date_start"),
            StatusEvent.facility.label("facility"),
            rn,
        )
        .where(and_(*conds))
        .subquery("ranked")
    )
    return (
        select(ranked.c.person_id, ranked.c.kind, ranked.c.date_start, ranked.c.facility)
        .where(ranked.c.rn == 1)
        .subquery("latest_custody")
    )


def held_people(day: dt.date, *, include_private: bool = False) -> Select[tuple[int]]:
    """SELECT person_id of everyone held on ``day``."""
    latest = latest_custody_events(day, include_private=include_private)
    return select(latest.c.person_id).where(latest.c.kind.in_(HELD_KINDS))


def recognised_people(
    day: dt.date, organisation: str, *, include_private: bool = False
) -> Select[tuple[int]]:
    """SELECT person_id of everyone recognised by ``organisation`` (by name) on ``day``."""
    rn = (
        func.row_number()
        .over(
            partition_by=StatusEvent.person_id,
            order_by=(
                StatusEvent.date_start.desc(),
                StatusEvent.date_precision.desc(),
                StatusEvent.id.desc(),
            ),
        )
        .label("rn")
    )
    conds = [
        StatusEvent.kind.in_(RECOGNITION_KINDS),
        StatusEvent.date_start <= day,
        func.lower(Organisation.name) == organisation.lower(),
    ]
    conds += _visible(include_private)  # type: ignore[arg-type]
    ranked = (
        select(StatusEvent.person_id.label("person_id"), StatusEvent.kind.label("kind"), rn)
        .join(Organisation, Organisation.id == StatusEvent.organisation_id)
        .where(and_(*conds))
        .subquery("rec_ranked")
    )
    return select(ranked.c.person_id).where(
        ranked.c.rn == 1, ranked.c.kind == EventKind.RECOGNISED.value
    )


@dataclass
class HeldSummary:
    date: dt.date
    held: int
    recognised_by: str | None = None
    by_region: dict[str, int] = field(default_factory=dict)
    by_gender: dict[str, int] = field(default_factory=dict)
    by_last_event: dict[str, int] = field(default_factory=dict)
    by_recognising_organisation: dict[str, int] = field(default_factory=dict)
    not_held: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "held": self.held,
            "recognised_by": self.recognised_by,
            "breakdown": {
                "region": self.by_region,
                "gender": self.by_gender,
                "last_custody_event": self.by_last_event,
                "recognising_organisation": self.by_recognising_organisation,
            },
            "not_held_by_last_event": self.not_held,
        }


def _counts(session: Session, stmt: Select[tuple[str | None, int]]) -> dict[str, int]:
    return {str(k) if k is not None else "unknown": int(n) for k, n in session.execute(stmt)}


def held_on(
    session: Session,
    day: dt.date,
    *,
    recognised_by: str | None = None,
    include_private: bool = False,
) -> HeldSummary:
    """How many people in the registry were in custody on ``day``, with breakdowns."""
    latest = latest_custody_events(day, include_private=include_private)
    held_cond = latest.c.kind.in_(HELD_KINDS)
    base_conds = [held_cond]
    if recognised_by:
        rec = recognised_people(day, recognised_by, include_private=include_private).subquery()
        base_conds.append(latest.c.person_id.in_(select(rec.c.person_id)))

    held = session.scalar(select(func.count()).select_from(latest).where(*base_conds)) or 0

    def by(col: object) -> dict[str, int]:
        stmt = (
            select(col, func.count())  # type: ignore[call-overload]
            .select_from(latest)
            .join(Person, Person.id == latest.c.person_id)
            .where(*base_conds)
            .group_by(col)
        )
        return _counts(session, stmt)

    by_region = by(Person.region)
    by_gender = by(Person.gender)
    by_last = _counts(
        session,
        select(latest.c.kind, func.count()).where(*base_conds).group_by(latest.c.kind),
    )
    not_held = _counts(
        session,
        select(latest.c.kind, func.count()).where(~held_cond).group_by(latest.c.kind),
    )
    # recognising organisations of the held (recognised and not withdrawn on the day)
    rec_rn = (
        func.row_number()
        .over(
            partition_by=(StatusEvent.person_id, StatusEvent.organisation_id),
            order_by=(
                StatusEvent.date_start.desc(),
                StatusEvent.date_precision.desc(),
                StatusEvent.id.desc(),
            ),
        )
        .label("rn")
    )
    rconds = [
        StatusEvent.kind.in_(RECOGNITION_KINDS),
        StatusEvent.date_start <= day,
        StatusEvent.organisation_id.is_not(None),
    ]
    rconds += _visible(include_private)  # type: ignore[arg-type]
    rec_ranked = (
        select(
            StatusEvent.person_id.label("person_id"),
            StatusEvent.organisation_id.label("org_id"),
            StatusEvent.kind.label("kind"),
            rec_rn,
        )
        .where(and_(*rconds))
        .subquery("rr")
    )
    by_org = _counts(
        session,
        select(Organisation.name, func.count())
        .select_from(rec_ranked)
        .join(Organisation, Organisation.id == rec_ranked.c.org_id)
        .join(latest, latest.c.person_id == rec_ranked.c.person_id)
        .where(
            rec_ranked.c.rn == 1,
            rec_ranked.c.kind == EventKind.RECOGNISED.value,
            *base_conds,
        )
        .group_by(Organisation.name),
    )
    return HeldSummary(
        date=day,
        held=int(held),
        recognised_by=recognised_by,
        by_region=by_region,
        by_gender=by_gender,
        by_last_event=by_last,
        by_recognising_organisation=by_org,
        not_held=not_held,
    )


def status_of(
    session: Session, person_id: int, day: dt.date, *, include_private: bool = False
) -> str:
    """``held``, ``released`` (out of custody after having been held), ``died`` or ``unknown``."""
    conds = [
        StatusEvent.person_id == person_id,
        StatusEvent.kind.in_(CUSTODY_KINDS),
        StatusEvent.date_start <= day,
    ]
    conds += _visible(include_private)  # type: ignore[arg-type]
    kind = session.scalar(
        select(StatusEvent.kind)
        .where(*conds)
        .order_by(
            StatusEvent.date_start.desc(),
            StatusEvent.date_precision.desc(),
            StatusEvent.id.desc(),
        )
        .limit(1)
    )
    return status_word(kind)


def status_word(kind: str | None) -> str:
    if kind is None:
        return "unknown"
    if kind in HELD_KINDS:
        return "held"
    if kind == EventKind.DIED_IN_CUSTODY.value:
        return "died"
    return "released"


def status_case_expression(kind_col: object) -> object:
    """SQL expression mapping the deciding event kind to held/released/died/unknown."""
    return case(
        (kind_col.in_(HELD_KINDS), literal("held")),  # type: ignore[attr-defined]
        (kind_col == EventKind.DIED_IN_CUSTODY.value, literal("died")),
        (kind_col.is_(None), literal("unknown")),  # type: ignore[attr-defined]
        else_=literal("released"),
    )


__all__ = [
    "CUSTODY_KINDS",
    "HELD_KINDS",
    "HeldSummary",
    "held_on",
    "held_people",
    "latest_custody_events",
    "recognised_people",
    "status_case_expression",
    "status_of",
    "status_word",
]
