"""UK OFSI Consolidated List (ConList) CSV, 2016 and 2022+ layouts (see ``_ofsi``).

Streamed with the csv module. The 2016 files are Windows-1252; a file that is valid UTF-8
throughout (checked in a streamed first pass) is read as UTF-8, otherwise as Windows-1252."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _ofsi
from prisonwatch.sanctions.model import ParsedList, SanctionsFormatError

FORMAT = "uk-ofsi-csv"


def _first_lines(head: bytes, n: int) -> list[list[str]]:
    text = head.decode("cp1252", errors="replace").lstrip("\ufeff").lstrip("ï»¿")
    lines = text.splitlines()[:n]
    try:
        return list(csv.reader(lines))
    except csv.Error:
        return []


def sniff(path: Path, head: bytes) -> bool:
    if head.startswith(b"PK\x03\x04"):
        return False
    return _ofsi.looks_like_conlist(_first_lines(head, 3))


def encoding_of(path: Path) -> str:
    """``utf-8-sig`` if the whole file is valid UTF-8, else ``cp1252`` (read a block at a
    time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return "cp1252"
    return "utf-8-sig"


def csv_rows(path: Path, encoding: str) -> Iterator[tuple[str, list[str]]]:
    """``(row N, cells)`` of a CSV file; N counts records from 1 (the first line)."""
    row = 0
    try:
        with open(path, encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, strict=True)
            for row, cells in enumerate(reader, start=1):
                yield f"row {row}", cells
    except UnicodeDecodeError as exc:
        raise SanctionsFormatError(
            str(path), f"row {row + 1}", f"not {encoding} text (byte 0x{exc.object[exc.start]:02x})"
        ) from exc
    except csv.Error as exc:
        raise SanctionsFormatError(
            str(path), f"row {row + 1}", f"not valid CSV (truncated or damaged?): {exc}"
        ) from exc


def parse(path: Path) -> ParsedList:
    return _ofsi.parse_rows(str(path), FORMAT, csv_rows(path, encoding_of(path)), exact_width=True)
