"""The iCalendar writer: CRLF lines of at most 75 octets, folding that never splits a UTF-8
character and unfolds back to the original, TEXT escaping, all-day events."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.io.ical import DayEvent, calendar, escape_text, fold

STAMP = dt.datetime(2026, 12, 4, 17, 0, 5, tzinfo=dt.UTC)


def unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: a CRLF followed by one space or tab joins two lines."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:short",
        "DESCRIPTION:" + "a" * 200,
        "DESCRIPTION:" + "Мікалай Статкевіч, " * 12,  # two-byte characters
        "DESCRIPTION:" + "🙂ж" * 40,  # four- and two-byte characters across the fold
        "X:" + "a" * 73,  # exactly 75 octets: not folded
        "X:" + "a" * 74,  # 76: folded once
    ],
)
def test_fold_keeps_lines_within_75_octets_and_unfolds_back(line: str) -> None:
    folded = fold(line)
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")  # no character split
    assert unfold(folded + "\r\n") == [line]
    assert ("\r\n" in folded) == (len(line.encode("utf-8")) > 75)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a;b,c", "a\\;b\\,c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\nthree", "two\\nlines\\nthree"),
    ],
)
def test_text_escaping(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


def test_calendar_has_all_day_events_with_uid_and_stamp() -> None:
    text = calendar(
        [
            DayEvent("b-1-2027@x", dt.date(2027, 2, 28), "Birthday: Мікалай, 70", "Line 1\nLine 2"),
            DayEvent("b-2-2026@x", dt.date(2026, 12, 31), "Birthday: Maria"),
        ],
        name="Birthdays",
        prodid="-//PrisonWatch//Letters//EN",
        stamp=STAMP,
    )
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "PRODID:-//PrisonWatch//Letters//EN" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert lines.count("DTSTAMP:20261204T170005Z") == 2
    assert "DTSTART;VALUE=DATE:20270228" in lines and "DTEND;VALUE=DATE:20270301" in lines
    assert "DTSTART;VALUE=DATE:20261231" in lines and "DTEND;VALUE=DATE:20270101" in lines
    assert "SUMMARY:Birthday: Мікалай\\, 70" in lines
    assert "DESCRIPTION:Line 1\\nLine 2" in lines
    assert "UID:b-1-2027@x" in lines and "UID:b-2-2026@x" in lines


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (dt.timedelta(days=1), "P1D"),
        (dt.timedelta(hours=6), "PT6H"),
        (dt.timedelta(minutes=90), "PT90M"),
    ],
)
def test_refresh_interval(span: dt.timedelta, text: str) -> None:
    lines = unfold(calendar([], name="x", prodid="-//x//EN", stamp=STAMP, refresh=span))
    assert f"REFRESH-INTERVAL;VALUE=DURATION:{text}" in lines
    assert f"X-PUBLISHED-TTL:{text}" in lines
    assert lines[-1] == "END:VCALENDAR" and "BEGIN:VEVENT" not in lines
