"""Small value normalisers shared by the list formats: dates written day-first with unknown
parts, ISO partial dates, countries, genders. Values that cannot be read are returned as
``None`` so the caller can keep the publisher's text elsewhere (never guessed)."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from followthemoney import registry

_DMY = re.compile(r"^\s*(\d{1,2}|dd|DD|00|0)[/.\-](\d{1,2}|mm|MM|00|0)[/.\-](\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


def _partial(year: int, month: int | None, day: int | None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _num(part: str) -> int | None:
    return int(part) if part.isdigit() and int(part) > 0 else None


def dmy(value: str) -> str | None:
    """``DD/MM/YYYY`` with unknown parts (``dd``, ``mm``, ``00``) as an ISO partial date:
    ``dd/mm/1968`` -> ``1968``, ``dd/09/1958`` -> ``1958-09``, ``00/00/1956`` -> ``1956``;
    a bare year too. A day without a month is dropped (``12/mm/1970`` -> ``1970``)."""
    m = _DMY.match(value)
    if m:
        day, month = _num(m.group(1)), _num(m.group(2))
        return _partial(int(m.group(3)), month, day if month else None)
    m = _YEAR.match(value)
    if m:
        return _partial(int(m.group(1)), None, None)
    return None


def iso(value: str) -> str | None:
    """An ISO date or date-time (``2026-08-05T16:47:04+02:00``) as its date part, or a
    partial ``YYYY`` / ``YYYY-MM``."""
    m = _ISO.match(value)
    if not m:
        return None
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    return _partial(int(m.group(1)), month, day)


def any_date(value: str) -> str | None:
    """ISO first, then day-first, then ``14-Aug-2026`` / ``14 Aug 2026``."""
    got = iso(value) or dmy(value)
    if got:
        return got
    m = re.match(r"^\s*(\d{1,2})[\s\-/]([A-Za-z]{3})[a-z]*[\s\-/](\d{4})\s*$", value)
    if m and m.group(2).lower() in _MONTHS:
        return _partial(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def to_date(value: str | None) -> date | None:
    """A full date from ``any_date`` output (partial dates give None)."""
    if not value or len(value) != 10:
        return None
    return datetime.strptime(value, "%Y-%m-%d").date()


_UNKNOWN_COUNTRY = {"", "00", "unknown", "-", "n/a"}


def country(code: str = "", name: str = "") -> str | None:
    """ISO-3166 alpha-2 lower case from a code or an English name or adjective (``IRAQ``,
    ``Indonesian``, ``DPRK``), else the publisher's name as written, None if unknown."""
    for value in (code, name):
        value = value.strip()
        if value.lower() in _UNKNOWN_COUNTRY:
            continue
        cleaned = registry.country.clean(value)
        if cleaned:
            return str(cleaned)
    name = " ".join(name.split())
    return name if name.lower() not in _UNKNOWN_COUNTRY else None


def gender(value: str) -> str | None:
    """FollowTheMoney's gender values from ``M``/``F``/``Male``/``Female``."""
    v = value.strip().lower()
    if v in ("m", "male", "man"):
        return "male"
    if v in ("f", "female", "woman"):
        return "female"
    return v or None


def join(*parts: str | None, sep: str = ", ") -> str:
    """Non-empty, non-placeholder parts joined (``-`` and ``UNKNOWN`` are placeholders)."""
    out: list[str] = []
    for p in parts:
        p = " ".join((p or "").split())
        if p and p not in ("-", "UNKNOWN") and p not in out:
            out.append(p)
    return sep.join(out)
