"""store.visibility: a person is public iff one of their names is public; a hidden person's
public events count nowhere public, and every name write moves the person in or out of the
public counts (stored status, tally, custody changes) in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from prisonwatch.store.db import Database
from prisonwatch.store.people import PeopleFilter, latest_events, list_people
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.schema import CustodyChange, Name
from prisonwatch.store.status import held_on


def _public_view(db: Database) -> tuple[int, int, int, int, list[int]]:
    """(held today, list total, held in the list, public custody changes, latest people)."""
    with db.session() as s:
        today = dt.date.today()
        return (
            held_on(s, today).held,
            list_people(s).total,
            list_people(s, PeopleFilter(status="held")).total,
            int(
                s.scalar(
                    select(func.count())
                    .select_from(CustodyChange)
                    .where(CustodyChange.scope == "public")
                )
                or 0
            ),
            [e.person_id for e in latest_events(s, 50)],
        )


def test_name_writes_move_a_person_in_and_out_of_public_counts(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "t")
        p = reg.add_person(PersonInput(names=[NameInput("Ales Bialiatski")]))
        reg.add_event(p.id, EventInput("detained", "2021-07-14"))
        pid = p.id
        nid = s.scalar(select(Name.id).where(Name.person_id == pid))
    assert _public_view(db) == (1, 1, 1, 1, [pid])
    with db.session() as s:  # the only name made private: the person is hidden
        Registry(s, "t").edit_name(nid, {"visibility": "private"})
    assert _public_view(db) == (0, 0, 0, 0, [])
    with db.session() as s:
        assert held_on(s, dt.date.today(), include_private=True).held == 1
        assert list_people(s, include_private=True).total == 1
    with db.session() as s:  # a public name again: back in every public count
        Registry(s, "t").add_name(pid, NameInput("Алесь Бяляцкі"))
    assert _public_view(db) == (1, 1, 1, 1, [pid])


@pytest.mark.parametrize(
    ("names", "public"),
    [((), False), (("private",), False), (("private", "public"), True), (("public",), True)],
)
def test_has_public_name_is_the_person_rule(names: tuple[str, ...], public: bool) -> None:
    from prisonwatch.store.visibility import has_public_name

    assert has_public_name(iter(names)) is public
