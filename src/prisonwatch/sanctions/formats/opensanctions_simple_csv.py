"""OpenSanctions ``targets.simple.csv``: one target per row, keyed by its FtM ``id``.

Columns are taken by header name, so both layouts are read: the current 16 columns and the
15 of before August 2025 (no ``program_ids``). Multi-valued cells are a ``;``-separated CSV
inside the cell; cells may hold newlines. A streamed first pass checks the whole file (a
cut-off file is refused before anything is handed out) and finds the header facts: the
dataset title(s) and the latest ``last_seen`` (the export's date)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.model import (
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
    TargetKind,
)

FORMAT = "opensanctions-simple-csv"
PARSER_VERSION = "1"
AUTHORITY = "OpenSanctions"

KINDS = {
    "Person": TargetKind.PERSON,
    "Organization": TargetKind.ORGANISATION,
    "Company": TargetKind.ORGANISATION,
    "LegalEntity": TargetKind.ORGANISATION,
    "PublicBody": TargetKind.ORGANISATION,
    "Vessel": TargetKind.VESSEL,
    "Airplane": TargetKind.AIRCRAFT,
}
REQUIRED = ("id", "schema", "name")
_IMO = re.compile(r"^IMO\s?\d{7}$", re.I)

#: column -> property (identifiers are split into IMO and other numbers)
_COLUMNS = {
    "name": "name",
    "aliases": "alias",
    "birth_date": "birthDate",
    "countries": "country",
    "addresses": "address",
    "sanctions": "notes",
    "program_ids": "program",
}


def sniff(path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].replace(b'"', b"").strip()
    return first.startswith(b"id,schema,name,aliases")


def _multi(cell: str) -> list[str]:
    """The values of a multi-valued cell (an inner ``;`` CSV)."""
    if not cell:
        return []
    out: list[str] = []
    for row in csv.reader(io.StringIO(cell), delimiter=";"):
        out.extend(x for x in row if x.strip())
    return out


def _rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``(position, row by column)``, checking every row's width."""
    record = 0
    reader = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header is None or not all(c in header for c in REQUIRED):
                raise SanctionsFormatError(str(path), "row 1", "no targets.simple.csv header")
            record = 1
            for record, cells in enumerate(reader, start=2):
                where = f"row {record} (line {reader.line_num})"
                if len(cells) != len(header):
                    raise SanctionsFormatError(
                        str(path),
                        where,
                        f"{len(cells)} cells but the header has {len(header)} columns "
                        "(a truncated or damaged file?)",
                    )
                yield where, dict(zip(header, cells, strict=True))
    except UnicodeDecodeError as exc:
        raise SanctionsFormatError(str(path), f"row {record + 1}", "not UTF-8 text") from exc
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        raise SanctionsFormatError(
            str(path), f"row {record + 1} (line {line})", f"not valid CSV (truncated?): {exc}"
        ) from exc


def parse(path: Path) -> ParsedList:
    datasets: set[str] = set()
    last_seen = ""
    for _, row in _rows(path):  # the checking first pass
        datasets.update(_multi(row.get("dataset", "")))
        last_seen = max(last_seen, row.get("last_seen", ""))
    header = ListHeader(
        format=FORMAT,
        authority=AUTHORITY,
        list_name="; ".join(sorted(datasets)) or "targets.simple.csv",
        published=v.to_date(v.iso(last_seen)),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(header=header, targets=_targets(path))


def _targets(path: Path) -> Iterator[Target]:
    for where, row in _rows(path):
        yield _target(path, where, row)


def _target(path: Path, where: str, row: dict[str, str]) -> Target:
    tid, schema = row["id"].strip(), row["schema"].strip()
    kind = KINDS.get(schema)
    if not tid or kind is None:
        raise SanctionsFormatError(
            str(path), where, f"no id, or schema {schema!r} is not a target kind"
        )
    caption = " ".join(row["name"].split())
    t = Target(id=tid, kind=kind, caption=caption)
    for column, prop in _COLUMNS.items():
        for value in _multi(row.get(column, "")):
            t.add(prop, value)
    for ident in _multi(row.get("identifiers", "")):
        ident = ident.strip()
        if _IMO.match(ident):
            t.add("imoNumber", "IMO" + ident[3:].strip())
        else:
            t.add("idNumber", ident)
    return t
