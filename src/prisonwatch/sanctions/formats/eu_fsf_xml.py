"""EU Financial Sanctions Files, XML 1.1 (root ``export``, namespace
``http://eu.europa.ec/fpi/fsd/export``): one target per ``sanctionEntity``, keyed by its
``logicalId``. Streamed with lxml iterparse, safely (see ``_xmlread``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.formats._eu import AUTHORITY, LIST_NAME, EuEntity
from prisonwatch.sanctions.formats._xmlread import Element, XmlStream, local, sniff_root, text
from prisonwatch.sanctions.model import ListHeader, ParsedList, SanctionsFormatError, Target

FORMAT = "eu-fsf-xml"
PARSER_VERSION = "1"
NAMESPACE = b"http://eu.europa.ec/fpi/fsd/export"

# child element -> EuEntity list
_SUBRECORDS = {
    "nameAlias": "names",
    "citizenship": "citizenships",
    "birthdate": "birthdates",
    "identification": "identifications",
    "address": "addresses",
    "regulation": "regulations",
}


def sniff(path: Path, head: bytes) -> bool:
    return sniff_root(head) == "export" and (NAMESPACE in head or b"sanctionEntity" in head)


def parse(path: Path) -> ParsedList:
    stream = XmlStream(path)
    if stream.root_name != "export":
        raise SanctionsFormatError(
            str(path), "line 1", f"root element is {stream.root_name!r}, not the EU 'export'"
        )
    generated = stream.root_attrib.get("generationDate", "")
    header = ListHeader(
        format=FORMAT,
        authority=AUTHORITY,
        list_name=LIST_NAME,
        published=v.to_date(v.iso(generated)),
        parser_version=PARSER_VERSION,
    )
    return ParsedList(header=header, targets=_targets(stream))


def _targets(stream: XmlStream) -> Iterator[Target]:
    for el in stream.records("sanctionEntity"):
        yield entity_target(stream.path, el)


def _attrs(el: Element) -> dict[str, str]:
    return {str(k): str(val) for k, val in el.attrib.items()}


def _remark(el: Element) -> str:
    return " ".join(text(c) for c in el if local(c.tag) == "remark" and text(c))


def entity_target(path: Path, el: Element) -> Target:
    position = f"line {el.sourceline}"
    logical_id = el.get("logicalId", "").strip()
    if not logical_id:
        raise SanctionsFormatError(str(path), position, "sanctionEntity without a logicalId")
    ent = EuEntity(logical_id=logical_id, position=position, attrs=_attrs(el))
    for c in el:
        name = local(c.tag)
        if name == "remark":
            ent.remarks.append(text(c))
        elif name == "subjectType":
            ent.subject_type = c.get("code", "")
        elif name in _SUBRECORDS:
            record = _attrs(c)
            record["remark"] = _remark(c)
            if name == "regulation":
                url = next((text(u) for u in c if local(u.tag) == "publicationUrl"), "")
                record["publicationUrl"] = url
            ent.add(_SUBRECORDS[name], record)
    try:
        return ent.target()
    except ValueError as exc:
        raise SanctionsFormatError(
            str(path), position, f"sanctionEntity {logical_id}: {exc}"
        ) from exc
