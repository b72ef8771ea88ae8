"""Streaming, safe XML reading for the XML list formats.

lxml ``iterparse`` with entity expansion and network access off and no DTD loaded; a document
that declares a DTD at all (the official list formats never do) is refused, so neither an
entity-expansion bomb nor an external entity can do anything. Records are handed out one at a
time and cleared afterwards, so a file of any size is read in bounded memory. Every parse error
becomes a :class:`SanctionsFormatError` naming the file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from prisonwatch.sanctions.model import SanctionsFormatError

Element = Any  # lxml's _Element (untyped for mypy)


def local(tag: object) -> str:
    """The local name of an element tag (namespaces change between versions of a format)."""
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rpartition("}")[2]


def sniff_root(head: bytes) -> str | None:
    """The local name of the root element of an XML document from its first bytes, or None.
    Comments, processing instructions and a BOM before the root are skipped."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"<"):
        return None
    pos = 0
    while True:
        start = text.find(b"<", pos)
        if start < 0 or start + 1 >= len(text):
            return None
        nxt = text[start + 1 : start + 2]
        if nxt == b"?":
            end = text.find(b"?>", start)
        elif text.startswith(b"<!--", start):
            end = text.find(b"-->", start)
        elif nxt == b"!":
            end = text.find(b">", start)
        else:
            name = text[start + 1 :].split(None, 1)[0].split(b">", 1)[0].split(b"/", 1)[0]
            return name.rpartition(b":")[2].decode("ascii", "replace")
        if end < 0:
            return None
        pos = end + 1


class XmlStream:
    """One pass over an XML file: the root's attributes first, then records one by one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._events: Iterator[tuple[str, Element]] = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        event, root = self._next()
        while event != "start":  # pragma: no cover - the first event is the root's start
            event, root = self._next()
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise SanctionsFormatError(
                str(path), f"line {root.sourceline}", "a DTD (DOCTYPE) is not allowed here"
            )
        self.root = root
        self.root_name = local(root.tag)
        self.root_attrib: dict[str, str] = {str(k): str(v) for k, v in root.attrib.items()}
        self._pending: list[tuple[str, Element]] = []

    def _next(self) -> tuple[str, Element]:
        try:
            return next(self._events)
        except StopIteration:
            raise
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (0, 0)
            raise SanctionsFormatError(
                str(self.path), f"line {line}, column {column}", f"not well-formed XML: {exc.msg}"
            ) from exc
        except OSError as exc:
            raise SanctionsFormatError(str(self.path), "file", str(exc)) from exc

    def prelude(self, record: str, wanted: set[str]) -> dict[str, str]:
        """Texts of the ``wanted`` elements that come before the first ``record`` element (a
        header), reading no further than that record's start."""
        found: dict[str, str] = {}
        while True:
            try:
                event, el = self._next()
            except StopIteration:
                return found
            name = local(el.tag)
            if event == "start" and name == record:
                self._pending.append((event, el))
                return found
            if event == "end" and name in wanted:
                found.setdefault(name, (el.text or "").strip())

    def records(self, record: str) -> Iterator[Element]:
        """Every ``record`` element, complete, at its end; cleared after the caller is done.
        A record nested in another record is not looked for."""
        depth = 0
        while True:
            if self._pending:
                event, el = self._pending.pop(0)
            else:
                try:
                    event, el = self._next()
                except StopIteration:
                    return
            if local(el.tag) != record:
                continue
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth:
                continue
            yield el
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]


def children(el: Element, name: str) -> list[Element]:
    """The direct children of ``el`` with local name ``name``."""
    return [c for c in el if local(c.tag) == name]


def child(el: Element, name: str) -> Element | None:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def descendants(el: Element, name: str) -> list[Element]:
    return [c for c in el.iter() if local(c.tag) == name]


def text(el: Element | None) -> str:
    """The element's own text, whitespace-normalised ("" for None)."""
    if el is None or el.text is None:
        return ""
    return " ".join(str(el.text).split())


def child_text(el: Element, name: str) -> str:
    return text(child(el, name))
