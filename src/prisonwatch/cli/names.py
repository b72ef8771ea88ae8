"""``prisonwatch names``: compare two names, or score a CSV of name pairs."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from prisonwatch.io.csvsafe import SafeDictWriter
from prisonwatch.names import default_matcher

app = typer.Typer(help="Compare person names across scripts and spellings.", no_args_is_help=True)


@app.command()
def compare(
    left: Annotated[str, typer.Argument(help="First name, any script.")],
    right: Annotated[str, typer.Argument(help="Second name, any script.")],
) -> None:
    """Print the score (0-1), the verdict and a part-by-part explanation."""
    m = default_matcher()
    r = m.compare(left, right)
    console = Console()
    console.print(f"score   {r.score:.3f}")
    console.print(f"verdict {r.verdict.value}")
    console.print(f"why     {r.why}", highlight=False)
    table = Table("part", "left", "right", "score", "reason")
    for p in r.parts:
        table.add_row(p.part, p.left, p.right, f"{p.score:.2f}", p.reason)
    console.print(table)
    console.print(f"(match ≥ {m.match_threshold}, review ≥ {m.review_threshold})", style="dim")


@app.command()
def score(
    pairs: Annotated[Path, typer.Argument(help="CSV with columns left,right (others kept).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write.")],
) -> None:
    """Add score, verdict and why columns to a CSV of name pairs."""
    m = default_matcher()
    with pairs.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        missing = {"left", "right"} - set(fields)
        if missing:
            typer.echo(f"{pairs}: missing column(s): {', '.join(sorted(missing))}", err=True)
            raise typer.Exit(2)
        out_fields = fields + [f for f in ("score", "verdict", "why") if f not in fields]
        rows = 0
        with output.open("w", newline="", encoding="utf-8") as out:
            writer = SafeDictWriter(out, fieldnames=out_fields)  # formula-like cells neutralised
            writer.writeheader()
            for row in reader:
                r = m.compare(row["left"] or "", row["right"] or "")
                row.update(score=f"{r.score:.4f}", verdict=r.verdict.value, why=r.why)
                writer.writerow(row)
                rows += 1
    typer.echo(f"scored {rows} pairs -> {output}", err=True)


if __name__ == "__main__":  # pragma: no cover
    app(sys.argv[1:])
