"""Reading sentence lengths and criminal-code articles as people write them."""

from __future__ import annotations

import re

_YEARS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:years?|yrs?|y\b|лет|год(?:а|у)?|г\.?|гадоў|гады|год)", re.I
)
_MONTHS = re.compile(
    r"(\d+)\s*(?:months?|mos?\.?|m\b|мес(?:яц(?:а|ев)?)?\.?|месяц(?:а|аў|ы)?)", re.I
)
_PLAIN = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*$")
_ARTICLE = re.compile(r"\d+(?:[-.]\d+)?")


def sentence_months(text: str | None) -> int | None:
    """``"5 years 6 months"`` → 66, ``"3 г. 6 мес."`` → 42, ``"4.5"`` (years) → 54.

    Returns ``None`` when no length can be read (``"life"``, ``"fine"``, empty)."""
    if not text or not text.strip():
        return None
    plain = _PLAIN.match(text)
    if plain:
        return round(float(plain.group(1).replace(",", ".")) * 12)
    total = 0.0
    found = False
    for m in _YEARS.finditer(text):
        total += float(m.group(1).replace(",", ".")) * 12
        found = True
    for m in _MONTHS.finditer(text):
        total += int(m.group(1))
        found = True
    return round(total) if found else None


def split_articles(text: str | None) -> list[str]:
    """``"342 ч.1; 361-1"`` → ``["342", "361-1"]`` (the article numbers, parts dropped)."""
    if not text:
        return []
    out: list[str] = []
    for chunk in re.split(r"[;,/]", text):
        m = _ARTICLE.search(chunk)
        if m and m.group(0) not in out:
            out.append(m.group(0).replace(".", "-"))
    return out
