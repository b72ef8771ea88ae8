"""UK Sanctions List (FCDO) XML: root ``Designations`` (no namespace), one target per
``Designation``, keyed by ``UniqueID`` (``AFG0011``). Streamed with lxml iterparse, safely."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _uk
from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.formats._xmlread import (
    Element,
    XmlStream,
    child,
    child_text,
    children,
    descendants,
    sniff_root,
    text,
)
from prisonwatch.sanctions.model import ListHeader, ParsedList, SanctionsFormatError, Target

FORMAT = "uk-fcdo-xml"
PARSER_VERSION = "1"


def sniff(path: Path, head: bytes) -> bool:
    return sniff_root(head) == "Designations"


def parse(path: Path) -> ParsedList:
    stream = XmlStream(path)
    if stream.root_name != "Designations":
        raise SanctionsFormatError(
            str(path), "line 1", f"root element is {stream.root_name!r}, not 'Designations'"
        )
    published = v.iso(stream.root_attrib.get("dateGenerated", ""))
    if not published:
        prelude = stream.prelude("Designation", {"DateGenerated"})
        published = v.dmy(prelude.get("DateGenerated", ""))
    header = ListHeader(
        format=FORMAT,
        authority=_uk.FCDO_AUTHORITY,
        list_name=_uk.FCDO_LIST,
        published=v.to_date(published),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(header=header, targets=_targets(stream))


def _targets(stream: XmlStream) -> Iterator[Target]:
    for el in stream.records("Designation"):
        yield designation_target(stream.path, el)


def _texts(el: Element, name: str) -> list[str]:
    return [t for t in (text(c) for c in descendants(el, name)) if t]


def designation_target(path: Path, el: Element) -> Target:
    position = f"line {el.sourceline}"
    uid = child_text(el, "UniqueID")
    if not uid:
        raise SanctionsFormatError(str(path), position, "Designation without a UniqueID")
    kind_text = child_text(el, "IndividualEntityShip")
    kind = _uk.kind(kind_text)
    if kind is None:
        raise SanctionsFormatError(
            str(path), position, f"Designation {uid}: IndividualEntityShip {kind_text!r} unknown"
        )
    names: list[tuple[str, str, list[str]]] = []  # (property, whole name, parts)
    names_el = child(el, "Names")
    for n in children(names_el, "Name") if names_el is not None else []:
        parts = [child_text(n, f"Name{i}") for i in range(1, 7)]
        whole = _uk.whole_name(parts)
        if whole:
            prop = _uk.name_property(child_text(n, "NameType"), child_text(n, "AliasStrength"))
            names.append((prop, whole, parts))
    caption = _uk.pick_caption([w for p, w, _ in names if p == "name"], [w for _, w, _ in names])
    if not caption:
        raise SanctionsFormatError(str(path), position, f"Designation {uid} has no name")
    t = Target(id=uid, kind=kind, caption=caption)
    for prop, whole, parts in names:
        t.add(prop, whole)
        _uk.add_name_parts(t, parts)
    # the primary name in other scripts (Arabic, Cyrillic, ...)
    for non_latin in _texts(el, "NameNonLatinScript"):
        t.add("name", non_latin)
    for title in _texts(el, "Title"):
        t.add("title", title)
    t.add("program", child_text(el, "RegimeName"))
    t.add("listingDate", v.dmy(child_text(el, "DateDesignated")))
    t.add("authorityId", child_text(el, "OFSIGroupID"))
    t.add("unscId", child_text(el, "UNReferenceNumber"))
    for measure in child_text(el, "SanctionsImposed").split("|"):
        t.add("provisions", measure)
    t.add("notes", child_text(el, "OtherInformation"))
    t.add("notes", child_text(el, "UKStatementofReasons"))
    for addr in descendants(el, "Address"):
        lines = [child_text(addr, f"AddressLine{i}") for i in range(1, 7)]
        postal = child_text(addr, "AddressPostalCode")
        country_name = child_text(addr, "AddressCountry")
        t.add("address", v.join(*lines, postal, country_name))
        t.add("country", v.country(name=country_name))
    for dob in _texts(el, "DOB"):
        parsed = v.dmy(dob)
        if parsed:
            t.add("birthDate", parsed)
        else:
            t.add("notes", f"Date of birth as published: {dob}")
    for nat in _texts(el, "Nationality"):
        t.add("nationality", v.country(name=nat))
    for pos in _texts(el, "Position"):
        t.add("position", pos)
    for g in _texts(el, "Gender"):
        t.add("gender", v.gender(g))
    for loc in descendants(el, "Location"):
        t.add(
            "birthPlace", v.join(child_text(loc, "TownOfBirth"), child_text(loc, "CountryOfBirth"))
        )
    for passport in descendants(el, "Passport"):
        t.add("passportNumber", child_text(passport, "PassportNumber"))
        t.add("notes", child_text(passport, "PassportAdditionalInformation"))
    for ident in descendants(el, "NationalIdentifier"):
        number = child_text(ident, "NationalIdentifierNumber")
        t.add("idNumber", number)
        info = child_text(ident, "NationalIdentifierAdditionalInformation")
        if number and info:
            t.add("notes", f"{info} {number}")
    for reg in _texts(el, "BusinessRegistrationNumber"):
        t.add("registrationNumber", reg)
    for imo in _texts(el, "IMONumber"):
        digits = "".join(ch for ch in imo if ch.isdigit())
        t.add("imoNumber", f"IMO{digits}" if len(digits) == 7 else imo)
    for flag in _texts(el, "CurrentBelievedFlagOfShip"):
        t.add("country", v.country(name=flag))
    return t
