"""The ``custody_change`` table: every change of a person's custody state or recognition,
derived from the status events and stored so that the statistics aggregate a few hundred
thousand changes with ``GROUP BY`` instead of running window functions over every event.

Derived data, never edited by hand. Every write path refreshes the rows of the people whose
events it changed, in the same transaction:

* :func:`refresh_people` — for a handful of people (``Registry.add_event`` / ``edit_event`` /
  ``remove_event`` / ``delete_person``, an import's update of a person): delete their rows and
  recompute them in Python from their events; for many people (an import batch) the same
  set-based SQL as :func:`rebuild_all`, restricted to them;
* :func:`rebuild_all` — the whole table in set-based SQL (``INSERT … SELECT`` with ``LAG``),
  after bulk loads and restores, and from the command line::

      prisonwatch rebuild [--db URL]

The semantics are those of the status rule (:mod:`prisonwatch.store.status_rule`): a person's
custody events (``CUSTODY_EFFECT`` ≠ 0) in the rule's order (``ORDER``, ``order_key``); an event
whose state (held / not held) differs from the state before it is a change (+1 inflow, −1
outflow). Recognition per organisation the same way with ``recognised`` /
``recognition_withdrawn`` (events without an organisation count as one organisation); the
person is recognised while at least one organisation's latest event is ``recognised``. The
Python form (:func:`changes_of`) and the set-based SQL form (:func:`custody_select`,
:func:`recognition_select`) are checked against each other by the tests.

Each change is stored twice over: in scope ``public`` computed over public events only, in
scope ``all`` over all events. A public figure is therefore computed without ever looking at a
private event (a private detention followed by a public release must not make the release an
outflow in public figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select, Subquery

from prisonwatch.model import EventKind
from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.schema import CustodyChange, Name, StatusEvent
from prisonwatch.store.status_rule import (
    CUSTODY_KINDS,
    ORDER,
    RECOGNITION_KINDS,
    held_flag,
    is_held,
    order_key,
)
from prisonwatch.store.visibility import PUBLIC, person_public

SCOPES: tuple[str, ...] = ("public", "all")
#: Up to this many people, :func:`refresh_people` computes in Python; above, in SQL.
PYTHON_LIMIT = 50
#: People per ``IN (…)`` list of the set-based refresh (SQLite's bound-parameter limit).
CHUNK = 5000

COLUMNS: tuple[str, ...] = (
    "scope",
    "person_id",
    "event_id",
    "date_start",
    "date_precision",
    "kind",
    "delta_held",
    "organisation_id",
    "delta_recognised",
    "delta_recognised_any",
    "deal_id",
)

Executor = Session | Connection


def _table() -> Table:
    table: Table = CustodyChange.__table__  # type: ignore[assignment]
    return table


# -- Python: one person at a time ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    person_id: int
    kind: str
    date_start: Any
    date_precision: int
    organisation_id: int | None
    visibility: str
    deal_id: int | None
    #: whether the person has a public name (:mod:`prisonwatch.store.visibility`)
    person_public: bool = True


def changes_of(events: Iterable[_Event], scope: str) -> list[dict[str, Any]]:
    """The change rows of one person's events (any order) in ``scope``: ``public`` counts
    public events of public people only."""
    visible = [
        e for e in events if scope == "all" or (e.visibility == "public" and e.person_public)
    ]
    visible.sort(key=order_key)
    out: list[dict[str, Any]] = []
    held = 0
    org_state: dict[int, int] = {}
    recognised_by = 0
    for e in visible:
        row = {
            "scope": scope,
            "person_id": e.person_id,
            "event_id": e.id,
            "date_start": e.date_start,
            "date_precision": e.date_precision,
            "kind": e.kind,
            "delta_held": 0,
            "organisation_id": None,
            "delta_recognised": 0,
            "delta_recognised_any": 0,
            "deal_id": e.deal_id,
        }
        if e.kind in CUSTODY_KINDS:
            now = 1 if is_held(e.kind) else 0
            if now != held:
                row["delta_held"] = now - held
                held = now
                out.append(row)
        elif e.kind in RECOGNITION_KINDS:
            org = e.organisation_id or 0
            now = 1 if e.kind == EventKind.RECOGNISED.value else 0
            before = org_state.get(org, 0)
            if now != before:
                org_state[org] = now
                was = recognised_by
                recognised_by += now - before
                row["organisation_id"] = e.organisation_id
                row["delta_recognised"] = now - before
                if was == 0 and recognised_by > 0:
                    row["delta_recognised_any"] = 1
                elif was > 0 and recognised_by == 0:
                    row["delta_recognised_any"] = -1
                out.append(row)
    return out


def _events_of(ex: Executor, person_ids: Sequence[int]) -> dict[int, list[_Event]]:
    stmt = select(
        StatusEvent.id,
        StatusEvent.person_id,
        StatusEvent.kind,
        StatusEvent.date_start,
        StatusEvent.date_precision,
        StatusEvent.organisation_id,
        StatusEvent.visibility,
        StatusEvent.deal_id,
        person_public(StatusEvent.person_id).label("person_public"),
    ).where(
        StatusEvent.person_id.in_(person_ids),
        StatusEvent.kind.in_((*CUSTODY_KINDS, *RECOGNITION_KINDS)),
    )
    out: dict[int, list[_Event]] = {pid: [] for pid in person_ids}
    for row in ex.execute(stmt):
        ev = _Event(*row)
        out[ev.person_id].append(ev)
    return out


def compute_people(ex: Executor, person_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rows the table should hold for these people, computed in Python (no writes)."""
    rows: list[dict[str, Any]] = []
    for events in _events_of(ex, person_ids).values():
        for scope in SCOPES:
            rows.extend(changes_of(events, scope))
    return rows


# -- SQL: many people at once ---------------------------------------------------------------


def _filters(
    kinds: tuple[str, ...], scope: str, person_ids: Sequence[int] | None
) -> list[ColumnElement[bool]]:
    """``person_ids``: the people to compute — in scope ``public`` the *public* ones among
    them (:func:`_public_among`); ``None``: everyone (in scope ``public``, everyone with a
    public name, as a semi-join)."""
    conds: list[ColumnElement[bool]] = [StatusEvent.kind.in_(kinds)]
    if scope == "public":
        conds.append(StatusEvent.visibility == PUBLIC)
    if person_ids is not None:
        conds.append(StatusEvent.person_id.in_(person_ids))
    elif scope == "public":
        conds.append(
            StatusEvent.person_id.in_(select(Name.person_id).where(Name.visibility == PUBLIC))
        )
    return conds


def _public_among(ex: Executor, person_ids: Sequence[int]) -> list[int]:
    """The public people among these (store.visibility: a public name). Read first, by id,
    rather than joined into the statement: right after a bulk load (no planner statistics
    for the new rows yet) PostgreSQL ran the join with ``name`` as a nested loop over every
    name per event (20,000 people: 105 s instead of 4 s)."""
    rows = ex.execute(
        select(Name.person_id)
        .where(Name.visibility == PUBLIC, Name.person_id.in_(person_ids))
        .distinct()
    )
    return sorted(r[0] for r in rows)


def _event_columns() -> tuple[ColumnElement[Any], ...]:
    """The event's columns every change row carries, labelled as in :data:`COLUMNS`."""
    return (
        StatusEvent.id.label("event_id"),
        StatusEvent.person_id.label("person_id"),
        StatusEvent.kind.label("kind"),
        StatusEvent.date_start.label("date_start"),
        StatusEvent.date_precision.label("date_precision"),
        StatusEvent.deal_id.label("deal_id"),
    )


def _change_rows(scope: str, seq: Subquery, **deltas: ColumnElement[Any]) -> Select[Any]:
    """The change rows (columns :data:`COLUMNS`, in order) from the event columns of ``seq``
    and the ``deltas`` (with ``organisation_id``) computed over it."""
    values: dict[str, ColumnElement[Any]] = {"scope": literal(scope), **deltas}
    columns = [(values[n] if n in values else seq.c[n]).label(n) for n in COLUMNS]
    return select(*columns)


def custody_select(scope: str, person_ids: Sequence[int] | None = None) -> Select[Any]:
    """SELECT of the custody change rows (columns :data:`COLUMNS`) of ``scope``."""
    held = held_flag(StatusEvent.kind)
    prev = func.lag(held, 1, 0).over(partition_by=StatusEvent.person_id, order_by=ORDER)
    seq = (
        select(*_event_columns(), held.label("held"), prev.label("prev_held"))
        .where(and_(*_filters(CUSTODY_KINDS, scope, person_ids)))
        .subquery("custody_seq")
    )
    return _change_rows(
        scope,
        seq,
        delta_held=seq.c.held - seq.c.prev_held,
        organisation_id=null(),
        delta_recognised=literal(0),
        delta_recognised_any=literal(0),
    ).where(seq.c.held != seq.c.prev_held)


def recognition_select(scope: str, person_ids: Sequence[int] | None = None) -> Select[Any]:
    """SELECT of the recognition change rows (columns :data:`COLUMNS`) of ``scope``."""
    rec = case((StatusEvent.kind == EventKind.RECOGNISED.value, 1), else_=0)
    org = func.coalesce(StatusEvent.organisation_id, literal(0))
    prev = func.lag(rec, 1, 0).over(partition_by=(StatusEvent.person_id, org), order_by=ORDER)
    org_seq = (
        select(
            *_event_columns(),
            StatusEvent.organisation_id.label("organisation_id"),
            (rec - prev).label("org_delta"),
        )
        .where(and_(*_filters(RECOGNITION_KINDS, scope, person_ids)))
        .subquery("recognition_org_seq")
    )
    running = func.sum(org_seq.c.org_delta).over(
        partition_by=org_seq.c.person_id,
        order_by=(org_seq.c.date_start, org_seq.c.date_precision, org_seq.c.event_id),
        rows=(None, 0),
    )
    person_seq = select(org_seq, running.label("orgs_after")).subquery("recognition_seq")
    before = person_seq.c.orgs_after - person_seq.c.org_delta
    any_delta = case(
        (and_(before == 0, person_seq.c.orgs_after > 0), 1),
        (and_(before > 0, person_seq.c.orgs_after == 0), -1),
        else_=0,
    )
    return _change_rows(
        scope,
        person_seq,
        delta_held=literal(0),
        organisation_id=person_seq.c.organisation_id,
        delta_recognised=person_seq.c.org_delta,
        delta_recognised_any=any_delta,
    ).where(person_seq.c.org_delta != 0)


def _insert_sql(ex: Executor, person_ids: Sequence[int] | None) -> None:
    """``person_ids=None``: everyone, one set-based statement per scope and kind."""
    table = _table()
    for scope in SCOPES:
        ids = person_ids
        if person_ids is not None and scope == "public":
            ids = _public_among(ex, person_ids)
            if not ids:
                continue
        for stmt in (custody_select(scope, ids), recognition_select(scope, ids)):
            ex.execute(insert(table).from_select(list(COLUMNS), stmt))


# -- the write paths -------------------------------------------------------------------------


def refresh_people(ex: Executor, person_ids: Iterable[int], *, method: str = "auto") -> None:
    """Recompute the rows of these people from their current events (delete + insert, in the
    caller's transaction). ``method``: ``python`` (per person, for a handful of people),
    ``sql`` (set-based, for a batch) or ``auto`` (Python up to :data:`PYTHON_LIMIT` people).
    People without events (or deleted) just lose their rows."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    if method not in ("auto", "python", "sql"):
        raise ValueError(f"method must be auto, python or sql, not {method!r}")
    if isinstance(ex, Session):
        ex.flush()
    table = _table()
    use_sql = method == "sql" or (method == "auto" and len(ids) > PYTHON_LIMIT)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ex.execute(delete(table).where(table.c.person_id.in_(chunk)))
        if use_sql:
            _insert_sql(ex, chunk)
        else:
            rows = compute_people(ex, chunk)
            if rows:
                ex.execute(insert(table), rows)


def rebuild_all(ex: Executor) -> int:
    """Recompute the whole table in set-based SQL; returns the number of rows."""
    if isinstance(ex, Session):
        ex.flush()
    table = _table()
    ex.execute(delete(table))
    # fresh planner statistics: right after a bulk load PostgreSQL otherwise guesses a
    # nested loop over ``name`` for the public scope's semi-join (see _public_among)
    dialect_of(ex).analyze(ex, ("name", "status_event"))
    _insert_sql(ex, None)  # set-based over everyone: 7x faster on SQLite than by chunks
    return int(ex.execute(select(func.count()).select_from(table)).scalar_one())


__all__ = [
    "COLUMNS",
    "SCOPES",
    "changes_of",
    "compute_people",
    "custody_select",
    "rebuild_all",
    "recognition_select",
    "refresh_people",
]
