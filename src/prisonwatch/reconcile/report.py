"""Writing a reconciliation result: the per-row CSV, the right-only CSV, a readable HTML report
and an XLSX workbook. Writes to a path are all-or-nothing (see :mod:`.atomic`); a file object is
written as given.

CSV columns: ``left_id,left_name,right_id,right_name,score,verdict,why`` — one row per left row,
in the left file's order. Right-only CSV: ``right_id,right_name,right_row``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment, select_autoescape

from prisonwatch.io import csvsafe
from prisonwatch.reconcile.atomic import replace_when_done, temp_path_for
from prisonwatch.reconcile.engine import MATCH, REVIEW, UNMATCHED, Pair, ReconcileResult
from prisonwatch.reconcile.reading import ListRow

CSV_COLUMNS = ("left_id", "left_name", "right_id", "right_name", "score", "verdict", "why")
RIGHT_COLUMNS = ("right_id", "right_name", "right_row")

Target = str | Path | IO[str]


@dataclass(frozen=True, slots=True)
class ReportRow:
    left_id: str
    left_name: str
    right_id: str
    right_name: str
    score: str
    verdict: str
    why: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.left_id,
            self.left_name,
            self.right_id,
            self.right_name,
            self.score,
            self.verdict,
            self.why,
        )


def pair_row(p: Pair) -> ReportRow:
    return ReportRow(
        left_id=p.left.id or "",
        left_name=p.left.name,
        right_id=(p.right.id or "") if p.right else "",
        right_name=p.right.name if p.right else "",
        score="" if p.score is None else f"{p.score:.3f}",
        verdict=p.verdict,
        why=p.why,
    )


def right_row(r: ListRow) -> ReportRow:
    return ReportRow("", "", r.id or "", r.name, "", "right_only", "not matched to any left row")


@contextmanager
def _open(target: Target) -> Iterator[IO[str]]:
    if isinstance(target, str | Path):
        with replace_when_done(target) as fh:
            yield fh
    else:
        with nullcontext(target) as fh:
            yield fh


def write_csv(result: ReconcileResult, target: Target) -> None:
    """One row per left row: ``left_id,left_name,right_id,right_name,score,verdict,why``."""
    with _open(target) as fh:
        w = csvsafe.writer(fh)  # formula-like cells neutralised
        w.writerow(CSV_COLUMNS)
        for p in result.pairs:
            w.writerow(pair_row(p).cells())


def write_right_unmatched(result: ReconcileResult, target: Target) -> None:
    """The right rows no left row was matched to: ``right_id,right_name,right_row``."""
    with _open(target) as fh:
        w = csvsafe.writer(fh)
        w.writerow(RIGHT_COLUMNS)
        for r in result.right_unmatched:
            w.writerow((r.id or "", r.name, r.row_number))


@dataclass(frozen=True, slots=True)
class Section:
    anchor: str
    heading: str
    sheet: str
    rows: list[ReportRow]


def sections(result: ReconcileResult, left_label: str, right_label: str) -> list[Section]:
    """The report's groups in reading order."""
    by = {
        v: [pair_row(p) for p in result.pairs if p.verdict == v] for v in (MATCH, REVIEW, UNMATCHED)
    }
    return [
        Section("matched", f"On both lists: {left_label} = {right_label}", "On both", by[MATCH]),
        Section(
            "review",
            "To review: probably the same person, a person should confirm",
            "To review",
            by[REVIEW],
        ),
        Section("left-only", f"Only on {left_label}", f"Only {left_label}"[:31], by[UNMATCHED]),
        Section(
            "right-only",
            f"Only on {right_label}",
            f"Only {right_label}"[:31],
            [right_row(r) for r in result.right_unmatched],
        ),
    ]


def _n_right(result: ReconcileResult) -> int:
    return sum(p.right is not None for p in result.pairs) + len(result.right_unmatched)


def render_html(
    result: ReconcileResult,
    *,
    title: str = "List reconciliation",
    left_label: str = "the left list",
    right_label: str = "the right list",
    generated: dt.datetime | None = None,
) -> str:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    source = resources.files("prisonwatch.reconcile").joinpath("templates/report.html")
    template = env.from_string(source.read_text(encoding="utf-8"))
    when = generated or dt.datetime.now(dt.UTC)
    return template.render(
        title=title,
        left_label=left_label,
        right_label=right_label,
        n_left=len(result.pairs),
        n_right=_n_right(result),
        matcher=result.matcher,
        match_threshold=result.match_threshold,
        review_threshold=result.review_threshold,
        generated=f"{when:%Y-%m-%d %H:%M} UTC",
        counts=result.counts,
        sections=sections(result, left_label, right_label),
    )


def write_html(
    result: ReconcileResult,
    target: Target,
    title: str = "List reconciliation",
    *,
    left_label: str = "the left list",
    right_label: str = "the right list",
) -> None:
    """A self-contained page: the counts, then each group as a table, names side by side."""
    html = render_html(result, title=title, left_label=left_label, right_label=right_label)
    with _open(target) as fh:
        fh.write(html)


def write_xlsx(
    result: ReconcileResult,
    path: str | Path,
    *,
    title: str = "List reconciliation",
    left_label: str = "left",
    right_label: str = "right",
) -> None:
    """A workbook: a summary sheet with the counts, then one sheet per group."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    _append(summary, [title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    labels = {
        "matched": "On both lists",
        "review": "To review",
        "left_only": f"Only on {left_label}",
        "right_only": f"Only on {right_label}",
    }
    for key, label in labels.items():
        _append(summary, [label, result.counts[key]])
    summary.append([])
    _append(summary, ["Matcher", result.matcher])
    _append(summary, ["Match threshold", result.match_threshold])
    _append(summary, ["Review threshold", result.review_threshold])
    summary.column_dimensions["A"].width = 32
    header = (
        f"{left_label} id",
        f"{left_label} name",
        f"{right_label} id",
        f"{right_label} name",
        "score",
        "verdict",
        "why",
    )
    widths = (12, 34, 12, 34, 8, 10, 90)
    for section in sections(result, left_label, right_label):
        sheet = book.create_sheet(_sheet_title(section.sheet, book.sheetnames))
        _append(sheet, list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            cells: list[str | float] = list(row.cells())
            if row.score:
                cells[4] = float(row.score)
            _append(sheet, cells)
        for col, width in zip("ABCDEFG", widths, strict=True):
            sheet.column_dimensions[col].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    with temp_path_for(path) as tmp:
        book.save(tmp)


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row; every text cell is written as text, never as a formula (openpyxl takes a
    string beginning with ``=`` for one: a list's ``=HYPERLINK(…)`` would be live)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _sheet_title(wanted: str, taken: list[str]) -> str:
    clean = "".join(c for c in wanted if c not in "[]:*?/\\")[:31] or "Sheet"
    title, n = clean, 2
    while title in taken:
        title = f"{clean[:28]} {n}"
        n += 1
    return title
