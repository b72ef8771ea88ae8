"""Backups and private exports hold private data: they are written owner-only (0600), a failed
restore never prints the values it tried to write, and a restore keeps the registry's current
accounts and tokens unless asked to bring back the backup's (a revoked token or a disabled
account must not come back by itself)."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from prisonwatch.io.backup import backup, restore
from prisonwatch.io.exporter import export_to_path
from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.users import (
    account_for_token,
    create_token,
    create_user,
    get_user,
    revoke_token,
    set_disabled,
)

SECRET = "SECRET-RELATIVE-PHONE-555-0199"
PASSWORD = "correct horse battery"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _seed(db: Database) -> None:
    with db.session() as s:
        Registry(s, "t").add_person(
            PersonInput(names=[NameInput("Тэст Тэставіч")], relatives_contact=SECRET)
        )


@pytest.mark.parametrize("name", ["backup.db", "backup.json", "backup.json.gz"])
def test_backups_are_owner_only(sqlite_db: Database, tmp_path: Path, name: str) -> None:
    _seed(sqlite_db)
    old = os.umask(0o022)
    try:
        dest = tmp_path / name
        backup(sqlite_db, dest)
    finally:
        os.umask(old)
    assert _mode(dest) == 0o600


def test_postgresql_dump_is_owner_only(db: Database, tmp_path: Path) -> None:
    _seed(db)
    dest = tmp_path / "dump.json.gz"
    backup(db, dest)
    assert _mode(dest) == 0o600


def test_private_exports_are_owner_only_public_ones_follow_the_umask(
    sqlite_db: Database, tmp_path: Path
) -> None:
    _seed(sqlite_db)
    old = os.umask(0o022)
    try:
        for fmt in ("csv", "jsonl", "ftm"):
            private = tmp_path / f"private.{fmt}"
            export_to_path(sqlite_db, private, fmt, include_private=True)
            assert _mode(private) == 0o600, fmt
            assert SECRET in private.read_text(encoding="utf-8") or fmt != "jsonl"
        public = tmp_path / "public.csv"
        export_to_path(sqlite_db, public, "csv")
        assert _mode(public) == 0o644
    finally:
        os.umask(old)


def _token_state(db: Database, secret: str) -> bool:
    with db.session() as s:
        return account_for_token(s, secret) is not None


def _credentials_then_backup(db: Database, dest: Path) -> str:
    _seed(db)
    with db.session() as s:
        create_user(s, "anna", PASSWORD, "editor", actor="t")
        _, secret = create_token(s, "anna", "nightly", actor="t")
    backup(db, dest)
    with db.session() as s:  # after the backup: the token is revoked, the account disabled
        revoke_token(s, 1, actor="t")
        set_disabled(s, "anna", True, actor="t")
    assert not _token_state(db, secret)
    return secret


def test_sqlite_restore_keeps_the_current_credentials(sqlite_db: Database, tmp_path: Path) -> None:
    secret = _credentials_then_backup(sqlite_db, tmp_path / "b.db")
    restore(sqlite_db, tmp_path / "b.db")
    assert not _token_state(sqlite_db, secret)
    with sqlite_db.session() as s:
        user = get_user(s, "anna")
        assert user is not None and user.disabled
    restore(sqlite_db, tmp_path / "b.db", include_credentials=True)
    assert _token_state(sqlite_db, secret)  # asked for: the backup's accounts and tokens


def test_dump_restore_leaves_credentials_out_unless_asked(db: Database, tmp_path: Path) -> None:
    secret = _credentials_then_backup(db, tmp_path / "b.json.gz")
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.migrate()
    restore(fresh, tmp_path / "b.json.gz")
    with fresh.session() as s:
        assert get_user(s, "anna") is None
        assert len(s.execute(text("SELECT id FROM person")).all()) == 1
    assert not _token_state(fresh, secret)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.migrate()
    restore(other, tmp_path / "b.json.gz", include_credentials=True)
    assert _token_state(other, secret)


def _cli(*args: str, env_db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRISONWATCH_DB": env_db, "PRISONWATCH_USER": "t"}
    return subprocess.run(
        [sys.executable, "-c", "from prisonwatch.cli import app; app()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_failed_restore_prints_no_values(sqlite_db: Database, tmp_path: Path) -> None:
    _seed(sqlite_db)
    dump = tmp_path / "dump.json.gz"
    backup(sqlite_db, dump)
    with gzip.open(dump, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    person = doc["tables"]["person"][0]
    doc["tables"]["person"].append({**person, "relatives_contact": SECRET + "-2"})  # same id
    with gzip.open(dump, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh)
    target = tmp_path / "target.db"
    Database(f"sqlite:///{target}").migrate()
    done = _cli("restore", str(dump), env_db=f"sqlite:///{target}")
    assert done.returncode == 1
    assert "person" in done.stderr  # names the table
    assert SECRET not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
