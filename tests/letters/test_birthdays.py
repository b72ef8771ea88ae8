"""Birthdays this month and next: 29 February, partial birth dates, the turn of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.letters.birthdays import (
    birthday_in,
    birthdays,
    birthdays_among,
    full_birth_date,
)
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.store.db import Database

D = dt.date
HELD = [("detained", "2020-01-10", "IK-3")]


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 29, D(2027, 2, 28)),  # common year: 28 February
        (2028, 2, 29, D(2028, 2, 29)),  # leap year: the day itself
        (2100, 2, 29, D(2100, 2, 28)),  # 2100 is not a leap year
        (2027, 3, 1, D(2027, 3, 1)),
    ],
)
def test_birthday_in(year: int, month: int, day: int, expected: dt.date) -> None:
    assert birthday_in(year, month, day) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1980-02-29", D(1980, 2, 29)), ("1980", None), ("1980-02", None), (None, None), ("", None)],
)
def test_only_full_dates_count(text: str | None, expected: dt.date | None) -> None:
    assert full_birth_date(text) == expected


def test_birthdays_this_month_and_next(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        leap = b.person("Высакосны", HELD, birth="1980-02-29")
        march = b.person("Сакавік", HELD, birth="1990-03-05")
        past = b.person("Мінулы", HELD, birth="1985-02-01")  # this month, already passed
        april = b.person("Красавік", HELD, birth="1975-04-01")  # the month after next
        year_only = b.person("Год", HELD, birth="1980")
        month_only = b.person("Месяц", HELD, birth="1980-02")
        released = b.person(
            "Вызвалены",
            [("detained", "2020-01-10"), ("released_end_of_term", "2021-01-01")],
            birth="1970-02-10",
        )
        found = birthdays(s, D(2027, 2, 10))
        people = eligible_recipients(s, D(2027, 2, 10))
        assert birthdays_among(people, D(2027, 2, 10)) == found
        got = {x.person_id: (x.day, x.age) for x in found}
        assert got == {
            past: (D(2027, 2, 1), 42),
            leap: (D(2027, 2, 28), 47),
            march: (D(2027, 3, 5), 37),
        }
        assert [x.day for x in found] == sorted(x.day for x in found)
        for absent in (april, year_only, month_only, released):
            assert absent not in got
        # in a leap year the 29th itself; three months reach April
        got = {x.person_id: x.day for x in birthdays(s, D(2028, 2, 1), months=3)}
        assert got[leap] == D(2028, 2, 29) and got[april] == D(2028, 4, 1)


def test_december_looks_into_january_of_the_next_year(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        jan = b.person("Студзень", HELD, birth="1990-01-03")
        dec = b.person("Снежань", HELD, birth="1990-12-24")
        got = {x.person_id: x.day for x in birthdays(s, D(2026, 12, 4))}
        assert got == {dec: D(2026, 12, 24), jan: D(2027, 1, 3)}
