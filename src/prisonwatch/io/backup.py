"""``prisonwatch backup`` / ``restore``.

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  while the registry stays in use. Restore copies a backup file into the registry the same way.
* PostgreSQL: a logical dump of every PrisonWatch table as one JSON document (a dump made by
  SQLAlchemy, so it needs no ``pg_dump`` binary of a matching version). Restore loads it in one
  transaction into an initialised, *empty* registry and resets the id sequences. The dump can also
  move a registry between the two backends.

Backups and dumps are written owner-only (0600): they hold every private value.

Credentials (:data:`CREDENTIAL_TABLES`: accounts, API tokens, login attempts) are *not* restored
by default: a restore keeps the registry's current accounts and tokens, so restoring an older
backup cannot bring back a revoked token or a disabled account. ``include_credentials=True``
(``restore --with-credentials``) restores the backup's instead. A restore is audited
(``entity_type`` ``registry``, action ``restore``); the web app's name search watches for that
entry and rebuilds its index (:mod:`prisonwatch.name_search`).

A restore that fails names the file and the table, never the values it tried to write.

Derived data: ``person_tally`` is neither dumped nor restored (the database's triggers count the
restored people); the people list's stored keys are recomputed after a restore
(:func:`~prisonwatch.store.listkeys.rebuild_list_keys`), as they depend on the day.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from prisonwatch.io.files import create_owner_only
from prisonwatch.store.audit import record_restore
from prisonwatch.store.custody import rebuild_all
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import rebuild_list_keys
from prisonwatch.store.schema import DERIVED_PERSON_FIELDS, Base

FORMAT = "prisonwatch-dump"
VERSION = 1
#: Tables kept by database triggers (filled by the restore itself), and transient ones (the
#: letters' rate-limit counters, keyed hashes of clients kept two days): left out of the dump.
NOT_DUMPED = frozenset({"person_tally", "letter_throttle"})
#: Accounts, tokens and login attempts: kept as they are in the target by a restore, unless
#: credentials are asked for. A new table of credentials (sessions, ...) belongs here.
CREDENTIAL_TABLES = frozenset(
    {"app_user", "api_token", "login_attempt", "login_throttle", "web_session"}
)


class BackupError(RuntimeError):
    pass


def _snapshot_path(db: Database) -> Path | None:
    """The registry's file, when it is one (SQLite); None for a server database."""
    try:
        return db.dialect.snapshot_path(db.engine)
    except ValueError as exc:
        raise BackupError(str(exc)) from None


def _is_dump(path: Path) -> bool:
    return str(path).endswith((".json", ".json.gz"))


def replaces_registry(db: Database, src: Path) -> bool:
    """Whether restoring ``src`` replaces everything in the registry (a file copy), rather
    than loading a dump into an empty registry."""
    try:
        is_file = db.dialect.snapshot_path(db.engine) is not None
    except ValueError:
        is_file = True  # a file database without a file: the restore says why it cannot
    return is_file and not _is_dump(src)


def backup(db: Database, dest: Path) -> str:
    """Write a backup to ``dest``; returns the kind of backup written."""
    if dest.exists():
        raise BackupError(f"{dest} exists already; choose a new file name")
    if not _is_dump(dest) and (path := _snapshot_path(db)) is not None:
        create_owner_only(dest, exclusive=True)  # an empty file is an empty database
        db.dialect.snapshot(path, dest)
        return "sqlite"
    dump_json(db, dest)
    return "json"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _derived(table: str, column: str) -> bool:
    return table == "person" and column in DERIVED_PERSON_FIELDS


def dump_json(db: Database, dest: Path) -> None:
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_DUMPED:
                continue
            # the people list's derived keys are rebuilt on restore (and the sort keys are
            # bytes, which JSON does not carry)
            cols = [c for c in table.columns if not _derived(table.name, c.name)]
            rows = conn.execute(select(*cols).order_by(*table.primary_key.columns)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in r.items()} for r in rows]
        revision = db.current_revision()
    doc = {"format": FORMAT, "version": VERSION, "schema_revision": revision, "tables": tables}
    opener = gzip.open if str(dest).endswith(".gz") else open
    tmp = dest.with_name(dest.name + ".part")
    create_owner_only(tmp)
    with opener(tmp, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    tmp.replace(dest)


def _decode(table_name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table = Base.metadata.tables[table_name]
    out = []
    for r in rows:
        # derived keys are never trusted from a file: the restore recomputes them
        row = {k: v for k, v in r.items() if not _derived(table_name, k)}
        for col in table.columns:
            v = row.get(col.name)
            if v is None:
                continue
            if isinstance(col.type, DateTime):
                row[col.name] = dt.datetime.fromisoformat(v)
            elif isinstance(col.type, Date):
                row[col.name] = dt.date.fromisoformat(v)
        out.append(row)
    return out


def _credential_tables() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name in CREDENTIAL_TABLES]


def _replace_credentials(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Put back the credential rows read before a SQLite restore."""
    tables = _credential_tables()
    for table in reversed(tables):
        conn.execute(delete(table))
    for table in tables:
        if rows.get(table.name):
            conn.execute(insert(table), rows[table.name])


def _failed(src: Path, table: str, exc: SQLAlchemyError) -> BackupError:
    """The error of a failed load: file, table and the kind of error — not the database's
    message, which quotes the row's values (relatives' contacts, notes)."""
    kind = type(getattr(exc, "orig", None) or exc).__name__
    return BackupError(
        f"{src}: table {table}: the rows could not be loaded ({kind}); nothing was restored"
    )


def restore(
    db: Database, src: Path, *, include_credentials: bool = False, actor: str = "restore"
) -> str:
    """Restore a backup. ``include_credentials``: also the backup's accounts and tokens
    (default: the registry keeps its current ones)."""
    if not src.exists():
        raise BackupError(f"{src}: file not found")
    head = src.read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        target = _snapshot_path(db)
        if target is None:
            raise BackupError(
                f"{src} is a SQLite backup; to move it to PostgreSQL, open it with "
                "--db sqlite:///FILE and make a JSON dump (backup FILE.json), then restore that"
            )
        _restore_sqlite(db, src, target, include_credentials, actor)
        return "sqlite"
    _restore_json(db, src, include_credentials, actor)
    return "json"


def _restore_sqlite(
    db: Database, src: Path, target: Path, include_credentials: bool, actor: str
) -> None:
    check = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()
        rev = check.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{src}: not a PrisonWatch backup ({exc})") from exc
    finally:
        check.close()
    if not ok or ok[0] != "ok":
        raise BackupError(f"{src}: integrity check failed: {ok}")
    if not rev or rev[0] != db.head_revision():
        raise BackupError(f"{src}: schema {rev[0] if rev else None}, expected {db.head_revision()}")
    kept: dict[str, list[dict[str, Any]]] = {}
    if not include_credentials:
        with db.engine.connect() as conn:
            for table in _credential_tables():
                kept[table.name] = [dict(r) for r in conn.execute(select(table)).mappings()]
    db.dispose()
    db.dialect.snapshot(src, target)
    db.dispose()
    table = "app_user"
    try:
        with db.engine.begin() as conn:
            if not include_credentials:
                _replace_credentials(conn, kept)
            table = "audit_entry"
            record_restore(conn, actor=actor, src=src.name, credentials=include_credentials)
    except SQLAlchemyError as exc:
        raise _failed(src, table, exc) from None


def _restore_json(db: Database, src: Path, include_credentials: bool, actor: str) -> None:
    opener = gzip.open if str(src).endswith(".gz") else open
    try:
        with opener(src, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{src}: not a PrisonWatch dump ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError(f"{src}: not a PrisonWatch dump")
    if doc.get("schema_revision") != db.head_revision():
        raise BackupError(
            f"{src}: dump of schema {doc.get('schema_revision')}, "
            f"this version needs {db.head_revision()}"
        )
    tables = doc["tables"]
    skipped = set(NOT_DUMPED) | (set() if include_credentials else set(CREDENTIAL_TABLES))
    with db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in skipped:
                continue  # the target's own accounts stay
            n = conn.scalar(select(func.count()).select_from(table))
            if n:
                raise BackupError(
                    f"the target registry is not empty (table {table.name} has {n} rows); "
                    "restore into a newly initialised database"
                )
        for table in Base.metadata.sorted_tables:
            if table.name in skipped:
                continue
            rows = _decode(table.name, tables.get(table.name, []))
            if rows:
                try:
                    conn.execute(insert(table), rows)
                except SQLAlchemyError as exc:
                    raise _failed(src, table.name, exc) from None
        if not tables.get("custody_change"):
            rebuild_all(conn)  # a dump made before the derived table existed
        rebuild_list_keys(conn)
        record_restore(conn, actor=actor, src=src.name, credentials=include_credentials)
        db.dialect.reset_sequences(conn, Base.metadata.sorted_tables)
