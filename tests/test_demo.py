"""The synthetic demo registry has the shape the README promises."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from prisonwatch.demo import DemoError, build_demo
from prisonwatch.store.db import Database
from prisonwatch.store.deal_views import deal_view, list_deals
from prisonwatch.store.people import PeopleFilter, list_people
from prisonwatch.store.schema import Deal, Name, Person, StatusEvent
from prisonwatch.store.status import held_on, status_of

TODAY = dt.date(2026, 11, 25)


def test_demo_registry(sqlite_db: Database) -> None:
    stats = build_demo(sqlite_db, people=1500, seed=1, today=TODAY)
    assert stats["people"] == 1500
    with sqlite_db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Person).where(Person.synthetic.is_(False)))
            == 0
        )
        # Cyrillic and Latin spellings for everyone
        scripts = dict(s.execute(select(Name.script, func.count()).group_by(Name.script)).all())
        assert scripts["cyrillic"] == 3000 and scripts["latin"] == 1500
        # Latin as passports print it, not ICU's BGN ("Hyenadz", "Yawhyen", "Dzmitryy")
        latin = " ".join(s.scalars(select(Name.full_text).where(Name.script == "latin")))
        for bgn in ("Hyenadz", "Yawhyen", "Dzmitryy", "Alyeh", "yevich", "Syarhyey"):
            assert bgn not in latin, bgn
        for passport in ("Henadz", "Yauhen", "Dzmitry", "Aleh", "Siarhei"):
            assert passport in latin, passport
        release = s.scalars(
            select(StatusEvent).where(StatusEvent.date_start == dt.date(2025, 9, 11))
        ).all()
        deal = s.scalars(select(Deal).where(Deal.date_start == dt.date(2025, 9, 11))).one()
        linked = [e for e in release if e.deal_id == deal.id]
        assert len(linked) == 52
        assert sorted({e.kind for e in linked}) == ["expelled_abroad", "refused_to_leave"]
        expelled = [e for e in linked if e.kind == "expelled_abroad"]
        assert len(expelled) == 51
        assert {e.destination_country for e in expelled} == {"Lithuania"}
        # the deal's concessions (the Belavia story) and the 2015 deal
        view = deal_view(s, deal.id)
        assert [(c.kind, c.date, c.certainty, c.target_name) for c in view.concessions] == [
            ("general_licence", "2025-09-11", "stated_officially", "BELAVIA"),
            ("delisting", "2025-11-04", "stated_officially", "BELAVIA"),
        ]
        assert all(c.sources and c.sources[0].publisher for c in view.concessions)
        assert view.by_kind == {"expelled_abroad": 51, "refused_to_leave": 1}
        older = [d for d in list_deals(s) if d.date == "2015-08"]
        assert [d.concession_kinds for d in older] == [["general_licence"]]
        # all 52 were held the day before; after it the 51 expelled are free, the one who
        # refused to leave is held again
        for e in linked:
            assert status_of(s, e.person_id, dt.date(2025, 9, 10)) == "held"
            expected = "released" if e.kind == "expelled_abroad" else "held"
            assert status_of(s, e.person_id, dt.date(2025, 9, 11)) == expected
        # new detentions every month from 2020-05 to the month before "today"
        months = {
            (d.year, d.month)
            for d in s.scalars(select(StatusEvent.date_start).where(StatusEvent.kind == "detained"))
        }
        month = dt.date(2020, 5, 1)
        while month < TODAY.replace(day=1):
            assert (month.year, month.month) in months, month
            month = (month + dt.timedelta(days=32)).replace(day=1)
        kinds = dict(
            s.execute(select(StatusEvent.kind, func.count()).group_by(StatusEvent.kind)).all()
        )
        assert kinds["released_end_of_term"] > 100
        assert held_on(s, TODAY).held > 800
        # the demo writes through the registry: the list's stored status and counts agree
        # with the status derived from the events
        today = dt.date.today()
        assert list_people(s, PeopleFilter(status="held")).total == held_on(s, today).held
        page = list_people(s, PeopleFilter(status="held", region="Minsk"), per_page=200)
        assert page.rows and {r.status for r in page.rows} == {"held"}
        assert page.total == held_on(s, today).by_region["Minsk"]


def test_demo_refuses_a_non_empty_registry(sqlite_db: Database) -> None:
    build_demo(sqlite_db, people=60, seed=2)
    with pytest.raises(DemoError, match="already holds people"):
        build_demo(sqlite_db, people=60, seed=2)
