"""Opening a database: one :class:`Database` object is built by the CLI, the web app and the
tests alike. ``Database.migrate()`` brings the schema up to date with Alembic."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from prisonwatch.config import database_url
from prisonwatch.store.dialect import Dialect, dialect_for_url, dialect_of

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be opened or is not initialised."""


def make_engine(url: str) -> Engine:
    return dialect_for_url(url).make_engine(url)


def alembic_config(url: str) -> Config:
    # Alembic is imported only when migrations are looked at: every CLI command paid for it.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@functools.cache
def _shipped_head() -> str | None:
    """The newest migration shipped with this code. Read once per process: parsing the
    migration scripts took ~15 ms, which every health check paid."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


class Database:
    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> Dialect:
        """The backend's operations (:mod:`prisonwatch.store.dialect`)."""
        return dialect_of(self.engine)

    @property
    def backend(self) -> str:
        """The backend's name, for messages and the health check."""
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def describe(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def migrate(self) -> None:
        from alembic import command

        with self.engine.begin() as conn:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        return _shipped_head()

    def check_ready(self) -> None:
        """Raise :class:`DatabaseError` unless the schema is at the latest revision."""
        try:
            current = self.current_revision()
        except Exception as exc:
            raise DatabaseError(f"cannot open {self.describe()}: {exc}") from exc
        if current is None:
            raise DatabaseError(
                f"{self.describe()} has no PrisonWatch registry yet: run `prisonwatch init`"
            )
        if current != self.head_revision():
            raise DatabaseError(
                f"{self.describe()} is at schema {current}, this version needs "
                f"{self.head_revision()}: run `prisonwatch init` to upgrade"
            )

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any error."""
        with self.sessionmaker() as s, s.begin():
            yield s

    def analyze(self) -> None:
        """Refresh the query planner's statistics (after a bulk import). Without them SQLite
        may pick the wrong index for the status queries, which costs an order of magnitude."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def bulk_cache(ex: Session | Connection) -> Iterator[None]:
    """A bigger page cache for a bulk write's statements
    (:meth:`~prisonwatch.store.dialect.Dialect.bulk_cache`; SQLite only)."""
    with dialect_of(ex).bulk_cache(ex):
        yield


@contextlib.contextmanager
def without_jit(ex: Session | Connection) -> Iterator[None]:
    """No JIT compilation on PostgreSQL for the statements run inside
    (:meth:`~prisonwatch.store.dialect.Dialect.without_jit`).

    An import's per-batch refreshes (2,000 people, correlated subqueries) are estimated
    expensive once the tables grow, so PostgreSQL JIT-compiled each of them: ~0.8 s of
    compilation per batch for ~0.1 s of work, most of a 100,000-row import's extra time."""
    with dialect_of(ex).without_jit(ex):
        yield
