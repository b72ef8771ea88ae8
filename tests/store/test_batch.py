"""The batched API (Registry.batch): the same rules, audit and derived tables as Registry, for
any caller — not only the importer, whose validation runs first."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from prisonwatch.dates import PartialDate
from prisonwatch.model import EventKind
from prisonwatch.store.batch import PersonRecord
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import tally_count
from prisonwatch.store.registry import Registry, RegistryValidationError
from prisonwatch.store.schema import AuditEntry, CustodyChange, Identifier, Person, StatusEvent


def record(row: int, ext_id: str, **kw: object) -> PersonRecord:
    values: dict[str, object] = dict(
        row=row,
        ext_id=ext_id,
        name="Іваноў Іван",
        name_alt=["Ivanou Ivan"],
        birth=None,
        gender="male",
        region="Minsk",
        detained_on=PartialDate.parse("2021-03-04"),
        case={"articles": "342", "sentence": "3 years"},
        status=None,
        status_date=None,
        source_url="https://example.org/r",
        recognised_by=None,
        destination_country=None,
    )
    values.update(kw)
    return PersonRecord(**values)  # type: ignore[arg-type]


def test_create_update_audit_and_derived_tables(db: Database) -> None:
    with db.session() as s:
        batch = Registry(s, "alice").batch("list", "import test.csv")
        ids = batch.create([record(2, "a"), record(3, "b", name="Петрова Вольга")])
        assert len(ids) == 2
        assert batch.update(ids[0], record(2, "a", region="Brest Region"))
        assert not batch.update(ids[1], record(3, "b", name="Петрова Вольга"))  # nothing new
        batch.finish()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Identifier)) == 2
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person")).all()
        assert sorted((a.action, a.context) for a in audit) == [
            ("create", "import test.csv row 2"),
            ("create", "import test.csv row 3"),
            ("update", "import test.csv row 2"),
        ]
        assert {a.actor for a in audit} == {"alice"}
        # derived: list keys, tally and custody changes are current
        p = s.get(Person, ids[0])
        assert p is not None and p.status_all == "held" and p.region == "Brest Region"
        assert tally_count(s, include_private=False, status="held") == 2
        assert s.scalar(select(func.count()).select_from(CustodyChange)) > 0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"detained_on": PartialDate.parse("2099-01-01")}, "detained_on"),
        (
            {"status": EventKind.PARDONED, "status_date": PartialDate.parse("2099-02")},
            "status_date",
        ),
        (
            {"status": EventKind.RECOGNISED, "status_date": PartialDate.parse("2021-05")},
            "recognised_by",
        ),
        (
            {"status": EventKind.EXPELLED_ABROAD, "status_date": PartialDate.parse("2025-09")},
            "destination_country",
        ),
    ],
)
def test_the_event_rules_hold_for_a_batch(db: Database, kw: dict[str, object], field: str) -> None:
    with db.session() as s, pytest.raises(RegistryValidationError) as info:
        Registry(s, "alice").batch("list").create([record(2, "a", **kw)])
    assert info.value.field == field
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_a_scheduled_release_is_accepted(db: Database) -> None:
    ahead = PartialDate.parse((dt.date.today() + dt.timedelta(days=60)).isoformat())
    with db.session() as s:
        batch = Registry(s, "alice").batch("list")
        [pid] = batch.create(
            [record(2, "a", status=EventKind.RELEASED_END_OF_TERM, status_date=ahead)]
        )
        batch.finish()
    with db.session() as s:
        kinds = s.scalars(select(StatusEvent.kind).where(StatusEvent.person_id == pid)).all()
        assert sorted(kinds) == ["detained", "released_end_of_term"]
        p = s.get(Person, pid)
        assert p is not None and p.status_all == "held" and p.status_valid_until == ahead.start
