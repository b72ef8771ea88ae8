"""Rows of plain values for tables and CSV — shared by the CLI and the web page."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from prisonwatch.io.csvsafe import SafeDictWriter


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every key in the order first seen (rows of a breakdown may differ in their kinds)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def to_csv(rows: list[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    # cells a spreadsheet would run as formulas are neutralised (prisonwatch.io.csvsafe)
    writer = SafeDictWriter(out, fieldnames=columns_of(rows), lineterminator="\n", restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


__all__ = ["columns_of", "to_csv"]
