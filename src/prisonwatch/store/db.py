"""Opening a database: one :class:`Database` object is built by the CLI, the web app and the
tests alike. ``Database.migrate()`` brings the schema up to date with Alembic."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from prisonwatch.config import database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be opened or is not initialised."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # hide_parameters: an error's message (printed, logged) never shows the bound values
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


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
    def backend(self) -> str:
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
def without_jit(ex: Session | Connection) -> Iterator[None]:
    """PostgreSQL: no JIT compilation for the statements run inside (the setting is restored
    afterwards, and is local to the transaction anyway); elsewhere nothing.

    An import's per-batch refreshes (2,000 people, correlated subqueries) are estimated
    expensive once the tables grow, so PostgreSQL JIT-compiled each of them: ~0.8 s of
    compilation per batch for ~0.1 s of work, most of a 100,000-row import's extra time."""
    conn = ex.connection() if isinstance(ex, Session) else ex
    if conn.dialect.name != "postgresql":
        yield
        return
    before = conn.exec_driver_sql("SELECT current_setting('jit')").scalar()
    conn.exec_driver_sql("SET LOCAL jit = off")
    yield  # on an error the transaction is rolled back, and SET LOCAL with it
    conn.exec_driver_sql("SELECT set_config('jit', %(v)s, true)", {"v": before})
