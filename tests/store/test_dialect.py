"""The dialect seam (:mod:`prisonwatch.store.dialect`): each operation gives the same answer on
SQLite and PostgreSQL, and no module outside ``store/`` looks at the backend's name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Date, bindparam, func, literal, select

from prisonwatch.store.db import Database
from prisonwatch.store.dialect import PORTABLE, LatestPerGroup, dialect_of
from prisonwatch.store.schema import StatusEvent
from prisonwatch.store.schema_auth import LoginThrottle
from prisonwatch.store.status_rule import ORDER

SRC = Path(__file__).resolve().parents[2] / "src" / "prisonwatch"
#: what branching on the backend looks like
BRANCH = re.compile(
    r"""\.dialect\.name|is_sqlite|\.backend\b|==\s*["'](sqlite|postgresql)["']|"""
    r"""dialects\.(sqlite|postgresql)"""
)


def test_nothing_outside_store_branches_on_the_backend() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).parts[0] != "store"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BRANCH.search(line) and not line.lstrip().startswith("#")
    ]
    allowed = {
        "web/api.py": "the health check reports the backend's name",
        "cli/registry.py": "the name of the backup's format (a SQLite file copy)",
    }
    assert [f for f in found if f.split(":")[0] not in allowed] == []
    assert len(found) == len(allowed), found


@pytest.mark.parametrize(
    ("unit", "day", "first"),
    [
        ("week", dt.date(2024, 3, 7), dt.date(2024, 3, 4)),  # Thursday -> Monday
        ("week", dt.date(2024, 3, 4), dt.date(2024, 3, 4)),  # a Monday stays
        ("week", dt.date(2024, 3, 10), dt.date(2024, 3, 4)),  # Sunday -> the Monday before
        ("month", dt.date(2024, 2, 29), dt.date(2024, 2, 1)),
        ("year", dt.date(2024, 12, 31), dt.date(2024, 1, 1)),
    ],
)
def test_date_buckets(db: Database, unit: str, day: dt.date, first: dt.date) -> None:
    with db.session() as s:
        d = dialect_of(s)
        got = s.scalar(select(d.date_bucket(literal(day, Date), unit)))
    assert str(got)[:10] == first.isoformat()


def test_days_between(db: Database) -> None:
    with db.session() as s:
        d = dialect_of(s)
        start, end = (
            literal(dt.date(2024, 2, 27), Date),
            literal(dt.date(2025, 3, 1), Date),
        )
        assert s.scalar(select(d.days_between(start, end))) == 368


def test_insert_ignore_skips_existing_rows(db: Database) -> None:
    now = dt.datetime(2024, 1, 1)
    with db.session() as s:
        stmt = dialect_of(s).insert_ignore(LoginThrottle, ["key"])
        s.execute(stmt.values([{"key": "a", "failures": 3, "window_start": now}]))
        s.execute(
            stmt.values(
                [
                    {"key": "a", "failures": 0, "window_start": now},
                    {"key": "b", "failures": 0, "window_start": now},
                ]
            )
        )
        rows = dict(s.execute(select(LoginThrottle.key, LoginThrottle.failures)).all())
    assert rows == {"a": 3, "b": 0}


def test_an_id_list_is_one_parameter(db: Database) -> None:
    with db.session() as s:
        d = dialect_of(s)
        stmt = select(func.count()).select_from(
            select(literal(1).label("x")).where(d.id_in(literal(2))).subquery()
        )
        assert s.scalar(stmt, {"ids": [1, 2, 3]}) == 1
        assert s.scalar(stmt, {"ids": [5]}) == 0


def test_the_exclusive_lock_is_taken(db: Database) -> None:
    with db.session() as s:
        assert dialect_of(s).try_exclusive(s, 0x7077_7465_7374) is True


def test_latest_per_group_agrees_with_the_portable_form(db: Database) -> None:
    from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry

    with db.session() as s:
        reg = Registry(s, "test")
        for events in (
            [("detained", "2021-05"), ("released_end_of_term", "2021-05-01")],
            [("released_end_of_term", "2021-05"), ("detained", "2021-05-01")],
            [("detained", "2020"), ("pardoned", "2020-01-01"), ("sentenced", "2020-01-01")],
        ):
            p = reg.add_person(PersonInput(names=[NameInput("Тэст")]))
            for kind, date in events:
                reg.add_event(p.id, EventInput(kind, date))
    with db.session() as s:
        cols = (StatusEvent.person_id.label("person_id"), StatusEvent.kind.label("kind"))
        q = LatestPerGroup(
            cols,
            [StatusEvent.date_start <= bindparam("day")],
            (StatusEvent.person_id,),
            ORDER,
            "latest",
        )
        answers = []
        for dialect in (PORTABLE, dialect_of(s)):
            sub = dialect.latest_per_group(q)
            rows = s.execute(
                select(sub.c.person_id, sub.c.kind).order_by(sub.c.person_id),
                {"day": dt.date(2022, 1, 1)},
            )
            answers.append([kind for _, kind in rows])
    assert answers[0] == answers[1] == ["released_end_of_term", "detained", "sentenced"]


def test_update_by_id_sets_each_rows_values_and_nothing_else(db: Database) -> None:
    from prisonwatch.store.registry import NameInput, PersonInput, Registry
    from prisonwatch.store.schema import Person

    with db.session() as s:
        reg = Registry(s, "test")
        ids = [reg.add_person(PersonInput(names=[NameInput(f"P {i}")])).id for i in range(3)]
        s.flush()
        stamp = {pid: s.get(Person, pid).updated_at for pid in ids}
        rows = [{"id": ids[0], "sort_latin_all": b"\x01a"}, {"id": ids[2], "sort_latin_all": None}]
        table = Person.__table__
        dialect_of(s).update_by_id(
            s.connection(), table, rows, fixed={"updated_at": table.c.updated_at}
        )
        found = s.execute(select(Person.id, Person.sort_latin_all).where(Person.id.in_(ids)))
        got = {pid: key for pid, key in found}
        assert got[ids[0]] == b"\x01a" and got[ids[2]] is None
        assert got[ids[1]] is not None  # not in the rows: left alone
        s.expire_all()
        assert {pid: s.get(Person, pid).updated_at for pid in ids} == stamp


def test_bulk_cache_is_restored(db: Database) -> None:
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            with dialect_of(conn).bulk_cache(conn):
                inside = conn.exec_driver_sql("PRAGMA cache_size").scalar()
                assert inside is not None and inside < before  # negative: KiB, bigger
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
        else:
            with dialect_of(conn).bulk_cache(conn):
                assert conn.scalar(select(literal(1))) == 1
