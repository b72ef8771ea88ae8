"""EU Financial Sanctions Files, CSV (``;``-separated, with a header): the XML flattened, many
rows per ``Entity_LogicalId``, each carrying the entity's columns and one name alias, address,
birth date, identification or citizenship.

No real file of this format was available to us: the layout below (118 columns in six groups:
Entity_* 0-15, NameAlias_* 16-33, Address_* 34-53, BirthDate_* 54-77, Identification_*
78-104, Citizenship_* 105-117) is the published one as documented by third parties (see
docs/sanctions.md, EU/UK formats), not checked against an EU file. Columns are therefore found
by name, and a column this reader does not know is reported as a warning.

Rows are streamed with the csv module and folded per entity (the same builder as the XML, so
both give the same targets); the targets are handed out after the last row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.formats._eu import AUTHORITY, LIST_NAME, EuEntity
from prisonwatch.sanctions.model import ListHeader, ParsedList, SanctionsFormatError, Target

FORMAT = "eu-fsf-csv"
PARSER_VERSION = "1"

_REG = [
    "Regulation_Type",
    "Regulation_OrganisationType",
    "Regulation_PublicationDate",
    "Regulation_EntryIntoForceDate",
    "Regulation_NumberTitle",
    "Regulation_Programme",
    "Regulation_PublicationUrl",
]
_GROUPS: dict[str, list[str]] = {
    "NameAlias": [
        "LastName", "FirstName", "MiddleName", "WholeName", "NameLanguage", "Gender", "Title",
        "Function", "LogicalId", "RegulationLanguage", "Remark", *_REG,
    ],
    "Address": [
        "City", "Street", "PoBox", "ZipCode", "Region", "Place", "AsAtListingTime",
        "ContactInfo", "CountryIso2Code", "CountryDescription", "LogicalId",
        "RegulationLanguage", "Remark", *_REG,
    ],
    "BirthDate": [
        "BirthDate", "Day", "Month", "Year", "YearRangeFrom", "YearRangeTo", "Circa",
        "CalendarType", "ZipCode", "Region", "Place", "City", "CountryIso2Code",
        "CountryDescription", "LogicalId", "RegulationLanguage", "Remark", *_REG,
    ],
    "Identification": [
        "Number", "Diplomatic", "KnownExpired", "KnownFalse", "ReportedLost",
        "RevokedByIssuer", "ValidFrom", "ValidTo", "LatinNumber", "NameOnDocument", "IssuedBy",
        "IssuedDate", "TypeCode", "TypeDescription", "Region", "CountryIso2Code",
        "CountryDescription", "LogicalId", "RegulationLanguage", "Remark", *_REG,
    ],
    "Citizenship": [
        "Region", "CountryIso2Code", "CountryDescription", "LogicalId", "RegulationLanguage",
        "Remark", *_REG,
    ],
}  # fmt: skip
ENTITY_COLUMNS = [
    "fileGenerationDate",
    "Entity_LogicalId",
    "Entity_EU_ReferenceNumber",
    "Entity_UnitedNationId",
    "Entity_DesignationDate",
    "Entity_DesignationDetails",
    "Entity_Remark",
    "Entity_SubjectType",
    "Entity_SubjectType_ClassificationCode",
    *(f"Entity_{r}" for r in _REG),
]
#: The documented column layout (118 columns), in order.
COLUMNS = ENTITY_COLUMNS + [f"{g}_{f}" for g, fields in _GROUPS.items() for f in fields]

#: group -> EuEntity list
_LISTS = {
    "NameAlias": "names",
    "Address": "addresses",
    "BirthDate": "birthdates",
    "Identification": "identifications",
    "Citizenship": "citizenships",
}
#: CSV field -> XML attribute, where it is not the field in lower camel case
_ATTR = {
    ("BirthDate", "BirthDate"): "birthdate",
    ("BirthDate", "Day"): "dayOfMonth",
    ("BirthDate", "Month"): "monthOfYear",
    ("Identification", "TypeCode"): "identificationTypeCode",
    ("Identification", "TypeDescription"): "identificationTypeDescription",
}
_REG_ATTR = {
    "Regulation_Type": "regulationType",
    "Regulation_OrganisationType": "organisationType",
    "Regulation_PublicationDate": "publicationDate",
    "Regulation_EntryIntoForceDate": "entryIntoForceDate",
    "Regulation_NumberTitle": "numberTitle",
    "Regulation_Programme": "programme",
    "Regulation_PublicationUrl": "publicationUrl",
}
_CLASSIFICATION = {"P": "person", "E": "enterprise"}


def _key(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def sniff(path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].replace(b'"', b"")
    return _key(first.split(b";", 1)[0].decode("ascii", "replace")) == "filegenerationdate" and (
        b"Entity_LogicalId" in first or b"entity_logicalid" in first.lower()
    )


def _columns(header: list[str]) -> tuple[dict[str, int], list[tuple[str, str, int]], list[str]]:
    """Entity columns by name, ``(group, attribute, index)`` of sub-record columns, and the
    names of columns that are not read."""
    known_entity = {_key(c): c for c in ENTITY_COLUMNS}
    known_sub = {_key(f"{g}_{f}"): (g, f) for g, fields in _GROUPS.items() for f in fields}
    known_sub[_key("NameAlias_Strong")] = ("NameAlias", "Strong")  # as in the XML, if present
    entity: dict[str, int] = {}
    sub: list[tuple[str, str, int]] = []
    unknown: list[str] = []
    for i, name in enumerate(header):
        k = _key(name)
        if k in known_entity:
            entity[known_entity[k]] = i
        elif k in known_sub:
            group, fld = known_sub[k]
            if fld.startswith("Regulation"):
                continue  # the act behind each sub-record: not a target fact
            attr = _ATTR.get((group, fld)) or fld[0].lower() + fld[1:]
            sub.append((group, attr, i))
        elif name.strip():
            unknown.append(name)
    return entity, sub, unknown


def _rows(path: Path) -> Iterator[tuple[str, list[str]]]:
    record = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=";", strict=True)
            for record, cells in enumerate(reader, start=1):
                yield f"row {record} (line {reader.line_num})", cells
    except UnicodeDecodeError as exc:
        raise SanctionsFormatError(str(path), f"row {record + 1}", "not UTF-8 text") from exc
    except csv.Error as exc:
        raise SanctionsFormatError(
            str(path), f"row {record + 1}", f"not valid CSV (truncated?): {exc}"
        ) from exc


def parse(path: Path) -> ParsedList:
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        raise SanctionsFormatError(str(path), "row 1", "the file is empty")
    header_pos, header = first
    entity_cols, sub_cols, unknown = _columns(header)
    if "Entity_LogicalId" not in entity_cols:
        raise SanctionsFormatError(str(path), header_pos, "no Entity_LogicalId column")
    warnings = [f"{header_pos}: column {name!r} is not read" for name in unknown]
    entities: dict[str, EuEntity] = {}
    generated = ""
    for position, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise SanctionsFormatError(
                str(path),
                position,
                f"{len(cells)} cells but the header has {len(header)} columns "
                "(a truncated or damaged file?)",
            )

        def cell(name: str, cells: list[str] = cells) -> str:
            i = entity_cols.get(name)
            return cells[i].strip() if i is not None else ""

        lid = cell("Entity_LogicalId")
        if not lid:
            raise SanctionsFormatError(str(path), position, "the row has no Entity_LogicalId")
        generated = generated or cell("fileGenerationDate")
        ent = entities.get(lid)
        if ent is None:
            ent = entities[lid] = EuEntity(logical_id=lid, position=position)
        for name, attr in (
            ("Entity_EU_ReferenceNumber", "euReferenceNumber"),
            ("Entity_UnitedNationId", "unitedNationId"),
            ("Entity_DesignationDate", "designationDate"),
            ("Entity_DesignationDetails", "designationDetails"),
        ):
            if cell(name):
                ent.attrs[attr] = cell(name)
        if cell("Entity_Remark") and cell("Entity_Remark") not in ent.remarks:
            ent.remarks.append(cell("Entity_Remark"))
        subject = cell("Entity_SubjectType") or _CLASSIFICATION.get(
            cell("Entity_SubjectType_ClassificationCode").upper(), ""
        )
        ent.subject_type = ent.subject_type or subject
        ent.add(
            "regulations",
            {attr: cell(f"Entity_{col}") for col, attr in _REG_ATTR.items()},
        )
        records: dict[str, dict[str, str]] = {}
        for group, attr, i in sub_cols:
            records.setdefault(group, {})[attr] = cells[i].strip()
        for group, record in records.items():
            ent.add(_LISTS[group], record)
    header_out = ListHeader(
        format=FORMAT,
        authority=AUTHORITY,
        list_name=LIST_NAME,
        published=v.to_date(v.any_date(generated)),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(header=header_out, targets=_targets(str(path), entities), warnings=warnings)


def _targets(path: str, entities: dict[str, EuEntity]) -> Iterator[Target]:
    for ent in entities.values():
        try:
            yield ent.target()
        except ValueError as exc:
            raise SanctionsFormatError(
                path, ent.position, f"Entity_LogicalId {ent.logical_id}: {exc}"
            ) from exc
