"""OFAC legacy XML (``sdnList``): the SDN list (``sdn.xml``) and the Consolidated (non-SDN)
list (``consolidated.xml``), in the old (``http://tempuri.org/sdnList.xsd``) and current
namespaces; elements are matched by local name.

Two streaming passes with lxml iterparse, each holding one ``sdnEntry`` at a time: the first
checks the whole file (a truncated or corrupt file fails before any target is returned),
reads ``publshInformation/Publish_Date`` and the programmes (which tell the SDN list from the
Consolidated one); the second yields the targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from prisonwatch.sanctions.formats import _ofac
from prisonwatch.sanctions.formats._ofac import child, child_text, children, local, text_of
from prisonwatch.sanctions.model import (
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
    TargetKind,
)

FORMAT = "ofac-legacy-xml"

_TAGS = ("publshInformation", "sdnEntry")


def sniff(path: Path, head: bytes) -> bool:
    return _ofac.root_local_name(head) == "sdnList"


def _published(elem: etree._Element, path: Path) -> date | None:
    text = child_text(elem, "Publish_Date")
    if not text:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError as exc:
        raise SanctionsFormatError(
            str(path), f"line {elem.sourceline}", f"Publish_Date {text!r} is not MM/DD/YYYY"
        ) from exc


def _scan(path: Path) -> tuple[date | None, set[str], int]:
    """Pass 1: the publication date, every programme, the number of entries."""
    published: date | None = None
    programmes: set[str] = set()
    count = 0
    seen: set[str] = set()
    for elem in _ofac.iter_records(path, _TAGS):
        if local(elem.tag) == "publshInformation":
            published = _published(elem, path)
        else:
            count += 1
            uid = _check_entry(elem, path)
            if uid in seen:
                raise SanctionsFormatError(
                    str(path), f"line {elem.sourceline}", f"sdnEntry uid {uid} appears twice"
                )
            seen.add(uid)
            for plist in children(elem, "programList"):
                programmes.update(t for p in children(plist, "program") if (t := text_of(p)))
    return published, programmes, count


def _check_entry(elem: etree._Element, path: Path) -> str:
    uid = child_text(elem, "uid")
    if not uid or not uid.isdigit():
        raise SanctionsFormatError(str(path), f"line {elem.sourceline}", "sdnEntry without uid")
    if not child_text(elem, "lastName"):
        raise SanctionsFormatError(
            str(path), f"line {elem.sourceline}", f"sdnEntry {uid} without lastName"
        )
    if _ofac.kind_of(child_text(elem, "sdnType")) is None:
        raise SanctionsFormatError(
            str(path),
            f"line {elem.sourceline}",
            f"sdnEntry {uid}: unknown sdnType {child_text(elem, 'sdnType')!r}",
        )
    return uid


def _items(elem: etree._Element, list_name: str, item_name: str) -> list[etree._Element]:
    out: list[etree._Element] = []
    for lst in children(elem, list_name):
        out.extend(children(lst, item_name))
    return out


def entry_target(elem: etree._Element) -> Target:
    """One ``sdnEntry`` as a Target."""
    uid = child_text(elem, "uid") or ""
    kind = _ofac.kind_of(child_text(elem, "sdnType")) or TargetKind.ORGANISATION
    last, first = child_text(elem, "lastName"), child_text(elem, "firstName")
    caption = _ofac.person_name(last, first)
    target = Target(id=uid, kind=kind, caption=caption)
    target.add("name", caption)
    if kind is TargetKind.PERSON:
        target.add("lastName", last)
        target.add("firstName", first)
        target.add("title", child_text(elem, "title"))
    for prog in _items(elem, "programList", "program"):
        target.add("program", text_of(prog))
    target.add("notes", child_text(elem, "remarks"))

    for aka in _items(elem, "akaList", "aka"):
        name = _ofac.person_name(child_text(aka, "lastName"), child_text(aka, "firstName"))
        weak = (child_text(aka, "category") or "").lower() == "weak"
        fka = (child_text(aka, "type") or "").lower() == "f.k.a."
        target.add("weakAlias" if weak else "previousName" if fka else "alias", name)

    for addr in _items(elem, "addressList", "address"):
        country = child_text(addr, "country")
        parts = [child_text(addr, n) for n in ("address1", "address2", "address3", "city")]
        parts += [child_text(addr, "stateOrProvince"), child_text(addr, "postalCode"), country]
        target.add("address", _ofac.address_text(parts))
        if country:
            target.add("country", _ofac.country_code(country))

    for item in _items(elem, "dateOfBirthList", "dateOfBirthItem"):
        for value in _ofac.text_dates(child_text(item, "dateOfBirth") or ""):
            target.add("birthDate", value)
    for item in _items(elem, "placeOfBirthList", "placeOfBirthItem"):
        target.add("birthPlace", child_text(item, "placeOfBirth"))
    for item in _items(elem, "nationalityList", "nationality"):
        target.add("nationality", _ofac.country_code(child_text(item, "country")))
    for item in _items(elem, "citizenshipList", "citizenship"):
        target.add("citizenship", _ofac.country_code(child_text(item, "country")))

    for item in _items(elem, "idList", "id"):
        label, number = child_text(item, "idType") or "", child_text(item, "idNumber") or ""
        if label == "Gender":
            target.add("gender", _ofac.gender_value(number))
        else:
            _ofac.add_fact(target, _ofac.id_fact(label, number))

    vessel = child(elem, "vesselInfo")
    if vessel is not None:
        target.add("callSign", child_text(vessel, "callSign"))
        flag = child_text(vessel, "vesselFlag")
        if flag:
            target.add("flag", _ofac.country_code(flag))
    return target


def _targets(path: Path) -> Iterator[Target]:
    for elem in _ofac.iter_records(path, _TAGS):
        if local(elem.tag) == "sdnEntry":
            yield entry_target(elem)


def parse(path: Path) -> ParsedList:
    if path.is_dir():
        raise SanctionsFormatError(str(path), "folder", "an OFAC legacy XML file is expected")
    published, programmes, count = _scan(path)
    if count == 0:
        raise SanctionsFormatError(str(path), "end of file", "no sdnEntry in the file")
    header = ListHeader(
        format=FORMAT,
        authority=_ofac.AUTHORITY,
        list_name=_ofac.list_name_from_programmes(programmes),
        published=published,
        parser_version=_ofac.PARSER_VERSION,
    )
    return ParsedList(header=header, targets=_targets(path))
