"""UK OFSI Consolidated List (ConList) XLSX, 2016 and 2022+ layouts: the same rows as the CSV
(see ``_ofsi``) from the first worksheet, streamed with openpyxl in read-only mode.

A workbook is checked before it is opened (a ZIP whose parts would unpack to more than
``MAX_UNPACKED_BYTES`` is refused), and rows and columns are capped (``MAX_ROWS``,
``MAX_COLUMNS``): a hostile or broken workbook is refused with a clear error instead of
exhausting memory. openpyxl parses the workbook's XML through defusedxml."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prisonwatch.sanctions.formats import _ofsi
from prisonwatch.sanctions.model import ParsedList, SanctionsFormatError

FORMAT = "uk-ofsi-xlsx"
MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
MAX_UNPACKED_BYTES = 2 << 30
_ZIP = b"PK\x03\x04"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise SanctionsFormatError(str(path), "file", "a ZIP archive but not a workbook")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise SanctionsFormatError(
                    str(path), "file", f"the workbook would unpack to {unpacked} bytes"
                )
    except (zipfile.BadZipFile, OSError) as exc:
        raise SanctionsFormatError(
            str(path), "file", f"not a readable XLSX (truncated or damaged?): {exc}"
        ) from exc


def xlsx_rows(path: Path, limit: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(sheet S row N, cells)`` of the first worksheet."""
    from openpyxl import load_workbook

    _check_zip(path)
    row = 0
    sheet_name = "?"
    try:
        with path.open("rb") as fh:
            book: Any = load_workbook(fh, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                sheet_name = sheet.title
                for row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if limit is not None and row > limit:
                        return
                    if row > MAX_ROWS:
                        raise SanctionsFormatError(
                            str(path),
                            f"sheet {sheet_name!r} row {row}",
                            f"more than {MAX_ROWS} rows",
                        )
                    cells = [_cell(c) for c in values]
                    while cells and not cells[-1]:
                        cells.pop()
                    if len(cells) > MAX_COLUMNS:
                        raise SanctionsFormatError(
                            str(path),
                            f"sheet {sheet_name!r} row {row}",
                            f"more than {MAX_COLUMNS} columns",
                        )
                    yield f"sheet {sheet_name!r} row {row}", cells
            finally:
                book.close()
    except SanctionsFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise SanctionsFormatError(
            str(path),
            f"sheet {sheet_name!r} row {row + 1}",
            f"not a readable XLSX (truncated or damaged?): {type(exc).__name__}: {exc}",
        ) from exc


def sniff(path: Path, head: bytes) -> bool:
    """A workbook whose first rows are a ConList's; also a ZIP too damaged to open at all (no
    other list format is a ZIP), so that parsing it says what is wrong with it."""
    if not head.startswith(_ZIP) or path.is_dir():
        return False
    try:
        with zipfile.ZipFile(path):
            pass
    except (zipfile.BadZipFile, OSError):
        return True
    try:
        first = [cells for _, cells in xlsx_rows(path, limit=3)]
    except SanctionsFormatError:
        return False
    return _ofsi.looks_like_conlist(first)


def parse(path: Path) -> ParsedList:
    rows = xlsx_rows(path)
    return _ofsi.parse_rows(str(path), FORMAT, rows, exact_width=False)
