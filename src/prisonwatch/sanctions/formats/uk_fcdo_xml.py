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


def _one(el: Element, name: str) -> list[str]:
    value = child_text(el, name)
    return [value] if value else []


def designation_target(path: Path, el: Element) -> Target:
    position = f"line {el.sourceline}"
    uid = child_text(el, "UniqueID")
    if not uid:
        raise SanctionsFormatError(str(path), position, "Designation without a UniqueID")
    d = _uk.Designation(uid=uid, position=position)
    d.kind_text = child_text(el, "IndividualEntityShip")
    names_el = child(el, "Names")
    for n in children(names_el, "Name") if names_el is not None else []:
        parts = [child_text(n, f"Name{i}") for i in range(1, 7)]
        prop = _uk.name_property(child_text(n, "NameType"), child_text(n, "AliasStrength"))
        d.names.append((prop, parts))
    d.non_latin = _texts(el, "NameNonLatinScript")
    d.titles = _texts(el, "Title")
    d.regimes = _one(el, "RegimeName")
    d.designated = _one(el, "DateDesignated")
    d.ofsi_group = _one(el, "OFSIGroupID")
    d.un_reference = _one(el, "UNReferenceNumber")
    d.sanctions_imposed = _one(el, "SanctionsImposed")
    d.other_information = _one(el, "OtherInformation") + _one(el, "UKStatementofReasons")
    for addr in descendants(el, "Address"):
        lines = [child_text(addr, f"AddressLine{i}") for i in range(1, 7)]
        d.addresses.append(
            (lines, child_text(addr, "AddressPostalCode"), child_text(addr, "AddressCountry"))
        )
    d.dobs = _texts(el, "DOB")
    d.nationalities = _texts(el, "Nationality")
    d.positions = _texts(el, "Position")
    d.genders = _texts(el, "Gender")
    for loc in descendants(el, "Location"):
        d.birth_places.append((child_text(loc, "TownOfBirth"), child_text(loc, "CountryOfBirth")))
    for p in descendants(el, "Passport"):
        d.passports.append(
            (child_text(p, "PassportNumber"), child_text(p, "PassportAdditionalInformation"))
        )
    for n in descendants(el, "NationalIdentifier"):
        d.national_ids.append(
            (
                child_text(n, "NationalIdentifierNumber"),
                child_text(n, "NationalIdentifierAdditionalInformation"),
            )
        )
    d.registrations = _texts(el, "BusinessRegistrationNumber")
    d.imo_numbers = _texts(el, "IMONumber")
    d.flags = _texts(el, "CurrentBelievedFlagOfShip")
    try:
        return d.target()
    except ValueError as exc:
        raise SanctionsFormatError(str(path), position, f"Designation {uid}: {exc}") from exc
