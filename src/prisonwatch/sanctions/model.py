"""What every sanctions-list importer produces: targets with their properties as
FollowTheMoney property names, and a list version's header. No I/O here.

A target's facts are *statements*: ``(property, value)`` pairs, normalised so that a re-encoded
or reordered copy of a file yields the same set. Two versions of a list then differ by a set
difference of ``(target id, property, value)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class TargetKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


#: The properties a target may carry, named as in FollowTheMoney where FtM has one.
#: ``name`` is the primary name (one per script at most), ``alias`` strong aliases,
#: ``weakAlias`` low-quality ones, ``previousName`` f.k.a.; ``program`` the programme or regime
#: as the publisher writes it; ``listingDate`` ISO dates (partial allowed: YYYY, YYYY-MM);
#: ``birthDate`` likewise; ``nationality`` / ``citizenship`` / ``country`` ISO-3166 alpha-2
#: lower case where it can be resolved, else the publisher's text; ``notes`` remarks.
PROPERTIES = (
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "firstName",
    "middleName",
    "fatherName",
    "lastName",
    "title",
    "position",
    "gender",
    "birthDate",
    "birthPlace",
    "nationality",
    "citizenship",
    "country",
    "address",
    "idNumber",
    "passportNumber",
    "imoNumber",
    "mmsi",
    "callSign",
    "flag",
    "registrationNumber",
    "program",
    "listingDate",
    "notes",
    "sourceUrl",
    # properties of FtM's Sanction, folded into the target they are about:
    "authority",  # who lists it (FtM datasets name many authorities)
    "authorityId",  # a publisher's further reference: EU euReferenceNumber, FCDO OFSIGroupID
    "unscId",  # the UN Security Council reference (QDi.276) a listing implements
    "provisions",  # the measures imposed (FCDO "Asset freeze", "Travel Ban")
)


@dataclass
class Target:
    """One listed party as a publisher lists it."""

    id: str  # the publisher's reference: ent_num, uid, FixedRef, logicalId, UniqueID, FtM id
    kind: TargetKind
    caption: str  # the display name as the publisher writes the primary name
    props: dict[str, set[str]] = field(default_factory=dict)

    def add(self, prop: str, value: str | None) -> None:
        """Add one value (stripped; empty and None ignored). ``prop`` must be in PROPERTIES."""
        if prop not in PROPERTIES:
            raise ValueError(f"unknown sanctions property {prop!r}")
        if value is None:
            return
        value = " ".join(value.split())
        if value:
            self.props.setdefault(prop, set()).add(value)

    def get(self, prop: str) -> list[str]:
        return sorted(self.props.get(prop, ()))

    @property
    def names(self) -> list[str]:
        """Every name of the target in every script: primary, aliases, previous, weak."""
        out: list[str] = []
        for prop in ("name", "alias", "previousName", "weakAlias"):
            out.extend(self.get(prop))
        return out

    def statements(self) -> Iterator[tuple[str, str]]:
        """``(property, value)`` pairs, the unit a version difference is made of; the kind and
        caption are statements too (``$kind``, ``$caption``)."""
        yield ("$kind", self.kind.value)
        yield ("$caption", self.caption)
        for prop in sorted(self.props):
            for value in sorted(self.props[prop]):
                yield (prop, value)


@dataclass
class ListHeader:
    """What a file says about itself."""

    format: str  # e.g. "ofac-sdn-csv", "ofac-legacy-xml", "ofac-advanced-xml", "eu-fsf-xml",
    #              "eu-fsf-csv", "uk-fcdo-xml", "uk-fcdo-csv", "uk-ofsi-csv", "uk-ofsi-xlsx",
    #              "ftm-json", "opensanctions-simple-csv"
    authority: str  # "US OFAC", "EU", "UK FCDO", "UK OFSI", "OpenSanctions"
    list_name: str  # the list family: "SDN", "Consolidated (non-SDN)", "EU FSF", dataset name
    published: date | None  # publication date read from the file, None if it has none
    parser_version: str  # bump when a parser's output for the same file changes


@dataclass
class ParsedList:
    """A parsed file: its header, and its targets as an iterator (streamed for big files).

    ``targets`` yields each target once; addresses, sanctions and other non-target records of
    a format are folded into the targets' properties, never yielded as targets.
    """

    header: ListHeader
    targets: Iterator[Target]
    warnings: list[str] = field(default_factory=list)  # e.g. orphan rows skipped, with position


class SanctionsFormatError(Exception):
    """A file that is truncated, corrupt or of no known format: names the file and position."""

    def __init__(self, path: str, position: str, message: str) -> None:
        super().__init__(f"{path}: {position}: {message}")
        self.path = path
        self.position = position
        self.message = message
