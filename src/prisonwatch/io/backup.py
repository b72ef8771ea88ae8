"""``prisonwatch backup`` / ``restore``.

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  while the registry stays in use. Restore copies a backup file into the registry the same way.
* PostgreSQL: a logical dump of every PrisonWatch table as one JSON document (a dump made by
  SQLAlchemy, so it needs no ``pg_dump`` binary of a matching version). Restore loads it in one
  transaction into an initialised, *empty* registry and resets the id sequences. The dump can also
  move a registry between the two backends.

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

from sqlalchemy import Date, DateTime, func, insert, select, text

from prisonwatch.store.custody import rebuild_all
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import rebuild_list_keys
from prisonwatch.store.schema import Base

FORMAT = "prisonwatch-dump"
VERSION = 1
#: Tables kept by database triggers: left out of the dump, filled by the restore itself.
NOT_DUMPED = frozenset({"person_tally"})


class BackupError(RuntimeError):
    pass


def _sqlite_path(db: Database) -> str:
    path = db.engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return path


def backup(db: Database, dest: Path) -> str:
    """Write a backup to ``dest``; returns the kind of backup written."""
    if dest.exists():
        raise BackupError(f"{dest} exists already; choose a new file name")
    if db.is_sqlite and not str(dest).endswith((".json", ".json.gz")):
        src = sqlite3.connect(_sqlite_path(db))
        try:
            out = sqlite3.connect(str(dest))
            try:
                src.backup(out)
            finally:
                out.close()
        finally:
            src.close()
        return "sqlite"
    dump_json(db, dest)
    return "json"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def dump_json(db: Database, dest: Path) -> None:
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_DUMPED:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in r.items()} for r in rows]
        revision = db.current_revision()
    doc = {"format": FORMAT, "version": VERSION, "schema_revision": revision, "tables": tables}
    opener = gzip.open if str(dest).endswith(".gz") else open
    tmp = dest.with_name(dest.name + ".part")
    with opener(tmp, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    tmp.replace(dest)


def _decode(table_name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table = Base.metadata.tables[table_name]
    out = []
    for r in rows:
        row = dict(r)
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


def restore(db: Database, src: Path) -> str:
    if not src.exists():
        raise BackupError(f"{src}: file not found")
    head = src.read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        if not db.is_sqlite:
            raise BackupError(
                f"{src} is a SQLite backup; to move it to PostgreSQL, open it with "
                "--db sqlite:///FILE and make a JSON dump (backup FILE.json), then restore that"
            )
        _restore_sqlite(db, src)
        return "sqlite"
    _restore_json(db, src)
    return "json"


def _restore_sqlite(db: Database, src: Path) -> None:
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
    db.dispose()
    source = sqlite3.connect(str(src))
    try:
        target = sqlite3.connect(_sqlite_path(db))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _restore_json(db: Database, src: Path) -> None:
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
    with db.engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            n = conn.scalar(select(func.count()).select_from(table))
            if n:
                raise BackupError(
                    f"the target registry is not empty (table {table.name} has {n} rows); "
                    "restore into a newly initialised database"
                )
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_DUMPED:
                continue
            rows = _decode(table.name, tables.get(table.name, []))
            if rows:
                conn.execute(insert(table), rows)
        if not tables.get("custody_change"):
            rebuild_all(conn)  # a dump made before the derived table existed
        rebuild_list_keys(conn)
        if db.backend == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.columns:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                        )
                    )
