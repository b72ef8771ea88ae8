"""Who can be written to on a day, and where: transfers, releases, re-arrests, future-dated
events, flags, hidden people, private facts, search — on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from prisonwatch.letters.eligibility import (
    eligible_recipients,
    envelope_name,
    recipient_line,
    recipients_for,
)
from prisonwatch.letters.flags import clear_flag, set_flag
from prisonwatch.letters.model import Recipient
from prisonwatch.store.db import Database
from prisonwatch.store.schema_letters import FLAGS, Facility

D = dt.date


def _where(people: list[Recipient]) -> dict[int, str | None]:
    return {r.person_id: (r.facility.name if r.facility else None) for r in people}


# (events, day, expected facility name or None, eligible?)
SCENARIOS = [
    pytest.param(
        [("detained", "2024-01-10", "SIZO-1 Minsk"), ("transferred", "2024-06-01", "IK-3")],
        D(2024, 5, 31),
        "SIZO-1 Minsk",
        True,
        id="before the transfer: the old address",
    ),
    pytest.param(
        [("detained", "2024-01-10", "SIZO-1 Minsk"), ("transferred", "2024-06-01", "IK-3")],
        D(2024, 6, 1),
        "IK-3",
        True,
        id="on the transfer date: the new address",
    ),
    pytest.param(
        # a transfer may not be recorded ahead of its day (the one event rule, store/registry):
        # this one is dated after the day asked about, which is the same case for the rule
        [("detained", "2024-01-10", "SIZO-1 Minsk"), ("transferred", "2026-06-01", "IK-3")],
        D(2026, 1, 1),
        "SIZO-1 Minsk",
        True,
        id="a transfer after the day asked about changes nothing yet",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("released_end_of_term", "2030-01-01")],
        D(2026, 1, 1),
        "IK-3",
        True,
        id="a future-dated release: still held",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("released_end_of_term", "2025-01-01")],
        D(2024, 12, 31),
        "IK-3",
        True,
        id="the day before the release",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("released_end_of_term", "2025-01-01")],
        D(2025, 1, 1),
        None,
        False,
        id="released on the day",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("expelled_abroad", "2025-09-11")],
        D(2025, 9, 11),
        None,
        False,
        id="expelled",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("pardoned", "2025-02-01")],
        D(2025, 3, 1),
        None,
        False,
        id="pardoned",
    ),
    pytest.param(
        [("detained", "2024-01-10", "IK-3"), ("died_in_custody", "2025-02-01")],
        D(2025, 3, 1),
        None,
        False,
        id="died in custody",
    ),
    pytest.param(
        [
            ("detained", "2024-01-10", "IK-3"),
            ("died_in_custody", "2025-02-01"),
            ("re_arrested", "2025-04-01"),
        ],
        D(2025, 5, 1),
        None,
        False,
        id="died, then a custody event recorded by mistake: never written to",
    ),
    pytest.param(
        [
            ("detained", "2020-01-10", "IK-3"),
            ("released_end_of_term", "2022-01-01"),
            ("re_arrested", "2023-03-01"),
        ],
        D(2023, 4, 1),
        None,
        True,
        id="re-arrested: the old colony is not the address",
    ),
    pytest.param(
        [
            ("detained", "2020-01-10", "IK-3"),
            ("released_end_of_term", "2022-01-01"),
            ("re_arrested", "2023-03-01", "SIZO-1 Minsk"),
            ("transferred", "2023-05-01", "Prison No. 8"),
        ],
        D(2023, 5, 2),
        "Prison No. 8",
        True,
        id="re-arrested and transferred",
    ),
    pytest.param(
        [("detained", "2024-01", "SIZO-1 Minsk"), ("transferred", "2024-06", "IK-3")],
        D(2024, 6, 1),
        "IK-3",
        True,
        id="month-precise transfer takes effect on its first day",
    ),
    pytest.param(
        [("detained", "2024-01-10", "SIZO-1 Minsk"), ("transferred", "2024-06-01", "IK-3")],
        D(2024, 1, 9),
        None,
        False,
        id="not yet detained",
    ),
]


@pytest.mark.parametrize(("events", "day", "facility", "eligible"), SCENARIOS)
def test_eligibility_follows_the_history(
    db: Database,
    build: type,
    events: list[tuple[str, ...]],
    day: dt.date,
    facility: str | None,
    eligible: bool,
) -> None:
    with db.session() as s:
        b = build(s)
        pid = b.person("Тэст Асоба", events)
        other = b.person("Іншы Чалавек", [("detained", "2019-01-01", "Other colony")])
        people = eligible_recipients(s, day)
        where = _where(people)
        assert (pid in where) is eligible
        if eligible:
            assert where[pid] == facility
        assert other in where  # an unrelated held person is always there
        assert [r.person_id for r in recipients_for(s, day, [pid])] == ([pid] if eligible else [])


def test_case_facility_only_without_an_earlier_release(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        first = b.person("Першы", [("detained", "2024-01-10")], case_facility="IK-15")
        again = b.person(
            "Другі",
            [
                ("detained", "2020-01-10"),
                ("released_end_of_term", "2021-01-01"),
                ("re_arrested", "2024-01-10"),
            ],
            case_facility="IK-15",
        )
        where = _where(eligible_recipients(s, D(2024, 2, 1)))
        assert where[first] == "IK-15"
        assert where[again] is None


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_keeps_a_person_out_of_public_results(
    db: Database, build: type, flag: str
) -> None:
    day = D(2025, 1, 1)
    with db.session() as s:
        b = build(s)
        pid = b.person("Пазначаны", [("detained", "2024-01-10", "IK-3")])
        set_flag(s, pid, flag, reason="asked by the family", actor="editor")
        assert pid not in _where(eligible_recipients(s, day))
        assert recipients_for(s, day, [pid]) == []
        private = {r.person_id: r for r in eligible_recipients(s, day, include_private=True)}
        assert private[pid].flags == (flag,)
        clear_flag(s, pid, flag, reason="the family agreed", actor="editor")
        assert pid in _where(eligible_recipients(s, day))


def test_a_transfer_to_an_unknown_place_leaves_no_address(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        pid = b.person(
            "Перавезены",
            [("detained", "2024-01-10", "SIZO-1"), ("transferred", "2024-03-01")],
            case_facility="IK-15",
        )
        where = _where(eligible_recipients(s, D(2024, 4, 1)))
        assert pid in where and where[pid] is None


def test_hidden_people_and_private_facts(db: Database, build: type) -> None:
    day = D(2025, 1, 1)
    with db.session() as s:
        b = build(s)
        b.facility("Secret prison", "Секретная тюрьма")  # an editor made it a record
        ghost = b.person(
            "Прывід",
            [
                ("detained", "2024-01-10", "IK-3"),
                ("transferred", "2024-08-01", "Unheard-of place", "private"),
            ],
        )
        hidden = b.person("Схаваны", [("detained", "2024-01-10", "IK-3")], private_names=True)
        moved = b.person(
            "Перавезены",
            [
                ("detained", "2024-01-10", "IK-3"),
                ("transferred", "2024-08-01", "Secret prison", "private"),
            ],
        )
        only_private = b.person("Няпэўны", [("detained", "2024-01-10", "IK-3", "private")])
        public = _where(eligible_recipients(s, day))
        assert hidden not in public and only_private not in public
        assert public[moved] == "IK-3"
        private = _where(eligible_recipients(s, day, include_private=True))
        assert private[hidden] == "IK-3" and private[only_private] == "IK-3"
        assert private[moved] == "Secret prison"
        # a private report's unknown place creates no (public) facility record
        assert public[ghost] == "IK-3" and private[ghost] is None
        assert s.scalar(select(Facility.id).where(Facility.name == "Unheard-of place")) is None


def test_query_by_name_in_any_script_or_by_address(db: Database, build: type) -> None:
    day = D(2025, 1, 1)
    with db.session() as s:
        b = build(s)
        b.facility("Colony No. 3, Viciebsk", "ИК-3", pc="211322", locality="пос. Витьба")
        pid = b.person(
            "Статкевіч Мікалай",
            [("detained", "2024-01-10", "Colony No. 3, Viciebsk")],
            ru="Статкевич Николай",
        )
        other = b.person("Бяляцкі Алесь", [("detained", "2024-01-10", "IK-15")])

        def ids(q: str) -> set[int]:
            return {r.person_id for r in eligible_recipients(s, day, query=q)}

        assert ids("Statkevich") == {pid}
        assert ids("statkev") == {pid}
        assert ids("Николай Статкевич") == {pid}
        assert ids("витьба") == {pid}  # a part of the address
        assert ids("211322") == {pid}
        assert ids("Bialiatski") == {other}
        assert ids("Nobody Here") == set()
        assert ids("  ") == {pid, other}


def test_recipient_line_and_address(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        b.facility("IK-3 Viciebsk", "ИК-3", pc="211322", locality="пос. Витьба")
        pid = b.person(
            "Статкевіч Мікалай Мікалаевіч",
            [("detained", "2024-01-10", "IK-3 Viciebsk")],
            ru="Статкевич Николай Николаевич",
            birth="1956-08-12",
        )
        (r,) = recipients_for(s, D(2025, 1, 1), [pid])
        assert r.recipient_line == "Статкевич Николай Николаевич, 1956 г. р."
        assert r.facility is not None and r.facility.address_ru is not None
        assert r.facility.address_ru.lines == ("ИК-3", "а/я 1", "пос. Витьба", "211322")
        assert r.facility.address_ru.lines_abroad[-1] == "REPUBLIC OF BELARUS"
        assert r.facility.address_be is None  # no Belarusian name recorded


@pytest.mark.parametrize(
    ("fmt", "name", "birth", "expected"),
    [
        (None, "Иванов Иван Иванович", "1980-01-02", "Иванов Иван Иванович, 1980 г. р."),
        (None, "Иванов Иван Иванович", "1980", "Иванов Иван Иванович, 1980 г. р."),
        (None, "Иванов Иван Иванович", None, "Иванов Иван Иванович"),
        (
            "{surname} {given} {patronymic} ({birth_year})",
            "Иванов Иван",
            "1980",
            "Иванов Иван (1980)",
        ),
        ("{surname} {given}, {birth_year}", "Иванов Иван", None, "Иванов Иван"),
    ],
)
def test_recipient_line_formats(
    fmt: str | None, name: str, birth: str | None, expected: str
) -> None:
    assert recipient_line(fmt, name, birth) == expected


def test_envelope_name_prefers_russian_then_belarusian() -> None:
    class N:
        def __init__(self, text: str, language: str | None, kind: str = "official") -> None:
            self.full_text, self.language, self.kind = text, language, kind

    assert envelope_name([N("Latin Name", "en"), N("Імя", "be"), N("Имя", "ru")]) == "Имя"  # type: ignore[list-item]
    assert envelope_name([N("Latin Name", "en"), N("Імя", "be")]) == "Імя"  # type: ignore[list-item]
    assert envelope_name([N("Latin Name", "en")]) == "Latin Name"  # type: ignore[list-item]


def test_verified_source_shown_only_when_public(db: Database, build: type) -> None:
    from prisonwatch.store.facilities import Facilities
    from prisonwatch.store.registry import Registry, SourceInput

    with db.session() as s:
        b = build(s)
        fid = b.facility("IK-3", "ИК-3")
        pid = b.person("Асоба", [("detained", "2024-01-10", "IK-3")])
        src = Registry(s, "ed").add_source(
            SourceInput(url="https://example.org/private-call", visibility="private")
        )
        Facilities(s, "ed").verify(fid, D(2024, 12, 1), src.id)
        (public,) = recipients_for(s, D(2025, 1, 1), [pid])
        (private,) = recipients_for(s, D(2025, 1, 1), [pid], include_private=True)
        assert public.facility is not None and private.facility is not None
        assert public.facility.verified_on == D(2024, 12, 1)
        assert public.facility.verified_source is None
        assert private.facility.verified_source == "https://example.org/private-call"
