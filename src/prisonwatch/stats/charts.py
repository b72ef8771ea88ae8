"""Charts of a series: the number held over time (with deals / mass releases marked and outside
figures beside it) above the monthly inflow and outflow by kind.

Built as Vega-Lite specifications with Altair and rendered to SVG or PNG by ``vl-convert``,
which embeds the Vega engine and needs no browser, no Node and no network. The SVG is used
inline in the web page, so the page needs no JavaScript: each mark's description, which Vega
writes as ``aria-label``, is copied into an SVG ``<title>`` so browsers show it as a tooltip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc
from lxml import etree

from prisonwatch.stats.claims import Figure
from prisonwatch.stats.flows import Series
from prisonwatch.stats.mass import MassRelease

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 760
KIND_LABELS = {
    "detained": "detained",
    "re_arrested": "re-arrested",
    "released_end_of_term": "end of term",
    "pardoned": "pardoned",
    "expelled_abroad": "expelled abroad",
    "died_in_custody": "died in custody",
    "released_other": "released (other)",
}


class ChartError(ValueError):
    """A chart cannot be produced as asked (unknown format, nothing to draw)."""


def _data(values: list[dict[str, Any]]) -> Any:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _held_rows(series: Series) -> list[dict[str, Any]]:
    return [
        {
            "date": r.period.last.isoformat(),
            "held": r.held_end,
            "group": r.group or "registry",
            "period": r.label,
        }
        for r in series.rows
    ]


def _flow_rows(series: Series) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in series.rows:
        for kind, n in r.flows.inflow_columns().items():
            if n:
                out.append(_flow(r.period.first.isoformat(), r.label, "in: ", kind, n))
        for kind, n in r.flows.outflow_columns().items():
            if n:
                out.append(_flow(r.period.first.isoformat(), r.label, "out: ", kind, -n))
    return out


def _flow(date: str, period: str, prefix: str, kind: str, n: int) -> dict[str, Any]:
    return {"date": date, "period": period, "flow": prefix + KIND_LABELS.get(kind, kind), "n": n}


def series_chart(
    series: Series,
    *,
    marks: list[MassRelease] | None = None,
    figures: list[Figure] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The Vega-Lite specification (a dict) of the chart."""
    if not series.rows:
        raise ChartError("nothing to draw: the series has no rows")
    first, last = series.period.first.isoformat(), series.period.last.isoformat()
    axis = alt.Axis(format="%Y", tickCount="year", labelOverlap=True)
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[first, last]), axis=axis)
    grouped = series.dimension is not None
    held = (
        alt.Chart(_data(_held_rows(series)))
        .mark_line(point=True, interpolate="step-after" if not grouped else "linear")
        .encode(
            x=x,
            y=alt.Y("held:Q", title="held at end of period"),
            color=alt.Color("group:N", title=series.dimension.value)
            if grouped and series.dimension
            else alt.value("#1f4e79"),
            tooltip=[
                alt.Tooltip("period:N", title="period"),
                alt.Tooltip("group:N", title="group"),
                alt.Tooltip("held:Q", title="held at end"),
            ],
        )
    )
    layers: list[Any] = [held]
    mark_rows = [
        {"date": m.date.isoformat(), "label": m.label(), "short": f"{m.released} released"}
        for m in marks or []
        if series.period.first <= m.date <= series.period.last
    ]
    if mark_rows:
        base = alt.Chart(_data(mark_rows))
        layers.append(
            base.mark_rule(color="#b22222", strokeDash=[4, 3]).encode(
                x=x, tooltip=[alt.Tooltip("date:T"), alt.Tooltip("label:N", title="release")]
            )
        )
        layers.append(
            base.mark_text(align="left", dx=3, dy=-4, baseline="bottom", color="#b22222").encode(
                x=x, y=alt.value(0), text="short:N"
            )
        )
    figure_rows = [
        {
            "date": f.as_of.isoformat(),
            "value": f.value,
            "source": f.publisher or f.source_url or "outside source",
            "wording": f.wording or "",
        }
        for f in figures or []
        if f.kind == "count_held"
        and f.as_of is not None
        and f.value is not None
        and series.period.first <= f.as_of <= series.period.last
    ]
    if figure_rows:
        layers.append(
            alt.Chart(_data(figure_rows))
            .mark_point(shape="diamond", size=90, filled=True, color="#e08a00")
            .encode(
                x=x,
                y="value:Q",
                tooltip=[
                    alt.Tooltip("date:T", title="as of"),
                    alt.Tooltip("value:Q", title="outside figure"),
                    alt.Tooltip("source:N"),
                    alt.Tooltip("wording:N"),
                ],
            )
        )
    top = alt.layer(*layers).properties(
        width=WIDTH, height=260, title=title or "Held in custody (registry events)"
    )
    if grouped:
        return top.to_dict()
    flow_rows = _flow_rows(series)
    bars = (
        alt.Chart(_data(flow_rows or [{"date": first, "period": "", "flow": "", "n": 0}]))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(n):Q", title="inflow (+) and outflow (−)"),
            color=alt.Color("flow:N", title="flow"),
            tooltip=[
                alt.Tooltip("period:N"),
                alt.Tooltip("flow:N"),
                alt.Tooltip("sum(n):Q", title="people"),
            ],
        )
        .properties(width=WIDTH, height=200, title="Inflow and outflow by kind")
    )
    return alt.vconcat(top, bars).to_dict()


def add_titles(svg: str) -> str:
    """Copy each mark's ``aria-label`` into an SVG ``<title>`` child (a tooltip without JS)."""
    root = etree.fromstring(svg.encode("utf-8"))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        label = el.get("aria-label")
        if label and el.get("role") == "graphics-symbol":
            title = etree.Element(f"{{{SVG_NS}}}title")
            title.text = label
            el.insert(0, title)
    return str(etree.tostring(root, encoding="unicode"))


def to_svg(spec: dict[str, Any]) -> str:
    return add_titles(str(vlc.vegalite_to_svg(spec)))


def to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    return bytes(vlc.vegalite_to_png(spec, scale=scale))


def write_chart(spec: dict[str, Any], path: Path) -> Path:
    """Write SVG or PNG, chosen by the file suffix."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(to_svg(spec), encoding="utf-8")
    elif suffix == ".png":
        path.write_bytes(to_png(spec))
    elif suffix == ".json":
        path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    else:
        raise ChartError(f"{path}: use a .svg, .png or .json file name")
    return path


__all__ = ["ChartError", "add_titles", "series_chart", "to_png", "to_svg", "write_chart"]
