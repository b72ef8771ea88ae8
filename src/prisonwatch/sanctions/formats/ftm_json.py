"""OpenSanctions / FollowTheMoney entities, one JSON object per line (``entities.ftm.json``).

Targets are the entities with ``"target": true`` of schema Person, Organization, Company,
LegalEntity, Vessel or Airplane, keyed by their FtM ``id``. Their Sanction entities
(``entity``), Address entities (``addressEntity``) and Passport / Identification entities
(``holder``) are other lines, before or after them: they are folded into the target's
properties (programme, listing date, authority; address; document numbers). References may
use a merged entity's id or any of its ``referents``.

Two streamed passes, so a file of any size is read in bounded memory (only the folded facts
of auxiliary records are kept): the first reads every line, keeps those facts, the line
numbers of targets and the header; the second parses only the target lines again. Properties
are read through followthemoney's model (``model.get_proxy``): properties the schema does not
have are dropped. Values are taken as the exporter cleaned them (``cleaned=True``: an FtM
export is already typed; cleaning every value again took three quarters of the time).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.model import (
    PROPERTIES,
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
    TargetKind,
)

FORMAT = "ftm-json"
PARSER_VERSION = "1"
AUTHORITY = "OpenSanctions"
FALLBACK_LIST = "FtM entities"

TARGET_KINDS = {
    "Person": TargetKind.PERSON,
    "Organization": TargetKind.ORGANISATION,
    "Company": TargetKind.ORGANISATION,
    "LegalEntity": TargetKind.ORGANISATION,
    "Vessel": TargetKind.VESSEL,
    "Airplane": TargetKind.AIRCRAFT,
}

#: FtM property of the target (or of a folded record) -> our property
_TARGET_PROPS = {p: p for p in PROPERTIES} | {"programId": "program"}
_SANCTION_PROPS = {
    "program": "program",
    "programId": "program",
    "listingDate": "listingDate",
    "startDate": "listingDate",
    "authority": "authority",
    "authorityId": "authorityId",
    "unscId": "unscId",
    "provisions": "provisions",
}


def sniff(path: Path, head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{") or b'"schema"' not in first or b'"id"' not in first:
        return False
    if len(first) < len(head.strip()) or head.rstrip().endswith(b"}"):
        try:
            data = json.loads(first)
        except ValueError:
            return False
        return isinstance(data, dict) and "schema" in data and "id" in data
    return True  # a first line longer than the head: the keys were there


@dataclass
class _FirstPass:
    target_lines: list[int] = field(default_factory=list)
    folded: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # ref -> facts
    addresses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> facts
    datasets: set[str] | None = None
    last_seen: str = ""
    skipped: dict[str, int] = field(default_factory=dict)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    lineno = 0
    try:
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw)
                except ValueError as exc:
                    raise SanctionsFormatError(
                        str(path), f"line {lineno}", f"not a JSON object (truncated?): {exc}"
                    ) from exc
                if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
                    raise SanctionsFormatError(
                        str(path), f"line {lineno}", "not an FtM entity (no id or schema)"
                    )
                yield lineno, data
    except OSError as exc:
        raise SanctionsFormatError(str(path), f"line {lineno + 1}", str(exc)) from exc


def _proxy(path: Path, lineno: int, data: dict[str, Any]) -> Any:
    try:
        return model.get_proxy(data, cleaned=True)
    except Exception as exc:  # followthemoney raises InvalidData and friends
        raise SanctionsFormatError(
            str(path), f"line {lineno}", f"entity {data.get('id')}: {exc}"
        ) from exc


def _values(proxy: Any, prop: str) -> list[str]:
    if proxy.schema.get(prop) is None:
        return []
    return [str(x) for x in proxy.get(prop, quiet=True)]


def _first_pass(path: Path) -> _FirstPass:
    fp = _FirstPass()
    for lineno, data in _lines(path):
        schema = str(data["schema"])
        fp.last_seen = max(fp.last_seen, str(data.get("last_seen") or ""))
        if model.get(schema) is None:
            fp.skipped[schema] = fp.skipped.get(schema, 0) + 1
            continue
        if data.get("target") is True:
            if schema in TARGET_KINDS:
                fp.target_lines.append(lineno)
                ds = {str(d) for d in data.get("datasets") or ()}
                fp.datasets = ds if fp.datasets is None else fp.datasets & ds
            else:
                fp.skipped[schema] = fp.skipped.get(schema, 0) + 1
            continue
        proxy = _proxy(path, lineno, data)
        if proxy.schema.is_a("Sanction"):
            facts = [
                (ours, val) for ftm, ours in _SANCTION_PROPS.items() for val in _values(proxy, ftm)
            ]
            for end in _values(proxy, "endDate"):
                facts.append(("notes", f"Sanction {proxy.caption} ended {end}"))
            for ref in _values(proxy, "entity"):
                fp.folded.setdefault(ref, []).extend(facts)
        elif proxy.schema.is_a("Address"):
            full = _values(proxy, "full") or [
                v.join(
                    *(
                        ", ".join(_values(proxy, p))
                        for p in ("street", "postOfficeBox", "city", "postalCode", "region")
                    )
                )
            ]
            facts = [("address", a) for a in full if a]
            facts += [("country", c) for c in _values(proxy, "country")]
            for key in [proxy.id, *(str(r) for r in data.get("referents") or ())]:
                fp.addresses[key] = facts
        elif proxy.schema.is_a("Identification"):  # Passport is an Identification
            prop = "passportNumber" if proxy.schema.is_a("Passport") else "idNumber"
            numbers = _values(proxy, "number") + _values(proxy, "passportNumber")
            for ref in _values(proxy, "holder"):
                fp.folded.setdefault(ref, []).extend((prop, n) for n in numbers)
    return fp


def parse(path: Path) -> ParsedList:
    fp = _first_pass(path)
    datasets = sorted(fp.datasets or ())
    header = ListHeader(
        format=FORMAT,
        authority=AUTHORITY,
        list_name=", ".join(datasets) if datasets else FALLBACK_LIST,
        published=v.to_date(v.iso(fp.last_seen)),
        parser_version=PARSER_VERSION,
    )
    warnings = [
        f"{n} entities of schema {s} are not read (not a target kind)"
        for s, n in sorted(fp.skipped.items())
    ]
    return ParsedList(header=header, targets=_targets(path, fp), warnings=warnings)


def _targets(path: Path, fp: _FirstPass) -> Iterator[Target]:
    wanted = iter(fp.target_lines)
    next_line = next(wanted, None)
    if next_line is None:
        return
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if lineno != next_line:
                continue
            data = json.loads(raw)
            yield _target(path, lineno, data, fp)
            next_line = next(wanted, None)
            if next_line is None:
                return
    raise SanctionsFormatError(str(path), f"line {next_line}", "the file changed while read")


def _target(path: Path, lineno: int, data: dict[str, Any], fp: _FirstPass) -> Target:
    proxy = _proxy(path, lineno, data)
    caption = " ".join(str(data.get("caption") or proxy.caption or "").split())
    t = Target(id=str(proxy.id), kind=TARGET_KINDS[proxy.schema.name], caption=caption)
    for ftm, ours in _TARGET_PROPS.items():
        for value in _values(proxy, ftm):
            t.add(ours, value)
    refs = [t.id, *(str(r) for r in data.get("referents") or ())]
    for ref in refs:
        for prop, value in fp.folded.get(ref, ()):
            t.add(prop, value)
    for addr in _values(proxy, "addressEntity"):
        for prop, value in fp.addresses.get(addr, ()):
            t.add(prop, value)
    if not t.caption:
        t.caption = (t.get("name") or [t.id])[0]
    return t
