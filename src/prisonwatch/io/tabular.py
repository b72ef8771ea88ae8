"""Reading CSV and XLSX tables as lists of rows, with errors that name the file and row.

CSV must be UTF-8 (a byte-order mark is fine; "CSV UTF-8" in spreadsheet programs). The
delimiter is sniffed among ``,`` ``;`` and tab. XLSX is read with openpyxl (first sheet).
Row numbers are those a spreadsheet shows: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


class TableError(ValueError):
    """The file cannot be read as a table; the message names the file and, when known, the row."""


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, values by header)


CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


def read_table(path: Path | str, *, display_name: str | None = None) -> Table:
    p = Path(path)
    label = display_name or str(p)
    if not p.exists():
        raise TableError(f"{label}: file not found")
    suffix = p.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        headers, rows = _read_xlsx(p, label)
    elif suffix in CSV_SUFFIXES:
        headers, rows = _read_csv(p, label)
    else:
        raise TableError(
            f"{label}: not a CSV or XLSX file "
            f"(expected .csv or .xlsx, got {suffix or 'no extension'!r})"
        )
    if not headers:
        raise TableError(f"{label}: the file is empty (no header row)")
    seen: set[str] = set()
    for h in headers:
        if h and h in seen:
            raise TableError(f"{label}, row 1: column {h!r} appears twice in the header")
        seen.add(h)
    return Table(p, headers, rows)


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            f"{label}, row {line}: the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at "
            f"position {exc.start}); save it as 'CSV UTF-8'"
        ) from exc


def _read_csv(p: Path, label: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    raw = p.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise TableError(f"{label}: this is a zip/XLSX file, not CSV; name it .xlsx")
    if b"\x00" in raw[:4096]:
        raise TableError(f"{label}: binary data, not a CSV text file (UTF-16 is not supported)")
    text = _decode(raw, label)
    if not text.strip():
        return [], []
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    headers = [h.strip() for h in header]
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            rownum = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
                raise TableError(
                    f"{label}, row {rownum}: {len(cells)} cells "
                    f"but the header has {len(headers)} columns"
                )
            rows.append(
                (rownum, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)})
            )
    except csv.Error as exc:
        raise TableError(f"{label}, row {reader.line_num}: {exc}") from exc
    return headers, rows


def _read_xlsx(p: Path, label: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(f"{label}: not a readable XLSX file ({exc})") from exc
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        try:
            header = next(it)
        except StopIteration:
            return [], []
        headers = [_cell(h).strip() for h in header]
        while headers and not headers[-1]:
            headers.pop()
        rows: list[tuple[int, dict[str, str]]] = []
        for i, cells in enumerate(it, start=2):
            vals = [_cell(c) for c in cells]
            if not any(v.strip() for v in vals):
                continue
            rows.append((i, {h: (vals[j] if j < len(vals) else "") for j, h in enumerate(headers)}))
        return headers, rows
    finally:
        wb.close()


def _cell(value: object) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
