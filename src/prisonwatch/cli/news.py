"""``prisonwatch news`` (read articles into proposed claims) and ``prisonwatch claims``
(review them). The rules are imported inside the commands, so ``prisonwatch --help`` stays
fast."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from prisonwatch.cli.common import console, fail

app = typer.Typer(help="News articles → claims for review.", no_args_is_help=True)
claims_app = typer.Typer(
    help="Review the claims proposed from news articles.", no_args_is_help=True
)


class Lang(StrEnum):
    en = "en"
    ru = "ru"
    be = "be"
    es = "es"


class Format(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date YYYY-MM-DD")


def _read(path: Path) -> str:
    from prisonwatch.news.reading import ReadError, read_article

    try:
        return read_article(path)
    except ReadError as exc:
        fail(str(exc))


def _print_claims(rows: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.jsonl:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("kind", "value", "hedge", "status", "person", "subject", "date", "quote")
    for r in rows:
        table.add_row(
            *(
                str(r[k] or "")
                for k in ("kind", "value", "hedge", "status", "person", "subject", "date")
            ),
            f"[{r['start']}:{r['end']}] {r['quote']}",
        )
    console.print(table)


@app.command("extract")
def extract_cmd(
    file: Annotated[
        Path, typer.Argument(help="The article: plain text, or HTML (main text taken).")
    ],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the article.")],
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication day YYYY-MM-DD, to resolve 'on Thursday'."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="jsonl: one claim a line.")
    ] = Format.table,
) -> None:
    """Print the claims found in FILE; writes nothing. Offsets (start, end) are characters of
    the text as read (for HTML: of the extracted main text)."""
    from prisonwatch.news.extract import extract_claims

    day = _date(published, "--published")
    text = _read(file)
    _print_claims([c.as_json() for c in extract_claims(text, lang.value, day)], fmt)
