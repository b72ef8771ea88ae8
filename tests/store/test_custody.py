"""The derived ``custody_change`` table stays equal to a from-scratch recomputation, whatever
sequence of writes goes through the registry, on both backends; and the Python (per person) and
SQL (set-based) computations agree."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from prisonwatch.io.backup import dump_json, restore
from prisonwatch.io.importer import import_file
from prisonwatch.model import EventKind
from prisonwatch.store.custody import COLUMNS, compute_people, rebuild_all, refresh_people
from prisonwatch.store.db import Database
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry
from prisonwatch.store.schema import (
    AuditEntry,
    Citation,
    CustodyChange,
    Name,
    Organisation,
    Person,
    StatusEvent,
)

KINDS = [k.value for k in EventKind]
ORGS = ["Viasna", "Libereco"]
Row = tuple[Any, ...]


def stored(s: Session) -> Counter[Row]:
    cols = [getattr(CustodyChange, c) for c in COLUMNS]
    return Counter(tuple(r) for r in s.execute(select(*cols)))


def expected(s: Session) -> Counter[Row]:
    people = list(s.scalars(select(Person.id)))
    return Counter(tuple(r[c] for c in COLUMNS) for r in compute_people(s, people))


def rebuilt(s: Session) -> Counter[Row]:
    """The table as the set-based SQL computes it (rolled back by the caller)."""
    rebuild_all(s)
    return stored(s)


def wipe(db: Database) -> None:
    with db.session() as s:
        for table in (CustodyChange, Citation, StatusEvent, Name, AuditEntry, Person, Organisation):
            s.execute(delete(table))


def add_event(reg: Registry, pid: int, kind: str, date: str, org: int, private: bool) -> int:
    recognition = kind in (EventKind.RECOGNISED.value, EventKind.RECOGNITION_WITHDRAWN.value)
    ev = reg.add_event(
        pid,
        EventInput(
            kind,
            date,
            organisation=ORGS[org] if recognition else None,
            destination_country="Lithuania" if kind == EventKind.EXPELLED_ABROAD.value else None,
            visibility="private" if private else "public",
        ),
    )
    return int(ev.id)


dates = st.builds(
    lambda y, m, d, p: f"{y}" if p == 1 else f"{y}-{m:02d}" if p == 2 else f"{y}-{m:02d}-{d:02d}",
    st.integers(2020, 2025),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from([1, 2, 3, 3, 3]),
)
add_op = st.tuples(
    st.just("add"),
    st.integers(0, 3),
    st.sampled_from(KINDS),
    dates,
    st.integers(0, 1),
    st.booleans(),
)
edit_op = st.tuples(
    st.just("edit"),
    st.integers(0, 50),
    st.sampled_from(["date", "kind", "visibility", "organisation"]),
    dates,
    st.sampled_from(KINDS),
    st.integers(0, 1),
)
remove_op = st.tuples(st.just("remove"), st.integers(0, 50))
delete_op = st.tuples(st.just("delete_person"), st.integers(0, 3))
ops = st.lists(
    st.one_of(add_op, add_op, add_op, edit_op, remove_op, delete_op), min_size=1, max_size=25
)


def apply(reg: Registry, people: list[int], events: list[int], op: tuple[Any, ...]) -> None:
    if op[0] == "add":
        _, who, kind, date, org, private = op
        if people[who] in alive(reg):
            events.append(add_event(reg, people[who], kind, date, org, private))
        return
    live = [e for e in events if reg.session.get(StatusEvent, e) is not None]
    if op[0] == "edit" and live:
        _, i, what, date, kind, org = op
        ev = live[i % len(live)]
        value = {
            "date": date,
            "kind": kind,
            "visibility": "private" if org else "public",
            "organisation": ORGS[org],
        }[what]
        reg.edit_event(ev, {what: value})
    elif op[0] == "remove" and live:
        reg.remove_event(live[op[1] % len(live)])
    elif op[0] == "delete_person" and people[op[1]] in alive(reg):
        reg.delete_person(people[op[1]])


def alive(reg: Registry) -> set[int]:
    return set(reg.session.scalars(select(Person.id)))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=ops)
def test_table_equals_recomputation_after_random_writes(
    db: Database, operations: list[tuple[Any, ...]]
) -> None:
    wipe(db)
    with db.session() as s:
        reg = Registry(s, "test")
        people = [reg.add_person(PersonInput(names=[NameInput(f"Тэст {i}")])).id for i in range(4)]
    events: list[int] = []
    for op in operations:
        # each operation in its own transaction, as the web app and CLI do
        with db.session() as s:
            apply(Registry(s, "test"), people, events, op)
    with db.sessionmaker() as s:
        want = expected(s)
        assert stored(s) == want
        assert rebuilt(s) == want
        s.rollback()


def test_public_scope_never_sees_a_private_event(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Ганна Тэставая")])).id
        add_event(reg, pid, "detained", "2024-01-05", 0, private=True)
        add_event(reg, pid, "pardoned", "2024-06-01", 0, private=False)
        add_event(reg, pid, "recognised", "2024-02-01", 1, private=False)
    with db.session() as s:
        rows = s.execute(
            select(CustodyChange.scope, CustodyChange.kind, CustodyChange.delta_held)
            .where(CustodyChange.person_id == pid)
            .order_by(CustodyChange.scope, CustodyChange.date_start)
        ).all()
    # publicly the pardon of someone not (publicly) held changes nothing
    assert [tuple(r) for r in rows] == [
        ("all", "detained", 1),
        ("all", "recognised", 0),
        ("all", "pardoned", -1),
        ("public", "recognised", 0),
    ]


def test_same_day_and_partial_dates_follow_the_status_order(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Тэст")])).id
        # "2022-05" and 2022-05-01 share the first day; the day-precise one is later
        add_event(reg, pid, "released_end_of_term", "2022-05-01", 0, False)
        add_event(reg, pid, "detained", "2022-05", 0, False)
        add_event(reg, pid, "pardoned", "2022-09-11", 0, False)
        add_event(reg, pid, "refused_to_leave", "2022-09-11", 0, False)
    with db.session() as s:
        rows = s.execute(
            select(CustodyChange.date_start, CustodyChange.kind, CustodyChange.delta_held)
            .where(CustodyChange.scope == "public")
            .order_by(CustodyChange.date_start, CustodyChange.date_precision, CustodyChange.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        (dt.date(2022, 5, 1), "detained", 1),
        (dt.date(2022, 5, 1), "released_end_of_term", -1),
        # the pardon of someone not held changes nothing; refusing to leave puts them back
        (dt.date(2022, 9, 11), "refused_to_leave", 1),
    ]


def test_recognition_per_organisation_and_overall(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Тэст")])).id
        add_event(reg, pid, "recognised", "2022-02-01", 0, False)
        add_event(reg, pid, "recognised", "2022-03-01", 1, False)
        add_event(reg, pid, "recognised", "2022-03-15", 1, False)  # no change
        add_event(reg, pid, "recognition_withdrawn", "2022-05-01", 0, False)
        add_event(reg, pid, "recognition_withdrawn", "2023-02-01", 1, False)
    with db.session() as s:
        rows = s.execute(
            select(
                Organisation.name,
                CustodyChange.delta_recognised,
                CustodyChange.delta_recognised_any,
            )
            .join(Organisation, Organisation.id == CustodyChange.organisation_id)
            .where(CustodyChange.scope == "all")
            .order_by(CustodyChange.date_start)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Viasna", 1, 1),
        ("Libereco", 1, 0),
        ("Viasna", -1, 0),
        ("Libereco", -1, -1),
    ]


def test_python_and_sql_refresh_agree_and_replace_stale_rows(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pids = [reg.add_person(PersonInput(names=[NameInput(f"Тэст {i}")])).id for i in range(3)]
        for i, pid in enumerate(pids):
            add_event(reg, pid, "detained", f"202{i}-03", 0, i == 1)
            add_event(reg, pid, "recognised", f"202{i}-04-01", i % 2, False)
            add_event(reg, pid, "released_other", f"202{i + 1}", 0, False)
    with db.sessionmaker() as s:
        want = stored(s)
        assert sum(want.values()) > 10
        s.execute(delete(CustodyChange).where(CustodyChange.scope == "public"))
        refresh_people(s, pids, method="sql")
        assert stored(s) == want
        refresh_people(s, pids, method="python")
        assert stored(s) == want
        with pytest.raises(ValueError, match="method"):
            refresh_people(s, pids, method="fast")
        s.rollback()


def test_restore_of_a_dump_without_the_table_rebuilds_it(
    db: Database, sqlite_db: Database, tmp_path: Path
) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Тэст")])).id
        add_event(reg, pid, "detained", "2021-03", 0, False)
        add_event(reg, pid, "expelled_abroad", "2025-09-11", 0, False)
    with db.session() as s:
        want = stored(s)
    assert sum(want.values()) == 4  # two changes in each scope
    dump = tmp_path / "dump.json.gz"
    dump_json(db, dump)
    with gzip.open(dump, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    assert len(doc["tables"]["custody_change"]) == 4
    del doc["tables"]["custody_change"]  # as in a dump made before the table existed
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    restore(sqlite_db, old)
    with sqlite_db.session() as s:
        assert stored(s) == want


IMPORT_HEADER = "id,name,birth_date,gender,region,detained_on,status,status_date,recognised_by"
IMPORT_ROWS = [
    "v-1,Статкевіч Мікалай,1956-08-12,male,Minsk,2020-05-31,sentenced,2021-12-14,",
    "v-2,Калеснікава Марыя,1982,female,Minsk,2020-09,recognised,2020-09,Viasna",
    "v-3,Іваноў Іван,,m,Brest Region,2021,released_end_of_term,2023,",
]


def test_imports_keep_the_table_current(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text("\n".join([IMPORT_HEADER, *IMPORT_ROWS]) + "\n", encoding="utf-8")
    import_file(db, first, actor="test")  # new people: the batch's set-based refresh
    with db.session() as s:
        assert stored(s) == expected(s)
        held = s.scalar(
            select(func.sum(CustodyChange.delta_held)).where(CustodyChange.scope == "public")
        )
        assert held == 2  # v-1 and v-2 held, v-3 released
    second = tmp_path / "second.csv"
    edited = IMPORT_ROWS[2].replace("released_end_of_term,2023", "re_arrested,2024-02-03")
    second.write_text("\n".join([IMPORT_HEADER, edited]) + "\n", encoding="utf-8")
    import_file(db, second, actor="test")  # an update of one person
    with db.session() as s:
        assert stored(s) == expected(s)
        held = s.scalar(
            select(func.sum(CustodyChange.delta_held)).where(CustodyChange.scope == "public")
        )
        assert held == 3
