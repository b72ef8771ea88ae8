"""The Alembic migrations create exactly the tables the code declares, on both backends."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, text

from prisonwatch.store.db import Database, alembic_config
from prisonwatch.store.schema import Base, Person

#: Foreign keys SQLite got through ``ALTER TABLE … ADD COLUMN … REFERENCES`` (migration
#: 0009_letters: batch mode's copy-and-move would have dropped ``case_file`` and, through ON
#: DELETE CASCADE, every ``case_article``). SQLAlchemy reflects such an inline constraint
#: without its name and ON DELETE, so the comparison sees a difference that is not there;
#: test_facility_columns_keep_the_children checks the real constraint.
INLINE_SQLITE_FKS = {("case_file", "facility_id"), ("status_event", "facility_id")}


def _inline_fk(diff: object) -> bool:
    if not (isinstance(diff, tuple) and diff[0] in ("remove_fk", "add_fk")):
        return False
    fk = diff[1]
    return (fk.table.name, *fk.columns.keys()) in INLINE_SQLITE_FKS


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        diffs = compare_metadata(ctx, Base.metadata)
    if db.engine.dialect.name == "sqlite":
        diffs = [d for d in diffs if not _inline_fk(d)]
    assert diffs == [], f"schema.py and the migrations differ: {diffs}"


def test_facility_columns_keep_the_children(tmp_path: Path) -> None:
    """Upgrading a SQLite registry past 0009_letters keeps every case's articles (the new
    column is added in place, not by copying the table), and the new foreign key sets NULL."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(db.url)

    def to(rev: str, down: bool = False) -> None:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, rev)

    to("0008_officials")
    with db.engine.begin() as conn:
        pid = conn.execute(
            insert(Person.__table__).values(synthetic=True, version=1)
        ).inserted_primary_key[0]
        conn.execute(
            text(
                "INSERT INTO case_file (id, person_id, facility, visibility) "
                "VALUES (1, :p, 'ИК-15, Новаполацк', 'public')"
            ),
            {"p": pid},
        )
        conn.execute(
            text("INSERT INTO case_article (case_id, person_id, article) VALUES (1, :p, '342')"),
            {"p": pid},
        )

    def articles() -> int:
        with db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM case_article")).scalar_one())

    to("head")
    assert articles() == 1
    with db.engine.connect() as conn:
        fks = conn.execute(text("PRAGMA foreign_key_list(case_file)")).all()
        assert ("facility", "facility_id", "SET NULL") in {(f[2], f[3], f[6]) for f in fks}
        assert conn.execute(text("SELECT facility_id FROM case_file")).scalar_one() is not None
    to("0008_officials", down=True)
    assert articles() == 1
    to("head")
    assert articles() == 1


def test_database_is_at_head(db: Database) -> None:
    assert db.current_revision() == db.head_revision()
    db.check_ready()
