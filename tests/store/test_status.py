"""A person's status on a date, derived from events: a table of timelines, on which every form
of the status rule (:mod:`prisonwatch.store.status_rule` — Python, the per-person SQL, the
bulk SQL of each dialect, the stored status, the person page) must agree."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from prisonwatch.model import CUSTODY_EFFECT, EventKind, Status
from prisonwatch.store.custody import SCOPES, compute_people
from prisonwatch.store.db import Database
from prisonwatch.store.dialect import PORTABLE
from prisonwatch.store.listkeys import status_expression
from prisonwatch.store.people import person_view
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.schema import Person
from prisonwatch.store.status import held_on, status_of
from prisonwatch.store.status_rule import latest_custody_events, status_after, status_on

D = dt.date

# (events as (kind, date[, organisation]), day asked, expected status)
CASES: list[tuple[str, list[tuple[str, ...]], dt.date, str]] = [
    ("no events", [], D(2022, 1, 1), "unknown"),
    ("detained later", [("detained", "2022-03-01")], D(2022, 2, 28), "unknown"),
    ("detained that day", [("detained", "2022-03-01")], D(2022, 3, 1), "held"),
    ("month-precise takes effect on the 1st", [("detained", "2022-03")], D(2022, 3, 1), "held"),
    ("month-precise not before", [("detained", "2022-03")], D(2022, 2, 28), "unknown"),
    ("year-precise", [("detained", "2021")], D(2021, 1, 1), "held"),
    (
        "released",
        [("detained", "2021-01-10"), ("released_end_of_term", "2023-01-10")],
        D(2023, 1, 10),
        "released",
    ),
    (
        "held the day before release",
        [("detained", "2021-01-10"), ("released_end_of_term", "2023-01-10")],
        D(2023, 1, 9),
        "held",
    ),
    (
        "pardoned month-precise vs day inside month",
        [("detained", "2021-01-10"), ("pardoned", "2024-06")],
        D(2024, 6, 15),
        "released",
    ),
    (
        "release by year then re-arrest by day",
        [("detained", "2020"), ("released_end_of_term", "2022"), ("re_arrested", "2022-03-04")],
        D(2022, 6, 1),
        "held",
    ),
    (
        "same first day: day-precise beats month-precise",
        [("detained", "2022-05"), ("released_end_of_term", "2022-05-01")],
        D(2022, 5, 20),
        "released",
    ),
    (
        "same first day reversed",
        [("released_end_of_term", "2022-05"), ("detained", "2022-05-01")],
        D(2022, 5, 20),
        "held",
    ),
    (
        "refused to leave keeps custody",
        [
            ("detained", "2020-05-31"),
            ("pardoned", "2025-09-11"),
            ("refused_to_leave", "2025-09-11"),
        ],
        D(2025, 9, 12),
        "held",
    ),
    (
        "expelled abroad",
        [("detained", "2021-02-02"), ("expelled_abroad", "2025-09-11")],
        D(2025, 9, 11),
        "released",
    ),
    (
        "died in custody",
        [("detained", "2021-02-02"), ("died_in_custody", "2023-07")],
        D(2024, 1, 1),
        "died",
    ),
    (
        "recognition does not change custody",
        [
            ("detained", "2021-02-02"),
            ("recognised", "2021-03", "Org A"),
            ("recognition_withdrawn", "2022", "Org A"),
        ],
        D(2023, 1, 1),
        "held",
    ),
    (
        "sentenced while held",
        [("detained", "2021-02-02"), ("sentenced", "2021-08-01")],
        D(2021, 9, 1),
        "held",
    ),
    (
        "detained twice, overlapping records",
        [
            ("detained", "2021-02"),
            ("detained", "2021-02-15"),
            ("released_end_of_term", "2021-12-01"),
        ],
        D(2021, 11, 30),
        "held",
    ),
    (
        "second detention after release",
        [
            ("detained", "2020-09-01"),
            ("released_end_of_term", "2021-09-01"),
            ("detained", "2023-01-05"),
        ],
        D(2022, 6, 1),
        "released",
    ),
]

# every event kind alone, the day it happens: its status is the one the model gives it
CASES += [
    (
        f"{kind.value} alone",
        [(kind.value, "2022-04-04", "Org A")],
        D(2022, 4, 4),
        (
            "unknown"
            if CUSTODY_EFFECT[kind] == 0
            else "held"
            if CUSTODY_EFFECT[kind] > 0
            else "died"
            if kind is EventKind.DIED_IN_CUSTODY
            else "released"
        ),
    )
    for kind in EventKind
]


def _person(reg: Registry, events: list[tuple[str, ...]]) -> int:
    p = reg.add_person(PersonInput(names=[NameInput("Тэставы Чалавек")]))
    for ev in events:
        kind, date = ev[0], ev[1]
        org = ev[2] if len(ev) > 2 and kind.startswith("recogni") else None
        dest = "Lithuania" if kind == "expelled_abroad" else None
        reg.add_event(p.id, EventInput(kind, date, organisation=org, destination_country=dest))
    return p.id


def test_held_on_counts_everyone_and_narrows_by_organisation(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        _person(reg, [("detained", "2021-01-01"), ("recognised", "2021-02-01", "Org A")])
        _person(reg, [("detained", "2021-01-01"), ("recognised", "2021-02-01", "Org B")])
        _person(
            reg,
            [
                ("detained", "2021-01-01"),
                ("recognised", "2021-02-01", "Org A"),
                ("recognition_withdrawn", "2021-06", "Org A"),
            ],
        )
        _person(
            reg,
            [
                ("detained", "2021-01-01"),
                ("released_end_of_term", "2021-03-01"),
                ("recognised", "2021-02-01", "Org A"),
            ],
        )
        _person(reg, [("detained", "2021-05-01")])
    with db.session() as s:
        assert held_on(s, D(2021, 4, 1)).held == 3
        assert held_on(s, D(2021, 5, 1)).held == 4
        assert held_on(s, D(2021, 4, 1), recognised_by="org a").held == 2
        assert held_on(s, D(2021, 7, 1), recognised_by="Org A").held == 1
        summary = held_on(s, D(2021, 7, 1))
        assert summary.by_recognising_organisation == {"Org A": 1, "Org B": 1}
        assert summary.not_held == {"released_end_of_term": 1}


def test_private_events_do_not_count_unless_asked(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        p = reg.add_person(PersonInput(names=[NameInput("Ганна Тэставая")]))
        reg.add_event(p.id, EventInput("detained", "2024-01-05", visibility="private"))
    with db.session() as s:
        assert held_on(s, D(2024, 2, 1)).held == 0
        assert held_on(s, D(2024, 2, 1), include_private=True).held == 1


@pytest.mark.parametrize(("label", "events", "day", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_form_of_the_rule_agrees(
    db: Database, label: str, events: list[tuple[str, ...]], day: dt.date, expected: str
) -> None:
    with db.session() as s:
        pid = _person(Registry(s, "test"), events)
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None
        forms: dict[str, str] = {"python": status_on(person.events, day)}
        forms["deciding_event"] = status_of(s, pid, day)
        for dialect in (PORTABLE, db.dialect):
            latest = latest_custody_events(day, dialect=dialect)
            kind = s.scalar(select(latest.c.kind).where(latest.c.person_id == pid))
            forms[f"latest_custody_events {dialect.name}"] = status_after(kind)
        for private in (False, True):
            forms[f"stored {private}"] = s.scalar(
                select(status_expression(day, private)).where(Person.id == pid)
            )
        forms["person page"] = person_view(s, pid, on=day).status
        # held or not: the count of everyone held, and the custody changes up to the day
        held = held_on(s, day).held
        changes = sum(
            row["delta_held"]
            for row in compute_people(s, [pid])
            if row["scope"] == SCOPES[-1] and row["date_start"] <= day
        )
    assert forms == dict.fromkeys(forms, Status(expected)), label
    assert held == changes == (1 if expected == Status.HELD else 0)
