"""UK Sanctions List (FCDO) CSV: a report-date line, then a 58-column header (``Last Updated,
Unique ID, OFSI Group ID, UN Reference Number, Name 6, Name 1``…``Name 5, Name type, Alias
strength``…), then one row per name; the rows of one designation share its ``Unique ID`` and
are folded into one target, the same way as the XML's ``Designation``.

No real file of this format was available to us: ``COLUMNS`` is the published layout as
documented by third parties (see docs/sanctions.md, EU/UK formats), not checked against an FCDO
file. Columns are found by name (case, spaces and punctuation ignored); a column neither read
nor known is reported as a warning. Streamed with the csv module (UTF-8, or Windows-1252 if
the file is not UTF-8)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _uk
from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.formats.uk_ofsi_csv import csv_rows, encoding_of
from prisonwatch.sanctions.model import ListHeader, ParsedList, SanctionsFormatError, Target

FORMAT = "uk-fcdo-csv"
PARSER_VERSION = "1"

#: The documented column layout (58 columns), in order.
COLUMNS = [
    "Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number", "Name 6", "Name 1",
    "Name 2", "Name 3", "Name 4", "Name 5", "Name type", "Alias strength", "Title",
    "Name non-latin script", "Non-latin script type", "Non-latin script language",
    "Regime Name", "Designation Type", "Designation source", "Sanctions Imposed",
    "Other Information", "UK Statement of Reasons", "Address Line 1", "Address Line 2",
    "Address Line 3", "Address Line 4", "Address Line 5", "Address Line 6",
    "Address Postal Code", "Address Country", "Phone number", "Website", "Email address",
    "Date Designated", "D.O.B", "Nationality(/ies)", "National Identifier number",
    "National Identifier additional information", "Passport number",
    "Passport additional information", "Position", "Gender", "Town of birth",
    "Country of birth", "Type of entity", "Subsidiaries", "Parent company",
    "Business registration number (s)", "IMO number", "Current owner/operator (s)",
    "Previous owner/operator (s)", "Current believed flag of ship", "Previous flags",
    "Type of ship", "Tonnage of ship", "Length of ship", "Year Built",
    "Hull identification number (HIN)",
]  # fmt: skip

#: kept by the XML reader neither: known, not read, not warned about
_NOT_READ = {
    "lastupdated", "designationsource", "phonenumber", "website", "emailaddress",
    "nonlatinscripttype", "nonlatinscriptlanguage", "typeofentity", "subsidiaries",
    "parentcompany", "currentowneroperators", "previousowneroperators", "previousflags",
    "typeofship", "tonnageofship", "lengthofship", "yearbuilt", "hullidentificationnumberhin",
}  # fmt: skip
_KIND_COLUMNS = ("designationtype", "individualentityship", "entitytype", "grouptype")


def _key(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def _is_header(cells: list[str]) -> bool:
    keys = {_key(c) for c in cells}
    return {"uniqueid", "name6", "nametype"} <= keys


def sniff(path: Path, head: bytes) -> bool:
    if head.startswith(b"PK\x03\x04"):
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:3]
    try:
        rows = list(csv.reader(lines))
    except csv.Error:
        return False
    return any(_is_header(r) for r in rows)


def parse(path: Path) -> ParsedList:
    rows = csv_rows(path, encoding_of(path))
    published: str | None = None
    header: list[str] | None = None
    header_pos = "row 1"
    for position, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if _is_header(cells):
            header, header_pos = cells, position
            break
        if published is None and _key(cells[0]).startswith("reportdate"):
            text = ",".join(cells).split(":", 1)[-1]
            published = v.any_date(text.strip()) or next(
                (d for d in (v.any_date(c) for c in cells[1:]) if d), None
            )
            continue
        raise SanctionsFormatError(str(path), position, "not a UK Sanctions List CSV header")
    if header is None:
        raise SanctionsFormatError(str(path), header_pos, "no UK Sanctions List CSV header")
    col = {_key(c): i for i, c in enumerate(header) if c.strip()}
    read = {
        "uniqueid", "ofsigroupid", "unreferencenumber", *(f"name{i}" for i in range(1, 7)),
        "nametype", "aliasstrength", "title", "namenonlatinscript", "regimename", "regime",
        "sanctionsimposed", "otherinformation", "ukstatementofreasons",
        *(f"addressline{i}" for i in range(1, 7)), "addresspostalcode", "addresscountry",
        "datedesignated", "dob", "nationalityies", "nationality", "nationalidentifiernumber",
        "nationalidentifieradditionalinformation", "passportnumber",
        "passportadditionalinformation", "position", "gender", "townofbirth", "countryofbirth",
        "businessregistrationnumbers", "imonumber", "currentbelievedflagofship", *_KIND_COLUMNS,
    }  # fmt: skip
    warnings = [
        f"{header_pos}: column {c!r} is not read"
        for c in header
        if c.strip() and _key(c) not in read and _key(c) not in _NOT_READ
    ]
    designations: dict[str, _uk.Designation] = {}
    width = len(header)
    for position, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise SanctionsFormatError(
                str(path),
                position,
                f"{len(cells)} cells but the header has {width} columns "
                "(a truncated or damaged file?)",
            )
        _fold(str(path), position, col, cells, designations)
    header_out = ListHeader(
        format=FORMAT,
        authority=_uk.FCDO_AUTHORITY,
        list_name=_uk.FCDO_LIST,
        published=v.to_date(published),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(
        header=header_out, targets=_targets(str(path), designations), warnings=warnings
    )


def _fold(
    path: str,
    position: str,
    col: dict[str, int],
    cells: list[str],
    designations: dict[str, _uk.Designation],
) -> None:
    def cell(*keys: str) -> str:
        for k in keys:
            i = col.get(k)
            if i is not None and cells[i].strip():
                return " ".join(cells[i].split())
        return ""

    def put(values: list[str], *keys: str) -> None:
        value = cell(*keys)
        if value and value not in values:
            values.append(value)

    uid = cell("uniqueid")
    if not uid:
        raise SanctionsFormatError(path, position, "the row has no Unique ID")
    d = designations.get(uid)
    if d is None:
        d = designations[uid] = _uk.Designation(uid=uid, position=position)
    d.kind_text = d.kind_text or cell(*_KIND_COLUMNS)
    parts = [cell(f"name{i}") for i in range(1, 7)]
    if any(parts):
        d.names.append((_uk.name_property(cell("nametype"), cell("aliasstrength")), parts))
    put(d.non_latin, "namenonlatinscript")
    put(d.titles, "title")
    put(d.regimes, "regimename", "regime")
    put(d.designated, "datedesignated")
    put(d.ofsi_group, "ofsigroupid")
    put(d.un_reference, "unreferencenumber")
    put(d.sanctions_imposed, "sanctionsimposed")
    put(d.other_information, "otherinformation")
    put(d.other_information, "ukstatementofreasons")
    lines = [cell(f"addressline{i}") for i in range(1, 7)]
    postal, country = cell("addresspostalcode"), cell("addresscountry")
    if any(lines) or postal or country:
        d.addresses.append((lines, postal, country))
    put(d.dobs, "dob")
    put(d.nationalities, "nationalityies", "nationality")
    put(d.positions, "position")
    put(d.genders, "gender")
    town, born_in = cell("townofbirth"), cell("countryofbirth")
    if town or born_in:
        d.birth_places.append((town, born_in))
    number, info = cell("passportnumber"), cell("passportadditionalinformation")
    if number or info:
        d.passports.append((number, info))
    number, info = cell("nationalidentifiernumber"), cell("nationalidentifieradditionalinformation")
    if number or info:
        d.national_ids.append((number, info))
    put(d.registrations, "businessregistrationnumbers")
    put(d.imo_numbers, "imonumber")
    put(d.flags, "currentbelievedflagofship")


def _targets(path: str, designations: dict[str, _uk.Designation]) -> Iterator[Target]:
    for d in designations.values():
        try:
            yield d.target()
        except ValueError as exc:
            raise SanctionsFormatError(path, d.position, f"Unique ID {d.uid}: {exc}") from exc
