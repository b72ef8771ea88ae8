"""UK OFSI Consolidated List XLSX. No XLSX sample is in set A: the workbooks here hold the rows
of the real 2016 CSV sample, and of the FCDO sample's designations in the 2022+ layout."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from sanctionshelpers import (
    OFSI_2022_HEADER,
    ofsi_2022_rows_from_fcdo,
    read_all,
    truncated_copy,
    write_xlsx,
)

from prisonwatch.sanctions.formats import detect, uk_ofsi_xlsx
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "uk-ofsi-conlist-2016-03-23-sample.csv"
FCDO = "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"


@pytest.fixture
def workbook_2016(samples: Path, tmp_path: Path) -> Path:
    with (samples / SAMPLE).open(encoding="cp1252", newline="") as fh:
        rows: list[list[object]] = [list(r) for r in csv.reader(fh)]
    rows[0][1] = dt.datetime(2016, 3, 23)  # a date cell, as Excel stores it
    return write_xlsx(tmp_path / "download", rows)  # no .xlsx suffix: read by content


def test_2016_rows_in_a_workbook_read_as_the_csv(workbook_2016: Path, samples: Path) -> None:
    assert detect(workbook_2016) is uk_ofsi_xlsx
    header, targets = read_all(workbook_2016)
    assert (header.format, header.authority) == ("uk-ofsi-xlsx", "UK OFSI")
    assert header.published == dt.date(2016, 3, 23)
    assert len(targets) == 61
    from_csv = read_all(samples / SAMPLE)[1]
    assert {k: set(t.statements()) for k, t in targets.items()} == {
        k: set(t.statements()) for k, t in from_csv.items()
    }
    assert targets["11723"].get("alias")[0] == "Iury Leonidovich SIVAKOV"


def test_2022_layout_workbook(samples: Path, tmp_path: Path) -> None:
    rows = ofsi_2022_rows_from_fcdo(samples / FCDO)
    path = write_xlsx(
        tmp_path / "c.xlsx", [["Last Updated", dt.datetime(2026, 1, 28)], OFSI_2022_HEADER, *rows]
    )
    header, targets = read_all(path)
    assert header.published == dt.date(2026, 1, 28)
    assert targets["7270"].get("passportNumber") == ["D0009720", "D0010442"]
    assert targets["14211"].kind is TargetKind.ORGANISATION


def test_truncated_workbook_is_refused(workbook_2016: Path, tmp_path: Path) -> None:
    cut = truncated_copy(workbook_2016, tmp_path, 0.7)
    with pytest.raises(SanctionsFormatError, match="truncated or damaged") as err:
        read_all(cut)
    assert err.value.path == str(cut)


def test_row_and_column_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header = ["Name 6", "Group Type", "Alias Type", "Group ID"]
    rows: list[list[object]] = [["Last Updated", "01/02/2020"], header]
    rows += [[f"N{i}", "Entity", "Prime Alias", i] for i in range(20)]
    path = write_xlsx(tmp_path / "b.xlsx", rows)
    assert len(read_all(path)[1]) == 20
    monkeypatch.setattr(uk_ofsi_xlsx, "MAX_ROWS", 10)
    with pytest.raises(SanctionsFormatError, match="more than 10 rows") as err:
        read_all(path)
    assert err.value.position == "sheet 'Sheet' row 11"
    monkeypatch.setattr(uk_ofsi_xlsx, "MAX_ROWS", 100)
    monkeypatch.setattr(uk_ofsi_xlsx, "MAX_COLUMNS", 3)
    with pytest.raises(SanctionsFormatError, match="more than 3 columns"):
        list(uk_ofsi_xlsx.parse(path).targets)


def test_zip_that_is_not_a_workbook_is_not_detected(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(SanctionsFormatError, match="not a sanctions list format"):
        detect(path)
