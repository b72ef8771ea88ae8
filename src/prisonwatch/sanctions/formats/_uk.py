"""What the UK formats share: names in six parts (``Name 1``..``Name 5`` given names,
``Name 6`` surname or the whole name of an entity or ship), name types and alias strengths,
kinds, and day-first dates with unknown parts."""

from __future__ import annotations

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
