"""Who is held on a date, in SQL: the counts and breakdowns of ``prisonwatch status --on``, the
home page and the API, and one person's status.

The rule itself — the latest custody event that has taken effect decides — and its Python and
SQL forms live in :mod:`prisonwatch.store.status_rule`; this module runs it over the registry.
The one stored copy of a status — each person's status *today*, for the people list's status
filter (:mod:`prisonwatch.store.listkeys`) — is computed with the same
:func:`~prisonwatch.store.status_rule.deciding_event` and recomputed when a future-dated event
takes effect, so it cannot disagree with the derived status.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import Column, Integer, MetaData, Select, String, Table, func, select
from sqlalchemy.orm import Session

from prisonwatch.model import EventKind, Status
from prisonwatch.store.dialect import Dialect, dialect_of
from prisonwatch.store.schema import Organisation, Person
from prisonwatch.store.status_rule import (
    CUSTODY_KINDS,
    HELD_KINDS,
    RECOGNITION_KINDS,
    deciding_event,
    is_held,
    latest_custody_events,
    latest_recognitions,
    status_after,
    status_case_expression,
)
from prisonwatch.store.visibility import person_public


def held_people(day: dt.date, *, include_private: bool = False) -> Select[int]:
    """SELECT person_id of everyone held on ``day``."""
    latest = latest_custody_events(day, include_private=include_private)
    return select(latest.c.person_id).where(latest.c.kind.in_(HELD_KINDS))


def recognised_people(
    day: dt.date,
    organisation: str,
    *,
    include_private: bool = False,
    dialect: str | Dialect | None = None,
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
    conn = session.connection()
    dialect = dialect_of(conn)
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
        dialect_of(conn).analyze(conn, (latest_tmp.name, rec_tmp.name))
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
        if is_held(kind):
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


def status_of(
    session: Session, person_id: int, day: dt.date, *, include_private: bool = False
) -> Status:
    """``held``, ``released`` (out of custody after having been held), ``died`` or ``unknown``."""
    kind = session.scalar(deciding_event(person_id, day, include_private=include_private))
    return status_after(kind)


#: The former name of :func:`~prisonwatch.store.status_rule.status_after`.
status_word = status_after


__all__ = [
    "CUSTODY_KINDS",
    "HELD_KINDS",
    "RECOGNITION_KINDS",
    "HeldSummary",
    "deciding_event",
    "held_on",
    "held_people",
    "latest_custody_events",
    "latest_recognitions",
    "recognised_people",
    "status_case_expression",
    "status_of",
    "status_word",
]
