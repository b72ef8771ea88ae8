"""Reading a list of names from a CSV (UTF-8, with or without BOM; comma, semicolon or tab) or
XLSX file (the first sheet) into :class:`ListRow` objects.

Every problem raises :class:`~prisonwatch.reconcile.errors.InputError` with the file name and,
where it applies, the row (numbered as a spreadsheet shows it: the header is row 1) and the
column. Nothing is returned for a file with any bad row: the caller either gets all rows or an
error.

Evidence columns — birth date or year, gender, region — are found by their header (``birth_date``,
``dob``, ``born``, ``birth_year``, ``gender``, ``sex``, ``region``, ``oblast`` and their Russian
and Belarusian names) unless named explicitly; reconciliation uses them when both lists have them.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from prisonwatch.dates import PartialDate, PartialDateError
from prisonwatch.io.limits import CLI_LIMITS, ReadLimits
from prisonwatch.io.tabular import TableError, iter_cells
from prisonwatch.model import GENDER_ALIASES
from prisonwatch.reconcile.errors import InputError
from prisonwatch.reconcile.judgement_keys import row_key, slug
from prisonwatch.validation import DEFAULT_LIMIT, LIMITS, MULTILINE, FieldError, check_text

#: Pass as a ``*_col`` argument to find the evidence column by its header.
AUTO = "\x00auto"

BIRTH_HEADERS = (
    "birth_date",
    "birthdate",
    "date_of_birth",
    "dob",
    "born",
    "birth",
    "birth_year",
    "year_of_birth",
    "yob",
    "дата_рождения",
    "год_рождения",
    "дата_нараджэння",
    "год_нараджэння",
)
GENDER_HEADERS = ("gender", "sex", "пол", "стаць")
REGION_HEADERS = ("region", "oblast", "province", "регион", "область", "рэгіён", "вобласць")

_HEADER_NORM = re.compile(r"[\s\-]+")


class ListRow(NamedTuple):
    """One row of a list. ``values`` are the cells as read (text), in the order of ``columns``.

    (A named tuple: immutable, and cheap enough for a million rows.)"""

    key: str
    row_number: int
    id: str | None
    name: str
    columns: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    birth: PartialDate | None = None
    gender: str | None = None
    region: str | None = None

    @property
    def raw(self) -> dict[str, str]:
        """The row verbatim, as a column → cell mapping."""
        return dict(zip(self.columns, self.values, strict=False))

    @property
    def label(self) -> str:
        """How a person refers to the row: its id, else its row number."""
        return self.id if self.id else f"row {self.row_number}"


def read_list(
    path: str | Path,
    id_col: str | None = "id",
    name_col: str = "name",
    *,
    original_filename: str | None = None,
    list_key: str | None = None,
    birth_col: str | None = AUTO,
    gender_col: str | None = AUTO,
    region_col: str | None = AUTO,
    limits: ReadLimits = CLI_LIMITS,
) -> list[ListRow]:
    """Read every row of a CSV or XLSX list (within ``limits``: size, columns, time).

    ``id_col=None`` reads a list without ids (keys then come from the names, see
    :mod:`prisonwatch.reconcile.judgement_keys`). ``original_filename`` is the name shown in
    messages and used for the list key when the file at ``path`` is a temporary copy (an upload).
    ``list_key`` overrides the list part of the row keys. ``*_col=None`` ignores that evidence.
    """
    with collector_paused():
        return _read_list(
            path,
            id_col,
            name_col,
            original_filename,
            list_key,
            birth_col,
            gender_col,
            region_col,
            limits,
        )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a list's rows are made: they hold no cycles, and
    with a million of them each automatic collection walked every row made so far again (a
    fifth of reading a million-row file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_list(
    path: str | Path,
    id_col: str | None,
    name_col: str,
    original_filename: str | None,
    list_key: str | None,
    birth_col: str | None,
    gender_col: str | None,
    region_col: str | None,
    limits: ReadLimits,
) -> list[ListRow]:
    p = Path(path)
    shown = original_filename or p.name
    list_slug = slug(list_key) if list_key else slug(Path(shown).stem)
    table = _read_table(p, shown, limits)
    header = next(table, None)
    if header is None or not any(h.strip() for h in header):
        raise InputError(f"{shown}: the file is empty (no header row)")
    columns = tuple(h.strip() for h in header)

    name_i = _find_column(columns, name_col, shown, "name")
    id_i = _find_column(columns, id_col, shown, "id") if id_col is not None else None
    birth_i, gender_i, region_i = evidence_columns(
        columns, shown, birth_col, gender_col, region_col
    )

    rows: list[ListRow] = []
    seen_ids: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    width = len(columns)
    for row_number, cells in enumerate(table, start=2):
        if not "".join(cells).strip():  # a blank row (same as: no cell with a non-space)
            continue
        if len(cells) > width and "".join(cells[width:]).strip():
            raise InputError(
                f"{shown}: row {row_number} has {len(cells)} cells but the header has {width}"
            )
        values = tuple(cells[:width]) if len(cells) >= width else _padded(cells, width)
        name = _name(values[name_i], shown, row_number, columns[name_i])
        if not name:
            raise InputError(f"{shown}: row {row_number}, column {columns[name_i]!r}: empty name")
        row_id: str | None = None
        if id_i is not None:
            row_id = values[id_i].strip() or None
            if row_id is not None:
                if row_id in seen_ids:
                    raise InputError(
                        f"{shown}: row {row_number}, column {columns[id_i]!r}: id {row_id!r} "
                        f"is already used on row {seen_ids[row_id]}"
                    )
                seen_ids[row_id] = row_number
        key = row_key(list_slug, row_id, name)
        count = seen_keys.get(key, 0) + 1
        seen_keys[key] = count
        if count > 1:
            key = f"{key}#{count}"
        rows.append(
            ListRow(  # positional: a million rows
                key,
                row_number,
                row_id,
                name,
                columns,
                values,
                birth_of(values, birth_i, columns, shown, row_number),
                gender_of(values, gender_i, columns, shown, row_number),
                (values[region_i].strip() or None) if region_i is not None else None,
            )
        )
    if not rows:
        raise InputError(f"{shown}: the file has a header but no rows")
    return rows


def _padded(cells: list[str], width: int) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (width - len(cells))


#: The registry's rule for names (:func:`prisonwatch.validation.check_text`): one line, at most
#: this many characters once runs of spaces are folded.
_NAME_LIMIT = LIMITS.get("name", DEFAULT_LIMIT)


def _name(cell: str, shown: str, row_number: int, column: str) -> str:
    """The name cell checked by the registry's rule for names. The table reader has already
    refused every control and invisible character except tab and line breaks, so a cell without
    those that fits the length is tidied here directly (a million rows: the full check per cell
    was a third of the reading); any other goes through ``check_text`` for its exact message."""
    if "\n" not in cell and "\r" not in cell and "\t" not in cell and "name" not in MULTILINE:
        text = " ".join(cell.split())
        if len(text) <= _NAME_LIMIT:
            return text
    try:
        return check_text("name", cell) or ""
    except FieldError as exc:
        raise InputError(f"{shown}: row {row_number}, column {column!r}: {exc.message}") from None


# -- columns ------------------------------------------------------------------------------


def _norm_header(text: str) -> str:
    return _HEADER_NORM.sub("_", text.strip().casefold())


def _find_column(columns: tuple[str, ...], wanted: str, shown: str, role: str) -> int:
    if columns.count(wanted) > 1:
        raise InputError(f"{shown}: the header has the column {wanted!r} more than once")
    if wanted in columns:
        return columns.index(wanted)
    folded = [i for i, c in enumerate(columns) if _norm_header(c) == _norm_header(wanted)]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(c) for c in columns if c)
    raise InputError(
        f"{shown}: row 1 (header): no {role} column {wanted!r}; the columns are {listed}"
    )


def evidence_columns(
    columns: tuple[str, ...],
    shown: str,
    birth_col: str | None = AUTO,
    gender_col: str | None = AUTO,
    region_col: str | None = AUTO,
) -> tuple[int | None, int | None, int | None]:
    """The positions of the birth date, gender and region columns (``None``: not used)."""
    return (
        _evidence_column(columns, birth_col, BIRTH_HEADERS, shown),
        _evidence_column(columns, gender_col, GENDER_HEADERS, shown),
        _evidence_column(columns, region_col, REGION_HEADERS, shown),
    )


def _evidence_column(
    columns: tuple[str, ...], wanted: str | None, aliases: tuple[str, ...], shown: str
) -> int | None:
    if wanted is None:
        return None
    if wanted != AUTO:
        return _find_column(columns, wanted, shown, "evidence")
    normed = [_norm_header(c) for c in columns]
    for alias in aliases:
        if alias in normed:
            return normed.index(alias)
    return None


# -- evidence values ----------------------------------------------------------------------


def birth_of(
    values: tuple[str, ...], i: int | None, columns: tuple[str, ...], shown: str, row: int
) -> PartialDate | None:
    if i is None:
        return None
    text = values[i].strip()
    if not text:
        return None
    try:
        return _parse_date(text)
    except PartialDateError as exc:
        raise InputError(f"{shown}: row {row}, column {columns[i]!r}: {exc}") from exc


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> PartialDate:
    """Birth years repeat a lot in a long list; parsed dates are immutable, so cache them."""
    return PartialDate.parse(text)


def gender_of(
    values: tuple[str, ...], i: int | None, columns: tuple[str, ...], shown: str, row: int
) -> str | None:
    if i is None:
        return None
    text = values[i].strip().casefold().rstrip(".")
    if not text:
        return None
    gender = GENDER_ALIASES.get(text)
    if gender is None:
        known = ", ".join(sorted(GENDER_ALIASES))
        raise InputError(
            f"{shown}: row {row}, column {columns[i]!r}: unknown gender {values[i]!r} "
            f"(use one of {known})"
        )
    return gender.value


# -- file formats -------------------------------------------------------------------------


def _read_table(path: Path, shown: str, limits: ReadLimits) -> Iterator[list[str]]:
    """The cells of the file, row by row, as text; the first row is the header
    (:func:`prisonwatch.io.tabular.iter_cells`, its errors as :class:`InputError`)."""
    try:
        rows = iter_cells(path, shown, limits=limits)
    except TableError as exc:
        raise InputError(str(exc)) from exc
    return _as_input_errors(rows)


def _as_input_errors(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from rows
    except TableError as exc:
        raise InputError(str(exc)) from exc
