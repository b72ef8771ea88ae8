"""OFAC advanced XML (``Sanctions``, sdn_advanced.xsd): ``sdn_advanced.xml`` and
``cons_advanced.xml``, any namespace (elements matched by local name).

Every ``…ID`` attribute points into ``ReferenceValueSets``, which are loaded first; no ID is
hard-coded, only the publisher's labels (``Individual``, ``Birthdate``, ``Program``, …).

Bounded memory, two streaming passes (lxml iterparse, each element cleared once read):

1. the whole file is read once for everything that is *not* a party: ``DateOfIssue``,
   ``ReferenceValueSets``, ``Locations`` (kept as a compact address text and country code per
   location), ``IDRegDocuments`` (type and number per identity), ``SanctionsEntries``
   (programmes and listing date per list, per profile); ``DistinctParty`` elements are
   cleared unread. This pass also proves the file complete and well-formed before any target
   is returned, wherever these sections sit in the file (OFAC puts SanctionsEntries after the
   parties).
2. ``DistinctParty`` elements are streamed one at a time and resolved against pass 1's
   tables.

Memory is thus the size of those tables (a few tuples per location, document and sanctions
entry), never the document tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
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

FORMAT = "ofac-advanced-xml"

_SECTIONS = (
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
    "SanctionsEntryLink",
)
_SDN_LIST = "SDN List"
_GENERIC_LIST = "Consolidated List"

_LOC_ORDER = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE")
_PERSON_PART_ORDER = ("First Name", "Middle Name", "Patronymic", "Matronymic", "Nickname")


def sniff(path: Path, head: bytes) -> bool:
    if _ofac.root_local_name(head) != "Sanctions":
        return False
    return b"DateOfIssue" in head or b"ReferenceValueSets" in head or b"DistinctPart" in head


@dataclass
class _Entry:
    list_name: str
    listed: str | None
    programmes: tuple[str, ...]


@dataclass
class _Tables:
    """What pass 1 keeps."""

    published: date | None = None
    #: value-set element name (e.g. ``AliasType``) -> ID -> (text, attributes)
    refs: dict[str, dict[str, tuple[str, dict[str, str]]]] = field(default_factory=dict)
    #: LocationID -> (address text, country code or None)
    locations: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: IdentityID -> [(document type, number)]
    documents: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: ProfileID -> sanctions entries
    entries: dict[str, list[_Entry]] = field(default_factory=dict)
    parties: int = 0
    seen_refs: bool = False

    def ref(self, kind: str, ident: str | None) -> str | None:
        if ident is None:
            return None
        value = self.refs.get(kind, {}).get(ident)
        return value[0] if value else None

    def ref_attr(self, kind: str, ident: str | None, attr: str) -> str | None:
        if ident is None:
            return None
        value = self.refs.get(kind, {}).get(ident)
        return value[1].get(attr) if value else None


def _ymd(elem: etree._Element | None) -> tuple[int, int, int] | None:
    if elem is None:
        return None
    try:
        return (
            int(child_text(elem, "Year") or ""),
            int(child_text(elem, "Month") or "1"),
            int(child_text(elem, "Day") or "1"),
        )
    except ValueError:
        return None


def _err(path: Path, elem: etree._Element, message: str) -> SanctionsFormatError:
    return SanctionsFormatError(str(path), f"line {elem.sourceline}", message)


def _load_refs(tables: _Tables, elem: etree._Element) -> None:
    for value_set in elem:
        for value in value_set:
            ident = value.get("ID")
            if ident is None:
                continue
            attrs = {k: v for k, v in value.attrib.items() if k != "ID"}
            tables.refs.setdefault(local(value.tag), {})[ident] = (text_of(value) or "", attrs)
    tables.seen_refs = True


def _load_location(tables: _Tables, elem: etree._Element) -> None:
    parts: dict[str, list[str]] = {}
    for part in children(elem, "LocationPart"):
        ptype = tables.ref("LocPartType", part.get("LocPartTypeID")) or ""
        for pv in children(part, "LocationPartValue"):
            value = child_text(pv, "Value")
            if value:
                parts.setdefault(ptype, []).append(value)
    country_name: str | None = None
    code: str | None = None
    lc = child(elem, "LocationCountry")
    if lc is not None:
        country_id = lc.get("CountryID")
        country_name = tables.ref("Country", country_id)
        iso = tables.ref_attr("Country", country_id, "ISO2")
        code = iso.lower() if iso else _ofac.country_code(country_name)
    if code is None:
        area = child(elem, "LocationAreaCode")
        if area is not None:
            area_id = area.get("AreaCodeID")
            text = tables.ref("AreaCode", area_id)
            code = text.lower() if text and len(text) == 2 else None
    if country_name is None and "REGION" in parts:
        # no country, only a region (Gaza, West Bank, Crimea): OFAC's legacy files write it
        # as the country ``Region: Gaza``, and so do we
        country_name = "Region: " + ", ".join(parts.pop("REGION"))
        code = code or _ofac.country_code(country_name)
    ordered = [v for key in _LOC_ORDER for v in parts.get(key, [])]
    others = [v for key, vals in parts.items() if key not in _LOC_ORDER for v in vals]
    text = _ofac.address_text([*ordered, *others, country_name])
    tables.locations[elem.get("ID") or ""] = (text, code)


def _load_document(tables: _Tables, elem: etree._Element) -> None:
    doc_type = tables.ref("IDRegDocType", elem.get("IDRegDocTypeID")) or ""
    number = child_text(elem, "IDRegistrationNo")
    identity = elem.get("IdentityID")
    if number and identity:
        tables.documents.setdefault(identity, []).append((doc_type, number))


def _load_entry(tables: _Tables, elem: etree._Element) -> None:
    profile = elem.get("ProfileID")
    if not profile:
        return
    list_name = tables.ref("List", elem.get("ListID")) or ""
    listed: str | None = None
    for event in children(elem, "EntryEvent"):
        ymd = _ymd(child(event, "Date"))
        if ymd:
            listed = _ofac.period_dates(ymd, ymd)[0]
    programmes = []
    for measure in children(elem, "SanctionsMeasure"):
        if tables.ref("SanctionsType", measure.get("SanctionsTypeID")) == "Program":
            prog = child_text(measure, "Comment")
            if prog:
                programmes.append(prog)
    tables.entries.setdefault(profile, []).append(_Entry(list_name, listed, tuple(programmes)))


def _scan(path: Path) -> _Tables:
    """Pass 1 (see the module doc)."""
    tables = _Tables()
    seen: set[str] = set()
    for elem in _ofac.iter_records(path, _SECTIONS):
        name = local(elem.tag)
        if name == "DistinctParty":
            ref = elem.get("FixedRef")
            if not ref or child(elem, "Profile") is None:
                raise _err(path, elem, "DistinctParty without FixedRef or Profile")
            if ref in seen:
                raise _err(path, elem, f"DistinctParty FixedRef {ref} appears twice")
            seen.add(ref)
            tables.parties += 1
            continue
        if name == "ReferenceValueSets":
            _load_refs(tables, elem)
            continue
        if name == "DateOfIssue":
            ymd = _ymd(elem)
            if ymd is None:
                raise _err(path, elem, "DateOfIssue has no Year")
            try:
                tables.published = date(*ymd)
            except ValueError as exc:
                raise _err(path, elem, f"DateOfIssue {ymd} is not a date") from exc
            continue
        if not tables.seen_refs and name != "ProfileRelationship":
            raise _err(path, elem, f"{name} before ReferenceValueSets")
        if name == "Location":
            _load_location(tables, elem)
        elif name == "IDRegDocument":
            _load_document(tables, elem)
        elif name == "SanctionsEntry":
            _load_entry(tables, elem)
    return tables


def _list_name(tables: _Tables) -> str:
    lists = {e.list_name for entries in tables.entries.values() for e in entries}
    if lists and lists != {_SDN_LIST}:
        return _ofac.LIST_CONSOLIDATED
    return _ofac.LIST_SDN


class _PartyReader:
    """Pass 2: one DistinctParty as a Target."""

    def __init__(self, path: Path, tables: _Tables, warnings: list[str]) -> None:
        self.path = path
        self.t = tables
        self.list_name = _list_name(tables)
        self.warnings = warnings

    def warn(self, elem: etree._Element, message: str) -> None:
        """A reference that does not resolve: read on, and say where."""
        self.warnings.append(f"{self.path}: line {elem.sourceline}: {message}")

    def kind(self, profile: etree._Element) -> TargetKind:
        sub = profile.get("PartySubTypeID")
        sub_name = self.t.ref("PartySubType", sub)
        if sub_name is None:
            raise _err(self.path, profile, f"PartySubTypeID {sub!r} not in ReferenceValueSets")
        kind = _ofac.kind_of(sub_name)
        if kind in (TargetKind.VESSEL, TargetKind.AIRCRAFT):
            return kind
        party_type = self.t.ref("PartyType", self.t.ref_attr("PartySubType", sub, "PartyTypeID"))
        return _ofac.kind_of(party_type) or TargetKind.ORGANISATION

    def name(self, docname: etree._Element, groups: dict[str, str], person: bool) -> str:
        parts: list[tuple[str, str]] = []
        for dnp in children(docname, "DocumentedNamePart"):
            for npv in children(dnp, "NamePartValue"):
                value = text_of(npv)
                if value:
                    group = npv.get("NamePartGroupID") or ""
                    if group not in groups:
                        self.warn(npv, f"NamePartGroupID {group!r} not in the identity's groups")
                    parts.append((groups.get(group, ""), value))
        if not person:
            return " ".join(v for _t, v in parts)
        last = " ".join(v for t, v in parts if t == "Last Name")
        ordered = [v for key in _PERSON_PART_ORDER for t, v in parts if t == key]
        rest = [v for t, v in parts if t != "Last Name" and t not in _PERSON_PART_ORDER]
        return _ofac.person_name(last, " ".join([*ordered, *rest]))

    def identity(self, target: Target, ident: etree._Element, person: bool) -> str | None:
        """Names and documents of one Identity; returns the primary name if it has one."""
        groups: dict[str, str] = {}
        for npgs in children(ident, "NamePartGroups"):
            for master in children(npgs, "MasterNamePartGroup"):
                for group in children(master, "NamePartGroup"):
                    part_type = self.t.ref("NamePartType", group.get("NamePartTypeID"))
                    groups[group.get("ID") or ""] = part_type or ""
        primary: str | None = None
        for alias in children(ident, "Alias"):
            alias_type = self.t.ref("AliasType", alias.get("AliasTypeID")) or ""
            is_primary = alias.get("Primary") == "true"
            weak = alias.get("LowQuality") == "true"
            for docname in children(alias, "DocumentedName"):
                name = self.name(docname, groups, person)
                if not name:
                    continue
                if is_primary:
                    # one name per script; the caption is the Latin one
                    target.add("name", name)
                    status = self.t.ref("DocNameStatus", docname.get("DocNameStatusID"))
                    if primary is None or status == "Primary Latin":
                        primary = name
                elif weak:
                    target.add("weakAlias", name)
                elif alias_type == "F.K.A.":
                    target.add("previousName", name)
                else:
                    target.add("alias", name)
        for doc_type, number in self.t.documents.get(ident.get("ID") or "", ()):
            _ofac.add_fact(target, _ofac.id_fact(doc_type, number))
        return primary

    def feature(self, target: Target, feature: etree._Element) -> None:
        ftype = self.t.ref("FeatureType", feature.get("FeatureTypeID")) or ""
        if not ftype:
            self.warn(
                feature, f"FeatureTypeID {feature.get('FeatureTypeID')!r} not in the value sets"
            )
        for version in children(feature, "FeatureVersion"):
            period = child(version, "DatePeriod")
            if period is not None and ftype == "Birthdate":
                start_el, end_el = child(period, "Start"), child(period, "End")
                start = _ymd(child(start_el, "From")) if start_el is not None else None
                end = _ymd(child(end_el, "To")) if end_el is not None else None
                if start and end:
                    for day in _ofac.period_dates(start, end):
                        target.add("birthDate", day)
            texts: list[str] = []
            for detail in children(version, "VersionDetail"):
                ref = self.t.ref("DetailReference", detail.get("DetailReferenceID"))
                value = ref or text_of(detail)
                if value:
                    texts.append(value)
            locations = []
            for loc in children(version, "VersionLocation"):
                loc_id = loc.get("LocationID") or ""
                if loc_id not in self.t.locations:
                    self.warn(loc, f"LocationID {loc_id!r} not in Locations")
                    continue
                locations.append(self.t.locations[loc_id])
            self.feature_values(target, ftype, texts, locations)

    def feature_values(
        self,
        target: Target,
        ftype: str,
        texts: list[str],
        locations: list[tuple[str, str | None]],
    ) -> None:
        if ftype == "Location":
            for text, code in locations:
                target.add("address", text)
                target.add("country", code)
        elif ftype == "Place of Birth":
            for value in texts + [text for text, _c in locations]:
                target.add("birthPlace", value)
        elif ftype in ("Citizenship Country", "Nationality Country"):
            prop = "citizenship" if ftype.startswith("Citizenship") else "nationality"
            for value in texts:
                target.add(prop, _ofac.country_code(value))
            for text, code in locations:
                target.add(prop, code or _ofac.country_code(text))
        elif ftype == "Gender":
            for value in texts:
                target.add("gender", _ofac.gender_value(value))
        elif ftype == "Title":
            for value in texts:
                target.add("title", value)
        else:
            for value in texts:
                _ofac.add_fact(target, _ofac.id_fact(ftype, value))

    def sanctions(self, target: Target, profile_id: str) -> None:
        entries = self.t.entries.get(profile_id, [])
        for entry in entries:
            for prog in entry.programmes:
                target.add("program", prog)
        if self.list_name == _ofac.LIST_SDN:
            own = [e for e in entries if e.list_name == _SDN_LIST]
        else:
            own = [e for e in entries if e.list_name not in (_SDN_LIST, _GENERIC_LIST)]
        for entry in own or entries:
            target.add("listingDate", entry.listed)

    def party(self, elem: etree._Element) -> Target:
        ref = elem.get("FixedRef")
        profile = child(elem, "Profile")
        if not ref or profile is None:
            raise _err(self.path, elem, "DistinctParty without FixedRef or Profile")
        kind = self.kind(profile)
        person = kind is TargetKind.PERSON
        target = Target(id=ref, kind=kind, caption="")
        caption: str | None = None
        for ident in children(profile, "Identity"):
            primary = self.identity(target, ident, person)
            if primary and (caption is None or ident.get("Primary") == "true"):
                caption = primary
        if caption is None:
            raise _err(self.path, elem, f"DistinctParty {ref} has no primary name")
        target.caption = caption
        if person:
            _ofac.add_person_parts(target, caption)
        for feature in children(profile, "Feature"):
            self.feature(target, feature)
        self.sanctions(target, profile.get("ID") or ref)
        target.add("notes", child_text(elem, "Comment"))
        return target


def _targets(path: Path, tables: _Tables, warnings: list[str]) -> Iterator[Target]:
    reader = _PartyReader(path, tables, warnings)
    for elem in _ofac.iter_records(path, _SECTIONS):
        if local(elem.tag) == "DistinctParty":
            yield reader.party(elem)


def parse(path: Path) -> ParsedList:
    if path.is_dir():
        raise SanctionsFormatError(str(path), "folder", "an OFAC advanced XML file is expected")
    tables = _scan(path)
    if not tables.seen_refs:
        raise SanctionsFormatError(str(path), "end of file", "no ReferenceValueSets")
    if tables.parties == 0:
        raise SanctionsFormatError(str(path), "end of file", "no DistinctParty in the file")
    header = ListHeader(
        format=FORMAT,
        authority=_ofac.AUTHORITY,
        list_name=_list_name(tables),
        published=tables.published,
        parser_version=_ofac.PARSER_VERSION,
    )
    warnings: list[str] = []  # filled while the targets are read
    return ParsedList(header=header, targets=_targets(path, tables, warnings), warnings=warnings)
