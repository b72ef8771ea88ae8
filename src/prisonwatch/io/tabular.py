"""Reading CSV and XLSX files as rows of text cells, with errors that name the file and row.

The one reader behind both the registry import (:func:`read_table`) and list reconciliation
(:func:`iter_cells`, streamed: a million-row list is never held twice).

The format is told by the file's first bytes, not its name: a ZIP archive is read as XLSX
(openpyxl, read-only, first sheet); an old ``.xls`` (OLE), PDF, image or other binary file is
refused; anything else is CSV. CSV must be UTF-8 (a byte-order mark is fine; "CSV UTF-8" in
spreadsheet programs); the delimiter is whichever of ``,`` ``;`` and tab the header row has
most of. Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from prisonwatch.io.csvsafe import restore
from prisonwatch.io.limits import CLI_LIMITS, MB, ReadLimits, WorkStopped
from prisonwatch.validation import FieldError, check_chars, forbidden_char

_ZIP_MAGIC = b"PK\x03\x04"
#: the longest cell read (characters); the registry's longest field is 10,000
MAX_CELL = 10_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_NOT_TEXT_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"{\\rtf")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class TableError(ValueError):
    """The file cannot be read as a table; the message names the file and, when known, the row
    (as ``row N``) and the column (``column``, its header)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column


class _UnclosedQuote(Exception):
    def __init__(self, row: int, line: int, cell: int) -> None:
        self.row, self.line, self.cell = row, line, cell


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, values by header)


def iter_cells(
    path: Path | str,
    label: str | None = None,
    *,
    check_chars: bool = True,
    limits: ReadLimits = CLI_LIMITS,
) -> Iterator[list[str]]:
    """The cells of every row of the file as text, the header row first, blank rows included
    (the caller numbers the rows). ``label``: the file name for messages (default the path).
    ``check_chars``: refuse a cell with a control or invisible format character (the import
    checks the columns it uses itself, to list every problem of the file at once).
    ``limits``: an XLSX file's unpacked size, columns and cells, and the time the work may take
    (:mod:`prisonwatch.io.limits`).

    The file's kind is checked before this returns; read errors further on are raised while
    iterating."""
    p = Path(path)
    shown = label or str(p)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise TableError(f"{shown}: no such file") from exc
    except OSError as exc:
        raise TableError(f"{shown}: cannot be read: {exc.strerror}") from exc
    if not head:
        raise TableError(f"{shown}: the file is empty")
    if head.startswith(_ZIP_MAGIC):
        return _checked(
            _xlsx_rows(p, shown, limits), shown, csv_cells=False, chars=check_chars, limits=limits
        )
    if head.startswith(_OLE_MAGIC):
        raise TableError(
            f"{shown}: is an old Excel .xls (or other OLE) file; save it as .xlsx or CSV"
        )
    if head.startswith(_NOT_TEXT_MAGIC) or b"\x00" in head:
        raise TableError(f"{shown}: is not a CSV or XLSX file")
    if p.suffix.lower() in XLSX_SUFFIXES:
        raise TableError(f"{shown}: is named .xlsx but is not an XLSX workbook")
    return _checked(_csv_rows(p, shown), shown, csv_cells=True, chars=check_chars, limits=limits)


def _checked(
    rows: Iterator[list[str]], shown: str, *, csv_cells: bool, chars: bool, limits: ReadLimits
) -> Iterator[list[str]]:
    """Every cell checked by the one input rule (:mod:`prisonwatch.validation`: no control or
    invisible format characters, at most :data:`MAX_CELL` characters); in CSV, the quote that
    :mod:`prisonwatch.io.csvsafe` put before a formula-like cell is taken off again."""
    header: list[str] = []
    rownum = 0
    try:
        for rownum, cells in enumerate(rows, start=1):
            if rownum % 1000 == 0:
                _check_stop(limits, shown)
            if csv_cells:
                cells = [restore(c) if c.startswith("'") else c for c in cells]
            for i, cell in enumerate(cells):
                if len(cell) > MAX_CELL or (
                    chars and forbidden_char(cell, multiline=True) is not None
                ):
                    column = _column_name(header, i)
                    try:
                        if len(cell) > MAX_CELL:
                            raise FieldError(column, f"longer than {MAX_CELL:,} characters")
                        check_chars(column, cell, multiline=True)
                    except FieldError as exc:
                        raise TableError(
                            f"{shown}: row {rownum}, column {column!r}: {exc.message}",
                            row=rownum,
                            column=column,
                        ) from None
            if rownum == 1:
                header = [c.strip() for c in cells]
            yield cells
    except _UnclosedQuote as q:
        column = _column_name(header, q.cell)
        raise TableError(
            f"{shown}: row {q.row} (line {q.line} of the file), column {column!r}: a quote "
            "opens here and is never closed",
            row=q.row,
            column=column,
        ) from None


def _check_stop(limits: ReadLimits, shown: str) -> None:
    try:
        limits.check()
    except WorkStopped as exc:
        raise TableError(f"{shown}: reading stopped: {exc}") from None


def _column_name(header: list[str], i: int) -> str:
    return header[i] if i < len(header) and header[i] else f"column {i + 1}"


def read_table(
    path: Path | str, *, display_name: str | None = None, limits: ReadLimits = CLI_LIMITS
) -> Table:
    """The whole file: its header (trailing empty header cells dropped) and every non-blank
    row as a mapping from header to cell."""
    p = Path(path)
    label = display_name or str(p)
    rows_iter = iter_cells(p, label, check_chars=False, limits=limits)
    header = next(rows_iter, None)
    headers = [h.strip() for h in header] if header is not None else []
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise TableError(f"{label}: the file is empty (no header row)")
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise TableError(f"{label}: row 1: column {h!r} appears twice in the header")
        seen.add(h)
    width = len(headers)
    rows: list[tuple[int, dict[str, str]]] = []
    for rownum, cells in enumerate(rows_iter, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise TableError(
                f"{label}: row {rownum}: {len(cells)} cells but the header has {width} columns"
            )
        rows.append(
            (rownum, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)})
        )
    return Table(p, headers, rows)


# -- CSV -----------------------------------------------------------------------------------


def _csv_rows(path: Path, shown: str) -> Iterator[list[str]]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        try:
            first = fh.readline()
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, shown) from exc
        delimiter = max((",", ";", "\t"), key=first.count)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        row, line = 0, 1  # the record being read, and the line of the file where it starts
        try:
            last: tuple[int, int, int] | None = None  # the last record: row, line, cells
            for row, cells in enumerate(reader, start=1):
                last = (row, line, len(cells) - 1)
                line = reader.line_num + 1
                yield cells
            # an unclosed quote takes every line after it into one cell, so it ends the file
            if last is not None and _quote_left_open(path, last[1], delimiter):
                raise _UnclosedQuote(*last)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, shown) from exc
        except csv.Error as exc:
            if "NUL" in str(exc):
                raise TableError(f"{shown}: row {row + 1}: is not a CSV or XLSX file") from exc
            raise TableError(f"{shown}: row {row + 1}: not valid CSV: {exc}") from exc


def _quote_left_open(path: Path, first_line: int, delimiter: str) -> bool:
    """True when the record starting at ``first_line`` (the file's last) runs to the end of the
    file inside a quote: Python's csv reader, not strict, ends such a record silently."""
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for _ in range(first_line - 1):
            fh.readline()
        rest = fh.read()
    try:
        for _ in csv.reader(io.StringIO(rest), delimiter=delimiter, strict=True):
            return False  # the record closed; more lines follow it
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _not_utf8(path: Path, shown: str) -> TableError:
    """The error for a file that is not UTF-8, naming the first row that is not (text is
    decoded a block at a time, so where decoding failed says little)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, detail = 1, ""
    with path.open("rb") as fh:
        while block := fh.read(1 << 16):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                line += block[: exc.start].count(b"\n")
                detail = f" (byte 0x{block[exc.start]:02x})"
                break
            line += block.count(b"\n")
    return TableError(
        f"{shown}: row {line}: the text is not UTF-8{detail} (or the file is not a CSV or XLSX "
        "file); save the CSV as 'CSV UTF-8'"
    )


# -- XLSX ----------------------------------------------------------------------------------


def _xlsx_rows(path: Path, shown: str, limits: ReadLimits) -> Iterator[list[str]]:
    """The first sheet's rows (openpyxl, read-only, cached values of formulas), after checking
    the archive's unpacked size and the sheet's size and formulas (:func:`_scan_sheet`)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # an open file, not the path: openpyxl would refuse a workbook by its name (an upload kept
    # under a temporary name, a list.csv that is really XLSX)
    with path.open("rb") as fh:
        try:
            with zipfile.ZipFile(fh) as archive:
                _check_archive(archive, shown, limits)
            fh.seek(0)
            book = load_workbook(fh, read_only=True, data_only=True)
        except TableError:
            raise
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise TableError(f"{shown}: is a ZIP archive but not an XLSX workbook") from exc
        try:
            sheet = book.worksheets[0]
            sheet_path = getattr(sheet, "_worksheet_path", None)
            if not isinstance(sheet_path, str):  # pragma: no cover - openpyxl's read-only sheet
                raise TableError(f"{shown}: the first sheet cannot be read")
            fh.seek(0)
            with zipfile.ZipFile(fh) as archive, archive.open(sheet_path) as src:
                rows, cols = _scan_sheet(src, shown, limits)
            if rows == 0:
                return
            # the sizes found, not the declared ones: openpyxl pads every row to the declared
            # width and adds empty rows up to the declared height
            for cells in sheet.iter_rows(max_row=rows, max_col=cols, values_only=True):
                yield [_cell_text(v) for v in cells]
        finally:
            book.close()


def _check_archive(archive: zipfile.ZipFile, shown: str, limits: ReadLimits) -> None:
    """The archive's members and their unpacked size (zipfile never unpacks more than a
    member declares, so the declared sizes bound the work)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise TableError(
            f"{shown}: the XLSX archive has {len(members):,} parts (at most "
            f"{limits.max_members:,} are read)"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked:
        raise TableError(
            f"{shown}: the XLSX file unpacks to {unpacked / MB:,.0f} MB, more than the "
            f"{limits.max_unpacked / MB:,.0f} MB read here; split the list or save it as CSV"
        )


def _scan_sheet(src: IO[bytes], shown: str, limits: ReadLimits) -> tuple[int, int]:
    """One streaming pass over the sheet's XML before openpyxl reads it: the declared size
    (``<dimension ref="A1:XFD1048576">``) and the cells used must stay within ``limits``, and a
    formula without a cached value (a file written by a program that does not compute them)
    is refused naming its cell. Returns the rows and columns used."""
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string as col_index
    from openpyxl.utils.cell import get_column_letter as letters_of
    from openpyxl.utils.cell import range_boundaries

    def too_big(rows: int, cols: int, what: str) -> TableError | None:
        if cols > limits.max_columns:
            return TableError(
                f"{shown}: the first sheet {what} {cols:,} columns (at most "
                f"{limits.max_columns:,} are read)"
            )
        if rows * cols > limits.max_cells:
            return TableError(
                f"{shown}: the first sheet {what} {rows:,} rows × {cols:,} columns, more than "
                f"the {limits.max_cells:,} cells read here"
            )
        return None

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    formula, value, inline = f"{ns}f", f"{ns}v", f"{ns}is"
    max_row = max_col = 0
    row = col = 0
    last_row: object = None
    seen = 0
    try:
        for _event, el in etree.iterparse(
            src,
            events=("end",),
            tag=(f"{ns}dimension", f"{ns}c"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
        ):
            if el.tag == f"{ns}dimension":
                ref = el.get("ref") or ""
                try:
                    _c1, _r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
                except (ValueError, TypeError):
                    c2 = r2 = None
                if c2 and r2 and (err := too_big(r2, c2, f"declares {ref}:")):
                    raise err
                continue
            ref = el.get("r")
            parent = el.getparent()
            if ref:
                letters = ref.rstrip("0123456789")
                row, col = int(ref[len(letters) :]), col_index(letters)
            elif parent is not last_row:  # no reference: the first cell of the next row
                row_ref = parent.get("r") if parent is not None else None
                row, col = (int(row_ref) if row_ref else row + 1), 1
            else:  # no reference: the next cell of this row
                col += 1
            last_row = parent
            v = el.find(value)
            has_value = (v is not None and bool(v.text)) or el.find(inline) is not None
            if not has_value and el.find(formula) is not None:
                raise TableError(
                    f"{shown}: cell {ref or f'{letters_of(col)}{row}'}: a formula without a "
                    "computed value; open the file in a spreadsheet program and save it again "
                    "(or paste the values in place of the formulas)",
                    row=row,
                )
            if has_value and (row > max_row or col > max_col):
                max_row, max_col = max(max_row, row), max(max_col, col)
                if err := too_big(max_row, max_col, "has"):
                    raise err
            el.clear()
            seen += 1
            if seen % 10_000 == 0:
                _check_stop(limits, shown)
                # drop the rows already read (their cells were cleared, the rows were not)
                sheet_data = parent.getparent() if parent is not None else None
                if sheet_data is not None:
                    while len(sheet_data) and sheet_data[0] is not parent:
                        del sheet_data[0]
    except etree.XMLSyntaxError as exc:
        raise TableError(f"{shown}: the first sheet is not valid XML ({exc})") from exc
    return max_row, max_col


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
