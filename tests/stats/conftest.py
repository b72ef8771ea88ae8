"""Fixtures for the statistics tests: small registries built with the ORM on both backends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.store.custody import refresh_people
from prisonwatch.store.db import Database
from prisonwatch.store.schema import (
    Case,
    CaseArticle,
    Name,
    Organisation,
    Person,
    StatusEvent,
)


@dataclass
class Ev:
    kind: str
    date: str
    org: str | None = None
    private: bool = False
    deal_id: int | None = None


@dataclass
class P:
    events: Sequence[Ev]
    region: str | None = None
    gender: str | None = None
    birth: str | None = None
    articles: Sequence[str] = field(default_factory=tuple)


def org_id(session: Session, name: str) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.name == name))
    if found is not None:
        return found
    org = Organisation(name=name, kind="hr_group")
    session.add(org)
    session.flush()
    return org.id


def add_person(session: Session, p: P) -> int:
    birth = PartialDate.parse(p.birth) if p.birth else None
    person = Person(
        region=p.region,
        gender=p.gender,
        birth_date=birth.iso() if birth else None,
        birth_start=birth.start if birth else None,
        synthetic=True,
    )
    session.add(person)
    session.flush()
    # a public name: a person without one is hidden, not public at all (store.visibility)
    session.add(
        Name(person_id=person.id, full_text=f"Person {person.id}", script="latin", is_primary=True)
    )
    if p.articles:
        case = Case(person_id=person.id, articles="; ".join(p.articles))
        session.add(case)
        session.flush()
        for art in p.articles:
            session.add(CaseArticle(case_id=case.id, person_id=person.id, article=art))
    for ev in p.events:
        d = PartialDate.parse(ev.date)
        session.add(
            StatusEvent(
                person_id=person.id,
                kind=ev.kind,
                date_start=d.start,
                date_precision=int(d.precision),
                date_approx=d.approximate,
                organisation_id=org_id(session, ev.org) if ev.org else None,
                deal_id=ev.deal_id,
                visibility="private" if ev.private else "public",
            )
        )
    session.flush()
    # events written directly (not through Registry): refresh the derived table as it does
    refresh_people(session, [person.id])
    return person.id


#: A hand-checked timeline; the expected figures are in test_flows.py.
TIMELINE: dict[str, P] = {
    # detained in "2021-05" (takes effect 2021-05-01), recognised, sentenced while held (not
    # inflow), released at end of term, re-arrested, expelled with the mass release
    "p1": P(
        [
            Ev("detained", "2021-05"),
            Ev("recognised", "2021-06-10", org="Viasna"),
            Ev("sentenced", "2021-09-01"),
            Ev("released_end_of_term", "2023-05-01"),
            Ev("re_arrested", "2024-02-15"),
            Ev("expelled_abroad", "2025-09-11"),
        ],
        region="Minsk",
        gender="female",
        birth="1980-03-10",
        articles=("342",),
    ),
    # detained twice: a short spell in 2020, again in "2021" (takes effect 2021-01-01), pardoned
    "p2": P(
        [
            Ev("detained", "2020-08-10"),
            Ev("released_other", "2020-08-20"),
            Ev("detained", "2021"),
            Ev("pardoned", "2024-07-03"),
        ],
        region="Homel",
        gender="male",
        birth="1965",
        articles=("342", "361-1"),
    ),
    # died in custody
    "p3": P(
        [Ev("detained", "2022-03-01"), Ev("died_in_custody", "2024-02-15")],
        region="Minsk",
        gender="male",
        birth="1958-01-01",
        articles=("361-1",),
    ),
    # refused to leave on the day of the mass release: stays held, not inflow
    "p4": P(
        [Ev("detained", "2020-09-15"), Ev("refused_to_leave", "2025-09-11")],
        region="Brest",
        gender="male",
        birth="1990-06",
    ),
    # a pardon of someone not held is not outflow; a private (unverified) detention
    "p5": P(
        [Ev("pardoned", "2023-01-01"), Ev("detained", "2025-10-01", private=True)],
        region="Minsk",
        gender="male",
    ),
    # a second 'detained' while held is not inflow
    "p6": P([Ev("detained", "2022-06-01"), Ev("detained", "2022-07-01")]),
    # recognition only, then withdrawn
    "p7": P(
        [
            Ev("recognised", "2022-01-01", org="Viasna"),
            Ev("recognition_withdrawn", "2023-03-01", org="Viasna"),
        ]
    ),
    # two organisations: the person stays recognised until the second withdraws
    "p8": P(
        [
            Ev("recognised", "2022-02-01", org="Viasna"),
            Ev("recognised", "2022-03-01", org="Libereco"),
            Ev("recognition_withdrawn", "2022-05-01", org="Viasna"),
            Ev("recognition_withdrawn", "2023-02-01", org="Libereco"),
        ]
    ),
}


@pytest.fixture
def timeline(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {key: add_person(s, p) for key, p in TIMELINE.items()}


@pytest.fixture
def make_people(db: Database) -> Callable[[Sequence[P]], list[int]]:
    def make(people: Sequence[P]) -> list[int]:
        with db.session() as s:
            return [add_person(s, p) for p in people]

    return make


@dataclass(frozen=True)
class Spec:
    """The person/event builders, for test modules (conftest is not importable by name)."""

    P: type[P] = P
    Ev: type[Ev] = Ev


@pytest.fixture
def spec() -> Spec:
    return Spec()
