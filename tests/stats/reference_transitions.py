"""The tests' reference: custody and recognition *transitions* computed from the events in SQL
with window functions, independently of the stored ``custody_change`` table.

A custody transition is a custody-affecting event (``CUSTODY_EFFECT`` ≠ 0) that changes the
person's state, found with ``LAG`` over the person's custody events ordered exactly as
:mod:`prisonwatch.store.status_rule` orders them — ``(date_start, date_precision, id)``:

* ``delta = +1`` (inflow): the event puts in custody someone who was not held just before
  (``detained`` of a free person; a ``sentenced`` while already held is *not* inflow);
* ``delta = -1`` (outflow): the event ends custody of someone held just before (a ``pardoned``
  of someone not held is *not* outflow).

So the number held at the end of day *d* (``held_people(d)``) equals the sum of ``delta`` over
transitions dated ≤ *d*, and for any period and any fixed group of people
``held(end) − held(start) = inflow − outflow`` exactly.

Recognition works per person: a person is recognised while at least one organisation's latest
recognition event (``recognised`` / ``recognition_withdrawn``) is ``recognised``. The
per-organisation state changes (``org_delta``) are kept too, for breakdowns by organisation.

Private events are left out unless ``include_private`` is set.

The statistics read the same transitions from the stored table ``custody_change``
(:mod:`prisonwatch.store.custody`); ``test_identity.py`` compares the stored rows with these.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.model import EventKind
from prisonwatch.store.schema import StatusEvent
from prisonwatch.store.status_rule import CUSTODY_KINDS, HELD_KINDS, RECOGNITION_KINDS
from prisonwatch.store.visibility import event_visible


def _conds(
    kinds: tuple[str, ...], include_private: bool, until: dt.date | None
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [StatusEvent.kind.in_(kinds)]
    conds += event_visible(include_private)
    if until is not None:
        # Events after ``until`` never change the state of earlier days, so they may be dropped
        # before the window function; events before a period may not (they are the LAG).
        conds.append(StatusEvent.date_start <= until)
    return conds


def custody_transitions(*, include_private: bool = False, until: dt.date | None = None) -> Subquery:
    """Columns: event_id, person_id, kind, date_start, date_precision, deal_id, delta (±1)."""
    held = case((StatusEvent.kind.in_(HELD_KINDS), 1), else_=0)
    order = (StatusEvent.date_start, StatusEvent.date_precision, StatusEvent.id)
    prev = func.lag(held, 1, 0).over(partition_by=StatusEvent.person_id, order_by=order)
    seq = (
        select(
            StatusEvent.id.label("event_id"),
            StatusEvent.person_id.label("person_id"),
            StatusEvent.kind.label("kind"),
            StatusEvent.date_start.label("date_start"),
            StatusEvent.date_precision.label("date_precision"),
            StatusEvent.deal_id.label("deal_id"),
            held.label("held"),
            prev.label("prev_held"),
        )
        .where(and_(*_conds(CUSTODY_KINDS, include_private, until)))
        .subquery("custody_seq")
    )
    return (
        select(
            seq.c.event_id,
            seq.c.person_id,
            seq.c.kind,
            seq.c.date_start,
            seq.c.date_precision,
            seq.c.deal_id,
            (seq.c.held - seq.c.prev_held).label("delta"),
        )
        .where(seq.c.held != seq.c.prev_held)
        .subquery("custody_transitions")
    )


def recognition_transitions(
    *, include_private: bool = False, until: dt.date | None = None
) -> Subquery:
    """Columns: event_id, person_id, org_id (0 = no organisation given), kind, date_start,
    org_delta (±1 per organisation), delta (±1 when the person as a whole becomes recognised /
    stops being recognised by every organisation, else 0). Only rows with a change."""
    rec = case((StatusEvent.kind == EventKind.RECOGNISED.value, 1), else_=0)
    org = func.coalesce(StatusEvent.organisation_id, literal(0))
    order = (StatusEvent.date_start, StatusEvent.date_precision, StatusEvent.id)
    prev = func.lag(rec, 1, 0).over(partition_by=(StatusEvent.person_id, org), order_by=order)
    org_seq = (
        select(
            StatusEvent.id.label("event_id"),
            StatusEvent.person_id.label("person_id"),
            org.label("org_id"),
            StatusEvent.kind.label("kind"),
            StatusEvent.date_start.label("date_start"),
            StatusEvent.date_precision.label("date_precision"),
            (rec - prev).label("org_delta"),
        )
        .where(and_(*_conds(RECOGNITION_KINDS, include_private, until)))
        .subquery("recognition_org_seq")
    )
    running = (
        func.sum(org_seq.c.org_delta)
        .over(
            partition_by=org_seq.c.person_id,
            order_by=(org_seq.c.date_start, org_seq.c.date_precision, org_seq.c.event_id),
            rows=(None, 0),
        )
        .label("orgs_after")
    )
    person_seq = select(
        org_seq.c.event_id,
        org_seq.c.person_id,
        org_seq.c.org_id,
        org_seq.c.kind,
        org_seq.c.date_start,
        org_seq.c.org_delta,
        running,
    ).subquery("recognition_person_seq")
    before = person_seq.c.orgs_after - person_seq.c.org_delta
    delta = case(
        (and_(before == 0, person_seq.c.orgs_after > 0), 1),
        (and_(before > 0, person_seq.c.orgs_after == 0), -1),
        else_=0,
    )
    return (
        select(
            person_seq.c.event_id,
            person_seq.c.person_id,
            person_seq.c.org_id,
            person_seq.c.kind,
            person_seq.c.date_start,
            person_seq.c.org_delta,
            delta.label("delta"),
        )
        .where(person_seq.c.org_delta != 0)
        .subquery("recognition_transitions")
    )


__all__ = ["custody_transitions", "recognition_transitions"]
