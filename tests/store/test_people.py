"""The people list reads its stored keys and shows the right thing: the names in alphabetical
order as displayed in the reader's script, the same people for every filter as the filter's
definition, exact totals — on both backends."""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

import icu
import pytest
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from prisonwatch.names.display import shown_name
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import refresh_list_keys
from prisonwatch.store.people import (
    PeopleFilter,
    describe_people,
    filtered_people,
    list_people,
)
from prisonwatch.store.registry import CaseInput, EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.schema import Name, Person
from prisonwatch.store.shown_names import visible_names

TODAY = dt.date.today()
REGIONS = ["Minsk", "minsk", "Brest Region", "Homiel Region", None]
FIRST = ["Аляксандр", "alexander", "ALEXANDER", "Zoë", "Ёжык", "Мікалай", "mikalai", "Ян"]
LAST = ["Статкевіч", "statkevich", "Kowalski", "Ärger", "Бондар", "zz", "A"]


def displayed_order(s: Session, include_private: bool, descending: bool, script: str) -> list[int]:
    """The people in the alphabetical order of the names the reader sees in ``script`` —
    ICU's root collation compared pairwise (not the stored keys), ties by id; people without
    a visible name (hidden from the public) are left out."""
    collator = icu.Collator.createInstance(icu.Locale.getRoot())
    collator.setStrength(icu.Collator.SECONDARY)
    ids = list(s.scalars(select(Person.id)))
    names = visible_names(s, ids, include_private=include_private)
    shown = {pid: shown_name(found, script) for pid, found in names.items()}
    listed = [pid for pid in ids if shown.get(pid) is not None]

    def compare(a: int, b: int) -> int:
        by_name = collator.compare(shown[a], shown[b])
        if descending:
            by_name = -by_name
        return by_name or (a > b) - (a < b)

    return sorted(listed, key=functools.cmp_to_key(compare))


def every_page(s: Session, flt: PeopleFilter | None, **kw: Any) -> tuple[list[int], int]:
    ids: list[int] = []
    page = 1
    while True:
        result = list_people(s, flt, page=page, per_page=7, **kw)
        ids += [row.id for row in result.rows]
        if page >= result.pages:
            return ids, result.total
        page += 1


@pytest.fixture
def registry(db: Database) -> Database:
    """60 people: names in both scripts and cases, private names (some the primary one, some
    the only one), events in the past and the future, public and private."""
    rng = random.Random(11)
    with db.session() as s:
        reg = Registry(s, "test")
        for i in range(60):
            names = [
                NameInput(
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    visibility="private" if rng.random() < 0.25 else "public",
                    is_primary=rng.random() < 0.5,
                )
                for _ in range(rng.randint(1, 3))
            ]
            pid = reg.add_person(PersonInput(names=names, region=rng.choice(REGIONS))).id
            if i % 5 == 0:
                reg.add_case(pid, CaseInput(articles="342", sentence="3 years"))
            day = TODAY - dt.timedelta(days=rng.randint(1, 2000))
            for kind in rng.sample(["detained", "released_end_of_term", "died_in_custody"], 2):
                reg.add_event(
                    pid,
                    EventInput(
                        # only a release at the end of term may be dated ahead (store/registry.py)
                        kind if day <= TODAY else "released_end_of_term",
                        day.isoformat(),
                        visibility="private" if rng.random() < 0.2 else "public",
                    ),
                )
                day += dt.timedelta(days=rng.randint(-300, 400))  # may lie in the future
    return db


@pytest.mark.parametrize("script", ["latin", "cyrillic"])
def test_order_is_the_order_of_the_names_as_displayed(registry: Database, script: str) -> None:
    with registry.session() as s:
        for include_private in (False, True):
            for sort in ("name", "-name"):
                ids, total = every_page(
                    s, None, sort=sort, include_private=include_private, script=script
                )
                want = displayed_order(s, include_private, sort.startswith("-"), script)
                assert ids == want
                hidden = s.scalar(
                    select(func.count())
                    .select_from(Person)
                    .where(
                        ~exists().where(Name.person_id == Person.id, Name.visibility == "public")
                    )
                )
                assert 0 < hidden < 60
                assert total == len(ids) == (60 if include_private else 60 - hidden)


FILTERS = [
    PeopleFilter(status="held"),
    PeopleFilter(status="released", region="MINSK"),
    PeopleFilter(status="died"),
    PeopleFilter(status="unknown", region="Brest Region"),
    PeopleFilter(region="minsk"),
    PeopleFilter(region="nowhere"),
    PeopleFilter(status="held", article="342"),
    PeopleFilter(text="alex"),
    PeopleFilter(text="  "),
]


def test_filters_and_totals_match_the_derived_status(registry: Database) -> None:
    with registry.session() as s:
        for include_private, flt in [(p, f) for p in (False, True) for f in FILTERS]:
            derived = set(s.scalars(filtered_people(flt, TODAY, include_private=include_private)))
            ids, total = every_page(s, flt, include_private=include_private)
            assert set(ids) == derived, flt
            assert total == len(ids) == len(derived), flt
        held = set(every_page(s, PeopleFilter(status="held"))[0])
        assert 0 < len(held) < 60


def test_rows_show_the_derived_status_and_facts(registry: Database) -> None:
    """Each row of a page equals what describe_people derives from the events."""
    with registry.session() as s:
        for include_private in (False, True):
            page = list_people(s, per_page=60, include_private=include_private)
            derived = describe_people(
                s, [r.id for r in page.rows], TODAY, include_private=include_private
            )
            assert page.rows == derived
            assert {r.status for r in page.rows} >= {"held", "released"}
            assert any(r.articles == "342" for r in page.rows)


def test_another_day_is_derived_from_the_events(registry: Database) -> None:
    day = TODAY - dt.timedelta(days=700)
    with registry.session() as s:
        for status in ("held", "unknown"):
            flt = PeopleFilter(status=status)
            ids, total = every_page(s, flt, on=day)
            assert set(ids) == set(s.scalars(filtered_people(flt, day)))
            assert total == len(ids)
        # the stored status is today's: another day gives other people
        assert set(every_page(s, PeopleFilter(status="unknown"), on=day)[0]) != set(
            every_page(s, PeopleFilter(status="unknown"))[0]
        )


def test_the_list_refreshes_a_status_whose_day_has_come(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Тэст")], region="Minsk")).id
        reg.add_event(pid, EventInput("detained", "2024-02-02"))
        reg.add_event(pid, EventInput("pardoned", TODAY.isoformat()))
        refresh_list_keys(s, [pid], today=TODAY - dt.timedelta(days=1))  # stored yesterday
    with db.session() as s:
        assert s.scalar(select(Person.status_public)) == "held"
        assert list_people(s, PeopleFilter(status="held")).total == 0
        released = list_people(s, PeopleFilter(status="released", region="minsk"))
        assert [r.id for r in released.rows] == [pid] and released.total == 1
        assert released.rows[0].status == "released"


def test_pages_are_stable_and_complete(registry: Database) -> None:
    with registry.session() as s:
        one = list_people(s, page=3, per_page=10)
        again = list_people(s, page=3, per_page=10)
        assert [r.id for r in one.rows] == [r.id for r in again.rows]
        assert one.pages == 6 and len(one.rows) == 10
        assert list_people(s, page=99, per_page=10).rows == []
        with pytest.raises(ValueError, match="status"):
            list_people(s, PeopleFilter(status="free"))


@pytest.mark.parametrize("include_private", [False, True])
def test_totals_without_other_filters_are_read_from_the_tally(
    registry: Database, include_private: bool
) -> None:
    """No filter, a status (today) or a region: the total is a sum over the tally — for the
    public reader too (the public tally leaves hidden people out by itself) — not a COUNT over
    every person. A row added to the tally alone shows in those totals and in no other."""
    from prisonwatch.store.schema import PersonTally

    scope = "all" if include_private else "public"
    with registry.session() as s:
        before = {
            "none": list_people(s, include_private=include_private).total,
            "held": list_people(
                s, PeopleFilter(status="held"), include_private=include_private
            ).total,
            "text": list_people(s, PeopleFilter(text="a"), include_private=include_private).total,
        }
        s.add(PersonTally(scope=scope, status="held", region_key="minsk", n=1000))
        s.flush()
        assert list_people(s, include_private=include_private).total == before["none"] + 1000
        held = list_people(s, PeopleFilter(status="held"), include_private=include_private)
        assert held.total == before["held"] + 1000
        # another filter is counted from the people themselves
        text = list_people(s, PeopleFilter(text="a"), include_private=include_private)
        assert text.total == before["text"]
        s.rollback()
