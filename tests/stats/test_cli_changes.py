"""``prisonwatch changes`` end to end through Typer, on both backends."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prisonwatch.cli.changes import app
from prisonwatch.store.db import Database

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_series_json_and_csv(db: Database, timeline: dict[str, int]) -> None:
    args = ["series", "--from", "2020", "--to", "2025", "--by", "year", "--db", db.url]
    doc = json.loads(run(*args, "--format", "json"))
    assert [r["held_end"] for r in doc["rows"]] == [1, 3, 5, 4, 3, 2]
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv"))))
    assert rows[4]["outflow_died_in_custody"] == "1"
    assert rows[4]["outflow_pardoned"] == "1"
    assert "Held, inflow and outflow per year" in run(*args)


def test_compare_around(db: Database, timeline: dict[str, int]) -> None:
    out = run("compare", "--around", "2025-09-11", "--format", "csv", "--db", db.url)
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["held at end"]["change"] == "-1"
    assert rows["outflow: expelled_abroad"]["2025-09-11..2026-09-10"] == "1"


def test_figure_add_then_list(db: Database, timeline: dict[str, int]) -> None:
    run(
        "figure",
        "add",
        "--value",
        "1300",
        "--as-of",
        "2025-09-11",
        "--wording",
        "about 1,300 remain",
        "--publisher",
        "LRT",
        "--as",
        "cli:test",
        "--db",
        db.url,
    )
    (fig,) = json.loads(run("figure", "list", "--format", "json", "--db", db.url))
    assert (fig["value"], fig["registry_value"]) == (1300.0, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "--first", "2024"], "--first and --second"),
        (["series", "--from", "2024-13"], "--from"),
        (["figure", "add", "--value", "5", "--as-of", "2025", "--wording", "x"], "--as-of"),
        (["figure", "add", "--value", "5", "--as-of", "2025-01-01", "--wording", "x"], "source"),
    ],
)
def test_errors_are_clear(
    db: Database, timeline: dict[str, int], args: list[str], message: str
) -> None:
    result = runner.invoke(app, [*args, "--db", db.url])
    assert result.exit_code == 1
    assert message in result.output


def test_chart_command_writes_png(db: Database, timeline: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "c.png"
    run("chart", str(out), "--from", "2020", "--to", "2025", "--db", db.url)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
