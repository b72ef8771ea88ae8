"""iCalendar (RFC 5545) output: all-day events as a ``VCALENDAR`` text.

Only what a calendar feed of dated reminders needs: ``VEVENT`` with ``UID``, ``DTSTAMP``,
``DTSTART;VALUE=DATE`` and ``DTEND;VALUE=DATE`` (the next day: an all-day event), ``SUMMARY``
and an optional ``DESCRIPTION``. Lines end in CRLF and are folded at 75 octets without
splitting a UTF-8 character (§3.1); text values escape backslash, semicolon, comma and
newlines (§3.3.11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True, slots=True)
class DayEvent:
    uid: str
    day: dt.date
    summary: str
    description: str | None = None


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): ``\\`` ``;`` ``,`` escaped, newlines as ``\\n``."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    return out.replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into pieces of at most 75 octets, each continuation starting
    with a space (which counts towards its 75)."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += n
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _duration(span: dt.timedelta) -> str:
    """A positive RFC 5545 duration in days, hours or minutes (``P1D``, ``PT6H``, ``PT30M``)."""
    seconds = max(60, int(span.total_seconds()))
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{seconds // 60}M"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    events: Iterable[DayEvent],
    *,
    name: str,
    prodid: str,
    stamp: dt.datetime,
    refresh: dt.timedelta | None = None,
) -> str:
    """The whole ``VCALENDAR`` (``stamp``: the ``DTSTAMP`` of every event, timezone-aware;
    ``refresh``: how often a subscribed calendar should fetch it again, RFC 7986
    ``REFRESH-INTERVAL`` and the older ``X-PUBLISHED-TTL``)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    if refresh is not None:
        duration = _duration(refresh)
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{duration}", f"X-PUBLISHED-TTL:{duration}"]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{e.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(e.day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(e.summary)}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


__all__ = ["DayEvent", "calendar", "escape_text", "fold"]
