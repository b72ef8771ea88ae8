"""Backup → restore gives identical data: SQLite online backup, and the logical dump on both
backends (which also moves a registry from SQLite to PostgreSQL)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from prisonwatch.demo import build_demo
from prisonwatch.io.backup import BackupError, backup, restore
from prisonwatch.io.exporter import export
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import rebuild_list_keys
from prisonwatch.store.people import PeopleFilter, list_people
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.schema import Person


def everything(db: Database) -> str:
    buf = io.StringIO()
    export(db, buf, "jsonl", include_private=True)
    return buf.getvalue()


def test_sqlite_online_backup_and_restore(sqlite_db: Database, tmp_path: Path) -> None:
    build_demo(sqlite_db, people=80, seed=3)
    with sqlite_db.session() as s:
        Registry(s, "alice").add_person(
            PersonInput(names=[NameInput("Тэст Тэставіч")], internal_notes="private")
        )
    before = everything(sqlite_db)
    dest = tmp_path / "backup.db"
    assert backup(sqlite_db, dest) == "sqlite"
    with sqlite_db.session() as s:  # change after the backup, then restore
        Registry(s, "alice").add_person(PersonInput(names=[NameInput("Пасля Бэкапу")]))
    assert everything(sqlite_db) != before
    assert restore(sqlite_db, dest) == "sqlite"
    assert everything(sqlite_db) == before
    with pytest.raises(BackupError, match="exists already"):
        backup(sqlite_db, dest)


def test_logical_dump_round_trip(db: Database, tmp_path: Path) -> None:
    build_demo(db, people=70, seed=5)
    before = everything(db)
    dump = tmp_path / "dump.json.gz"
    assert backup(db, dump) == "json"
    target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    target.migrate()
    restore(target, dump)
    assert everything(target) == before
    with pytest.raises(BackupError, match="not empty"):
        restore(target, dump)


def test_restore_rejects_garbage(sqlite_db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    with pytest.raises(BackupError, match="not a PrisonWatch dump"):
        restore(sqlite_db, junk)


def test_restore_recomputes_the_list_keys_and_counts(db: Database, tmp_path: Path) -> None:
    build_demo(db, people=60, seed=7)
    with db.session() as s:
        want = {
            status: list_people(s, PeopleFilter(status=status), include_private=True).total
            for status in ("held", "released", "unknown")
        }
    assert want["held"] > 0
    dump = tmp_path / "dump.json.gz"
    backup(db, dump)
    with gzip.open(dump, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    assert "person_tally" not in doc["tables"]  # the target's triggers count the people
    person_rows = doc["tables"]["person"]
    assert not {"sort_latin_public", "status_all"} & set(person_rows[0])  # derived: not dumped
    for row in person_rows:  # and keys in a dump are never trusted
        row.update(status_public="died", status_all=None, sort_latin_public="zzz")
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(doc), encoding="utf-8")
    target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    target.migrate()
    restore(target, stale)
    with target.session() as s:
        got = {
            status: list_people(s, PeopleFilter(status=status), include_private=True).total
            for status in want
        }
        assert got == want
        assert list_people(s).total == 60
        stmt = select(Person.id, Person.sort_latin_public, Person.status_public)
        keys = list(s.execute(stmt))
        assert not [k for k in keys if k[1] in (None, b"zzz") or k[2] == "died"]
        rebuild_list_keys(s)
        assert list(s.execute(stmt)) == keys
    target.dispose()
