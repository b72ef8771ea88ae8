"""Dates in the text: full dates ("15 September 2025", «7 чэрвеня 2025 года», 2025-09-15),
day-and-month and weekday/relative words resolved against the publication day when it is
given. dateparser reads each date; it gives no offsets, so the candidates are found here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from prisonwatch.news.lexicon import FLAGS, Lexicon

MONTHS = {
    "en": r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?",
    "ru": r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]",
    "be": r"студзен[ья]|лют(?:ага|ы)|сакавіка?|красавіка?|ма[яй]|чэрвен[ья]|ліпен[ья]|"
    r"жні[ўв]н?[ья]|верас(?:ня|ень)|кастрычніка?|лістапада?|снеж(?:ня|ань)",
    "es": r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|"
    r"noviembre|diciembre",
}
_DAY = r"(?<!\d)(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)(?:\s*(?:года|г\.|году|гады|года|г\b))?"


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    day: dt.date | None  # None: a date we could not pin down (no year, no publication day)


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    month = f"(?:{MONTHS[lang]})\\.?"
    full = re.compile(
        "|".join(
            [
                rf"{_DAY}(?:\s+of)?\s+(?:de\s+)?{month},?\s+(?:de\s+|del\s+)?{_YEAR}",
                rf"{month}\s+{_DAY},?\s+{_YEAR}",
                r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)",
                r"(?<![\d.])[0-3]?\d\.[01]?\d\.(?:19|20)\d\d(?!\d)",
            ]
        ),
        FLAGS,
    )
    partial = re.compile(
        rf"(?<![\w]){_DAY}(?:\s+of)?\s+(?:de\s+)?{month}(?![\w])|(?<![\w]){month}\s+{_DAY}(?![\w])",
        FLAGS,
    )
    return full, partial


def _parse(text: str, lang: str, base: dt.date | None) -> dt.date | None:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    cleaned = re.sub(r"\s+of\s+", " ", cleaned)
    parsed = dateparser.parse(cleaned, languages=[lang], settings=settings)
    return parsed.date() if parsed else None


def find_dates(
    text: str, start: int, end: int, lex: Lexicon, published: dt.date | None
) -> list[DateSpan]:
    """Dates between ``start`` and ``end``: full dates as written; a day and month without
    a year, a weekday ("on Thursday", «у чацвер») or "yesterday" only against ``published``."""
    full, partial = _patterns(lex.lang)
    body = text[start:end]
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for m in full.finditer(body):
        out.append(DateSpan(start + m.start(), start + m.end(), _parse(m.group(), lex.lang, None)))
        taken.append((m.start(), m.end()))
    for m in partial.finditer(body):
        if any(a <= m.start() < b for a, b in taken):
            continue
        day = _parse(m.group(), lex.lang, published) if published else None
        out.append(DateSpan(start + m.start(), start + m.end(), day))
    if published is not None:
        for i, stem in enumerate(lex.weekdays):
            for m in re.finditer(rf"(?<![\w]){stem}\w*", body, FLAGS):
                back = (published.weekday() - i) % 7
                out.append(
                    DateSpan(start + m.start(), start + m.end(), published - dt.timedelta(back))
                )
        for word, delta in lex.relative_days.items():
            for m in re.finditer(rf"(?<![\w]){word}(?![\w])", body, FLAGS):
                out.append(
                    DateSpan(start + m.start(), start + m.end(), published + dt.timedelta(delta))
                )
    out.sort(key=lambda d: d.start)
    return out


def masked_numbers(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Character ranges of dates (numbers in them are never counts)."""
    full, partial = _patterns(lex.lang)
    body = text[start:end]
    return [
        (start + m.start(), start + m.end()) for pat in (full, partial) for m in pat.finditer(body)
    ]


def date_of(dates: list[DateSpan], lo: int, hi: int) -> str | None:
    """The first date pinned down inside [lo, hi)."""
    for d in dates:
        if lo <= d.start < hi and d.day is not None:
            return d.day.isoformat()
    return None
