"""OFAC SDN legacy CSV set: ``sdn.csv`` + ``alt.csv`` + ``add.csv`` (+ ``sdn_comments.csv``),
given as the folder or as the path of the main file (its siblings are read from the same
folder). The Consolidated list's set (``cons_prim.csv``, ``cons_alt.csv``, ``cons_add.csv``,
``cons_comments.csv``) is read the same way.

No header row; CRLF; ``-0-`` (often ``-0- ``) for empty; an optional trailing 0x1A byte.
Remarks cut at OFAC's field limit continue in the comments file and are joined without a
separator. Alias and address rows whose ent_num is not in the main file are skipped and
reported as warnings with their line. The file has no publication date.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from prisonwatch.sanctions.formats import _ofac
from prisonwatch.sanctions.model import (
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
    TargetKind,
)

FORMAT = "ofac-sdn-csv"

SDN_FIELDS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
#                  Tonnage, GRT, Vess_flag, Vess_owner, Remarks
ALT_FIELDS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
ADD_FIELDS = 6  # ent_num, add_num, address, city/state/postal, country, add_remarks

_SIBLINGS = {
    "sdn": ("alt.csv", "add.csv", "sdn_comments.csv"),
    "cons": ("cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
}
_FIRST_ROW = re.compile(rb'^\d+,"[^"\r\n]*",(-0- ?|"[^"\r\n]*"),')


def sniff(path: Path, head: bytes) -> bool:
    """An SDN row: ``36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",…`` with 12 fields."""
    if not _FIRST_ROW.match(head):
        return False
    first_line = head.split(b"\n", 1)[0].decode("latin-1")
    try:
        row = next(csv.reader([first_line.rstrip("\r")]))
    except (csv.Error, StopIteration):
        return False
    return len(row) == SDN_FIELDS


def _main_file(path: Path) -> tuple[Path, tuple[str, str, str]]:
    if path.is_dir():
        for name, siblings in (("sdn.csv", _SIBLINGS["sdn"]), ("cons_prim.csv", _SIBLINGS["cons"])):
            if (path / name).exists():
                return path / name, siblings
        raise SanctionsFormatError(str(path), "folder", "no sdn.csv (or cons_prim.csv) in it")
    siblings = _SIBLINGS["cons"] if path.name.lower().startswith("cons_") else _SIBLINGS["sdn"]
    return path, siblings


def _null(value: str) -> str | None:
    """``-0-`` / ``-0- `` / empty → None; other values unstripped (a remark cut at the field
    limit may end in a space that belongs between it and its continuation)."""
    return None if value.strip() in ("-0-", "") else value


def _rows(path: Path, width: int) -> list[tuple[int, list[str | None]]]:
    """(line number, fields) of a CSV file; wrong field counts and broken quoting raise."""
    data = path.read_bytes()
    if data.endswith(b"\x1a"):
        data = data[:-1]
    if data.strip() and not data.endswith(b"\n"):
        # OFAC ends every row, the last too, with CRLF: a file that stops mid-row was cut
        last_line = data.count(b"\n") + 1
        raise SanctionsFormatError(
            str(path),
            f"line {last_line}",
            "the last row has no line break: the file is cut short",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, list[str | None]]] = []
    line = 1
    try:
        for row in reader:
            if not row or row == [""] or row == ["\x1a"]:
                line = reader.line_num + 1
                continue
            if len(row) != width:
                raise SanctionsFormatError(
                    str(path),
                    f"line {line}",
                    f"expected {width} fields, found {len(row)} (truncated or corrupt file?)",
                )
            if not row[0].strip().isdigit():
                raise SanctionsFormatError(
                    str(path), f"line {line}", "field 1 (ent_num) is not a number"
                )
            out.append((line, [row[0].strip(), *(_null(v) for v in row[1:])]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SanctionsFormatError(
            str(path), f"line {line}", f"broken CSV quoting: {exc} (truncated or corrupt file?)"
        ) from exc
    return out


#: ``a.k.a. 'X'`` in the remarks: a weak alias (the strong ones are in alt.csv).
_WEAK_AKA = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'$")


def parse_remarks(target: Target, remarks: str) -> None:
    """The structured facts in an SDN row's remarks: DOB (all forms), POB, nationality,
    citizen, gender, identity numbers (passport, national id, registration, IMO…), weak
    a.k.a. aliases. The whole text is kept as ``notes``."""
    target.add("notes", remarks)
    body = remarks.strip()
    if body.endswith("."):
        body = body[:-1]
    for segment in body.split(";"):
        seg = segment.strip()
        if seg.startswith("alt. "):
            seg = seg[5:].strip()
        if not seg:
            continue
        if seg.startswith("DOB "):
            for value in _ofac.text_dates(seg[4:]):
                target.add("birthDate", value)
        elif seg.startswith("POB "):
            target.add("birthPlace", seg[4:])
        elif seg.startswith("nationality "):
            target.add("nationality", _ofac.country_code(seg[12:]))
        elif seg.startswith("citizen "):
            target.add("citizenship", _ofac.country_code(seg[8:]))
        elif seg.startswith("Gender "):
            target.add("gender", _ofac.gender_value(seg[7:]))
        elif m := _WEAK_AKA.match(seg):
            target.add("weakAlias", m.group(1))
        elif labelled := _ofac.split_label(seg):
            _ofac.add_fact(target, _ofac.id_fact(*labelled))


def _target(line: int, path: Path, row: list[str | None]) -> Target:
    ent_num, name, sdn_type, program, title, call_sign, _vtype, _ton, _grt, flag = row[:10]
    kind = _ofac.kind_of(sdn_type)
    if kind is None:
        raise SanctionsFormatError(str(path), f"line {line}", f"unknown SDN_Type {sdn_type!r}")
    if not name:
        raise SanctionsFormatError(str(path), f"line {line}", "field 2 (SDN_Name) is empty")
    assert ent_num is not None
    target = Target(id=ent_num, kind=kind, caption=name)
    target.add("name", name)
    if kind is TargetKind.PERSON:
        _ofac.add_person_parts(target, name)
    for prog in _ofac.split_programmes(program or ""):
        target.add("program", prog)
    if kind is TargetKind.PERSON:
        target.add("title", title)
    target.add("callSign", call_sign)
    if flag:
        target.add("flag", _ofac.country_code(flag))
    return target


def parse(path: Path) -> ParsedList:
    """Read the whole set (a few MB at most) and check it before anything is returned, so
    that a broken file yields nothing."""
    main, (alt_name, add_name, comments_name) = _main_file(path)
    folder = main.parent
    warnings: list[str] = []
    targets: dict[str, Target] = {}
    remarks: dict[str, str] = {}
    for line, row in _rows(main, SDN_FIELDS):
        target = _target(line, main, row)
        if target.id in targets:
            raise SanctionsFormatError(
                str(main), f"line {line}", f"ent_num {target.id} appears twice"
            )
        targets[target.id] = target
        if row[11]:
            remarks[target.id] = row[11]

    comments = folder / comments_name
    if comments.exists():
        for line, row in _rows_any(comments):
            ent, text = row[0], row[1] if len(row) > 1 else None
            assert ent is not None
            if ent not in targets:
                warnings.append(f"{comments}: line {line}: ent_num {ent} not in {main.name}")
            elif text:
                # the continuation of a cut remark: appended without a separator
                remarks[ent] = remarks.get(ent, "") + text
    for ent, text in remarks.items():
        parse_remarks(targets[ent], text)

    alt = folder / alt_name
    if alt.exists():
        for line, row in _rows(alt, ALT_FIELDS):
            ent, _alt_num, alt_type, alt_name_value = row[:4]
            assert ent is not None
            if ent not in targets:
                warnings.append(f"{alt}: line {line}: ent_num {ent} not in {main.name}, skipped")
                continue
            prop = "previousName" if (alt_type or "").lower().startswith("fka") else "alias"
            targets[ent].add(prop, alt_name_value)
    else:
        warnings.append(f"{alt}: missing, no aliases read")

    add = folder / add_name
    if add.exists():
        for line, row in _rows(add, ADD_FIELDS):
            ent, _add_num, street, city, country = row[:5]
            assert ent is not None
            if ent not in targets:
                warnings.append(f"{add}: line {line}: ent_num {ent} not in {main.name}, skipped")
                continue
            target = targets[ent]
            target.add("address", _ofac.address_text([street, city, country]))
            if country:
                target.add("country", _ofac.country_code(country))
    else:
        warnings.append(f"{add}: missing, no addresses read")

    programmes = {p for t in targets.values() for p in t.get("program")}
    list_name = (
        _ofac.LIST_CONSOLIDATED
        if main.name.lower().startswith("cons_")
        else _ofac.list_name_from_programmes(programmes)
    )
    header = ListHeader(
        format=FORMAT,
        authority=_ofac.AUTHORITY,
        list_name=list_name,
        published=None,  # the CSV set carries no date
        parser_version=_ofac.PARSER_VERSION,
    )
    return ParsedList(header=header, targets=iter(list(targets.values())), warnings=warnings)


def _rows_any(path: Path) -> list[tuple[int, list[str | None]]]:
    """sdn_comments.csv: ent_num and the remarks' continuation (2 fields, a third empty one
    in some years)."""
    for width in (2, 3):
        try:
            return _rows(path, width)
        except SanctionsFormatError:
            continue
    return _rows(path, 2)
