"""What the UK formats share: names in six parts (``Name 1``..``Name 5`` given names,
``Name 6`` surname or the whole name of an entity or ship), name types and alias strengths,
kinds, and day-first dates with unknown parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.model import Target, TargetKind

FCDO_AUTHORITY = "UK FCDO"
FCDO_LIST = "UK Sanctions List"
OFSI_AUTHORITY = "UK OFSI"
OFSI_LIST = "Consolidated List"

_KINDS = {
    "individual": TargetKind.PERSON,
    "entity": TargetKind.ORGANISATION,
    "ship": TargetKind.VESSEL,
    "vessel": TargetKind.VESSEL,
    "aircraft": TargetKind.AIRCRAFT,
}


def kind(value: str) -> TargetKind | None:
    return _KINDS.get(value.strip().lower())


def whole_name(parts: list[str]) -> str:
    """``Name 1`` … ``Name 6`` (given names first, then the surname) as one name."""
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def name_property(name_type: str, quality: str) -> str:
    """The target property of a name from its type (``Primary Name``, ``Prime Alias``,
    ``Primary name variation``, ``Alias``, ``AKA``, ``FKA``) and alias strength/quality
    (``Good quality a.k.a``, ``Low quality a.k.a``, ``Good``, ``Low``)."""
    t = " ".join(name_type.lower().split())
    q = quality.strip().lower()
    if t in ("primary name", "prime alias"):
        return "name"
    if t in ("fka", "f.k.a.", "formerly known as", "previous name"):
        return "previousName"
    if q.startswith("low"):
        return "weakAlias"
    return "alias"


def add_name_parts(t: Target, parts: list[str]) -> None:
    """First, middle and last names of a person from ``Name 1`` … ``Name 6``."""
    if t.kind is not TargetKind.PERSON:
        return
    given = [p for p in parts[:5] if p and p.strip()]
    if given:
        t.add("firstName", given[0])
        if len(given) > 1:
            t.add("middleName", " ".join(given[1:]))
    if len(parts) > 5:
        t.add("lastName", parts[5])


def pick_caption(primary: list[str], others: list[str]) -> str:
    """The display name: a primary name, else any; chosen independently of row order."""
    pool = sorted(set(primary)) or sorted(set(others))
    return pool[0] if pool else ""


@dataclass
class Designation:
    """One UK Sanctions List designation as the XML and the CSV both give it (the CSV spreads
    it over rows of the same Unique ID; each list collects values in file order)."""

    uid: str
    position: str
    kind_text: str = ""
    names: list[tuple[str, list[str]]] = field(default_factory=list)  # (property, parts)
    non_latin: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    designated: list[str] = field(default_factory=list)
    ofsi_group: list[str] = field(default_factory=list)
    un_reference: list[str] = field(default_factory=list)
    sanctions_imposed: list[str] = field(default_factory=list)
    other_information: list[str] = field(default_factory=list)
    addresses: list[tuple[list[str], str, str]] = field(default_factory=list)
    dobs: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    birth_places: list[tuple[str, str]] = field(default_factory=list)  # (town, country)
    passports: list[tuple[str, str]] = field(default_factory=list)  # (number, information)
    national_ids: list[tuple[str, str]] = field(default_factory=list)
    registrations: list[str] = field(default_factory=list)
    imo_numbers: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def target(self) -> Target:
        """Raises ValueError naming what is wrong."""
        kind_ = kind(self.kind_text)
        if kind_ is None:
            raise ValueError(f"kind {self.kind_text!r} is not Individual, Entity or Ship")
        wholes = [(prop, whole_name(parts), parts) for prop, parts in self.names]
        wholes = [w for w in wholes if w[1]]
        caption = pick_caption([w for p, w, _ in wholes if p == "name"], [w for _, w, _ in wholes])
        if not caption:
            raise ValueError("no name")
        t = Target(id=self.uid, kind=kind_, caption=caption)
        for prop, whole, parts in wholes:
            t.add(prop, whole)
            add_name_parts(t, parts)
        for name in self.non_latin:  # the primary name in other scripts
            t.add("name", name)
        for title in self.titles:
            t.add("title", title)
        for regime in self.regimes:
            t.add("program", regime)
        for d in self.designated:
            t.add("listingDate", v.dmy(d) or v.iso(d))
        for g in self.ofsi_group:
            t.add("authorityId", g)
        for ref in self.un_reference:
            t.add("unscId", ref)
        for imposed in self.sanctions_imposed:
            for measure in imposed.split("|"):
                t.add("provisions", measure)
        for info in self.other_information:
            t.add("notes", info)
        for lines, postal, country_name in self.addresses:
            t.add("address", v.join(*lines, postal, country_name))
            if country_name:
                t.add("country", v.country(name=country_name))
        for dob in self.dobs:
            parsed = v.dmy(dob)
            if parsed:
                t.add("birthDate", parsed)
            else:
                t.add("notes", f"Date of birth as published: {dob}")
        for nat in self.nationalities:
            t.add("nationality", v.country(name=nat))
        for pos in self.positions:
            t.add("position", pos)
        for g in self.genders:
            t.add("gender", v.gender(g))
        for town, country_name in self.birth_places:
            t.add("birthPlace", v.join(town, country_name))
        for number, info in self.passports:
            t.add("passportNumber", number)
            t.add("notes", info)
        for number, info in self.national_ids:
            t.add("idNumber", number)
            if number.strip() and info.strip():
                t.add("notes", f"{info} {number}")
        for reg in self.registrations:
            t.add("registrationNumber", reg)
        for imo in self.imo_numbers:
            digits = "".join(ch for ch in imo if ch.isdigit())
            t.add("imoNumber", f"IMO{digits}" if len(digits) == 7 else imo)
        for flag in self.flags:
            t.add("country", v.country(name=flag))
        return t
