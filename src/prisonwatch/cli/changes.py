"""``prisonwatch changes``: has anything changed? Held over time, inflow and outflow, periods
compared, mass releases, outside figures and charts. Only parses options and prints; the work
is done by :mod:`prisonwatch.stats`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.dates import PartialDateError, parse_day
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
    released_durations,
    series,
)
from prisonwatch.stats.charts import ChartError, series_chart, write_chart
from prisonwatch.stats.mass import DEFAULT_THRESHOLD
from prisonwatch.stats.table_output import columns_of, to_csv

app = typer.Typer(
    help="Has anything changed? Held over time, inflow and outflow, periods compared, charts.",
    no_args_is_help=True,
)
figure_app = typer.Typer(
    help="Figures from outside (news, a group's count), kept beside the registry's own.",
    no_args_is_help=True,
)
app.add_typer(figure_app, name="figure")


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
PrivateOption = Annotated[
    bool,
    typer.Option(
        "--include-private",
        help="Count private (unverified) events and sources too. Never for publication.",
    ),
]
FromOption = Annotated[
    str, typer.Option("--from", help="First day (YYYY-MM-DD, or YYYY / YYYY-MM: its first day).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Last day (default: today).", show_default=False)
]
UnitOption = Annotated[Unit, typer.Option("--by", help="Bucket: week (ISO), month or year.")]
BreakdownOption = Annotated[
    Dimension | None,
    typer.Option("--breakdown", help="Break down by this dimension.", show_default=False),
]


def _day(text: str, option: str, *, last: bool = False) -> dt.date:
    try:
        p = parse_period(text)
    except PeriodError as exc:
        fail(f"{option}: {exc}")
    return p.last if last else p.first


def _period(first: str, last: str | None) -> Period:
    try:
        return Period(
            _day(first, "--from"), _day(last, "--to", last=True) if last else dt.date.today()
        )
    except PeriodError as exc:
        fail(str(exc))


def _emit(rows: Sequence[Mapping[str, Any]], fmt: Format, title: str, doc: Any = None) -> None:
    if fmt is Format.JSON:
        typer.echo(json.dumps(doc if doc is not None else list(rows), ensure_ascii=False, indent=1))
    elif fmt is Format.CSV:
        typer.echo(to_csv(list(rows)), nl=False)
    else:
        table = Table(title=title, title_justify="left")
        cols = columns_of(rows)
        cells = [[_cell(row.get(c)) for c in cols] for row in rows]
        width = 1
        for i, col in enumerate(cols):
            header = _SHORT.get(col, col.replace("_", " "))
            fit = max([len(header)] + [len(r[i]) for r in cells])
            width += fit + 3
            table.add_column(
                header, justify="left" if col in _TEXT else "right", min_width=fit, no_wrap=True
            )
        for r in cells:
            table.add_row(*r)
        # wide enough that no number is ever cut short, even when piped
        Console(width=max(console.width, width)).print(table)


#: Short headers so a monthly table fits a terminal; JSON and CSV keep the full names.
_SHORT = {
    "held_start": "held start",
    "held_end": "held end",
    "inflow_detained": "detained",
    "inflow_re_arrested": "re-arr.",
    "outflow_released_end_of_term": "end term",
    "outflow_pardoned": "pardon",
    "outflow_expelled_abroad": "expelled",
    "outflow_died_in_custody": "died",
    "outflow_released_other": "other",
    "newly_recognised": "recog.",
    "recognition_withdrawn": "withdr.",
}

_TEXT = {
    "who",
    "period",
    "group",
    "measure",
    "kind",
    "as_of",
    "wording",
    "publisher",
    "url",
    "date",
    "origin",
    "title",
    "first_day",
    "last_day",
    "label",
    "band",
    "source",
}


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@app.command("series")
def series_cmd(
    first: FromOption = "2020-01-01",
    last: ToOption = None,
    unit: UnitOption = Unit.MONTH,
    breakdown: BreakdownOption = None,
    include_private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Held at start and end, inflow, outflow by kind, net change and recognition flows for
    every week, month or year."""
    period = _period(first, last)
    database = open_db(db)
    with database.session() as s:
        result = series(s, period, unit, dimension=breakdown, include_private=include_private)
    rows = [r.flat() for r in result.rows]
    if fmt is Format.TABLE:
        rows = [{k: v for k, v in r.items() if k not in ("first_day", "last_day")} for r in rows]
    _emit(
        rows, fmt, f"Held, inflow and outflow per {unit.value}, {period.label()}", result.as_dict()
    )


@app.command("compare")
def compare_cmd(
    around_day: Annotated[
        str | None,
        typer.Option(
            "--around", help="Compare before vs after this day (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    length: Annotated[
        str, typer.Option("--length", help="Length of each side with --around, e.g. '12 months'.")
    ] = "12 months",
    first: Annotated[
        str | None,
        typer.Option(
            "--first",
            help="First period: 2024, 2024-09 or 2024-01-01..2024-06-30.",
            show_default=False,
        ),
    ] = None,
    second: Annotated[
        str | None, typer.Option("--second", help="Second period.", show_default=False)
    ] = None,
    breakdown: BreakdownOption = None,
    include_private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Two periods side by side: held at start and end, inflow, outflow by kind, net."""
    try:
        if around_day:
            if first or second:
                fail("give either --around (with --length) or --first and --second")
            a, b = around(parse_day(around_day), length)
        elif first and second:
            a, b = parse_period(first), parse_period(second)
        else:
            fail("give --around DAY (and --length), or --first and --second")
    except (PeriodError, PartialDateError) as exc:
        fail(str(exc))
    database = open_db(db)
    with database.session() as s:
        result = compare(s, a, b, dimension=breakdown, include_private=include_private)
    rows: list[dict[str, Any]] = []
    for cmp in result:
        for r in cmp.rows():
            row: dict[str, Any] = {}
            if breakdown is not None:
                row["group"] = cmp.group
            row.update(
                {"measure": r.measure, a.label(): r.first, b.label(): r.second, "change": r.change}
            )
            rows.append(row)
    if fmt is Format.CSV:
        rows = [{**r, "measure": str(r["measure"]).strip()} for r in rows]
    _emit(rows, fmt, f"{a.label()} vs {b.label()}", [c.as_dict() for c in result])


@app.command("durations")
def durations_cmd(
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Time held so far by those held on this day (default today).",
            show_default=False,
        ),
    ] = None,
    released_in: Annotated[
        str | None,
        typer.Option(
            "--released-in",
            help="Also: length of custody of those released in this "
            "period (2024, 2024-09, or A..B).",
            show_default=False,
        ),
    ] = None,
    include_private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Time in custody: distribution and median, for the held and for the released."""
    try:
        day = parse_day(on) if on else dt.date.today()
        period = parse_period(released_in) if released_in else None
    except (PeriodError, PartialDateError) as exc:
        fail(str(exc))
    database = open_db(db)
    doc: dict[str, Any] = {}
    with database.session() as s:
        doc[f"held {day.isoformat()}"] = held_durations(s, day, include_private=include_private)
        if period is not None:
            for kind, st in released_durations(s, period, include_private=include_private).items():
                doc[f"released: {kind}"] = st
    rows = []
    for who, st in doc.items():
        d = st.as_dict()
        rows.append(
            {"who": who, "count": d["count"], "median_days": d["median_days"], **d["bands"]}
        )
    title = "Time in custody" + (f" (released {period.label()})" if period else "")
    _emit(rows, fmt, title, {k: v.as_dict() for k, v in doc.items()})


@app.command("releases")
def releases_cmd(
    first: FromOption = "2020-01-01",
    last: ToOption = None,
    threshold: Annotated[
        int,
        typer.Option(
            "--threshold",
            min=1,
            help="Same-date outflows of one kind that count "
            "as a mass release when no deal is recorded.",
        ),
    ] = DEFAULT_THRESHOLD,
    include_private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Deals and mass releases, as marked on the timeline."""
    period = _period(first, last)
    database = open_db(db)
    with database.session() as s:
        found = mass_releases(s, period, threshold=threshold, include_private=include_private)
    rows = [
        {
            "date": m.date.isoformat(),
            "origin": m.origin,
            "released": m.released,
            "by_kind": ", ".join(f"{k} {n}" for k, n in m.by_kind.items()),
            "title": m.title,
        }
        for m in found
    ]
    _emit(rows, fmt, f"Deals and mass releases, {period.label()}", [m.as_dict() for m in found])


@app.command("chart")
def chart_cmd(
    output: Annotated[Path, typer.Argument(help="File to write: .svg, .png or .json (spec).")],
    first: FromOption = "2020-01-01",
    last: ToOption = None,
    unit: UnitOption = Unit.MONTH,
    breakdown: BreakdownOption = None,
    threshold: Annotated[int, typer.Option("--threshold", min=1)] = DEFAULT_THRESHOLD,
    include_private: PrivateOption = False,
    db: DbOption = None,
) -> None:
    """Draw held over time (deals, mass releases and outside figures marked) above the inflow
    and outflow by kind."""
    period = _period(first, last)
    database = open_db(db)
    with database.session() as s:
        result = series(s, period, unit, dimension=breakdown, include_private=include_private)
        marks = mass_releases(s, period, threshold=threshold, include_private=include_private)
        outside = figures(
            s,
            kind="count_held",
            first=period.first,
            last=period.last,
            include_private=include_private,
        )
    try:
        write_chart(series_chart(result, marks=marks, figures=outside), output)
    except ChartError as exc:
        fail(str(exc))
    console.print(f"wrote {output}")


@figure_app.command("add")
def figure_add(
    value: Annotated[float, typer.Option("--value", help="The number the source gives.")],
    as_of: Annotated[str, typer.Option("--as-of", help="The day the figure is about.")],
    wording: Annotated[str, typer.Option("--wording", help="The source's own words.")],
    kind: Annotated[
        str, typer.Option("--kind", help="count_held, count_released, or another count_* kind.")
    ] = "count_held",
    url: Annotated[str | None, typer.Option("--url", show_default=False)] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", show_default=False)] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date (partial ok).", show_default=False),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    source_id: Annotated[
        int | None, typer.Option("--source-id", help="An existing source.", show_default=False)
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Store an outside figure with its source (audited). It never changes the registry's own
    count; both are shown side by side."""
    try:
        day = parse_day(as_of)
    except PartialDateError as exc:
        fail(f"--as-of: {exc}")
    database = open_db(db)
    try:
        with database.session() as s:
            claim = add_figure(
                s,
                kind=kind,
                value=value,
                as_of=day,
                wording=wording,
                actor=acting_user(actor),
                source_url=url,
                publisher=publisher,
                published=published,
                title=title,
                source_id=source_id,
            )
            claim_id = claim.id
    except FigureError as exc:
        fail(str(exc))
    console.print(f"added figure #{claim_id} ({kind} {value:g} as of {day.isoformat()})")


@figure_app.command("list")
def figure_list(
    kind: Annotated[str | None, typer.Option("--kind", show_default=False)] = None,
    include_private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Outside figures with the registry's own figure for the same day beside them."""
    database = open_db(db)
    with database.session() as s:
        found = figures(s, kind=kind, include_private=include_private)
    rows = [
        {
            "id": f.claim_id,
            "kind": f.kind,
            "as_of": f.as_of.isoformat() if f.as_of else None,
            "outside": f.value,
            "registry": f.registry_value,
            "difference": f.difference,
            "publisher": f.publisher,
            "url": f.source_url,
            "wording": f.wording,
        }
        for f in found
    ]
    _emit(rows, fmt, "Outside figures beside the registry", [f.as_dict() for f in found])
