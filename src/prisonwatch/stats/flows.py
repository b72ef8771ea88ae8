"""Stock and flow over time: held at the start and end of each period, inflow, outflow by kind,
net change, recognition flows — per week, month or year, optionally broken down by a dimension.

Boundaries (see :mod:`prisonwatch.stats.periods`): *held at start* = held at the end of the day
before the period's first day, by :func:`prisonwatch.store.status.held_people`; flows = custody
transitions (:mod:`prisonwatch.stats.transitions`) dated within ``[first, last]``; *held at end*
= held at start + inflow − outflow, which equals ``held_people(last)`` exactly (the tests check
this against the status module for every period and every breakdown).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.model import EventKind
from prisonwatch.stats.groups import Dimension, group_map
from prisonwatch.stats.periods import Period, Unit, bucket_label, bucket_start, buckets
from prisonwatch.stats.sqlfuncs import as_date, bucket_expr, dialect_of
from prisonwatch.stats.transitions import custody_transitions, recognition_transitions
from prisonwatch.store.schema import Organisation
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


def _flow_counts(
    session: Session,
    period: Period,
    *,
    unit: Unit | None,
    dimension: Dimension | None,
    reference_day: dt.date,
    include_private: bool,
) -> dict[tuple[dt.date | None, str | None], FlowCounts]:
    """Flows keyed by (bucket start or None, group or None), aggregated in SQL."""
    dialect = dialect_of(session)
    out: dict[tuple[dt.date | None, str | None], FlowCounts] = defaultdict(FlowCounts)
    groups = (
        group_map(dimension, reference_day=reference_day, include_private=include_private)
        if dimension is not None
        else None
    )

    tr = custody_transitions(include_private=include_private, until=period.last)
    cols: list[Any] = []
    if unit is not None:
        cols.append(bucket_expr(tr.c.date_start, unit, dialect).label("bucket"))
    if groups is not None:
        cols.append(groups.c.grp)
    stmt: Any = select(*cols, tr.c.kind, tr.c.delta, func.count()).select_from(tr)
    if groups is not None:
        stmt = stmt.join(groups, groups.c.person_id == tr.c.person_id)
    stmt = stmt.where(tr.c.date_start >= period.first).group_by(*cols, tr.c.kind, tr.c.delta)
    for row in session.execute(stmt):
        key, rest = _key(row, unit is not None, groups is not None)
        kind, delta, n = rest
        out[key].add(str(kind), int(delta), int(n))

    rt = recognition_transitions(include_private=include_private, until=period.last)
    by_org = dimension is Dimension.ORGANISATION
    delta_col = rt.c.org_delta if by_org else rt.c.delta
    rcols: list[Any] = []
    if unit is not None:
        rcols.append(bucket_expr(rt.c.date_start, unit, dialect).label("bucket"))
    rstmt: Any
    if by_org:
        org_name = func.coalesce(Organisation.name, "none")
        rcols.append(org_name)
        rstmt = select(*rcols, delta_col, func.count()).select_from(rt).outerjoin(
            Organisation, Organisation.id == rt.c.org_id
        )
    elif groups is not None:
        rcols.append(groups.c.grp)
        rstmt = select(*rcols, delta_col, func.count()).select_from(rt).join(
            groups, groups.c.person_id == rt.c.person_id
        )
    else:
        rstmt = select(*rcols, delta_col, func.count()).select_from(rt)
    rstmt = rstmt.where(rt.c.date_start >= period.first, delta_col != 0).group_by(
        *rcols, delta_col
    )
    for row in session.execute(rstmt):
        key, rest = _key(row, unit is not None, dimension is not None)
        delta, n = rest
        fc = out[key]
        if int(delta) > 0:
            fc.newly_recognised += int(n)
        else:
            fc.recognition_withdrawn += int(n)
    return out


def _key(
    row: Any, has_bucket: bool, has_group: bool
) -> tuple[tuple[dt.date | None, str | None], tuple[Any, ...]]:
    values = tuple(row)
    i = 0
    bucket: dt.date | None = None
    group: str | None = None
    if has_bucket:
        bucket = as_date(values[i])
        i += 1
    if has_group:
        group = str(values[i])
        i += 1
    return (bucket, group), values[i:]


def series(
    session: Session,
    period: Period,
    unit: Unit | None = Unit.MONTH,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
) -> Series:
    """Held at start/end, inflow, outflow by kind, net and recognition flows for every bucket
    of ``period`` (or the whole period as one row when ``unit`` is None)."""
    ref = reference_day or period.last
    start = held_count(
        session,
        period.day_before,
        dimension=dimension,
        reference_day=ref,
        include_private=include_private,
    )
    flows = _flow_counts(
        session,
        period,
        unit=unit,
        dimension=dimension,
        reference_day=ref,
        include_private=include_private,
    )
    group_names: list[str | None]
    if dimension is None:
        group_names = [None]
    else:
        names = {g for g in start} | {g for _, g in flows}
        group_names = [*sorted(n for n in names if n is not None)]
    spans = buckets(period, unit) if unit is not None else [period]
    rows: list[PeriodFlows] = []
    for group in group_names:
        held = start.get(group, 0)
        for span in spans:
            key = bucket_start(span.first, unit) if unit is not None else None
            fc = flows.get((key, group), FlowCounts())
            label = bucket_label(span.first, unit) if unit is not None else period.label()
            row = PeriodFlows(span, label, group, held, fc)
            rows.append(row)
            held = row.held_end
    return Series(unit, period, dimension, rows, include_private)


def totals(
    session: Session,
    period: Period,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
) -> list[PeriodFlows]:
    """The whole period as one row (one per group with ``dimension``)."""
    return series(
        session,
        period,
        None,
        dimension=dimension,
        reference_day=reference_day,
        include_private=include_private,
    ).rows


__all__ = [
    "INFLOW_ORDER",
    "OUTFLOW_ORDER",
    "FlowCounts",
    "PeriodFlows",
    "Series",
    "held_count",
    "series",
    "totals",
]
