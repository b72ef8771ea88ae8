"""Script detection for a name string."""

from __future__ import annotations

import unicodedata

from prisonwatch.model import Script


def detect_script(text: str) -> Script:
    """Return the writing system of the letters in ``text``: Cyrillic, Latin, mixed or other."""
    seen: set[str] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("CYRILLIC"):
            seen.add("c")
        elif name.startswith("LATIN"):
            seen.add("l")
        else:
            seen.add("o")
    if seen == {"c"}:
        return Script.CYRILLIC
    if seen == {"l"}:
        return Script.LATIN
    if not seen:
        return Script.OTHER
    if seen <= {"c", "l"}:
        return Script.MIXED
    return Script.OTHER
