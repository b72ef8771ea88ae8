"""Facilities as records: the writer (validated, audited), free text of cases and events
linked to records, and migration 0009_letters turning an older registry's free text into
records."""

from __future__ import annotations

import datetime as dt

import pytest
from migrationhelpers import migrate
from sqlalchemy import create_engine, select, text

from prisonwatch.store.db import Database
from prisonwatch.store.facilities import (
    Facilities,
    FacilityInput,
    FacilityNotFound,
    facility_key,
    guess_kind,
    split_address,
)
from prisonwatch.store.registry import CaseInput, EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.schema import AuditEntry, Case, StatusEvent
from prisonwatch.store.schema_letters import Facility
from prisonwatch.validation import FieldError


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ИК-3 Витебск", "penal_colony"),
        ("Penal colony No. 17, Shklou", "penal_colony"),
        ("Папраўчая калонія № 15", "penal_colony"),
        ("СИЗО-1 Минск", "sizo"),
        ("Prison No. 8, Zhodzina", "prison"),
        ("Тюрьма № 4", "prison"),
        ("ИВС Партизанского района", "remand"),
        ("Somewhere", "other"),
    ],
)
def test_guess_kind(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("PO box 1, 211440 Navapolatsk", ("PO box 1", "211440", "Navapolatsk")),
        ("ул. Ленина, 1, 220030, г. Минск", ("ул. Ленина, 1", "220030", "г. Минск")),
        ("211440 Navapolatsk, Viciebsk region", ("Viciebsk region", "211440", "Navapolatsk")),
        ("no postal code here", ("no postal code here", None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_split_address(
    address: str | None, expected: tuple[str | None, str | None, str | None]
) -> None:
    assert split_address(address) == expected


def test_facility_key_folds_case_spaces_and_punctuation() -> None:
    assert facility_key("ИК-1, Новополоцк") == facility_key("ик 1   новополоцк")
    assert facility_key("IK-1") != facility_key("IK-11")


def test_writer_validates_and_audits(db: Database) -> None:
    with db.session() as s:
        w = Facilities(s, "ed", context="test")
        f = w.add(FacilityInput(name="IK-3", kind="penal colony", name_ru="ИК-3"))
        assert f.kind == "penal_colony" and f.country == "BY"
        with pytest.raises(FieldError):  # the same facility twice, by any of its names
            w.add(FacilityInput(name="ик 3"))
        with pytest.raises(FieldError):
            w.add(FacilityInput(name="X", kind="castle"))
        with pytest.raises(FieldError):
            w.add(FacilityInput(name="X", country="Belarus"))
        with pytest.raises(FieldError):
            w.add(FacilityInput(name="X", recipient_format="{name} {password}"))
        with pytest.raises(FieldError):
            w.add(FacilityInput(name="X", recipient_format="{birth_year}"))
        with pytest.raises(FieldError):
            w.add(FacilityInput(name="bad\u202ename"))
        with pytest.raises(FieldError):
            w.edit(f.id, {"id": 5})
        w.edit(f.id, {"postal_code": "211322", "locality": "пос. Витьба"})
        w.verify(f.id, dt.date(2026, 11, 1), None)
        with pytest.raises(FieldError):  # an older verification does not replace a newer one
            w.verify(f.id, dt.date(2026, 10, 1), None)
        with pytest.raises(FacilityNotFound):
            w.verify(f.id, dt.date(2026, 11, 2), 999_999)
        with pytest.raises(FacilityNotFound):
            w.edit(999_999, {"note": "x"})
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type == "facility", AuditEntry.entity_id == f.id)
                .order_by(AuditEntry.id)
            )
        )
        assert [e.action for e in entries] == ["create", "update", "verify"]
        assert entries[1].after == {"postal_code": "211322", "locality": "пос. Витьба"}
        assert entries[2].after == {"verified_on": "2026-11-01"}


def test_verify_with_a_source(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "ed")
        src = reg.source_for_url("https://example.org/addresses")
        f = Facilities(s, "ed").add(FacilityInput(name="IK-3"))
        Facilities(s, "ed").verify(f.id, dt.date(2026, 11, 1), src.id)
        assert (f.verified_on, f.verified_source_id) == (dt.date(2026, 11, 1), src.id)


def test_registry_links_free_text_to_records(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "ed")
        pid = reg.add_person(PersonInput(names=[NameInput("Асоба")])).id
        case = reg.add_case(
            pid, CaseInput(facility="ИК-1, Новополоцк", facility_address="а/я 1, 211440 Новополоцк")
        )
        ev = reg.add_event(pid, EventInput("transferred", "2024-01-01", facility="ик 1 новополоцк"))
        assert case.facility_id is not None and ev.facility_id == case.facility_id
        f = s.get(Facility, case.facility_id)
        assert f is not None
        assert (f.name, f.kind, f.postal_code, f.locality, f.street) == (
            "ИК-1, Новополоцк",
            "penal_colony",
            "211440",
            "Новополоцк",
            "а/я 1",
        )
        reg.edit_event(ev.id, {"facility": "СИЗО-1"})
        assert ev.facility_id not in (None, case.facility_id)
        reg.edit_event(ev.id, {"facility": ""})
        assert ev.facility_id is None and ev.facility is None
        reg.edit_case(case.id, {"facility": "Prison No. 8"})
        assert s.get(Facility, case.facility_id).name == "Prison No. 8"  # type: ignore[union-attr]
        n = s.scalar(select(text("count(*)")).select_from(Facility))
        assert n == 3


def test_sync_free_text_links_rows_written_by_sql(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "ed")
        pid = reg.add_person(PersonInput(names=[NameInput("Асоба")])).id
        ev = reg.add_event(pid, EventInput("detained", "2024-01-01"))
        case = reg.add_case(pid, CaseInput(articles="342"))
        s.execute(text("UPDATE status_event SET facility = 'IK-15' WHERE id = :i"), {"i": ev.id})
        s.execute(text("UPDATE case_file SET facility = 'ik 15' WHERE id = :i"), {"i": case.id})
        assert Facilities(s, "ed").sync_free_text() == 2
        assert Facilities(s, "ed").sync_free_text() == 0
        fids = {
            s.scalar(select(StatusEvent.facility_id).where(StatusEvent.id == ev.id)),
            s.scalar(select(Case.facility_id).where(Case.id == case.id)),
        }
        assert len(fids) == 1 and None not in fids


# -- migration 0009_letters on a registry built at 0007 -------------------------------------


def test_migration_turns_free_text_into_records(fresh_url: str) -> None:
    migrate(fresh_url, "0007")
    engine = create_engine(fresh_url)
    t = dt.datetime(2024, 1, 1)
    with engine.begin() as conn:  # a registry as 0007 knew it, written with plain SQL
        for pid in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO person (id, synthetic, created_at, updated_at, version)"
                    " VALUES (:id, false, :t, :t, 1)"
                ),
                {"id": pid, "t": t},
            )
        cases = [
            (1, 1, "ИК-3, Витебск", "а/я 3, 211322 пос. Витьба"),
            (2, 2, "ик 3 витебск", None),
            (3, 2, None, None),
        ]
        for cid, pid, fac, addr in cases:
            conn.execute(
                text(
                    "INSERT INTO case_file (id, person_id, facility, facility_address, visibility)"
                    " VALUES (:c, :p, :f, :a, 'public')"
                ),
                {"c": cid, "p": pid, "f": fac, "a": addr},
            )
        events = [
            (1, 1, "detained", dt.date(2021, 1, 1), "СИЗО-1 Минск", "public"),
            (2, 1, "transferred", dt.date(2022, 1, 1), "ИК-3, Витебск", "public"),
            (3, 2, "detained", dt.date(2022, 1, 1), None, "public"),
            (4, 2, "transferred", dt.date(2023, 1, 1), "Secret place", "private"),
            (5, 2, "transferred", dt.date(2023, 2, 1), "сизо-1 минск", "private"),
        ]
        for eid, pid, kind, day, fac, vis in events:
            conn.execute(
                text(
                    "INSERT INTO status_event (id, person_id, kind, date_start, date_precision,"
                    " date_approx, facility, visibility, created_at)"
                    " VALUES (:e, :p, :k, :d, 3, false, :f, :v, :t)"
                ),
                {"e": eid, "p": pid, "k": kind, "d": day, "f": fac, "v": vis, "t": t},
            )
    migrate(fresh_url, "head")
    with engine.connect() as conn:
        facilities = {
            r.name: r
            for r in conn.execute(
                text("SELECT id, name, kind, street, postal_code, locality FROM facility")
            )
        }
        assert set(facilities) == {"ИК-3, Витебск", "СИЗО-1 Минск"}
        ik3, sizo = facilities["ИК-3, Витебск"], facilities["СИЗО-1 Минск"]
        assert (ik3.kind, ik3.street, ik3.postal_code, ik3.locality) == (
            "penal_colony",
            "а/я 3",
            "211322",
            "пос. Витьба",
        )
        assert sizo.kind == "sizo"
        case_links = dict(conn.execute(text("SELECT id, facility_id FROM case_file")).all())
        assert case_links == {1: ik3.id, 2: ik3.id, 3: None}
        ev_links = dict(conn.execute(text("SELECT id, facility_id FROM status_event")).all())
        # a private event links to a facility that exists, and creates none
        assert ev_links == {1: sizo.id, 2: ik3.id, 3: None, 4: None, 5: sizo.id}
        # the free text stays, as history
        assert conn.execute(text("SELECT facility FROM case_file WHERE id = 2")).scalar() == (
            "ик 3 витебск"
        )
        audited = conn.execute(
            text("SELECT count(*) FROM audit_entry WHERE entity_type = 'facility'")
        ).scalar()
        assert audited == 2
    engine.dispose()
    Database(fresh_url).check_ready()
    migrate(fresh_url, "0007", down=True)  # and back: the tables and columns go, text stays
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT facility FROM status_event WHERE id = 2")).scalar() == (
            "ИК-3, Витебск"
        )
        with pytest.raises(Exception, match="facility"):
            conn.execute(text("SELECT facility_id FROM case_file"))
    engine.dispose()
    migrate(fresh_url, "head")


def test_two_writers_in_one_transaction_do_not_duplicate(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "ed")
        pid = reg.add_person(PersonInput(names=[NameInput("Асоба")])).id
        reg.add_case(pid, CaseInput(facility="IK-1"))  # the registry's writer reads the keys
        other = Facilities(s, "ed")
        added = other.add(FacilityInput(name="IK-2", name_ru="ИК-2"))
        case = reg.add_case(pid, CaseInput(facility="ИК-2"))
        assert case.facility_id == added.id
        other.edit(added.id, {"name_ru": "ИК-22"})
        case = reg.add_case(pid, CaseInput(facility="ИК-2"))  # no longer a name of it
        assert case.facility_id not in (None, added.id)
        assert s.scalar(select(text("count(*)")).select_from(Facility)) == 3
