"""Reading an article: plain text as it is, HTML reduced to its main text by trafilatura.

Claim offsets are character offsets into the text this module returns — for HTML, into the
extracted main text (which is also what ``news add`` stores), never into the markup.
"""

from __future__ import annotations

import re
from pathlib import Path

_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<p[\s>])", re.IGNORECASE)


class ReadError(ValueError):
    """The article can't be read; the message names the file."""


def looks_like_html(text: str, name: str = "") -> bool:
    return name.lower().endswith((".html", ".htm")) or bool(_HTML.match(text[:2000]))


def html_main_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    return text or ""


def article_text(raw: str, name: str = "") -> str:
    """The text claims are read from (and their offsets refer to)."""
    if looks_like_html(raw, name):
        return html_main_text(raw)
    return raw


def read_article(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    text = article_text(raw, path.name)
    if not text.strip():
        raise ReadError(f"{path}: no text found")
    return text
