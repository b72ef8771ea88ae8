"""A tiny sanctions-list format for the tests of the store, the CLI and the web app, so they do
not depend on the real parsers: one JSON document

    {"pwtest-sanctions": 1, "authority": "TEST", "list": "Demo", "published": "2025-01-01",
     "targets": [{"id": "T1", "kind": "person", "caption": "…", "props": {"alias": ["…"]}}]}

read in any encoding with a BOM or UTF-8. It is registered as a format module
(``prisonwatch.sanctions.formats.pwtest_json``) by :func:`register`; the real detection code then
finds it by content. ``PARSER_VERSION`` may be changed by a test to simulate a new parser.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prisonwatch.sanctions import formats
from prisonwatch.sanctions.model import (
    ListHeader,
    ParsedList,
    SanctionsFormatError,
    Target,
    TargetKind,
)

FORMAT = "test-json"
PARSER_VERSION = "1"
MODULE = f"{formats.__name__}.pwtest_json"
MARK = b'"pwtest-sanctions"'


def sniff(path: Path, head: bytes) -> bool:
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(enc, "ignore").encode()
    return MARK in head[:200]


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def parse(path: Path) -> ParsedList:
    text = _decode(path.read_bytes())
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SanctionsFormatError(
            str(path), f"line {exc.lineno}, column {exc.colno}", exc.msg
        ) from None
    header = ListHeader(
        format=FORMAT,
        authority=doc["authority"],
        list_name=doc["list"],
        published=date.fromisoformat(doc["published"]) if doc.get("published") else None,
        parser_version=sys.modules[MODULE].PARSER_VERSION,
    )

    def targets() -> Iterator[Target]:
        for n, item in enumerate(doc["targets"], 1):
            try:
                kind = TargetKind(item["kind"])
            except ValueError:
                raise SanctionsFormatError(
                    str(path), f"target {n}", f"field kind: unknown kind {item['kind']!r}"
                ) from None
            t = Target(id=str(item["id"]), kind=kind, caption=item["caption"])
            t.add("name", item["caption"])
            for prop, values in item.get("props", {}).items():
                for value in values:
                    t.add(prop, value)
            yield t

    return ParsedList(header, targets())


def register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the format detectable for the rest of the test."""
    monkeypatch.setitem(sys.modules, MODULE, sys.modules[__name__])
    monkeypatch.setattr(formats, "FORMAT_MODULES", (*formats.FORMAT_MODULES, "pwtest_json"))
    monkeypatch.setattr(sys.modules[__name__], "PARSER_VERSION", "1")


def person(ref: str, caption: str, **props: list[str]) -> dict[str, Any]:
    return {"id": ref, "kind": "person", "caption": caption, "props": props}


def target(ref: str, kind: str, caption: str, **props: list[str]) -> dict[str, Any]:
    return {"id": ref, "kind": kind, "caption": caption, "props": props}


def write_list(
    path: Path,
    targets: list[dict[str, Any]],
    *,
    published: str | None = "2025-01-01",
    authority: str = "TEST",
    list_name: str = "Demo",
    encoding: str = "utf-8",
    indent: int | None = None,
) -> Path:
    doc = {
        "pwtest-sanctions": 1,
        "authority": authority,
        "list": list_name,
        "published": published,
        "targets": targets,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    path.write_bytes(text.encode(encoding) if encoding != "utf-16" else text.encode("utf-16"))
    return path


def base_targets(n: int = 20) -> list[dict[str, Any]]:
    """``n`` targets of every kind, with names in two scripts."""
    out = [
        person(
            "P1",
            "LUKASHENKA, Alyaksandr",
            alias=["Лукашэнка Аляксандр"],
            birthDate=["1954-08-30"],
            program=["BELARUS"],
            nationality=["by"],
        ),
        target("O1", "organisation", "BELAVIA", alias=["Белавиа"], program=["BELARUS-EO14038"]),
        target("V1", "vessel", "SEA STAR", imoNumber=["9123456"]),
        target("A1", "aircraft", "EW-001PA", registrationNumber=["EW-001PA"]),
    ]
    for i in range(len(out), n):
        out.append(person(f"P{i + 1}", f"PERSON {i + 1}", program=["BELARUS"]))
    return out
