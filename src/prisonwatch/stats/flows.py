"""Stock and flow over time: held at the start and end of each period, inflow, outflow by kind,
net change, recognition flows — per week, month or year, optionally broken down by a dimension.

Boundaries (see :mod:`prisonwatch.stats.periods`): *held at start* = held at the end of the day
before the period's first day (the net of the stored custody changes before it, which equals
:func:`prisonwatch.store.status.held_people`); flows = custody changes (``custody_change``, see
:mod:`prisonwatch.store.custody`) dated within ``[first, last]``; *held at end* = held at start
+ inflow − outflow, which equals ``held_people(last)`` exactly (the tests check this against the
status module, which reads the events, for every period and every breakdown).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal, null, select
from sqlalchemy.orm import Session

from prisonwatch.model import EventKind
from prisonwatch.stats.groups import Dimension, group_map
from prisonwatch.stats.periods import ONE_DAY, Period, Unit, bucket_label, bucket_start, buckets
from prisonwatch.stats.sqlfuncs import as_date
from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.schema import CustodyChange, Organisation
from prisonwatch.store.status import held_people

#: Outflow kinds in the order tables and charts show them.
OUTFLOW_ORDER: tuple[str, ...] = (
    EventKind.RELEASED_END_OF_TERM.value,
    EventKind.PARDONED.value,
    EventKind.EXPELLED_ABROAD.value,
    EventKind.DIED_IN_CUSTODY.value,
    EventKind.RELEASED_OTHER.value,
)
#: Inflow kinds shown first; any other custody kind that starts custody (a first known event
#: ``sentenced``, say) is listed after them under its own name.
INFLOW_ORDER: tuple[str, ...] = (EventKind.DETAINED.value, EventKind.RE_ARRESTED.value)
#: PostgreSQL sort memory for the statistics queries (see :func:`_tune`).
WORK_MEM = "256MB"


@dataclass
class FlowCounts:
    inflow_by_kind: dict[str, int] = field(default_factory=dict)
    outflow_by_kind: dict[str, int] = field(default_factory=dict)
    newly_recognised: int = 0
    recognition_withdrawn: int = 0

    @property
    def inflow(self) -> int:
        return sum(self.inflow_by_kind.values())

    @property
    def outflow(self) -> int:
        return sum(self.outflow_by_kind.values())

    @property
    def net(self) -> int:
        return self.inflow - self.outflow

    def add(self, kind: str, delta: int, n: int) -> None:
        target = self.inflow_by_kind if delta > 0 else self.outflow_by_kind
        target[kind] = target.get(kind, 0) + n

    def merge(self, other: FlowCounts) -> None:
        for kind, n in other.inflow_by_kind.items():
            self.add(kind, 1, n)
        for kind, n in other.outflow_by_kind.items():
            self.add(kind, -1, n)
        self.newly_recognised += other.newly_recognised
        self.recognition_withdrawn += other.recognition_withdrawn

    def outflow_columns(self) -> dict[str, int]:
        out = {k: self.outflow_by_kind.get(k, 0) for k in OUTFLOW_ORDER}
        out.update({k: v for k, v in sorted(self.outflow_by_kind.items()) if k not in out})
        return out

    def inflow_columns(self) -> dict[str, int]:
        out = {k: self.inflow_by_kind.get(k, 0) for k in INFLOW_ORDER}
        out.update({k: v for k, v in sorted(self.inflow_by_kind.items()) if k not in out})
        return out


@dataclass
class PeriodFlows:
    """One period (a bucket of a series, or a whole compared period), one group."""

    period: Period
    label: str
    group: str | None
    held_start: int
    flows: FlowCounts

    @property
    def held_end(self) -> int:
        return self.held_start + self.flows.net

    def as_dict(self) -> dict[str, Any]:
        f = self.flows
        out: dict[str, Any] = {"period": self.label}
        if self.group is not None:
            out["group"] = self.group
        out.update(
            {
                "first_day": self.period.first.isoformat(),
                "last_day": self.period.last.isoformat(),
                "held_start": self.held_start,
                "inflow": f.inflow,
                "inflow_by_kind": f.inflow_columns(),
                "outflow": f.outflow,
                "outflow_by_kind": f.outflow_columns(),
                "net": f.net,
                "held_end": self.held_end,
                "newly_recognised": f.newly_recognised,
                "recognition_withdrawn": f.recognition_withdrawn,
            }
        )
        return out

    def flat(self) -> dict[str, Any]:
        """One flat row (for CSV): the by-kind columns spelled out."""
        d = self.as_dict()
        inflow = d.pop("inflow_by_kind")
        outflow = d.pop("outflow_by_kind")
        row: dict[str, Any] = {}
        for key, value in d.items():
            row[key] = value
            if key == "inflow":
                row.update({f"inflow_{k}": v for k, v in inflow.items()})
            if key == "outflow":
                row.update({f"outflow_{k}": v for k, v in outflow.items()})
        return row


@dataclass
class Series:
    unit: Unit | None
    period: Period
    dimension: Dimension | None
    rows: list[PeriodFlows]
    include_private: bool = False

    def groups(self) -> list[str | None]:
        seen: dict[str | None, None] = {}
        for r in self.rows:
            seen.setdefault(r.group, None)
        return list(seen)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.value if self.unit else None,
            "first_day": self.period.first.isoformat(),
            "last_day": self.period.last.isoformat(),
            "breakdown": self.dimension.value if self.dimension else None,
            "include_private": self.include_private,
            "rows": [r.as_dict() for r in self.rows],
        }


# -- queries ---------------------------------------------------------------------------------


def held_count(
    session: Session,
    day: dt.date,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
) -> dict[str | None, int]:
    """Held at the end of ``day`` (by :func:`held_people`), per group when ``dimension``."""
    held = held_people(day, include_private=include_private).subquery("held")
    if dimension is None:
        n = session.scalar(select(func.count()).select_from(held)) or 0
        return {None: int(n)}
    groups = group_map(
        dimension, reference_day=reference_day or day, include_private=include_private
    )
    stmt = (
        select(groups.c.grp, func.count())
        .select_from(held)
        .join(groups, groups.c.person_id == held.c.person_id)
        .group_by(groups.c.grp)
    )
    return {str(g): int(n) for g, n in session.execute(stmt)}


SegmentFn = Callable[[Any], Any]


def _tune(session: Session) -> None:
    """Let PostgreSQL sort a million events in memory for this transaction (the default
    ``work_mem`` of 4 MB spills the window-function sort to disk), and skip JIT compilation,
    which costs more than it saves on these queries."""
    dialect_of(session).tune_for_analytics(session, WORK_MEM)


def _aggregate(
    session: Session,
    *,
    until: dt.date,
    since: dt.date,
    segment: SegmentFn,
    convert: Callable[[Any], Any],
    dimension: Dimension | None,
    reference_day: dt.date,
    include_private: bool,
    recognition: bool = True,
) -> dict[tuple[Any, str | None], FlowCounts]:
    """Flows keyed by (segment, group), aggregated in SQL from the stored changes
    (``custody_change``, see :mod:`prisonwatch.store.custody`) of the scope asked for.
    ``segment(date column)`` is the SQL expression of the segment (NULL for "before the first
    period"); ``convert`` reads it back. Custody changes before ``since`` are included (their
    net is the number held at the start); recognition changes before it are not counted.

    Without a breakdown (and for any breakdown but ``organisation``) custody and recognition
    changes come from one pass: first grouped by day — in the order of the index on
    ``(scope, date_start, kind, delta_held, delta_recognised_any)``, so no sort and no table
    look-up — then the few thousand days are grouped into segments."""
    _tune(session)
    out: dict[tuple[Any, str | None], FlowCounts] = defaultdict(FlowCounts)
    groups = (
        group_map(dimension, reference_day=reference_day, include_private=include_private)
        if dimension is not None
        else None
    )
    cc = CustodyChange.__table__.c
    scope = "all" if include_private else "public"
    by_org = dimension is Dimension.ORGANISATION
    both = recognition and not by_org
    conds: list[Any] = [cc.scope == scope, cc.date_start <= until]
    if not both:
        conds.append(cc.delta_held != 0)

    day_cols: list[Any] = [cc.date_start]
    if groups is not None:
        day_cols.append(groups.c.grp)
    day_cols += [cc.kind, cc.delta_held, cc.delta_recognised_any]
    by_day: Any = select(*day_cols, func.count().label("n")).select_from(CustodyChange)
    if groups is not None:
        by_day = by_day.join(groups, groups.c.person_id == cc.person_id)
    by_day = by_day.where(*conds).group_by(*day_cols).subquery("by_day")

    seg = segment(by_day.c.date_start).label("seg")
    cols: list[Any] = [seg]
    if groups is not None:
        cols.append(by_day.c.grp)
    cols += [by_day.c.kind, by_day.c.delta_held, by_day.c.delta_recognised_any]
    stmt = select(*cols, func.sum(by_day.c.n)).group_by(*cols)
    for row in session.execute(stmt):
        key, rest = _key(row, convert, groups is not None)
        kind, delta, delta_any, n = rest
        if int(delta) != 0:
            out[key].add(str(kind), int(delta), int(n))
        elif key[0] is not None and int(delta_any) != 0:
            _add_recognition(out[key], int(delta_any), int(n))
    if both or not recognition:
        return out

    # by organisation: each organisation's own recognitions and withdrawals
    org_name = func.coalesce(Organisation.name, literal("none"))
    rseg = segment(cc.date_start).label("seg")
    rstmt = (
        select(rseg, org_name, cc.delta_recognised, func.count())
        .select_from(CustodyChange)
        .outerjoin(Organisation, Organisation.id == cc.organisation_id)
        .where(
            cc.scope == scope,
            cc.date_start >= since,
            cc.date_start <= until,
            cc.delta_recognised != 0,
        )
        .group_by(rseg, org_name, cc.delta_recognised)
    )
    for row in session.execute(rstmt):
        key, rest = _key(row, convert, True)
        delta, n = rest
        _add_recognition(out[key], int(delta), int(n))
    return out


def _add_recognition(fc: FlowCounts, delta: int, n: int) -> None:
    if delta > 0:
        fc.newly_recognised += n
    else:
        fc.recognition_withdrawn += n


def _key(
    row: Any, convert: Callable[[Any], Any], has_group: bool
) -> tuple[tuple[Any, str | None], tuple[Any, ...]]:
    values = tuple(row)
    seg = None if values[0] is None else convert(values[0])
    if has_group:
        return (seg, str(values[1])), values[2:]
    return (seg, None), values[1:]


def _group_names(
    dimension: Dimension | None, flows: dict[tuple[Any, str | None], FlowCounts]
) -> list[str | None]:
    if dimension is None:
        return [None]
    return [*sorted({g for _, g in flows if g is not None})]


def series(
    session: Session,
    period: Period,
    unit: Unit | None = Unit.MONTH,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
    recognition: bool = True,
) -> Series:
    """Held at start/end, inflow, outflow by kind, net and recognition flows for every bucket
    of ``period`` (or the whole period as one row when ``unit`` is None). With
    ``recognition=False`` the recognition flows are skipped (left at 0), saving one pass."""
    if unit is None:
        rows = totals_of(
            session,
            [period],
            dimension=dimension,
            reference_day=reference_day,
            include_private=include_private,
            recognition=recognition,
        )[0]
        return Series(None, period, dimension, rows, include_private)
    dialect = dialect_of(session)
    bucket_unit = unit

    def segment(col: Any) -> Any:
        return case((col < period.first, null()), else_=dialect.date_bucket(col, bucket_unit))

    flows = _aggregate(
        session,
        until=period.last,
        since=period.first,
        segment=segment,
        convert=as_date,
        dimension=dimension,
        reference_day=reference_day or period.last,
        include_private=include_private,
        recognition=recognition,
    )
    out: list[PeriodFlows] = []
    for group in _group_names(dimension, flows):
        held = flows[(None, group)].net if (None, group) in flows else 0
        for span in buckets(period, unit):
            fc = flows.get((bucket_start(span.first, unit), group), FlowCounts())
            row = PeriodFlows(span, bucket_label(span.first, unit), group, held, fc)
            out.append(row)
            held = row.held_end
    return Series(unit, period, dimension, out, include_private)


def totals_of(
    session: Session,
    periods: list[Period],
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
    recognition: bool = True,
) -> list[list[PeriodFlows]]:
    """Each period as one row (one per group with ``dimension``), all computed in the same
    pass: the periods' first days and day-after-last days cut the timeline into segments."""
    if not periods:
        return []
    cuts = sorted({p.first for p in periods} | {p.last + ONE_DAY for p in periods})

    def segment(col: Any) -> Any:
        return case(
            (col < cuts[0], null()),
            *[(col < c, literal(i)) for i, c in enumerate(cuts) if i > 0],
            else_=literal(len(cuts)),
        )

    flows = _aggregate(
        session,
        until=max(p.last for p in periods),
        since=min(p.first for p in periods),
        segment=segment,
        convert=int,
        dimension=dimension,
        reference_day=reference_day or max(p.last for p in periods),
        include_private=include_private,
        recognition=recognition,
    )
    # segment k (1 ≤ k < len(cuts)) holds the days [cuts[k-1], cuts[k]); None is before cuts[0]
    result: list[list[PeriodFlows]] = []
    for p in periods:
        lo, hi = cuts.index(p.first), cuts.index(p.last + ONE_DAY)
        rows: list[PeriodFlows] = []
        for group in _group_names(dimension, flows):
            held = 0
            fc = FlowCounts()
            for (seg, g), counts in flows.items():
                if g != group:
                    continue
                if seg is None or seg <= lo:
                    held += counts.net
                elif seg <= hi:
                    fc.merge(counts)
            rows.append(PeriodFlows(p, p.label(), group, held, fc))
        result.append(rows)
    return result


def totals(
    session: Session,
    period: Period,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
) -> list[PeriodFlows]:
    """The whole period as one row (one per group with ``dimension``)."""
    return totals_of(
        session,
        [period],
        dimension=dimension,
        reference_day=reference_day,
        include_private=include_private,
    )[0]


__all__ = [
    "INFLOW_ORDER",
    "OUTFLOW_ORDER",
    "FlowCounts",
    "PeriodFlows",
    "Series",
    "held_count",
    "series",
    "totals",
    "totals_of",
]
