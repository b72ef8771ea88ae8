"""The registry service: validation, audit entries with before/after, and no lost updates with
two concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from prisonwatch.store.db import Database
from prisonwatch.store.registry import (
    CaseInput,
    EventInput,
    NameInput,
    NotFound,
    PersonInput,
    Registry,
    RegistryValidationError,
)
from prisonwatch.store.schema import AuditEntry, CaseArticle, Name, Person, StatusEvent


def _add(db: Database) -> int:
    with db.session() as s:
        return (
            Registry(s, "alice")
            .add_person(
                PersonInput(
                    names=[NameInput("Калеснікава Марыя"), NameInput("Maria Kolesnikova")],
                    region="Minsk",
                )
            )
            .id
        )


def test_edit_is_audited_with_before_and_after(db: Database) -> None:
    pid = _add(db)
    with db.session() as s:
        Registry(s, "bob").edit_person(
            pid, {"region": "Homiel Region", "internal_notes": "call lawyer"}
        )
    with db.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.actor == "bob").order_by(AuditEntry.id)
        ).one()
        assert entry.action == "update"
        assert entry.entity_type == "person" and entry.person_id == pid
        assert entry.before == {"region": "Minsk", "internal_notes": None}
        assert entry.after == {"region": "Homiel Region", "internal_notes": "call lawyer"}
        creates = s.scalars(select(AuditEntry).where(AuditEntry.actor == "alice")).all()
        assert sorted(e.entity_type for e in creates) == ["name", "name", "person"]


def test_edit_without_change_writes_no_audit(db: Database) -> None:
    pid = _add(db)
    with db.session() as s:
        Registry(s, "bob").edit_person(pid, {"region": "Minsk"})
    with db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.actor == "bob")).all() == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r, pid: r.add_event(pid, EventInput("escaped", "2021")), "kind"),
        (lambda r, pid: r.add_event(pid, EventInput("detained", "2021-02-30")), "date"),
        (lambda r, pid: r.add_event(pid, EventInput("recognised", "2021")), "organisation"),
        (
            lambda r, pid: r.add_event(pid, EventInput("expelled_abroad", "2025-09-11")),
            "destination_country",
        ),
        (lambda r, pid: r.add_name(pid, NameInput("   ")), "name"),
        (lambda r, pid: r.add_name(pid, NameInput("12345")), "name"),
        (lambda r, pid: r.edit_person(pid, {"gender": "q"}), "gender"),
        (lambda r, pid: r.edit_person(pid, {"synthetic": True}), "synthetic"),
    ],
)
def test_validation_names_the_field_and_writes_nothing(db: Database, call, field: str) -> None:  # type: ignore[no-untyped-def]
    pid = _add(db)
    with db.session() as s:
        n_before = len(s.scalars(select(AuditEntry)).all())
    with pytest.raises(RegistryValidationError) as info, db.session() as s:
        call(Registry(s, "bob"), pid)
    assert info.value.field == field
    with db.session() as s:
        assert len(s.scalars(select(AuditEntry)).all()) == n_before


def test_not_found(db: Database) -> None:
    with pytest.raises(NotFound), db.session() as s:
        Registry(s, "bob").add_event(999, EventInput("detained", "2021"))


def test_case_articles_are_split_for_filtering(db: Database) -> None:
    pid = _add(db)
    with db.session() as s:
        reg = Registry(s, "bob")
        case = reg.add_case(pid, CaseInput(articles="342 ч.1; 361-1", sentence="3 years 6 months"))
        assert case.sentence_months == 42
        reg.edit_case(case.id, {"articles": "361-1, 130"})
    with db.session() as s:
        assert sorted(s.scalars(select(CaseArticle.article))) == ["130", "361-1"]


def test_script_is_detected(db: Database) -> None:
    pid = _add(db)
    with db.session() as s:
        scripts = dict(
            s.execute(select(Name.full_text, Name.script).where(Name.person_id == pid)).all()
        )
    assert scripts == {"Калеснікава Марыя": "cyrillic", "Maria Kolesnikova": "latin"}


def test_two_concurrent_writers_lose_no_update(db: Database) -> None:
    """Each writer appends lines to the same person's notes in its own transaction; the row
    lock (PostgreSQL) / single writer (SQLite) serialises them, so every line survives."""
    pid = _add(db)
    per_writer = 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(tag: str) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                with db.session() as s:
                    Registry(s, tag).append_internal_note(pid, f"{tag}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None and p.internal_notes is not None
        lines = p.internal_notes.splitlines()
        assert sorted(lines) == sorted(
            [f"w1-{i}" for i in range(per_writer)] + [f"w2-{i}" for i in range(per_writer)]
        )
        assert p.version == 1 + 2 * per_writer


AHEAD = (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("kind", "accepted"),
    [
        ("released_end_of_term", True),  # known from the sentence: may be recorded ahead
        ("detained", False),
        ("pardoned", False),
        ("expelled_abroad", False),
        ("died_in_custody", False),
        ("transferred", False),
    ],
)
def test_only_a_release_at_the_end_of_term_may_be_dated_ahead(
    db: Database, kind: str, accepted: bool
) -> None:
    """The same rule as the import (tests/io/test_importer.py): forms, API and CLI call
    add_event/edit_event."""
    pid = _add(db)
    extra = {"destination_country": "Lithuania"} if kind == "expelled_abroad" else {}
    with db.session() as s:
        reg = Registry(s, "alice")
        past = reg.add_event(pid, EventInput("detained", "2021-03-01")).id
        if accepted:
            assert reg.add_event(pid, EventInput(kind, AHEAD, **extra)).date_start.isoformat() == (
                AHEAD
            )
        else:
            with pytest.raises(RegistryValidationError, match="in the future") as info:
                reg.add_event(pid, EventInput(kind, AHEAD, **extra))
            assert info.value.field == "date"
        # an edit that would move a past event ahead follows the same rule, and changes nothing
        # when refused
        if accepted:
            reg.edit_event(past, {"kind": kind, "date": AHEAD, **extra})
        else:
            with pytest.raises(RegistryValidationError, match="in the future"):
                reg.edit_event(past, {"date": AHEAD})
            ev = s.get(StatusEvent, past)
            assert ev is not None and ev.date_start.isoformat() == "2021-03-01"
    with db.session() as s:
        n = s.scalars(select(StatusEvent).where(StatusEvent.person_id == pid)).all()
        assert len(n) == (2 if accepted else 1)
