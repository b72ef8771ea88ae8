"""The OFSI Consolidated List (ConList) as rows, shared by the CSV and the XLSX reader.

A ``Last Updated`` line with the publication date, then a header, then one row per name (and,
in the 2016 layout, per name x date of birth). Rows of one target share a ``Group ID`` but are
ordered by name, so they are scattered: rows are folded into their group as they stream past
and the targets are handed out at the end. Columns are found by their header text, so both the
2016 layout (29 columns) and the 2022+ layout (36: non-Latin name, passport and national
identification numbers, alias quality, UK Sanctions List date designated) are read; a column
neither knows is reported as a warning, not guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from prisonwatch.sanctions.formats import _uk
from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.model import (
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
)

PARSER_VERSION = "1"

NAME_COLUMNS = [f"name {i}" for i in range(1, 7)]
REQUIRED = {"name 6", "group type", "alias type", "group id"}
KNOWN = {
    *NAME_COLUMNS,
    "title",
    "name non-latin script",
    "non-latin script type",
    "non-latin script language",
    "dob",
    "town of birth",
    "country of birth",
    "nationality",
    "passport details",
    "passport number",
    "ni number",
    "national identification number",
    "national identification details",
    "position",
    *(f"address {i}" for i in range(1, 7)),
    "post/zip code",
    "country",
    "other information",
    "group type",
    "alias type",
    "alias quality",
    "regime",
    "listed on",
    "uk sanctions list date designated",
    "last updated",
    "group id",
}


def norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).lower()


def is_header(cells: list[str]) -> bool:
    keys = {norm(c) for c in cells}
    return keys >= REQUIRED


def looks_like_conlist(rows: list[list[str]]) -> bool:
    """The first rows of a ConList: ``Last Updated`` then the header (or the header first)."""
    return any(is_header(cells) for cells in rows[:3])


@dataclass
class _Group:
    first_row: str
    kind_text: str
    names: list[tuple[str, str, list[str]]] = field(default_factory=list)
    props: list[tuple[str, str | None]] = field(default_factory=list)


def parse_rows(
    path: str, fmt: str, rows: Iterable[tuple[str, list[str]]], *, exact_width: bool
) -> ParsedList:
    """Read all rows (``(position, cells)``) into targets. Errors name ``path`` and the row.

    ``exact_width``: every row must have as many cells as the header (CSV, where a short row
    means a cut-off file); otherwise short rows are padded (XLSX drops trailing empty cells).
    """
    it = iter(rows)
    published: str | None = None
    header: list[str] | None = None
    header_pos = "start of file"
    for position, cells in it:
        if not any(c.strip() for c in cells):
            continue
        if is_header(cells):
            header, header_pos = [norm(c) for c in cells], position
            break
        if norm(cells[0]) == "last updated" and published is None:
            dates = [v.any_date(c) for c in cells[1:] if c.strip()]
            published = dates[0] if dates else None
            continue
        raise SanctionsFormatError(
            path, position, "not an OFSI Consolidated List: no 'Last Updated' line and header"
        )
    if header is None:
        raise SanctionsFormatError(path, header_pos, "no OFSI Consolidated List header row")
    col = {name: i for i, name in enumerate(header) if name}
    warnings = [f"{header_pos}: column {name!r} is not read" for name in col if name not in KNOWN]
    groups: dict[str, _Group] = {}
    width = len(header)
    for position, cells in it:
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[width:]) or (exact_width and len(cells) < width):
            raise SanctionsFormatError(
                path,
                position,
                f"{len(cells)} cells but the header has {width} columns "
                "(a truncated or damaged file?)",
            )
        _fold(path, position, col, cells + [""] * (width - len(cells)), groups)
    header_out = ListHeader(
        format=fmt,
        authority=_uk.OFSI_AUTHORITY,
        list_name=_uk.OFSI_LIST,
        published=v.to_date(published),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(header=header_out, targets=_targets(path, groups), warnings=warnings)


def _fold(
    path: str, position: str, col: dict[str, int], cells: list[str], groups: dict[str, _Group]
) -> None:
    def cell(name: str) -> str:
        i = col.get(name)
        return " ".join(cells[i].split()) if i is not None else ""

    gid = cell("group id")
    if not gid:
        raise SanctionsFormatError(path, position, "the row has no Group ID")
    group = groups.get(gid)
    if group is None:
        group = groups[gid] = _Group(first_row=position, kind_text=cell("group type"))
    parts = [cell(n) for n in NAME_COLUMNS]  # Name 1..5 given names, Name 6 the surname
    whole = _uk.whole_name(parts)
    prop = _uk.name_property(cell("alias type"), cell("alias quality"))
    if whole:
        group.names.append((prop, whole, parts))
    add = group.props.append
    non_latin = cell("name non-latin script")
    if non_latin:
        add(("name" if prop == "name" else prop, non_latin))
    add(("title", cell("title")))
    dob = cell("dob")
    if dob:
        parsed = v.dmy(dob) or v.iso(dob)
        add(("birthDate", parsed) if parsed else ("notes", f"Date of birth as published: {dob}"))
    add(("birthPlace", v.join(cell("town of birth"), cell("country of birth"))))
    add(("nationality", v.country(name=cell("nationality")) if cell("nationality") else None))
    # 2016: "Passport Details" and "NI Number" are free text and the only place of the
    # numbers; 2022+: the numbers have their own columns and the details are remarks
    if "passport number" in col:
        add(("passportNumber", cell("passport number")))
        add(("notes", cell("passport details")))
    else:
        add(("passportNumber", cell("passport details")))
    add(("idNumber", cell("national identification number") or cell("ni number")))
    add(("notes", cell("national identification details")))
    add(("position", cell("position")))
    address = v.join(*(cell(f"address {i}") for i in range(1, 7)), cell("post/zip code"))
    country_name = cell("country")
    add(("address", v.join(address, country_name) if address else None))
    add(("country", v.country(name=country_name) if country_name else None))
    add(("notes", cell("other information")))
    add(("program", cell("regime")))
    add(("listingDate", v.dmy(cell("listed on")) or v.iso(cell("listed on"))))
    designated = cell("uk sanctions list date designated")
    add(("listingDate", (v.dmy(designated) or v.iso(designated)) if designated else None))


def _targets(path: str, groups: dict[str, _Group]) -> Iterator[Target]:
    for gid, group in groups.items():
        kind = _uk.kind(group.kind_text)
        if kind is None:
            raise SanctionsFormatError(
                path, group.first_row, f"Group {gid}: Group Type {group.kind_text!r} unknown"
            )
        caption = _uk.pick_caption(
            [w for p, w, _ in group.names if p == "name"], [w for _, w, _ in group.names]
        )
        if not caption:
            raise SanctionsFormatError(path, group.first_row, f"Group {gid} has no name")
        t = Target(id=gid, kind=kind, caption=caption)
        for prop, whole, parts in group.names:
            t.add(prop, whole)
            _uk.add_name_parts(t, parts)
        for prop, value in group.props:
            t.add(prop, value)
        yield t
