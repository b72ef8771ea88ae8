"""How fast XLSX bombs are refused, and what the sheet scan before reading costs.

    python benchmarks/xlsx_limits.py [--rows 100000]

Prints: the time to refuse a workbook declaring A1:XFD1048576 (a few KB) and one unpacking to
419 MB (a few hundred KB packed), and the time to read a list of ``--rows`` rows with the scan
(as ``iter_cells`` does) and openpyxl alone; peak memory (ru_maxrss) at the end.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from prisonwatch.io.tabular import TableError, iter_cells


def _workbook(path: Path, rows: int) -> Path:
    wb = Workbook(write_only=rows > 100)  # a normal workbook declares its size (<dimension>)
    ws = wb.create_sheet() if rows > 100 else wb.active
    assert ws is not None
    ws.append(["id", "name", "birth_date", "region"])
    for i in range(rows):
        ws.append([i, f"Іваноў Іван {i}", "1980-01-02", "Minsk"])
    wb.save(path)
    return path


def _rewrite(path: Path, change: object) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/"))
    parts[name] = change(parts[name].decode()).encode()  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in parts.items():
            out.writestr(n, data)


def _zip_bomb(path: Path, mb: int, template: Path) -> Path:
    with zipfile.ZipFile(template) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/"))
    head, tail = parts[name].decode().split("</sheetData>")
    row = b'<row><c t="inlineStr"><is><t>Ivan</t></is></c></row>'
    chunk = row * (2**20 // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for n, data in parts.items():
            if n != name:
                out.writestr(n, data)
        with out.open(name, "w") as fh:
            fh.write(head.encode())
            for _ in range(mb):
                fh.write(chunk)
            fh.write(("</sheetData>" + tail).encode())
    return path


def _refuse(path: Path) -> tuple[float, str]:
    t = time.perf_counter()
    try:
        for _ in iter_cells(path):
            pass
    except TableError as exc:
        return time.perf_counter() - t, str(exc).split(": ", 1)[1]
    return time.perf_counter() - t, "NOT REFUSED"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pw-xlsx-"))
    small = _workbook(tmp / "small.xlsx", 3)
    _rewrite(
        small, lambda x: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', x)
    )
    secs, why = _refuse(small)
    print(
        f"whole-sheet declaration ({small.stat().st_size / 1024:.1f} KB): "
        f"refused in {secs * 1000:.0f} ms: {why}"
    )
    bomb = _zip_bomb(tmp / "bomb.xlsx", 419, _workbook(tmp / "t.xlsx", 1))
    secs, why = _refuse(bomb)
    print(
        f"zip bomb ({bomb.stat().st_size / 1024:.0f} KB packed): "
        f"refused in {secs * 1000:.0f} ms: {why}"
    )
    big = _workbook(tmp / "big.xlsx", args.rows)
    t = time.perf_counter()
    n = sum(1 for _ in iter_cells(big))
    scanned = time.perf_counter() - t
    t = time.perf_counter()
    book = load_workbook(big, read_only=True, data_only=True)
    m = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    plain = time.perf_counter() - t
    print(
        f"{n - 1:,} rows: iter_cells (scan + read + checks) {scanned:.2f} s; "
        f"openpyxl alone {plain:.2f} s ({m - 1:,} rows)"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
