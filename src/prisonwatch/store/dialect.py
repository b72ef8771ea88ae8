"""The one seam between SQLite and PostgreSQL: every SQL or engine operation that differs
between the two backends is a named method here, and nothing else in PrisonWatch looks at the
dialect's name.

Callers ask for the dialect of what they hold (:func:`dialect_of` with a session, a connection
or an engine; :func:`dialect_named` with a name, or ``None`` for the portable forms) and call
the operation:

* :meth:`~Dialect.make_engine` — SQLite: busy timeout, WAL, foreign keys; PostgreSQL: a pool;
* :meth:`~Dialect.latest_per_group` — the latest row per group (:class:`LatestPerGroup`):
  SQLite ``MAX()`` of a sort key with bare columns, PostgreSQL ``DISTINCT ON``;
* :meth:`~Dialect.insert_ignore` — ``INSERT … ON CONFLICT DO NOTHING`` (upsert-or-skip);
* :meth:`~Dialect.id_in` / :meth:`~Dialect.id_join` — a list of ids bound once: expanding
  ``IN (…)``; PostgreSQL one array (``= ANY(:ids)``, or a join with ``unnest(:ids)``);
* :meth:`~Dialect.date_bucket`, :meth:`~Dialect.days_between` — date arithmetic: SQLite
  ``date()`` / ``strftime()`` / ``julianday()``, PostgreSQL ``date_trunc()`` and differences;
* :meth:`~Dialect.try_exclusive` — a transaction's advisory lock (SQLite: one writer anyway);
* :meth:`~Dialect.short_lock_wait` — wait ~0.2 s for locks: ``PRAGMA busy_timeout`` /
  ``lock_timeout``; :meth:`~Dialect.lock_for_update` — SQLite's write lock before a
  ``SELECT … FOR UPDATE`` (no row locks there);
* :meth:`~Dialect.analyze`, :meth:`~Dialect.vacuum_analyze` — planner statistics;
  :meth:`~Dialect.without_jit`, :meth:`~Dialect.tune_for_analytics` — PostgreSQL settings
  local to the transaction (nothing on SQLite);
* :meth:`~Dialect.bulk_insert` — ``executemany`` / ``COPY … FROM STDIN``;
  :meth:`~Dialect.reset_sequences` — after rows came with their ids (PostgreSQL);
* :meth:`~Dialect.snapshot_path`, :meth:`~Dialect.snapshot` — an online copy of a SQLite file
  (a server database is dumped as JSON instead);
* :func:`driver_errors` — the drivers' own exceptions, not wrapped by SQLAlchemy.

The base class :class:`Dialect` holds the portable forms (``ROW_NUMBER()``, plain ``IN``),
which both backends run; the two subclasses override what is faster or necessary on theirs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    Connection,
    Date,
    Engine,
    Integer,
    Table,
    and_,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy import (
    cast as sql_cast,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

Executor = Session | Connection


def driver_errors() -> tuple[type[Exception], ...]:
    """The drivers' own exceptions, which SQLAlchemy does not wrap (a ``COPY`` on PostgreSQL,
    the SQLite backup API). psycopg is imported here, not with this module: it costs a
    command on SQLite most of a second."""
    import psycopg

    return (sqlite3.Error, psycopg.Error)


def _connection(ex: Executor) -> Connection:
    return ex.connection() if isinstance(ex, Session) else ex


@dataclass(frozen=True, slots=True)
class LatestPerGroup:
    """One row per ``partition`` value: the ``columns`` (labelled) of the row with the greatest
    ``order`` (compared left to right) among the rows meeting ``conditions``, as a subquery
    called ``name`` with (at least) the columns' labels."""

    columns: Sequence[ColumnElement[Any]]
    conditions: Sequence[ColumnElement[bool]]
    partition: Sequence[Any]
    order: Sequence[Any]
    name: str


class Dialect:
    """The portable forms; see the module's table for what each backend does instead."""

    name = "portable"
    #: whether ``SELECT … FOR UPDATE`` locks rows (SQLite locks the whole database on write)
    row_locks = False

    def __repr__(self) -> str:
        return f"<Dialect {self.name}>"

    # -- engines ----------------------------------------------------------------------------

    def make_engine(self, url: str) -> Engine:
        # hide_parameters: an error's message (printed, logged) never shows the bound values
        return create_engine(url, hide_parameters=True)

    # -- queries ----------------------------------------------------------------------------

    def latest_per_group(self, q: LatestPerGroup) -> Subquery:
        """The subquery of :class:`LatestPerGroup` ``q``: ranked with ``ROW_NUMBER()``."""
        rn = func.row_number().over(partition_by=q.partition, order_by=[c.desc() for c in q.order])
        ranked = select(*q.columns, rn.label("rn")).where(and_(*q.conditions)).subquery("ranked")
        picked = select(*(ranked.c[str(c.key)] for c in q.columns)).where(ranked.c.rn == 1)
        return picked.subquery(q.name)

    def insert_ignore(self, table: Any, index_elements: Sequence[str]) -> Insert:
        """``INSERT`` that skips rows whose ``index_elements`` exist already."""
        raise NotImplementedError("insert_ignore needs a concrete dialect")

    def id_in(self, col: Any, param: str = "ids") -> ColumnElement[bool]:
        """``col`` is one of the ids bound as ``param`` (a list) — for a statement built once
        and run for many lists."""
        return cast(ColumnElement[bool], col.in_(bindparam(param, expanding=True)))

    def id_join(self, col: Any, param: str = "ids") -> ColumnElement[bool]:
        """As :meth:`id_in`, for an ``UPDATE`` driven by the id list."""
        return self.id_in(col, param)

    def date_bucket(self, col: Any, unit: str) -> ColumnElement[Any]:
        """The first day of ``col``'s ``week`` (Monday), ``month`` or ``year``."""
        return sql_cast(func.date_trunc(literal(unit), col), Date)

    def days_between(self, start: Any, end: Any) -> ColumnElement[Any]:
        """Whole days from ``start`` to ``end``."""
        return sql_cast(end - start, Integer)

    # -- locks and waits --------------------------------------------------------------------

    def try_exclusive(self, ex: Executor, key: int) -> bool:
        """Take the transaction-scoped lock ``key`` if free; False when another holds it."""
        return True

    @contextlib.contextmanager
    def short_lock_wait(self, conn: Connection) -> Iterator[None]:
        """Statements inside wait at most ~0.2 s for a lock (then fail)."""
        yield

    def lock_for_update(self, session: Session, noop_write: UpdateBase) -> None:
        """Before a ``SELECT … FOR UPDATE``: what makes the read see every committed write
        and keeps others from writing until the transaction ends. ``noop_write``: an
        ``UPDATE`` that changes nothing, for a backend without row locks."""

    # -- the planner ------------------------------------------------------------------------

    def analyze(self, ex: Executor, tables: Sequence[str]) -> None:
        """Fresh planner statistics for ``tables`` inside the caller's transaction (after a
        bulk load, or for a temporary table), where the planner needs them."""

    def vacuum_analyze(self, engine: Engine, tables: Sequence[str]) -> None:
        """Outside any transaction: fresh statistics (and visibility map) after a rebuild."""
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def tune_for_analytics(self, ex: Executor, work_mem: str) -> None:
        """For the rest of the transaction: ``work_mem`` of sort memory (the statistics'
        window functions over a million events) and no JIT compilation, which costs more
        than it saves on these queries."""

    @contextlib.contextmanager
    def without_jit(self, ex: Executor) -> Iterator[None]:
        """No JIT compilation for the statements run inside (the setting is restored
        afterwards, and is local to the transaction anyway)."""
        yield

    @contextlib.contextmanager
    def bulk_cache(self, ex: Executor) -> Iterator[None]:
        """A page cache big enough for a bulk write's index updates, for the statements run
        inside (the server's own setting on PostgreSQL)."""
        yield

    # -- bulk data --------------------------------------------------------------------------

    def bulk_insert(
        self, conn: Connection, table: Table, rows: list[dict[str, Any]], *, return_ids: bool
    ) -> list[int]:
        if return_ids:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return [int(r[0]) for r in conn.execute(stmt, rows)]
        conn.execute(insert(table), rows)
        return []

    def update_by_id(
        self,
        conn: Connection,
        table: Table,
        rows: Sequence[dict[str, Any]],
        *,
        fixed: dict[str, Any] | None = None,
    ) -> None:
        """Set, per row of ``table`` whose ``id`` is ``row["id"]``, the row's other keys (every
        row has the same keys); ``fixed``: more SET values, the same for all rows (e.g. a
        column set to itself so its ``onupdate`` does not fire). SQLite: one prepared statement
        run per row."""
        if not rows:
            return
        columns = [c for c in rows[0] if c != "id"]
        values = {c: bindparam(f"v_{c}") for c in columns} | (fixed or {})
        stmt = update(table).where(table.c.id == bindparam("v_id")).values(values)
        conn.execute(stmt, [{f"v_{k}": v for k, v in row.items()} for row in rows])

    def reset_sequences(self, conn: Connection, tables: Sequence[Table]) -> None:
        """After rows were inserted with their ids: the next id of each table follows them."""

    def snapshot_path(self, engine: Engine) -> Path | None:
        """The file a consistent copy can be taken of (:meth:`snapshot`), or None when the
        database is not a file (use a JSON dump). ValueError: a file database without a file
        (SQLite in memory)."""
        return None

    def snapshot(self, src: Path, dest: Path) -> None:
        """Copy the database file ``src`` consistently to ``dest`` (online)."""
        raise NotImplementedError(f"{self.name} databases are not files")


class SQLite(Dialect):
    name = "sqlite"

    def make_engine(self, url: str) -> Engine:
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine

    def latest_per_group(self, q: LatestPerGroup) -> Subquery:
        """``MAX()`` over a sortable text key; the row's other columns are taken from the
        maximal row (SQLite's documented "bare column" rule). Dates are ISO text (fixed
        width); integers are zero-padded."""
        fmt = "|".join("%s" if isinstance(c.type, Date) else "%012d" for c in q.order)
        key = func.printf(fmt, *q.order)
        return (
            select(*q.columns, func.max(key).label("sort_key"))
            .where(and_(*q.conditions))
            .group_by(*q.partition)
            .subquery(q.name)
        )

    def insert_ignore(self, table: Any, index_elements: Sequence[str]) -> Insert:
        return sqlite_insert(table).on_conflict_do_nothing(index_elements=list(index_elements))

    def date_bucket(self, col: Any, unit: str) -> ColumnElement[Any]:
        if unit == "week":
            # 'weekday 0' moves forward to Sunday (or stays on one); 6 days back is Monday.
            return func.date(col, literal("weekday 0"), literal("-6 days"))
        fmt = "%Y-%m-01" if unit == "month" else "%Y-01-01"
        return func.strftime(literal(fmt), col)

    def days_between(self, start: Any, end: Any) -> ColumnElement[Any]:
        return sql_cast(func.julianday(end) - func.julianday(start), Integer)

    @contextlib.contextmanager
    def short_lock_wait(self, conn: Connection) -> Iterator[None]:
        conn.exec_driver_sql("PRAGMA busy_timeout = 200")
        try:
            yield
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def lock_for_update(self, session: Session, noop_write: UpdateBase) -> None:
        # SQLite has no row locks and pysqlite starts the transaction only at the first write;
        # a no-op write first takes the database write lock (waiting for another writer), so
        # the read that follows sees every committed update.
        session.execute(noop_write)

    @contextlib.contextmanager
    def bulk_cache(self, ex: Executor) -> Iterator[None]:
        # SQLite's default 2 MB page cache: an import inserting 100,000 people into the
        # people list's indexes (random name order) re-reads index pages from the OS again and
        # again (import of 20,000 people: 10.3 s → 8.7 s with 64 MB). Only for this
        # connection, only while the import runs (a server's pooled connections keep 2 MB).
        conn = _connection(ex)
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")

    def snapshot_path(self, engine: Engine) -> Path | None:
        path = engine.url.database
        if not path or path == ":memory:":
            raise ValueError("an in-memory SQLite database cannot be backed up")
        return Path(path)

    def snapshot(self, src: Path, dest: Path) -> None:
        source = sqlite3.connect(str(src))
        try:
            target = sqlite3.connect(str(dest))
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()


#: How long a SQLite connection waits for another writer before failing.
#: SQLite's page cache during a bulk write (:meth:`Dialect.bulk_cache`), in KiB.
BULK_CACHE_KIB = 65536
BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class PostgreSQL(Dialect):
    name = "postgresql"
    row_locks = True

    def make_engine(self, url: str) -> Engine:
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
        )

    def latest_per_group(self, q: LatestPerGroup) -> Subquery:
        return (
            select(*q.columns)
            .where(and_(*q.conditions))
            .ext(distinct_on(*q.partition))
            .order_by(*q.partition, *(c.desc() for c in q.order))
            .subquery(q.name)
        )

    def insert_ignore(self, table: Any, index_elements: Sequence[str]) -> Insert:
        return pg_insert(table).on_conflict_do_nothing(index_elements=list(index_elements))

    def id_in(self, col: Any, param: str = "ids") -> ColumnElement[bool]:
        # one array parameter: the statement text stays the same whatever the number of ids,
        # so it is parsed and planned once per connection
        return cast(ColumnElement[bool], col == any_(bindparam(param, type_=ARRAY(Integer))))

    def id_join(self, col: Any, param: str = "ids") -> ColumnElement[bool]:
        # with ``id IN (…2,000 ids…)`` the planner scanned the whole table for each batch of
        # an import (its statistics cannot know the rows the transaction added); driven by
        # the id list it looks each row up by primary key
        wanted = (
            func.unnest(bindparam(param, type_=ARRAY(Integer)))
            .table_valued("id")
            .render_derived(name="wanted")
        )
        return cast(ColumnElement[bool], col == wanted.c.id)

    def try_exclusive(self, ex: Executor, key: int) -> bool:
        return bool(ex.scalar(select(func.pg_try_advisory_xact_lock(key))))

    @contextlib.contextmanager
    def short_lock_wait(self, conn: Connection) -> Iterator[None]:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
        conn.exec_driver_sql("SET LOCAL statement_timeout = '1s'")
        yield  # SET LOCAL ends with the transaction

    def analyze(self, ex: Executor, tables: Sequence[str]) -> None:
        for table in tables:
            ex.execute(text(f'ANALYZE "{table}"'))

    def vacuum_analyze(self, engine: Engine, tables: Sequence[str]) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f'VACUUM ANALYZE "{table}"')

    def tune_for_analytics(self, ex: Executor, work_mem: str) -> None:
        conn = _connection(ex)
        conn.exec_driver_sql("SELECT set_config('work_mem', %(v)s, true)", {"v": work_mem})
        conn.exec_driver_sql("SET LOCAL jit = off")

    @contextlib.contextmanager
    def without_jit(self, ex: Executor) -> Iterator[None]:
        conn = _connection(ex)
        before = conn.exec_driver_sql("SELECT current_setting('jit')").scalar()
        conn.exec_driver_sql("SET LOCAL jit = off")
        yield  # on an error the transaction is rolled back, and SET LOCAL with it
        conn.exec_driver_sql("SELECT set_config('jit', %(v)s, true)", {"v": before})

    def bulk_insert(
        self, conn: Connection, table: Table, rows: list[dict[str, Any]], *, return_ids: bool
    ) -> list[int]:
        """Ids from the table's sequence in one query, then ``COPY … FROM STDIN``."""
        ids: list[int] = []
        if return_ids:
            seq = conn.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": len(rows)},
            ).scalars()
            ids = [int(i) for i in seq]
            for row, new_id in zip(rows, ids, strict=True):
                row["id"] = new_id
        cols = _with_defaults(table, rows)
        json_cols = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:  # type: ignore[union-attr]
            names = ", ".join(f'"{c}"' for c in cols)
            with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(c), ensure_ascii=False)
                            if c in json_cols and row.get(c) is not None
                            else row.get(c)
                            for c in cols
                        ]
                    )
        return ids

    def update_by_id(
        self,
        conn: Connection,
        table: Table,
        rows: Sequence[dict[str, Any]],
        *,
        fixed: dict[str, Any] | None = None,
    ) -> None:
        """One ``UPDATE … FROM unnest(:ids, :col1, …)`` for all the rows: the table's
        statement-level triggers (the tally's) then run once, not once per row."""
        if not rows:
            return
        names = ["id", *(c for c in rows[0] if c != "id")]
        arrays = [bindparam(f"v_{c}", type_=ARRAY(table.c[c].type)) for c in names]
        given = func.unnest(*arrays).table_valued(*names).render_derived(name="given")
        values = {c: given.c[c] for c in names[1:]} | (fixed or {})
        stmt = update(table).where(table.c.id == given.c.id).values(values)
        conn.execute(stmt, {f"v_{c}": [row[c] for row in rows] for c in names})

    def reset_sequences(self, conn: Connection, tables: Sequence[Table]) -> None:
        for table in tables:
            if "id" in table.columns:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )


def _column_default(col: Any) -> Any:
    """The Python-side default of a column (scalar or callable), as Core would apply it."""
    d = col.default
    if d is None:
        return None
    arg = getattr(d, "arg", None)
    if getattr(d, "is_scalar", False):
        return arg
    if callable(arg):
        return arg(None)  # SQLAlchemy wraps Python callables to take an execution context
    return None


def _with_defaults(table: Table, rows: list[dict[str, Any]]) -> list[str]:
    """Fill in the columns' defaults (``COPY`` applies none); returns the columns to copy."""
    cols = [c.name for c in table.columns if c.name != "id" or (rows and "id" in rows[0])]
    for row in rows:
        for col in table.columns:
            if col.name not in row and col.name != "id":
                row[col.name] = _column_default(col)
    return cols


PORTABLE = Dialect()
_DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLite(), PostgreSQL())}


def dialect_named(name: str | Dialect | None) -> Dialect:
    """The dialect of this name (``sqlite``, ``postgresql``); ``None`` or another name: the
    portable forms."""
    if isinstance(name, Dialect):
        return name
    return _DIALECTS.get(name or "", PORTABLE)


@functools.singledispatch
def dialect_of(ex: Any) -> Dialect:
    """The dialect of a session, a connection or an engine."""
    raise TypeError(f"no database dialect for {type(ex).__name__}")


@dialect_of.register
def _(ex: Session) -> Dialect:
    return dialect_named(ex.get_bind().dialect.name)


@dialect_of.register
def _(ex: Connection) -> Dialect:
    return dialect_named(ex.dialect.name)


@dialect_of.register
def _(ex: Engine) -> Dialect:
    return dialect_named(ex.dialect.name)


def dialect_for_url(url: str) -> Dialect:
    return dialect_named(make_url(url).get_backend_name())


__all__ = [
    "PORTABLE",
    "Dialect",
    "LatestPerGroup",
    "PostgreSQL",
    "SQLite",
    "dialect_for_url",
    "dialect_named",
    "dialect_of",
    "driver_errors",
]
