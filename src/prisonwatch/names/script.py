"""Script detection for a name string."""

from __future__ import annotations

import re

from prisonwatch.model import Script

# Letters only; marks, digits, punctuation and modifier letters (ʼ ʹ) are ignored.
_CYRILLIC = re.compile(r"[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]")
_LETTER_OTHER = re.compile(
    r"[^\W\d_\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F"
    r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF\u02B0-\u02FF\u0300-\u036F]"
)


def detect_script(text: str) -> Script:
    """Return the writing system of the letters in ``text``: Cyrillic, Latin, mixed or other."""
    cyr = _CYRILLIC.search(text) is not None
    lat = _LATIN.search(text) is not None
    if _LETTER_OTHER.search(text) is not None:
        return Script.OTHER
    if cyr and lat:
        return Script.MIXED
    if cyr:
        return Script.CYRILLIC
    if lat:
        return Script.LATIN
    return Script.OTHER
