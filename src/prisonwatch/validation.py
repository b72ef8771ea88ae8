"""The one rule for text and URLs coming into the registry, whatever the path: CLI options, CSV
and XLSX import, uploaded lists, web forms and the JSON API all call these functions (the store
calls them for every write), so a value accepted by one path is accepted by all of them and a
refused one is refused with the same message, naming the field.

**Characters refused** (:func:`forbidden_char`), in every field:

* control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F), except TAB, LF and CR
  in multi-line fields (notes, quotes); a line break in a one-line field (a name, a region …)
  is an error, not data — it is what an unclosed quote in a CSV file produces;
* format characters (category Cf), which are invisible and can reorder or hide text: the bidi
  embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F
  and U+061C, zero-width space U+200B, word joiner U+2060 and the invisible operators, the
  byte-order mark U+FEFF inside text, soft hyphen U+00AD, interlinear annotations, tags …
  — **except** ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH JOINER (U+200D) *between two
  letters of a script that needs them* (Arabic, Persian, Devanagari and the other Indic
  scripts …: any script but Latin, Cyrillic and Greek, which never need them);
* lone surrogates (Cs), and the line and paragraph separators U+2028/U+2029 (Zl, Zp).

The error names the field, the character's code point and its position, never the value.

**Lengths** (:data:`LIMITS`): one table, the same as the database columns (a longer value would
make PostgreSQL fail). **URLs** (:func:`check_url`): ``http`` and ``https`` only, with a host.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

ZWNJ, ZWJ = "\u200c", "\u200d"
_MULTILINE_OK = frozenset("\t\n\r")
#: scripts that never need a joiner between letters
_NO_JOINER_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")

#: field → the longest value accepted (characters, after surrounding spaces are removed)
LIMITS: dict[str, int] = {
    "name": 500,
    "name_alt": 500,
    "id": 200,
    "scheme": 100,
    "language": 10,
    "birth_date": 20,
    "date": 20,
    "published": 20,
    "region": 200,
    "nationality": 100,
    "gender": 10,
    "kind": 30,
    "status": 30,
    "visibility": 10,
    "organisation": 300,
    "recognised_by": 300,
    "destination_country": 100,
    "facility": 300,
    "articles": 500,
    "court": 300,
    "judge": 300,
    "prosecutor": 300,
    "sentence": 300,
    "facility_address": 500,
    "url": 2000,
    "source_url": 2000,
    "title": 1000,
    "publisher": 300,
    "public_notes": 10_000,
    "relatives_contact": 10_000,
    "internal_notes": 10_000,
    "note": 10_000,
    "quote": 10_000,
    "wording": 10_000,
}
#: fields that may hold several lines
MULTILINE = frozenset(
    {"public_notes", "relatives_contact", "internal_notes", "note", "quote", "wording"}
)
#: any other text (a cell of an uploaded list, a column the registry does not store)
DEFAULT_LIMIT = 10_000
URL_SCHEMES = ("http", "https")


class FieldError(ValueError):
    """A value refused by the input rules; ``field`` names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _script_of(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def _joiner_allowed(text: str, i: int) -> bool:
    """ZWNJ/ZWJ at ``text[i]`` between two letters (or marks) of a script that uses them."""
    if i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    for ch in (before, after):
        if unicodedata.category(ch)[0] not in "LM" or _script_of(ch) in _NO_JOINER_SCRIPTS:
            return False
    return True


#: every character of the categories Cc, Cf, Cs, Zl and Zp (Unicode 14; a test checks the table
#: against the running Python's Unicode database). Written out: computing it takes 0.4 s.
_REFUSED_CLASS = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_REFUSED = re.compile(f"[{_REFUSED_CLASS}]")
_REFUSED_MULTILINE = re.compile(f"(?![\t\n\r])[{_REFUSED_CLASS}]")


def forbidden_char(text: str, *, multiline: bool = False) -> int | None:
    """The position of the first character the rule refuses in ``text``, or None."""
    pattern = _REFUSED_MULTILINE if multiline else _REFUSED
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        i = m.start()
        if not (text[i] in (ZWJ, ZWNJ) and _joiner_allowed(text, i)):
            return i
        pos = i + 1
    return None


def describe_char(ch: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB", "\x00": "NUL"}.get(
            ch, "control character"
        )
    return f"U+{ord(ch):04X} ({name})"


def check_chars(field_name: str, text: str, *, multiline: bool | None = None) -> None:
    """Raise :class:`FieldError` if ``text`` holds a refused character (see the module doc)."""
    ml = field_name in MULTILINE if multiline is None else multiline
    pos = forbidden_char(text, multiline=ml)
    if pos is None:
        return
    ch = text[pos]
    if ch in "\n\r" and not ml:
        raise FieldError(
            field_name,
            f"a line break at character {pos + 1}; this field is one line (in a CSV file, "
            "a quote that is never closed makes one cell of the following lines)",
        )
    raise FieldError(
        field_name,
        f"contains the invisible or control character {describe_char(ch)} at character "
        f"{pos + 1}; remove it",
    )


def check_text(field_name: str, value: object, *, limit: int | None = None) -> str | None:
    """``value`` checked and tidied for ``field_name``: None for nothing; one-line fields have
    runs of spaces and tabs folded to one space; the length is checked against :data:`LIMITS`."""
    if value is None:
        return None
    text = str(value)
    ml = field_name in MULTILINE
    check_chars(field_name, text, multiline=ml)
    text = text.strip() if ml else " ".join(text.split())
    if not text:
        return None
    most = limit if limit is not None else LIMITS.get(field_name, DEFAULT_LIMIT)
    if len(text) > most:
        raise FieldError(field_name, f"longer than {most:,} characters ({len(text):,})")
    return text


def check_url(field_name: str, value: object) -> str | None:
    """A source URL: ``http://`` or ``https://`` with a host, no spaces; None for nothing.
    ``javascript:``, ``data:``, ``file:`` and every other scheme are refused."""
    text = check_text(field_name, value, limit=LIMITS["url"])
    if text is None:
        return None
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in URL_SCHEMES:
        shown = f"{scheme}:" if scheme and scheme.isascii() and scheme.isalnum() else "this"
        raise FieldError(field_name, f"{shown} URLs are not accepted; use an http(s) URL")
    if any(ch.isspace() for ch in text):
        raise FieldError(field_name, "a URL has no spaces (encode them as %20)")
    try:
        host = urlsplit(text).hostname
    except ValueError as exc:
        raise FieldError(field_name, f"not a valid URL ({exc})") from exc
    if not host:
        raise FieldError(field_name, "the URL has no host")
    return text


def is_web_url(value: object) -> bool:
    """True for an http(s) URL the rule accepts (templates link only those)."""
    if not isinstance(value, str):
        return False
    try:
        return check_url("url", value) is not None
    except FieldError:
        return False
