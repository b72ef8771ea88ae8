"""The stock-flow identity: for every period and every breakdown,
held(end) − held(start) = inflow − outflow, where held(·) comes from the status module
(``held_people``) and the flows from the transitions — two independent queries."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from prisonwatch.dates import PartialDate
from prisonwatch.model import EventKind
from prisonwatch.stats.flows import Series, held_count, series
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.periods import Period, Unit
from prisonwatch.store.custody import compute_people, rebuild_all
from prisonwatch.store.db import Database
from prisonwatch.store.schema import (
    Case,
    CaseArticle,
    CustodyChange,
    Name,
    Organisation,
    Person,
    StatusEvent,
)

DIMENSIONS: list[Dimension | None] = [None, *Dimension]


def check_identity(db: Database, result: Series, include_private: bool = False) -> int:
    """Assert every row against held_people at its two boundaries; return rows checked."""
    ref = result.period.last
    checked = 0
    cache: dict[dt.date, dict[str | None, int]] = {}

    def held(day: dt.date) -> dict[str | None, int]:
        if day not in cache:
            with db.session() as s:
                cache[day] = held_count(
                    s,
                    day,
                    dimension=result.dimension,
                    reference_day=ref,
                    include_private=include_private,
                )
        return cache[day]

    for row in result.rows:
        assert row.held_start == held(row.period.day_before).get(row.group, 0), row.as_dict()
        assert row.held_end == held(row.period.last).get(row.group, 0), row.as_dict()
        assert row.held_end - row.held_start == row.flows.inflow - row.flows.outflow
        checked += 1
    return checked


KINDS = [k.value for k in EventKind]
dates = st.builds(
    lambda y, m, d, p: PartialDate(y, m if p >= 2 else None, d if p == 3 else None),
    st.integers(2019, 2026),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from([1, 2, 3, 3, 3]),
)
event = st.tuples(st.sampled_from(KINDS), dates, st.booleans(), st.sampled_from([None, 0, 1]))
person = st.tuples(
    st.lists(event, min_size=0, max_size=6),
    st.sampled_from([None, "Minsk", "Homel"]),
    st.sampled_from([None, "male", "female"]),
    st.one_of(st.none(), st.dates(dt.date(1940, 1, 1), dt.date(2008, 12, 31))),
    st.lists(st.sampled_from(["342", "361-1", "130"]), max_size=2, unique=True),
)


def load(db: Database, people: list[tuple[object, ...]]) -> None:
    with db.session() as s:
        for table in (CustodyChange, StatusEvent, CaseArticle, Case, Name, Person, Organisation):
            s.execute(delete(table))
        orgs = [Organisation(name="Viasna"), Organisation(name="Libereco")]
        s.add_all(orgs)
        s.flush()
        for events, region, gender, birth, articles in people:
            p = Person(region=region, gender=gender, birth_start=birth)
            s.add(p)
            s.flush()
            # public: a person without a public name is hidden (store.visibility)
            s.add(Name(person_id=p.id, full_text=f"Person {p.id}", script="latin"))
            if articles:
                c = Case(person_id=p.id)
                s.add(c)
                s.flush()
                s.add_all(
                    CaseArticle(case_id=c.id, person_id=p.id, article=a)
                    for a in articles  # type: ignore[attr-defined]
                )
            for kind, date, private, org in events:  # type: ignore[attr-defined]
                s.add(
                    StatusEvent(
                        person_id=p.id,
                        kind=kind,
                        date_start=date.start,
                        date_precision=int(date.precision),
                        organisation_id=orgs[org].id if org is not None else None,
                        visibility="private" if private else "public",
                    )
                )
        rebuild_all(s)  # events written directly: the bulk-load path


def check_stored_changes(db: Database, include_private: bool) -> None:
    """The stored changes the statistics read (set-based SQL with window functions, the bulk
    load's path) equal the changes computed person by person in Python from the events."""
    cc = CustodyChange.__table__.c
    name = "all" if include_private else "public"
    scope = cc.scope == name
    with db.session() as s:
        rows = [
            r for r in compute_people(s, list(s.scalars(select(Person.id)))) if r["scope"] == name
        ]
        stored = s.execute(select(cc.event_id, cc.delta_held).where(scope, cc.delta_held != 0))
        computed = [(r["event_id"], r["delta_held"]) for r in rows if r["delta_held"]]
        assert sorted(map(tuple, stored)) == sorted(computed)
        stored = s.execute(
            select(cc.event_id, cc.delta_recognised, cc.delta_recognised_any).where(
                scope, cc.delta_recognised != 0
            )
        )
        computed = [
            (r["event_id"], r["delta_recognised"], r["delta_recognised_any"])
            for r in rows
            if r["delta_recognised"]
        ]
        assert sorted(map(tuple, stored)) == sorted(computed)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person, min_size=1, max_size=12),
    start=st.dates(dt.date(2019, 1, 1), dt.date(2026, 6, 1)),
    length=st.integers(0, 900),
    unit=st.sampled_from([Unit.WEEK, Unit.MONTH, Unit.YEAR, None]),
    dimension=st.sampled_from(DIMENSIONS),
    include_private=st.booleans(),
)
def test_identity_on_generated_registries(
    db: Database,
    people: list[tuple[object, ...]],
    start: dt.date,
    length: int,
    unit: Unit | None,
    dimension: Dimension | None,
    include_private: bool,
) -> None:
    load(db, people)
    check_stored_changes(db, include_private)
    period = Period(start, start + dt.timedelta(days=length))
    with db.session() as s:
        result = series(s, period, unit, dimension=dimension, include_private=include_private)
    checked = check_identity(db, result, include_private)
    # without a breakdown there is always a row per bucket; a breakdown lists only the groups
    # that have someone held or a flow
    assert checked >= 1 if dimension is None else checked == len(result.rows)


def test_identity_on_demo_registry(db: Database) -> None:
    demo = pytest.importorskip("prisonwatch.demo")
    build = demo.build_demo
    kwargs = {"seed": 1, "people": 600, "actor": "demo"}
    accepted = inspect.signature(build).parameters
    build(db, **{k: v for k, v in kwargs.items() if k in accepted})
    period = Period(dt.date(2020, 1, 1), dt.date(2026, 6, 30))
    total = 0
    for dimension in DIMENSIONS:
        for unit in (Unit.MONTH, Unit.YEAR):
            with db.session() as s:
                result = series(s, period, unit, dimension=dimension)
            total += check_identity(db, result)
    assert total > 78 * 6  # every month of every breakdown was checked
