"""The status rule, in one place: the latest custody event that has taken effect decides.

A person's events that change custody (``model.CUSTODY_EFFECT`` ≠ 0) and have taken effect on
the day (``date_start <= day``; partial dates take effect on their first day, see
:mod:`prisonwatch.dates`) are ordered by first day, then precision (a day-precise event is later
than a month-precise one with the same first day), then the order in which they were recorded
(id). The latest of them decides: the person's :class:`~prisonwatch.model.Status` is the one
the event leaves (``model.STATUS_AFTER``: held, released, died); without one, ``unknown``.
Recognition by an organisation works the same way with ``recognised`` and
``recognition_withdrawn`` events of that organisation.

The rule has two forms, both built from the definitions here and checked against each other
on a table of histories (``tests/store/test_status_rule.py``):

* Python, for one person's events in hand (:func:`deciding`, :func:`status_on`,
  :func:`is_held`, :func:`order_key`): the person page, the custody changes of a few people,
  the demo's timelines;
* SQL, for everyone at once or inside other queries (:func:`deciding_event`,
  :func:`latest_custody_events`, :func:`latest_recognitions`, :func:`status_case_expression`,
  :func:`held_flag`, :data:`ORDER`): the status counts, the people list's status filter and
  stored status, the custody changes behind the statistics.

Private events (unverified reports) are left out unless ``include_private`` is set, so a public
figure never reveals an unverified report (:mod:`prisonwatch.store.visibility`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import Select, case, literal, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.model import CUSTODY_EFFECT, STATUS_AFTER, EventKind, Status
from prisonwatch.store.dialect import Dialect, LatestPerGroup, dialect_named
from prisonwatch.store.schema import StatusEvent
from prisonwatch.store.visibility import PUBLIC, event_visible

#: The kinds that decide custody (effect ≠ 0), and those that leave the person held (+1).
CUSTODY_KINDS: tuple[str, ...] = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v != 0)
HELD_KINDS: tuple[str, ...] = tuple(k.value for k, v in CUSTODY_EFFECT.items() if v > 0)
RECOGNITION_KINDS: tuple[str, ...] = (
    EventKind.RECOGNISED.value,
    EventKind.RECOGNITION_WITHDRAWN.value,
)
_STATUS_AFTER: dict[str, Status] = {k.value: s for k, s in STATUS_AFTER.items()}


# -- Python ----------------------------------------------------------------------------------


class EventLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def date_start(self) -> dt.date: ...
    @property
    def date_precision(self) -> int: ...


E = TypeVar("E", bound=EventLike)


@dataclass(frozen=True, slots=True)
class Event:
    """An event for the rule alone (a timeline not yet in the database, a test's history)."""

    kind: str
    date_start: dt.date
    date_precision: int = 3
    id: int = 0


def order_key(event: EventLike) -> tuple[dt.date, int, int]:
    """The rule's order of events: first day, precision, id (the latest is the greatest)."""
    return (event.date_start, event.date_precision, event.id)


def decides_custody(kind: str) -> bool:
    return kind in _STATUS_AFTER


def is_held(kind: str) -> bool:
    """Whether the person is held after an event of this kind (custody kinds only)."""
    return _STATUS_AFTER.get(kind) is Status.HELD


def status_after(kind: str | None) -> Status:
    """The status the deciding event of this kind leaves; ``unknown`` without one."""
    return _STATUS_AFTER.get(kind or "", Status.UNKNOWN)


def deciding(events: Iterable[E], day: dt.date) -> E | None:
    """The custody event that decides the status on ``day`` among ``events`` (any order;
    filter them for visibility first), or None."""
    best: E | None = None
    for e in events:
        taken_effect = decides_custody(e.kind) and e.date_start <= day
        if taken_effect and (best is None or order_key(e) > order_key(best)):
            best = e
    return best


def status_on(events: Iterable[EventLike], day: dt.date) -> Status:
    found = deciding(events, day)
    return status_after(found.kind if found else None)


# -- SQL -------------------------------------------------------------------------------------

#: The rule's order of events as columns, earliest first (``ORDER BY`` / window functions).
ORDER: tuple[QueryableAttribute[object], ...] = (
    StatusEvent.date_start,
    StatusEvent.date_precision,
    StatusEvent.id,
)


def held_flag(kind_col: ColumnElement[str] | QueryableAttribute[str]) -> ColumnElement[int]:
    """1 when an event of ``kind_col`` leaves the person held, else 0."""
    return case((kind_col.in_(HELD_KINDS), 1), else_=0)


def status_case_expression(
    kind_col: ColumnElement[str] | QueryableAttribute[str],
) -> ColumnElement[str]:
    """SQL twin of :func:`status_after`: the deciding event's kind (NULL without one) to
    its status word."""
    whens = [
        (kind_col.in_([k for k, s in _STATUS_AFTER.items() if s is status]), literal(status.value))
        for status in Status
        if status is not Status.UNKNOWN
    ]
    return case(*whens, else_=literal(Status.UNKNOWN.value))


def _visible(include_private: bool, public_people: bool = True) -> list[ColumnElement[bool]]:
    """Public events of public people (:mod:`prisonwatch.store.visibility`). With
    ``public_people=False`` only the events' own visibility: for a caller that drops hidden
    people once per person afterwards, instead of once per event."""
    if not public_people and not include_private:
        return [StatusEvent.visibility == PUBLIC]
    return list(event_visible(include_private))


def _taken_effect(
    kinds: tuple[str, ...], day: dt.date | ColumnElement[dt.date]
) -> list[ColumnElement[bool]]:
    return [StatusEvent.kind.in_(kinds), StatusEvent.date_start <= day]


def deciding_event(
    person_id: ColumnElement[int] | QueryableAttribute[int] | int,
    day: dt.date | ColumnElement[dt.date],
    *,
    include_private: bool = False,
) -> Select[str]:
    """SELECT the kind of the custody event that decides the status of ``person_id`` on
    ``day`` (no row when no custody event has taken effect). ``person_id`` is a value, or a
    column such as ``Person.id`` for a correlated subquery."""
    conds = [StatusEvent.person_id == person_id, *_taken_effect(CUSTODY_KINDS, day)]
    conds += _visible(include_private)
    return select(StatusEvent.kind).where(*conds).order_by(*(c.desc() for c in ORDER)).limit(1)


def latest_custody_events(
    day: dt.date,
    *,
    include_private: bool = False,
    person_ids: Select[int] | list[int] | None = None,
    dialect: str | Dialect | None = None,
    public_people: bool = True,
) -> Subquery:
    """One row per person who has a custody event by ``day``: (person_id, kind, date_start,
    facility) of the deciding event; the person is held iff ``kind`` is in ``HELD_KINDS``.
    ``public_people=False``: hidden people are left for the caller to drop.

    Without a ``dialect`` the portable form (``ROW_NUMBER()``); given one, its faster
    equivalent (:meth:`prisonwatch.store.dialect.Dialect.latest_per_group`)."""
    conds = [*_taken_effect(CUSTODY_KINDS, day), *_visible(include_private, public_people)]
    if person_ids is not None:
        conds.append(StatusEvent.person_id.in_(person_ids))
    columns = (
        StatusEvent.person_id.label("person_id"),
        StatusEvent.kind.label("kind"),
        StatusEvent.date_start.label("date_start"),
        StatusEvent.facility.label("facility"),
    )
    latest = LatestPerGroup(columns, conds, (StatusEvent.person_id,), ORDER, "latest_custody")
    return dialect_named(dialect).latest_per_group(latest)


def latest_recognitions(
    day: dt.date,
    *,
    include_private: bool = False,
    dialect: str | Dialect | None = None,
    public_people: bool = True,
) -> Subquery:
    """One row per (person, organisation) with the deciding recognition event on ``day``:
    (person_id, org_id, kind); the recognition stands iff ``kind == 'recognised'``."""
    conds = [
        *_taken_effect(RECOGNITION_KINDS, day),
        StatusEvent.organisation_id.is_not(None),
        *_visible(include_private, public_people),
    ]
    columns = (
        StatusEvent.person_id.label("person_id"),
        StatusEvent.organisation_id.label("org_id"),
        StatusEvent.kind.label("kind"),
    )
    groups = (StatusEvent.person_id, StatusEvent.organisation_id)
    latest = LatestPerGroup(columns, conds, groups, ORDER, "latest_recognition")
    return dialect_named(dialect).latest_per_group(latest)


__all__ = [
    "CUSTODY_KINDS",
    "HELD_KINDS",
    "ORDER",
    "RECOGNITION_KINDS",
    "Event",
    "EventLike",
    "decides_custody",
    "deciding",
    "deciding_event",
    "held_flag",
    "is_held",
    "latest_custody_events",
    "latest_recognitions",
    "order_key",
    "status_after",
    "status_case_expression",
    "status_on",
]
