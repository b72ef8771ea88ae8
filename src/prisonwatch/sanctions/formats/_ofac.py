"""What the three OFAC formats share: OFAC's date texts and date periods, the labels of
identity documents and other facts, countries, kinds, programmes and person names, and a safe
streaming XML reader. Keeping these in one place is what makes the CSV, legacy XML and
advanced XML importers give the same statements for the same party.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from followthemoney.types import registry
from lxml import etree

from prisonwatch.sanctions.model import SanctionsFormatError, Target, TargetKind

PARSER_VERSION = "1"
AUTHORITY = "US OFAC"
LIST_SDN = "SDN"
LIST_CONSOLIDATED = "Consolidated (non-SDN)"

#: Programme tags that only OFAC's Consolidated (non-SDN) list carries: Palestinian
#: Legislative Council, 561 list, Foreign Sanctions Evaders, Iran Sanctions Act, Menu-Based
#: Sanctions, CAPTA. A file holding one of them is the Consolidated list.
_NON_SDN_PROGRAMMES = re.compile(r"^(NS-PLC|561-RELATED|NS-ISA|NS-MBS|CAPTA|FSE-.*)$", re.I)


def list_name_from_programmes(programmes: set[str]) -> str:
    """``Consolidated (non-SDN)`` if any programme is one of the non-SDN lists', else ``SDN``."""
    if any(_NON_SDN_PROGRAMMES.match(p) for p in programmes):
        return LIST_CONSOLIDATED
    return LIST_SDN


def split_programmes(field: str) -> list[str]:
    """The CSV Program field ``SDGT] [IFSR`` (outer brackets cut) as a list."""
    return [p.strip(" []") for p in field.split("] [") if p.strip(" []")]


# --- kinds -------------------------------------------------------------------------------

_KINDS = {
    "individual": TargetKind.PERSON,
    "entity": TargetKind.ORGANISATION,
    "vessel": TargetKind.VESSEL,
    "aircraft": TargetKind.AIRCRAFT,
}


def kind_of(label: str | None) -> TargetKind | None:
    """``individual`` / ``Individual`` / ``Entity`` / ``vessel`` …; None or empty = entity."""
    if not label:
        return TargetKind.ORGANISATION
    return _KINDS.get(label.strip().lower())


# --- names -------------------------------------------------------------------------------


def person_name(last: str | None, first: str | None) -> str:
    """OFAC's ``LAST, First Middle`` (just ``LAST`` when there is no first name)."""
    last = " ".join((last or "").split())
    first = " ".join((first or "").split())
    if last and first:
        return f"{last}, {first}"
    return last or first


def add_person_parts(target: Target, name: str) -> None:
    """``LAST, First Middle`` → lastName ``LAST``, firstName ``First Middle``."""
    last, sep, first = name.partition(", ")
    if sep:
        target.add("lastName", last)
        target.add("firstName", first)
    else:
        target.add("lastName", name)


# --- dates -------------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
YMD = tuple[int, int, int]


def _iso(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _reduce(ymd: YMD, *, start: bool) -> str:
    """A period bound as precisely as it is meant: 1 Jan (start) / 31 Dec (end) → year."""
    y, m, d = ymd
    if (start and (m, d) == (1, 1)) or (not start and (m, d) == (12, 31)):
        return f"{y:04d}"
    if (start and d == 1) or (not start and d == _last_day(y, m)):
        return f"{y:04d}-{m:02d}"
    return _iso(y, m, d)


def period_dates(start: YMD, end: YMD) -> list[str]:
    """ISO dates (partial where meant) of an OFAC date period: an exact day, a whole month
    or year, or a span given by its two bounds (``1944 to 1946`` → 1944, 1946)."""
    if start == end:
        return [_iso(*start)]
    (y1, m1, d1), (y2, m2, d2) = start, end
    if y1 == y2 and (m1, d1) == (1, 1) and (m2, d2) == (12, 31):
        return [f"{y1:04d}"]
    if (y1, m1) == (y2, m2) and d1 == 1 and d2 == _last_day(y2, m2):
        return [f"{y1:04d}-{m1:02d}"]
    return [_reduce(start, start=True), _reduce(end, start=False)]


def _text_bounds(text: str) -> tuple[YMD, YMD] | None:
    """``28 Jul 1963`` / ``Jul 1963`` / ``1963`` as its first and last day."""
    parts = text.split()
    try:
        if len(parts) == 3:
            y, m, d = int(parts[2]), _MONTHS[parts[1][:3].lower()], int(parts[0])
            _iso(y, m, d)
            if not 1 <= d <= _last_day(y, m):
                return None
            return (y, m, d), (y, m, d)
        if len(parts) == 2:
            y, m = int(parts[1]), _MONTHS[parts[0][:3].lower()]
            return (y, m, 1), (y, m, _last_day(y, m))
        if len(parts) == 1 and len(parts[0]) == 4:
            y = int(parts[0])
            return (y, 1, 1), (y, 12, 31)
    except (KeyError, ValueError):
        return None
    return None


def text_dates(text: str) -> list[str]:
    """An OFAC date text (CSV remarks ``DOB …``, legacy XML ``dateOfBirth``) as ISO dates:
    ``28 Jul 1963``, ``1962``, ``circa 1976``, ``1944 to 1946``,
    ``01 Jan 1948 to 31 Dec 1948``, ``Jul 1963``. Unreadable text is kept as it is."""
    clean = " ".join(text.split())
    body = re.sub(r"^(circa|approximately|c\.)\s+", "", clean, flags=re.I)
    first, sep, second = body.partition(" to ")
    a = _text_bounds(first)
    if a is None:
        return [clean] if clean else []
    if not sep:
        return period_dates(a[0], a[1])
    b = _text_bounds(re.sub(r"^(circa)\s+", "", second, flags=re.I))
    if b is None:
        return [clean]
    return period_dates(a[0], b[1])


# --- countries ---------------------------------------------------------------------------


def country_code(text: str | None) -> str | None:
    """ISO-3166 alpha-2, lower case, of a country name or code; the text itself if unknown."""
    if not text:
        return None
    return _country_code(" ".join(text.split()))


@functools.lru_cache(maxsize=4096)
def _country_code(text: str) -> str:
    # FtM's lookup is slow (~0.2 ms) and a list names the same few hundred countries
    return registry.country.clean(text) or text


# --- identity documents and other labelled facts ------------------------------------------

#: Labels OFAC uses for numbers (legacy ``idType``, advanced IDRegDocType/FeatureType, CSV
#: remark prefixes) and the property each number goes to. Labels not listed (websites,
#: e-mail, phones, directives, digital currency addresses …) stay in the remarks only.
ID_LABELS: dict[str, str] = {
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Identification Number": "idNumber",
    "Cedula No.": "idNumber",
    "C.U.R.P.": "idNumber",
    "D.N.I.": "idNumber",
    "SSN": "idNumber",
    "Personal ID Card": "idNumber",
    "National Foreign ID Number": "idNumber",
    "Driver's License No.": "idNumber",
    "Tax ID No.": "idNumber",
    "V.A.T. Number": "idNumber",
    "NIT #": "idNumber",
    "RFC": "idNumber",
    "R.U.C. #": "idNumber",
    "Residency Number": "idNumber",
    "Birth Certificate Number": "idNumber",
    "Registration ID": "registrationNumber",
    "Registration Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Business Number": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Public Registration Number": "registrationNumber",
    "Government Gazette Number": "registrationNumber",
    "Company Number": "registrationNumber",
    "UK Company Number": "registrationNumber",
    "Legal Entity Number": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "Trade License No.": "registrationNumber",
    "License": "registrationNumber",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacturer's Serial Number (MSN)": "registrationNumber",
    "Vessel Registration Identification": "imoNumber",
    "IMO": "imoNumber",
    "MMSI": "mmsi",
    "Vessel Call Sign": "callSign",
    "Vessel Flag": "flag",
}
_LABELS_LONGEST_FIRST = sorted(ID_LABELS, key=len, reverse=True)


def id_fact(label: str, number: str) -> tuple[str, str] | None:
    """The property and value of a labelled number, or None if it is not one we keep.
    ``IMO 9339301`` (under any label) → imoNumber ``IMO9339301``."""
    number = " ".join(number.split())
    label = " ".join(label.split())
    if not number:
        return None
    imo = re.fullmatch(r"IMO\s*(\d{7})", number)
    if imo:
        return ("imoNumber", f"IMO{imo.group(1)}")
    prop = ID_LABELS.get(label)
    if prop is None:
        return None
    if prop == "imoNumber":
        digits = re.sub(r"\D", "", number)
        return ("imoNumber", f"IMO{digits}") if len(digits) == 7 else None
    if prop == "flag":
        return ("flag", country_code(number) or number)
    return (prop, number)


def split_label(text: str) -> tuple[str, str] | None:
    """A CSV remark ``Passport 2018278055 (Russia)`` as (label, number without country)."""
    for label in _LABELS_LONGEST_FIRST:
        if text.startswith(label + " "):
            rest = text[len(label) + 1 :].strip()
            number = re.split(r" \(| issued | expires ", rest, maxsplit=1)[0]
            return label, number.strip()
    return None


def add_fact(target: Target, fact: tuple[str, str] | None) -> None:
    if fact is not None:
        target.add(fact[0], fact[1])


def gender_value(text: str | None) -> str | None:
    if not text:
        return None
    value = text.strip().lower()
    return value if value in ("male", "female") else value or None


# --- addresses ---------------------------------------------------------------------------


def address_text(parts: Sequence[str | None]) -> str:
    """Address parts joined with ``, `` (empty parts skipped)."""
    return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())


# --- safe streaming XML ------------------------------------------------------------------

_PROLOG = re.compile(rb"\s*(<\?xml[^>]*\?>)?(\s*(<!--.*?-->|<\?.*?\?>))*\s*", re.S)


def reject_doctype(path: Path) -> None:
    """OFAC files carry no DTD: a file declaring one (the billion-laughs and external-entity
    tricks need one) is refused before parsing."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"<!DOCTYPE" in head[_PROLOG.match(head).end() :][:9] or b"<!ENTITY" in head:  # type: ignore[union-attr]
        raise SanctionsFormatError(
            str(path), "start of file", "a DTD or entity declaration is not allowed"
        )


def root_local_name(head: bytes) -> str | None:
    """The local name of the root element in a file's first bytes (prolog, comments and a
    DOCTYPE skipped), for content sniffing."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    rest = head[_PROLOG.match(head).end() :]  # type: ignore[union-attr]
    if rest.startswith(b"<!DOCTYPE"):
        end = rest.find(b"]>") if b"[" in rest[: rest.find(b">")] else rest.find(b">")
        if end < 0:
            return None
        rest = rest[end:].lstrip(b"]>")
        rest = rest[_PROLOG.match(rest).end() :]  # type: ignore[union-attr]
    m = re.match(rb"<([A-Za-z_][\w.:-]*)", rest)
    if not m:
        return None
    return m.group(1).split(b":")[-1].decode("ascii", "replace")


def local(tag: Any) -> str:
    """An element's local name (namespaces differ between OFAC's publications)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iter_records(path: Path, tags: Sequence[str]) -> Iterator[etree._Element]:
    """Stream the elements named ``tags`` (local names, any namespace) at their end; each is
    cleared, with its already-read siblings, once the caller moves on. No entities are
    resolved, no network is used, huge trees are refused. Syntax errors (a truncated or
    corrupt file) raise SanctionsFormatError with line and column."""
    reject_doctype(path)
    context = etree.iterparse(
        str(path),
        events=("end",),
        tag=[f"{{*}}{t}" for t in tags],
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, elem in context:
            yield elem
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise SanctionsFormatError(
            str(path), f"line {line}, column {column}", f"not well-formed XML: {exc.msg}"
        ) from exc


def text_of(elem: etree._Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    value = " ".join(elem.text.split())
    return value or None


def child(elem: etree._Element, name: str) -> etree._Element | None:
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def children(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem if local(c.tag) == name]


def child_text(elem: etree._Element, name: str) -> str | None:
    return text_of(child(elem, name))
