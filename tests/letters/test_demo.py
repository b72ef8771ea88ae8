"""The demo's facilities are records with Belarusian and Russian addresses, every case and
transfer of the demo is linked to one, and the demo's held people can be written to."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from prisonwatch.demo import FACILITIES, build_demo
from prisonwatch.letters.demo import DEMO_FACILITIES
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.log import pick
from prisonwatch.store.db import Database
from prisonwatch.store.schema import Case, StatusEvent
from prisonwatch.store.schema_letters import Facility

TODAY = dt.date(2026, 11, 25)


def test_demo_facilities_match_the_demo() -> None:
    assert [f[0] for f in DEMO_FACILITIES] == [name for name, _address in FACILITIES]


def test_demo_writes_facility_records(sqlite_db: Database) -> None:
    build_demo(sqlite_db, people=60, seed=3, today=TODAY)
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Facility)) == len(DEMO_FACILITIES)
        unlinked_cases = s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.facility.is_not(None), Case.facility_id.is_(None))
        )
        unlinked_events = s.scalar(
            select(func.count())
            .select_from(StatusEvent)
            .where(StatusEvent.facility.is_not(None), StatusEvent.facility_id.is_(None))
        )
        assert unlinked_cases == 0 and unlinked_events == 0
        people = eligible_recipients(s, TODAY)
        placed = [r for r in people if r.facility is not None]
        # everyone but the re-arrested (the demo does not say where they were taken)
        re_arrested = set(
            s.scalars(select(StatusEvent.person_id).where(StatusEvent.kind == "re_arrested"))
        )
        assert {r.person_id for r in people if r.facility is None} <= re_arrested
        assert len(placed) >= 0.8 * len(people) > 0
        for r in placed:
            assert r.facility is not None and r.facility.address_be and r.facility.address_ru
            assert r.facility.address_ru.lines_abroad[-1] == "REPUBLIC OF BELARUS"
            assert r.recipient_line.split(",")[0] != r.display_name  # Russian on the envelope
        assert pick(s, TODAY, rng=random.Random(1)) is not None
