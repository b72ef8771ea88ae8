"""CSV cells that spreadsheet programs would run as formulas, neutralised on the way out and
restored on the way in (OWASP's advice for CSV injection).

Every CSV PrisonWatch writes (``export``, ``/people.csv``, ``changes series --format csv`` and
``/changes/series.csv``, reconciliation outputs, ``names score``) goes through :func:`writer` or
:func:`neutralise`: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a single quote in front (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``), which spreadsheet
programs show as text. Numbers such as ``-12`` or ``+3.5`` are left as they are (a spreadsheet
reads them as numbers, nothing runs); dates never begin with those characters.

So that an export imports back unchanged, the reader (:mod:`prisonwatch.io.tabular`) undoes it
(:func:`restore`): a CSV cell that begins with a single quote followed by one of those
characters loses that first quote. A value that itself begins with a quote and one of those
characters is written with a second quote, so every value survives the round trip.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\Z")


def _needs_quote(text: str) -> bool:
    """The cell would run as a formula — or, behind leading quotes, one that would (so that
    :func:`restore` can tell a quote of ours from the value's own)."""
    rest = text.lstrip("'")
    return rest.startswith(TRIGGERS) and _NUMBER.match(rest) is None


def neutralise(value: object) -> str:
    """The cell as text, safe to open in a spreadsheet program."""
    text = "" if value is None else str(value)
    return "'" + text if _needs_quote(text) else text


def restore(cell: str) -> str:
    """Undo :func:`neutralise` for a cell read from CSV (``restore(neutralise(v)) == v``)."""
    if cell.startswith("'") and _needs_quote(cell[1:]):
        return cell[1:]
    return cell


class SafeWriter:
    """``csv.writer`` whose every cell is neutralised."""

    def __init__(self, out: IO[str], **kw: Any) -> None:
        self._w = csv.writer(out, **kw)

    def writerow(self, row: Iterable[object]) -> None:
        self._w.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose every value is neutralised (the header too)."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writeheader(self) -> Any:
        return self.writer.writerow([neutralise(f) for f in self.fieldnames])


def writer(out: IO[str], **kw: Any) -> SafeWriter:
    return SafeWriter(out, **kw)
