"""A person's status on a date, derived from status events in SQL.

The events are the only source of truth. The one stored copy — each person's status *today*,
for the people list's status filter (:mod:`prisonwatch.store.listkeys`) — is computed with
:func:`deciding_event` and :func:`status_case_expression` from this module and recomputed when
a future-dated event takes effect, so it cannot disagree with the derived status.

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
import uuid
from dataclasses import dataclass, field

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.model import CUSTODY_EFFECT, EventKind
from prisonwatch.store.schema import Organisation, Person, StatusEvent
from prisonwatch.store.visibility import PUBLIC, event_visible, person_public

CUSTODY_KINDS = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v != 0)
HELD_KINDS = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v > 0)
RECOGNITION_KINDS = (EventKind.RECOGNISED.value, EventKind.RECOGNITION_WITHDRAWN.value)


def _visible(include_private: bool, public_people: bool = True) -> list[object]:
    """Public events of public people (:mod:`prisonwatch.store.visibility`). With
    ``public_people=False`` only the events' own visibility: for a caller that drops hidden
    people once per person afterwards (:func:`held_on`), instead of once per event."""
    if not public_people and not include_private:
        return [StatusEvent.visibility == PUBLIC]
    return list(event_visible(include_private))


def latest_custody_events(
    day: dt.date,
    *,
    include_private: bool = False,
    person_ids: Select[int] | list[int] | None = None,
    dialect: str | None = None,
    public_people: bool = True,
) -> Subquery:
    """One row per person who has a custody event by ``day``: (person_id, kind, date_start,
    facility) of the deciding event; the person is held iff ``kind`` is in ``HELD_KINDS``.
    ``public_people=False``: hidden people are left for the caller to drop (see
    :func:`_visible`).

    The portable form ranks events with ``ROW_NUMBER()``. Given the ``dialect``, a faster
    equivalent is used: ``DISTINCT ON`` on PostgreSQL, and on SQLite ``MAX()`` over a sortable
    key with the row's other columns taken from the maximal row (SQLite's documented "bare
    column" rule)."""
    conds = [StatusEvent.kind.in_(CUSTODY_KINDS), StatusEvent.date_start <= day]
    conds += _visible(include_private, public_people)  # type: ignore[arg-type]
    if person_ids is not None:
        conds.append(StatusEvent.person_id.in_(person_ids))
    cols = (
        StatusEvent.person_id.label("person_id"),
        StatusEvent.kind.label("kind"),
        StatusEvent.date_start.label("date_start"),
        StatusEvent.facility.label("facility"),
    )
    if dialect == "postgresql":
        return (
            select(*cols)
            .where(and_(*conds))
            .ext(distinct_on(StatusEvent.person_id))
            .order_by(
                StatusEvent.person_id,
                StatusEvent.date_start.desc(),
                StatusEvent.date_precision.desc(),
                StatusEvent.id.desc(),
            )
            .subquery("latest_custody")
        )
    if dialect == "sqlite":
        key = func.printf(
            "%s|%d|%012d", StatusEvent.date_start, StatusEvent.date_precision, StatusEvent.id
        )
        return (
            select(*cols, func.max(key).label("sort_key"))
            .where(and_(*conds))
            .group_by(StatusEvent.person_id)
            .subquery("latest_custody")
        )
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
    ranked = select(*cols, rn).where(and_(*conds)).subquery("ranked")
    return (
        select(ranked.c.person_id, ranked.c.kind, ranked.c.date_start, ranked.c.facility)
        .where(ranked.c.rn == 1)
        .subquery("latest_custody")
    )


def held_people(day: dt.date, *, include_private: bool = False) -> Select[int]:
    """SELECT person_id of everyone held on ``day``."""
    latest = latest_custody_events(day, include_private=include_private)
    return select(latest.c.person_id).where(latest.c.kind.in_(HELD_KINDS))


def recognised_people(
    day: dt.date,
    organisation: str,
    *,
    include_private: bool = False,
    dialect: str | None = None,
) -> Select[int]:
    """SELECT person_id of everyone recognised by ``organisation`` (by name) on ``day``."""
    rec = latest_recognitions(day, include_private=include_private, dialect=dialect)
    return (
        select(rec.c.person_id)
        .join(Organisation, Organisation.id == rec.c.org_id)
        .where(
            rec.c.kind == EventKind.RECOGNISED.value,
            func.lower(Organisation.name) == organisation.lower(),
        )
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


def _counts(session: Session, stmt: Select[str | None, int]) -> dict[str, int]:
    return {str(k) if k is not None else "unknown": int(n) for k, n in session.execute(stmt)}


def latest_recognitions(
    day: dt.date,
    *,
    include_private: bool = False,
    dialect: str | None = None,
    public_people: bool = True,
) -> Subquery:
    """One row per (person, organisation) with the deciding recognition event on ``day``:
    (person_id, org_id, kind); the recognition stands iff ``kind == 'recognised'``."""
    conds = [
        StatusEvent.kind.in_(RECOGNITION_KINDS),
        StatusEvent.date_start <= day,
        StatusEvent.organisation_id.is_not(None),
    ]
    conds += _visible(include_private, public_people)  # type: ignore[arg-type]
    cols = (
        StatusEvent.person_id.label("person_id"),
        StatusEvent.organisation_id.label("org_id"),
        StatusEvent.kind.label("kind"),
    )
    order = (
        StatusEvent.date_start.desc(),
        StatusEvent.date_precision.desc(),
        StatusEvent.id.desc(),
    )
    if dialect == "postgresql":
        return (
            select(*cols)
            .where(and_(*conds))
            .ext(distinct_on(StatusEvent.person_id, StatusEvent.organisation_id))
            .order_by(StatusEvent.person_id, StatusEvent.organisation_id, *order)
            .subquery("latest_recognition")
        )
    if dialect == "sqlite":
        key = func.printf(
            "%s|%d|%012d", StatusEvent.date_start, StatusEvent.date_precision, StatusEvent.id
        )
        return (
            select(*cols, func.max(key).label("sort_key"))
            .where(and_(*conds))
            .group_by(StatusEvent.person_id, StatusEvent.organisation_id)
            .subquery("latest_recognition")
        )
    rn = (
        func.row_number()
        .over(partition_by=(StatusEvent.person_id, StatusEvent.organisation_id), order_by=order)
        .label("rn")
    )
    ranked = select(*cols, rn).where(and_(*conds)).subquery("rr")
    return (
        select(ranked.c.person_id, ranked.c.org_id, ranked.c.kind)
        .where(ranked.c.rn == 1)
        .subquery("latest_recognition")
    )


def held_on(
    session: Session,
    day: dt.date,
    *,
    recognised_by: str | None = None,
    include_private: bool = False,
) -> HeldSummary:
    """How many people in the registry were in custody on ``day``, with breakdowns.

    The deciding custody event of every person and the standing recognitions are each
    materialised once into a temporary table (with planner statistics, so PostgreSQL does not
    guess a nested loop over a subquery); then two small grouped queries give the total and the
    breakdowns."""
    dialect = session.get_bind().dialect.name
    conn = session.connection()
    suffix = uuid.uuid4().hex[:12]
    latest_tmp = Table(
        f"pw_latest_{suffix}",
        MetaData(),
        Column("person_id", Integer, primary_key=True),
        Column("kind", String(30)),
        prefixes=["TEMPORARY"],
    )
    rec_tmp = Table(
        f"pw_recognised_{suffix}",
        MetaData(),
        Column("person_id", Integer, primary_key=True),
        Column("org_id", Integer, primary_key=True),
        prefixes=["TEMPORARY"],
    )
    # hidden people (no public name) are dropped once per person below, not per event
    computed = latest_custody_events(
        day, include_private=include_private, dialect=dialect, public_people=False
    )
    recs = latest_recognitions(
        day, include_private=include_private, dialect=dialect, public_people=False
    )
    latest_tmp.create(conn)
    rec_tmp.create(conn)
    try:
        conn.execute(
            latest_tmp.insert().from_select(
                ["person_id", "kind"], select(computed.c.person_id, computed.c.kind)
            )
        )
        conn.execute(
            rec_tmp.insert().from_select(
                ["person_id", "org_id"],
                select(recs.c.person_id, recs.c.org_id).where(
                    recs.c.kind == EventKind.RECOGNISED.value
                ),
            )
        )
        if not include_private:
            for tmp in (latest_tmp, rec_tmp):
                conn.execute(tmp.delete().where(~person_public(tmp.c.person_id)))
        if dialect == "postgresql":
            conn.exec_driver_sql(f'ANALYZE "{latest_tmp.name}"')
            conn.exec_driver_sql(f'ANALYZE "{rec_tmp.name}"')
        return _summarise(session, day, latest_tmp, rec_tmp, recognised_by)
    finally:
        rec_tmp.drop(conn)
        latest_tmp.drop(conn)


def _summarise(
    session: Session,
    day: dt.date,
    latest: Table,
    standing: Table,
    recognised_by: str | None,
) -> HeldSummary:
    conds = []
    if recognised_by:
        conds.append(
            latest.c.person_id.in_(
                select(standing.c.person_id)
                .join(Organisation, Organisation.id == standing.c.org_id)
                .where(func.lower(Organisation.name) == recognised_by.lower())
            )
        )
    grouped = session.execute(
        select(latest.c.kind, Person.region, Person.gender, func.count())
        .select_from(latest)
        .join(Person, Person.id == latest.c.person_id)
        .where(*conds)
        .group_by(latest.c.kind, Person.region, Person.gender)
    ).all()
    summary = HeldSummary(date=day, held=0, recognised_by=recognised_by)

    def bump(counts: dict[str, int], key: str | None, n: int) -> None:
        k = key if key is not None else "unknown"
        counts[k] = counts.get(k, 0) + n

    for kind, region, gender, n in grouped:
        if kind in HELD_KINDS:
            summary.held += int(n)
            bump(summary.by_region, region, int(n))
            bump(summary.by_gender, gender, int(n))
            bump(summary.by_last_event, kind, int(n))
        else:
            bump(summary.not_held, kind, int(n))
    summary.by_recognising_organisation = _counts(
        session,
        select(Organisation.name, func.count())
        .select_from(standing)
        .join(Organisation, Organisation.id == standing.c.org_id)
        .join(latest, latest.c.person_id == standing.c.person_id)
        .where(latest.c.kind.in_(HELD_KINDS), *conds)
        .group_by(Organisation.name),
    )
    return summary


def deciding_event(
    person_id: ColumnElement[int] | QueryableAttribute[int] | int,
    day: dt.date | ColumnElement[dt.date],
    *,
    include_private: bool = False,
) -> Select[str]:
    """SELECT the kind of the custody event that decides the status of ``person_id`` on
    ``day`` (no row when no custody event has taken effect). ``person_id`` is a value, or a
    column such as ``Person.id`` for a correlated subquery.

    :func:`status_of` and the stored current status (:mod:`prisonwatch.store.listkeys`) both
    use it; :func:`latest_custody_events` is the same rule for everyone at once (the tests
    check that they agree)."""
    conds = [
        StatusEvent.person_id == person_id,
        StatusEvent.kind.in_(CUSTODY_KINDS),
        StatusEvent.date_start <= day,
    ]
    conds += _visible(include_private)  # type: ignore[arg-type]
    return (
        select(StatusEvent.kind)
        .where(*conds)
        .order_by(
            StatusEvent.date_start.desc(),
            StatusEvent.date_precision.desc(),
            StatusEvent.id.desc(),
        )
        .limit(1)
    )


def status_of(
    session: Session, person_id: int, day: dt.date, *, include_private: bool = False
) -> str:
    """``held``, ``released`` (out of custody after having been held), ``died`` or ``unknown``."""
    kind = session.scalar(deciding_event(person_id, day, include_private=include_private))
    return status_word(kind)


def status_word(kind: str | None) -> str:
    if kind is None:
        return "unknown"
    if kind in HELD_KINDS:
        return "held"
    if kind == EventKind.DIED_IN_CUSTODY.value:
        return "died"
    return "released"


def status_case_expression(
    kind_col: ColumnElement[str] | QueryableAttribute[str],
) -> ColumnElement[str]:
    """SQL expression mapping the deciding event kind to held/released/died/unknown."""
    return case(
        (kind_col.in_(HELD_KINDS), literal("held")),
        (kind_col == EventKind.DIED_IN_CUSTODY.value, literal("died")),
        (kind_col.is_(None), literal("unknown")),
        else_=literal("released"),
    )


__all__ = [
    "CUSTODY_KINDS",
    "HELD_KINDS",
    "HeldSummary",
    "deciding_event",
    "held_on",
    "held_people",
    "latest_custody_events",
    "recognised_people",
    "status_case_expression",
    "status_of",
    "status_word",
]
