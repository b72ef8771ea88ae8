"""Two periods side by side — "12 months before vs after 2025-09-11": held at start and end,
inflow, outflow by kind, net, recognition flows, and the difference (after − before)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from prisonwatch.stats.flows import FlowCounts, PeriodFlows, totals_of
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.periods import Period


@dataclass(frozen=True)
class ComparisonRow:
    measure: str
    first: int
    second: int

    @property
    def change(self) -> int:
        return self.second - self.first

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "first": self.first,
            "second": self.second,
            "change": self.change,
        }


@dataclass
class Comparison:
    first: Period
    second: Period
    group: str | None
    first_flows: PeriodFlows
    second_flows: PeriodFlows

    def rows(self) -> list[ComparisonRow]:
        a, b = self.first_flows, self.second_flows
        out = [
            ComparisonRow("days", a.period.days, b.period.days),
            ComparisonRow("held at start", a.held_start, b.held_start),
            ComparisonRow("inflow", a.flows.inflow, b.flows.inflow),
        ]
        ain, bin_ = a.flows.inflow_columns(), b.flows.inflow_columns()
        for kind in dict.fromkeys([*ain, *bin_]):
            out.append(ComparisonRow(f"  inflow: {kind}", ain.get(kind, 0), bin_.get(kind, 0)))
        out.append(ComparisonRow("outflow", a.flows.outflow, b.flows.outflow))
        aout, bout = a.flows.outflow_columns(), b.flows.outflow_columns()
        for kind in dict.fromkeys([*aout, *bout]):
            out.append(ComparisonRow(f"  outflow: {kind}", aout.get(kind, 0), bout.get(kind, 0)))
        out += [
            ComparisonRow("net change", a.flows.net, b.flows.net),
            ComparisonRow("held at end", a.held_end, b.held_end),
            ComparisonRow("newly recognised", a.flows.newly_recognised, b.flows.newly_recognised),
            ComparisonRow(
                "recognition withdrawn",
                a.flows.recognition_withdrawn,
                b.flows.recognition_withdrawn,
            ),
        ]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": self.first_flows.as_dict(),
            "second": self.second_flows.as_dict(),
            "group": self.group,
            "table": [r.as_dict() for r in self.rows()],
        }


def compare(
    session: Session,
    first: Period,
    second: Period,
    *,
    dimension: Dimension | None = None,
    reference_day: dt.date | None = None,
    include_private: bool = False,
    recognition: bool = True,
) -> list[Comparison]:
    """One :class:`Comparison` (one per group with ``dimension``). Groups are fixed on
    ``reference_day`` (default: the later period's last day) for both periods."""
    ref = reference_day or max(first.last, second.last)
    rows_a, rows_b = totals_of(
        session,
        [first, second],
        dimension=dimension,
        reference_day=ref,
        include_private=include_private,
        recognition=recognition,
    )
    a = {r.group: r for r in rows_a}
    b = {r.group: r for r in rows_b}
    out: list[Comparison] = []
    for group in dict.fromkeys([*a, *b]):
        fa = a.get(group) or _empty(first, group)
        fb = b.get(group) or _empty(second, group)
        out.append(Comparison(first, second, group, fa, fb))
    return out


def _empty(period: Period, group: str | None) -> PeriodFlows:
    return PeriodFlows(period, period.label(), group, 0, FlowCounts())


__all__ = ["Comparison", "ComparisonRow", "compare"]
