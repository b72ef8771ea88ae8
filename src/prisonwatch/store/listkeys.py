"""Stored keys of the people list: sort names, the current status, and the tally of counts.

Why. At 1,000,000 people the list used to sort everyone by a correlated "primary visible name"
subquery on every request, derive everyone's status from their events to filter by status,
and count the whole filter for the total — seconds per page. Now the default page is an index
range scan of 50 ids and the total is a sum over a few dozen rows.

What is stored (columns of ``person``, see :class:`~prisonwatch.store.schema.Person`), once per
scope — ``public`` computed from public names and events only, ``all`` from everything, so a
reader without private access never sorts, filters or counts by a private fact:

* ``sort_<script>_<scope>`` (``latin``, ``cyrillic``): the collation key
  (:func:`prisonwatch.names.collation.sort_key`) of the name a reader who chose that script
  sees — :func:`prisonwatch.names.display.shown_name`, the rule the pages display by — so "name
  A–Z" is the alphabetical order of the names as displayed (NULL when no name is visible).
  Computed in Python (the rule romanises with ICU), for the people a write touched;
* ``status_<scope>``: held / released / died / unknown on the day it was computed, with
  :func:`prisonwatch.store.status_rule.deciding_event` and
  :func:`~prisonwatch.store.status_rule.status_case_expression` — the rule of the derived status,
  not a copy of it. A stored "status today" goes out of date by itself when a future-dated
  event takes effect, so ``status_valid_until`` holds the first day of the person's next
  future-dated custody event (over all events; NULL if none). Before the list filters on the
  stored status for *today*, :func:`refresh_expired` recomputes the rows with
  ``status_valid_until <= today`` (an indexed look-up that normally finds nothing). Any other
  day is derived from the events, as before.

Who keeps them current, in the caller's transaction:

* :func:`refresh_list_keys` — ``Registry`` name and event writes (add/edit/remove), the
  importer (a created batch and an updated person); the demo builder writes through
  ``Registry``. The same call sites refresh ``custody_change``.
* :func:`rebuild_list_keys` — every person at once: after a JSON restore, after loading rows by
  other means (benchmarks), from the command line (``prisonwatch rebuild``,
  :mod:`prisonwatch.store.derived`); migration ``0002`` fills existing registries the same way.

The tally (:class:`~prisonwatch.store.schema.PersonTally`): how many people have each stored
status (per scope) and region, so that "everyone", "held", "in Minsk" and "held in Minsk" are
counted exactly by summing a few dozen rows instead of counting up to a million. It counts the
people whose stored status has been computed; database triggers on ``person`` (migration
``0002``) record every insert, delete and change of ``status_<scope>`` or ``region``, in the
same transaction, whoever writes — the ORM, COPY, a restore, raw SQL. A new person normally
enters the tally when its keys are first computed (it is inserted without them), and the list
computes any missing keys (:func:`refresh_expired`) before it counts.

The triggers *append* rows with the net change per key — on PostgreSQL one statement-level
trigger per statement, on SQLite one row per changed person — and never update a shared
counter row, so concurrent writers (a long import and an editor) never wait for each other.
:func:`compact_tally` replaces the rows by their sums: after an import, and whenever a count
had to read many rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    Table,
    Update,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect, Select

from prisonwatch.names.collation import sort_key
from prisonwatch.names.display import DISPLAY_SCRIPTS, ShownName, shown_name
from prisonwatch.store.dialect import dialect_named, dialect_of
from prisonwatch.store.schema import (
    DERIVED_PERSON_FIELDS,
    Person,
    PersonTally,
    StatusEvent,
)
from prisonwatch.store.shown_names import names_statement
from prisonwatch.store.status_rule import (
    CUSTODY_KINDS,
    EventLike,
    decides_custody,
    deciding_event,
    status_case_expression,
    status_on,
)
from prisonwatch.store.visibility import PUBLIC, person_public

Executor = Session | Connection
#: A day: a date, or a bound parameter of the statements built once (:func:`_statements`).
Day = dt.date | BindParameter[dt.date]
SCOPES: tuple[str, ...] = ("public", "all")
#: People per ``IN (…)`` list (SQLite's bound-parameter limit).
CHUNK = 5000
#: :func:`tally_count` compacts the tally when a count had to read more rows than this.
COMPACT_AT = 2000
#: The PostgreSQL advisory lock that keeps two compactions from running at once.
COMPACT_LOCK = 0x7077_7461_6C6C  # "pwtall"


def _person() -> Table:
    table: Table = Person.__table__  # type: ignore[assignment]
    return table


def _tally() -> Table:
    table: Table = PersonTally.__table__  # type: ignore[assignment]
    return table


def _connection(ex: Executor) -> Connection:
    """The caller's transaction as a Core connection (no ORM bookkeeping per statement)."""
    return ex.connection() if isinstance(ex, Session) else ex


def _dialect(ex: Executor) -> str:
    return dialect_of(ex).name


def scope_of(include_private: bool) -> str:
    return "all" if include_private else "public"


# -- the expressions -------------------------------------------------------------------------


def sort_column(script: str, include_private: bool) -> str:
    """The ``person`` column of the sort key of names displayed in ``script``."""
    if script not in DISPLAY_SCRIPTS:
        raise ValueError(f"script must be one of {', '.join(DISPLAY_SCRIPTS)}, not {script!r}")
    return f"sort_{script}_{scope_of(include_private)}"


SORT_COLUMNS = tuple(f"sort_{script}_{scope}" for script in DISPLAY_SCRIPTS for scope in SCOPES)


def status_expression(today: Day, include_private: bool) -> ColumnElement[str]:
    """What ``status_<scope>`` stores: the status word on ``today``, by the rule of
    :mod:`prisonwatch.store.status_rule` (``unknown`` without a custody event by then). In the
    ``public`` scope NULL for a person without a public name (hidden: not listed, not in the
    tally; :mod:`prisonwatch.store.visibility`)."""
    word = (
        deciding_event(Person.id, today, include_private=include_private)
        .with_only_columns(status_case_expression(StatusEvent.kind))
        .correlate(Person)
        .scalar_subquery()
    )
    status = func.coalesce(word, literal("unknown"))
    if include_private:
        return status
    return case((person_public(Person.id), status), else_=null())


def valid_until_expression(today: Day) -> ScalarSelect[dt.date]:
    """What ``status_valid_until`` stores: the first day after ``today`` on which one of the
    person's custody events (public or private) takes effect."""
    return (
        select(func.min(StatusEvent.date_start))
        .where(
            StatusEvent.person_id == Person.id,
            StatusEvent.kind.in_(CUSTODY_KINDS),
            StatusEvent.date_start > today,
        )
        .correlate(Person)
        .scalar_subquery()
    )


def _values(today: Day) -> dict[str, Any]:
    """The SET clause of the status columns (from the events)."""
    return {
        # not a change of the person: keep ``updated_at`` (its ``onupdate`` would bump it)
        "updated_at": _person().c.updated_at,
        "status_public": status_expression(today, False),
        "status_all": status_expression(today, True),
        "status_valid_until": valid_until_expression(today),
    }


def stale_condition(today: Day) -> ColumnElement[bool]:
    """Rows whose stored status may differ from the status on ``today``: a future-dated event
    has taken effect since, or the row was never computed (loaded by other means)."""
    person = _person()
    return or_(person.c.status_valid_until <= today, person.c.status_all.is_(None))


@functools.cache
def _statements(dialect: str) -> tuple[Select[int], Update, Update, Select[int]]:
    """(lock, refresh, refresh if stale, find stale) for people ``:ids`` on
    ``:today``, built once: a registry write refreshes one person and every page of the list
    looks for stale rows, and building the expressions costs more than running them.

    The UPDATEs are driven by the id list (:meth:`~prisonwatch.store.dialect.Dialect.id_join`:
    on PostgreSQL a join with ``unnest(:ids)``; with ``id IN (…)`` an import was quadratic)."""
    person = _person()
    today: BindParameter[dt.date] = bindparam("today", type_=Date())
    ids: BindParameter[int] = bindparam("ids", expanding=True)
    lock = select(person.c.id).where(person.c.id.in_(ids)).order_by(person.c.id).with_for_update()
    wanted = dialect_named(dialect).id_join(person.c.id)
    refresh = update(person).where(wanted).values(_values(today))
    if_stale = update(person).where(wanted, stale_condition(today)).values(_values(today))
    find_stale = select(person.c.id).where(stale_condition(today))
    return lock, refresh, if_stale, find_stale


def sort_keys(names: Sequence[tuple[ShownName, bool]]) -> dict[str, bytes | None]:
    """The ``sort_<script>_<scope>`` values of a person with these names (each with whether it
    is public): the key of the name each scope's reader sees in each script, None when that
    reader sees no name. Also for a writer that has the names in hand (an import's new people,
    :mod:`prisonwatch.store.batch`), so it can insert the keys with the person."""
    every = [n for n, _ in names]
    public = [n for n, is_public in names if is_public]
    keys: dict[str, bytes | None] = {}
    for script in DISPLAY_SCRIPTS:
        displayed = shown_name(every, script)
        keys[f"sort_{script}_all"] = None if displayed is None else sort_key(displayed)
        if len(public) < len(every):  # else the same names, the same key
            displayed = shown_name(public, script)
        keys[f"sort_{script}_public"] = None if displayed is None else sort_key(displayed)
    return keys


def status_keys(
    events: Sequence[tuple[EventLike, bool]], today: dt.date, *, public_person: bool
) -> dict[str, Any]:
    """The ``status_public``, ``status_all`` and ``status_valid_until`` of a person with these
    events (each with whether it is public) on ``today`` — the Python form of the rule
    (:func:`~prisonwatch.store.status_rule.status_on`), equal to what :func:`refresh_list_keys`
    computes in SQL (the tests hold both to the same answers). For a writer with the events in
    hand and their ids in the rule's order (an import's new people), so it can insert the
    keys with the person instead of updating every new row after."""
    public = [e for e, is_public in events if is_public]
    future = [e.date_start for e, _ in events if decides_custody(e.kind) and e.date_start > today]
    return {
        "status_all": status_on([e for e, _ in events], today).value,
        "status_public": status_on(public, today).value if public_person else None,
        "status_valid_until": min(future) if future else None,
    }


def _sort_key_rows(ex: Executor, ids: Sequence[int]) -> list[dict[str, Any]]:
    """One parameter row of the sort-key UPDATE per person of ``ids``."""
    stmt = names_statement(dialect_of(ex))
    names: dict[int, list[tuple[ShownName, bool]]] = {pid: [] for pid in ids}
    for pid, nid, text, script, kind, primary, language, visibility in _connection(ex).execute(
        stmt, {"ids": list(ids)}
    ):
        shown = ShownName(nid, text, script, kind, bool(primary), language)
        names[pid].append((shown, visibility == PUBLIC))
    return [{"id": pid, **sort_keys(found)} for pid, found in names.items()]


def _refresh_sort_keys(ex: Executor, ids: Sequence[int]) -> None:
    """Store the sort keys of ``ids`` (existing or not: a missing person updates nothing)."""
    conn = _connection(ex)
    keep = {"updated_at": _person().c.updated_at}  # not a change of the person
    for start in range(0, len(ids), CHUNK):
        rows = _sort_key_rows(ex, ids[start : start + CHUNK])
        dialect_of(ex).update_by_id(conn, _person(), rows, fixed=keep)


@functools.cache
def _tally_statement(status: bool, region: bool) -> Select[int, int]:
    """SUM(n) and the number of rows read, for ``:scope`` [and ``:status``] [and ``:key``]."""
    tally = _tally()
    conds: list[ColumnElement[bool]] = [tally.c.scope == bindparam("scope")]
    if status:
        conds.append(tally.c.status == bindparam("status"))
    if region:
        conds.append(tally.c.region_key == bindparam("key"))
    return select(func.coalesce(func.sum(tally.c.n), 0), func.count()).where(*conds)


# -- the write paths -------------------------------------------------------------------------


def _expire(ex: Executor, ids: Sequence[int]) -> None:
    """The UPDATE bypasses the ORM: forget the old values of loaded ``Person`` objects."""
    if not isinstance(ex, Session):
        return
    for pid in ids:
        obj = ex.identity_map.get(identity_key(Person, pid))
        if obj is not None:
            ex.expire(obj, list(DERIVED_PERSON_FIELDS))


def refresh_list_keys(
    ex: Executor,
    person_ids: Iterable[int],
    *,
    today: dt.date | None = None,
    lock: bool = True,
    names: bool = True,
) -> None:
    """Recompute the stored keys of these people from their current names and events, in the
    caller's transaction (people that do not exist are skipped). ``names=False``: only the
    status columns (after a write that changed only events).

    On PostgreSQL the rows are first locked (``SELECT … FOR UPDATE``, in id order), and the
    values are computed after that: a concurrent transaction changing the same person's names
    or events has then either committed (and its change is seen) or waits for this one and
    recomputes after it — the last writer always sees every change. ``lock=False`` skips that
    for people no other transaction can see yet (an import's new people)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    today = today or dt.date.today()
    if isinstance(ex, Session):
        ex.flush()
    lock_stmt, refresh, *_ = _statements(_dialect(ex))
    lock = lock and dialect_of(ex).row_locks
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if lock:
            ex.execute(lock_stmt, {"ids": chunk})
        ex.execute(refresh, {"ids": chunk, "today": today})
        if names:
            _refresh_sort_keys(ex, chunk)
    _expire(ex, ids)


def rebuild_list_keys(ex: Executor, *, today: dt.date | None = None) -> int:
    """Recompute the stored keys of every person (the status in one set-based UPDATE, the sort
    keys in chunks of people); returns how many."""
    today = today or dt.date.today()
    if isinstance(ex, Session):
        ex.flush()
    result = ex.execute(update(_person()).values(_values(today)))
    ids = list(_connection(ex).scalars(select(_person().c.id).order_by(_person().c.id)))
    _refresh_sort_keys(ex, ids)
    if isinstance(ex, Session):
        ex.expire_all()
    return int(result.rowcount)  # type: ignore[attr-defined]


def refresh_expired(ex: Executor, today: dt.date) -> int:
    """Recompute the rows whose stored status may be out of date on ``today`` (see
    :func:`stale_condition`); returns how many were found. The people list calls it before
    it reads the stored status for today.

    The UPDATE repeats the condition, so when several requests find the same rows at once,
    the ones that wait for the first one's row locks find the rows current and skip them."""
    _, _, if_stale, find_stale = _statements(_dialect(ex))
    ids = list(_connection(ex).scalars(find_stale, {"today": today}))
    if not ids:
        return 0
    for start in range(0, len(ids), CHUNK):
        ex.execute(if_stale, {"ids": ids[start : start + CHUNK], "today": today})
    # the names have not changed, but a row loaded without keys has no sort keys either
    _refresh_sort_keys(ex, ids)
    _expire(ex, ids)
    return len(ids)


# -- the tally -------------------------------------------------------------------------------


def tally_count(
    ex: Executor,
    *,
    include_private: bool,
    status: str | None = None,
    region: str | None = None,
) -> int:
    """How many people have the stored ``status`` (any when None) and ``region`` (compared as
    the people filter does: ``lower(person.region) = lower(region)``; any when None), in the
    reader's scope — among the people whose keys have been computed, so call
    :func:`refresh_expired` first. Compacts the tally (:func:`compact_tally`) when it read
    many rows."""
    stmt = _tally_statement(status is not None, region is not None)
    params = {
        "scope": scope_of(include_private),
        "status": status,
        "key": region.strip().lower() if region is not None else None,
    }
    total, rows = _connection(ex).execute(stmt, params).one()
    if rows > COMPACT_AT:
        compact_tally(ex)
    return int(total)


def compact_tally(ex: Executor) -> bool:
    """Replace the tally's rows by one row per key with their sum (zero sums dropped).

    Safe while other transactions write: ``DELETE … RETURNING`` returns exactly the rows this
    transaction deleted, and their sum is inserted back; rows added meanwhile by others are not
    deleted. On PostgreSQL two compactions do not run at once (an advisory lock; a second one
    skips, returning False)."""
    if not dialect_of(ex).try_exclusive(ex, COMPACT_LOCK):
        return False
    tally = _tally()
    sums: Counter[tuple[str, str | None, str | None]] = Counter()
    for scope, status, key, n in ex.execute(
        delete(tally).returning(tally.c.scope, tally.c.status, tally.c.region_key, tally.c.n)
    ):
        sums[(scope, status, key)] += n
    rows = [
        {"scope": scope, "status": status, "region_key": key, "n": n}
        for (scope, status, key), n in sums.items()
        if n != 0
    ]
    if rows:
        ex.execute(insert(tally), rows)
    return True


def rebuild_tally(ex: Executor) -> None:
    """Recompute the tally from ``person`` (maintenance; the triggers normally keep it)."""
    tally = _tally()
    ex.execute(delete(tally))
    for scope in SCOPES:
        person = _person()
        status = person.c[f"status_{scope}"]
        key = func.lower(person.c.region)
        ex.execute(
            insert(tally).from_select(
                ["scope", "status", "region_key", "n"],
                select(literal(scope), status, key, func.count())
                .where(status.is_not(None))
                .group_by(status, key),
            )
        )


__all__ = [
    "SCOPES",
    "SORT_COLUMNS",
    "compact_tally",
    "rebuild_list_keys",
    "rebuild_tally",
    "refresh_expired",
    "refresh_list_keys",
    "scope_of",
    "sort_column",
    "sort_keys",
    "stale_condition",
    "status_expression",
    "status_keys",
    "tally_count",
    "valid_until_expression",
]
