from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from prisonwatch.reconcile import ListRow, ReconcileOptions, ReconcileResult, reconcile
from prisonwatch.reconcile.report import (
    CSV_COLUMNS,
    render_html,
    write_csv,
    write_html,
    write_right_unmatched,
    write_xlsx,
)


def rows(side: str, *names: str) -> list[ListRow]:
    return [ListRow(f"list:{side}:id:{i}", i + 1, str(i), n) for i, n in enumerate(names, 1)]


@pytest.fixture
def result(toy_options: ReconcileOptions) -> ReconcileResult:
    left = rows("l", "Ihar Losik", "Igor Losikov", "<script>alert(1)</script> Kovalev")
    right = rows("r", "Losik Ihar", "Igor Losikau", "Ales Bialiatski")
    return reconcile(left, right, toy_options)


def test_csv(result: ReconcileResult, tmp_path: Path) -> None:
    buf = io.StringIO()
    write_csv(result, buf)
    got = list(csv.reader(io.StringIO(buf.getvalue())))
    assert got[0] == list(CSV_COLUMNS)
    assert [r[:4] + r[5:6] for r in got[1:]] == [
        ["1", "Ihar Losik", "1", "Losik Ihar", "match"],
        ["2", "Igor Losikov", "2", "Igor Losikau", "review"],
        ["3", "<script>alert(1)</script> Kovalev", "", "", "unmatched"],
    ]
    write_right_unmatched(result, tmp_path / "ro.csv")
    assert (tmp_path / "ro.csv").read_text(encoding="utf-8").splitlines() == [
        "right_id,right_name,right_row",
        "3,Ales Bialiatski,4",
    ]


def test_html_escapes_and_groups(result: ReconcileResult, tmp_path: Path) -> None:
    page = render_html(
        result, title="Demanded & released", left_label="demanded", right_label="released"
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kovalev" in page
    assert "Demanded &amp; released" in page
    order = [
        page.index(h)
        for h in ("On both lists", "To review", "Only on demanded", "Only on released (1)")
    ]
    assert order == sorted(order)
    write_html(result, tmp_path / "r.html", "t")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_xlsx(result: ReconcileResult, tmp_path: Path) -> None:
    write_xlsx(result, tmp_path / "r.xlsx", left_label="demanded", right_label="released")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Summary", "On both", "To review", "Only demanded", "Only released"]
    review = list(book["To review"].iter_rows(values_only=True))
    assert review[0][:2] == ("demanded id", "demanded name")
    assert review[1][1] == "Igor Losikov" and isinstance(review[1][4], float)
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]  # no temporary files left


def test_a_failed_write_leaves_no_file(result: ReconcileResult, tmp_path: Path) -> None:
    class Boom(ReconcileResult):
        pass

    broken = Boom(result.pairs, result.right_unmatched, result.matcher, 0.85, 0.7)
    broken.pairs = [*result.pairs, "not a pair"]  # type: ignore[list-item]
    with pytest.raises(AttributeError):
        write_csv(broken, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


FORMULAS = [
    '=HYPERLINK("http://evil.example","Click")',
    "=cmd|' /C calc'!A0",
    "+SUM(A1)",
    "@SUM(A1)",
    "-2+3",
]


@pytest.fixture
def formula_result(toy_options: ReconcileOptions) -> ReconcileResult:
    left = rows("l", *FORMULAS)
    right = rows("r", "Ales Bialiatski", *FORMULAS[:2])
    return reconcile(left, right, toy_options)


def test_xlsx_writes_list_cells_as_text_never_formulas(
    formula_result: ReconcileResult, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"
    write_xlsx(formula_result, out, left_label="=HYPERLINK(1)", right_label="released")
    book = load_workbook(out)  # not data_only: a formula would show as one
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    for f in FORMULAS:
        assert f in texts


def test_csv_outputs_neutralise_formulas_and_read_back(
    formula_result: ReconcileResult, tmp_path: Path
) -> None:
    from prisonwatch.io.tabular import iter_cells

    write_csv(formula_result, tmp_path / "out.csv")
    write_right_unmatched(formula_result, tmp_path / "ro.csv")
    for name in ("out.csv", "ro.csv"):
        raw = list(csv.reader((tmp_path / name).open(encoding="utf-8")))
        cells = [c for row in raw for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-2")]
    back = [c for row in iter_cells(tmp_path / "out.csv") for c in row]
    assert set(FORMULAS) <= set(back)  # the one reader takes the quote off again
    assert "'-2+3" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_numbers_are_not_neutralised() -> None:
    from prisonwatch.io.csvsafe import neutralise, restore

    for value in ("-12", "+3.5", "2025-09-11", "~2020", "-0.25"):
        assert neutralise(value) == value
    for value in ["'=x", "''=x", "'-5", "'", "=", "-", "-1+2", "\tx", "\rx", *FORMULAS]:
        assert restore(neutralise(value)) == value
