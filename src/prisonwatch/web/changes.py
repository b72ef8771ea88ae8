"""The "Has anything changed?" page (``/changes``) and its JSON API (``/api/v1/changes/...``).

Only translates query strings into :mod:`prisonwatch.stats` calls and renders the results. The
chart is server-side SVG (Altair + vl-convert) placed inline in the page, so it works without
JavaScript (the site's CSP allows no third-party scripts); tooltips are SVG ``<title>``
elements, and the same numbers follow in HTML tables.

Counts are public-only by default, for everyone: a figure shown here may be quoted. A logged-in
reader may add ``private=1`` to include unverified (private) events and sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from lxml import etree
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDateError
from prisonwatch.letters.figures import letter_figures
from prisonwatch.stats import (
    Dimension,
    FigureError,
    Period,
    PeriodError,
    Unit,
    add_figure,
    around,
    compare,
    figures,
    held_durations,
    mass_releases,
    parse_period,
    series,
)
from prisonwatch.stats.charts import series_chart, to_png, to_svg
from prisonwatch.stats.mass import DEFAULT_THRESHOLD
from prisonwatch.stats.periods import parse_length
from prisonwatch.stats.table_output import to_csv
from prisonwatch.web.convertors import ID_MAX
from prisonwatch.web.errors import ApiError
from prisonwatch.web.params import invalid, opt_day, opt_int, opt_str
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, db_session, editor, reader

router = APIRouter()
NAV = ("/changes", "Has anything changed?")
DEFAULT_FIRST = dt.date(2020, 1, 1)
MAX_DAYS = 366 * 30


@dataclass(frozen=True)
class ChangesQuery:
    period: Period
    unit: Unit
    breakdown: Dimension | None
    pivot: dt.date | None
    length: str
    threshold: int
    include_private: bool

    def query_string(self) -> str:
        parts = [
            f"from={self.period.first.isoformat()}",
            f"to={self.period.last.isoformat()}",
            f"by={self.unit.value}",
        ]
        if self.breakdown:
            parts.append(f"breakdown={self.breakdown.value}")
        if self.include_private:
            parts.append("private=1")
        return "&".join(parts)


def _choice(params: Mapping[str, str], key: str, enum: Any, default: Any) -> Any:
    value = opt_str(params, key, 30)
    if value is None:
        return default
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise invalid(key, f"use one of: {allowed}") from None


def parse_query(params: Mapping[str, str], r: Reader) -> ChangesQuery:
    first = opt_day(params, "from") or DEFAULT_FIRST
    last = opt_day(params, "to") or dt.date.today()
    if last < first:
        raise invalid("to", "the last day is before the first")
    if (last - first).days > MAX_DAYS:
        raise invalid("from", "at most 30 years at a time")
    unit = _choice(params, "by", Unit, Unit.MONTH)
    if unit is Unit.WEEK and (last - first).days > 366 * 5:
        raise invalid("by", "weekly series are limited to 5 years")
    private = opt_str(params, "private", 5) in ("1", "true", "yes")
    if private and not r.include_private:
        raise ApiError(403, "only logged-in staff may include private (unverified) facts")
    length = opt_str(params, "length", 30) or "12 months"
    pivot = opt_day(params, "around")
    try:
        parse_length(length)
        if pivot:
            around(pivot, length)
    except PeriodError as exc:
        raise invalid("length", str(exc)) from None
    return ChangesQuery(
        period=Period(first, last),
        unit=unit,
        breakdown=_choice(params, "breakdown", Dimension, None),
        pivot=pivot,
        length=length,
        threshold=opt_int(params, "threshold", 1, 100_000) or DEFAULT_THRESHOLD,
        include_private=private,
    )


def _period_param(params: Mapping[str, str], key: str) -> Period:
    value = opt_str(params, key, 30)
    if value is None:
        raise invalid(key, "required: 2024, 2024-09 or 2024-01-01..2024-06-30")
    try:
        return parse_period(value)
    except PeriodError:
        raise invalid(key, "use 2024, 2024-09 or 2024-01-01..2024-06-30") from None


def _comparison_periods(
    s: Session, q: ChangesQuery, params: Mapping[str, str]
) -> tuple[Period, Period]:
    if "first" in params or "second" in params:
        return _period_param(params, "first"), _period_param(params, "second")
    pivot = q.pivot
    if pivot is None:
        marks = mass_releases(s, q.period, threshold=q.threshold, include_private=q.include_private)
        pivot = marks[-1].date if marks else q.period.last - dt.timedelta(days=365)
    try:
        return around(pivot, q.length)
    except PeriodError as exc:
        raise invalid("length", str(exc)) from None


def _inline_svg(svg: str) -> str:
    """The chart for inline use: scales to the page width, hidden from screen readers (the
    tables below carry the same numbers)."""
    root = etree.fromstring(svg.encode("utf-8"))
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    return str(etree.tostring(root, encoding="unicode"))


# -- HTML -------------------------------------------------------------------------------------


@router.get("/changes", include_in_schema=False)
def changes_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    params = dict(request.query_params)
    q = parse_query(params, r)
    data = series(s, q.period, q.unit, dimension=q.breakdown, include_private=q.include_private)
    marks = mass_releases(s, q.period, threshold=q.threshold, include_private=q.include_private)
    outside = figures(
        s, first=q.period.first, last=q.period.last, include_private=q.include_private
    )
    a, b = _comparison_periods(s, q, params)
    comparison = compare(s, a, b, include_private=q.include_private)[0]
    held_time = held_durations(s, q.period.last, include_private=q.include_private)
    letters_day = min(q.period.last, dt.date.today())
    letters = letter_figures(s, letters_day)
    chart = _inline_svg(to_svg(series_chart(data, marks=marks, figures=outside)))
    return render(
        request,
        "changes/index.html",
        q=q,
        data=data,
        rows=data.rows,
        marks=marks,
        outside=outside,
        comparison=comparison,
        held_time=held_time,
        letters=letters,
        letters_day=letters_day,
        chart=chart,
        units=list(Unit),
        dimensions=list(Dimension),
        # the CSV is an export: with private facts for admins only (store/private_export.py)
        csv_query=(q if r.may_export_private else replace(q, include_private=False)).query_string(),
    )


@router.get("/changes/chart.{fmt}", include_in_schema=False)
def changes_chart(
    request: Request, fmt: str, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    if fmt not in ("svg", "png"):
        raise ApiError(404, "charts are available as .svg or .png")
    q = parse_query(dict(request.query_params), r)
    data = series(s, q.period, q.unit, dimension=q.breakdown, include_private=q.include_private)
    marks = mass_releases(s, q.period, threshold=q.threshold, include_private=q.include_private)
    outside = figures(
        s,
        kind="count_held",
        first=q.period.first,
        last=q.period.last,
        include_private=q.include_private,
    )
    spec = series_chart(data, marks=marks, figures=outside)
    if fmt == "svg":
        return Response(to_svg(spec), media_type="image/svg+xml")
    return Response(to_png(spec), media_type="image/png")


@router.get("/changes/series.csv", include_in_schema=False)
def changes_csv(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    q = parse_query(dict(request.query_params), r)
    r.export_scope(q.include_private)  # a file: private facts for admins only
    data = series(s, q.period, q.unit, dimension=q.breakdown, include_private=q.include_private)
    return Response(
        to_csv([row.flat() for row in data.rows]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="changes.csv"'},
    )


# -- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/changes/series", tags=["changes"])
def api_series(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Held at start and end, inflow, outflow by kind, net and recognition flows per bucket.
    Query: ``from``, ``to`` (YYYY-MM-DD), ``by`` (week|month|year), ``breakdown``
    (region|gender|article|age|organisation), ``private=1`` (staff only)."""
    q = parse_query(dict(request.query_params), r)
    data = series(s, q.period, q.unit, dimension=q.breakdown, include_private=q.include_private)
    return data.as_dict()


@router.get("/api/v1/changes/compare", tags=["changes"])
def api_compare(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Two periods side by side: ``around`` (YYYY-MM-DD) with ``length`` (e.g. '12 months'),
    or ``first`` and ``second`` (2024, 2024-09 or A..B); optional ``breakdown``."""
    params = dict(request.query_params)
    q = parse_query(params, r)
    a, b = _comparison_periods(s, q, params)
    result = compare(s, a, b, dimension=q.breakdown, include_private=q.include_private)
    return {"first": a.label(), "second": b.label(), "comparisons": [c.as_dict() for c in result]}


@router.get("/api/v1/changes/releases", tags=["changes"])
def api_releases(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Deals and mass releases (same-date outflows ≥ ``threshold`` when no deal is linked)."""
    q = parse_query(dict(request.query_params), r)
    found = mass_releases(s, q.period, threshold=q.threshold, include_private=q.include_private)
    return {"releases": [m.as_dict() for m in found]}


@router.get("/api/v1/changes/figures", tags=["changes"])
def api_figures(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Outside figures with the registry's own figure for the same day beside them."""
    params = dict(request.query_params)
    q = parse_query(params, r)
    kind = opt_str(params, "kind", 50)
    found = figures(
        s, kind=kind, first=q.period.first, last=q.period.last, include_private=q.include_private
    )
    return {"figures": [f.as_dict() for f in found]}


class FigureIn(BaseModel):
    kind: str = Field("count_held", max_length=50)
    value: float = Field(ge=0)
    as_of: dt.date
    wording: str = Field(min_length=1, max_length=2000)
    source_url: str | None = Field(None, max_length=2000)
    publisher: str | None = Field(None, max_length=300)
    published: str | None = Field(None, max_length=10)
    title: str | None = Field(None, max_length=1000)
    source_id: int | None = Field(None, ge=1, le=ID_MAX)


@router.post("/api/v1/changes/figures", tags=["changes"], status_code=201)
def api_add_figure(
    body: FigureIn, r: Reader = Depends(editor), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Store an outside figure with its source (editors; audited). Never changes the
    registry's own count."""
    try:
        claim = add_figure(
            s,
            kind=body.kind,
            value=body.value,
            as_of=body.as_of,
            wording=body.wording,
            actor=r.actor,
            source_url=body.source_url,
            publisher=body.publisher,
            published=body.published,
            title=body.title,
            source_id=body.source_id,
        )
    except (FigureError, PartialDateError) as exc:
        field, _, message = str(exc).partition(": ")
        raise invalid(field, message or str(exc)) from None
    return {"id": claim.id}


__all__ = ["NAV", "router"]
