"""The people list's stored keys (sort names, current status, tally) stay equal to what they are
derived from, whatever sequence of writes goes through the registry, on both backends."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from migrationhelpers import migrate
from sqlalchemy import create_engine, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.model import CUSTODY_EFFECT, EventKind
from prisonwatch.names.collation import sort_key
from prisonwatch.names.display import shown_name
from prisonwatch.store.custody import rebuild_all
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import (
    compact_tally,
    rebuild_list_keys,
    rebuild_tally,
    refresh_expired,
    refresh_list_keys,
    tally_count,
)
from prisonwatch.store.registry import (
    EventInput,
    NameInput,
    PersonInput,
    Registry,
    RegistryValidationError,
)
from prisonwatch.store.schema import (
    AuditEntry,
    Citation,
    CustodyChange,
    Name,
    Organisation,
    Person,
    PersonTally,
    StatusEvent,
)
from prisonwatch.store.shown_names import visible_names
from prisonwatch.store.status import latest_custody_events, status_case_expression, status_of

TODAY = dt.date.today()
KINDS = [k.value for k in EventKind]
CUSTODY = {k.value: v for k, v in CUSTODY_EFFECT.items() if v != 0}
NAMES = ["Ёжык Аня", "ALEXANDER Ivanou", "alexander ivanou", "Ärger Zoë", "Бондар Вольга", "b"]
REGIONS = ["Minsk", "MINSK", "Brest Region", None]


# -- oracles: recomputed here, independently of the code under test ------------------------


def python_status(events: list[StatusEvent], day: dt.date, private: bool) -> str:
    """The status rule of the README, in plain Python."""
    seen = [
        e
        for e in events
        if e.kind in CUSTODY and e.date_start <= day and (private or e.visibility == "public")
    ]
    if not seen:
        return "unknown"
    last = max(seen, key=lambda e: (e.date_start, e.date_precision, e.id))
    if CUSTODY[last.kind] > 0:
        return "held"
    return "died" if last.kind == EventKind.DIED_IN_CUSTODY.value else "released"


def displayed_key(s: Session, pid: int, private: bool, script: str) -> bytes | None:
    """The collation key of the name the reader sees in ``script``, read now."""
    names = visible_names(s, [pid], include_private=private).get(pid, [])
    shown = shown_name(names, script)
    return None if shown is None else sort_key(shown)


def check_keys(s: Session, today: dt.date = TODAY) -> None:
    """Every stored key equals its derivation; the tally equals a count of ``person``."""
    derived: dict[tuple[str, int], str] = {}
    for private in (False, True):
        latest = latest_custody_events(
            today, include_private=private, dialect=s.get_bind().dialect.name
        )
        for pid, word in s.execute(
            select(latest.c.person_id, status_case_expression(latest.c.kind))
        ):
            derived[("all" if private else "public", pid)] = word
    for p in s.scalars(select(Person).execution_options(populate_existing=True)):
        events = list(s.scalars(select(StatusEvent).where(StatusEvent.person_id == p.id)))
        public_person = s.scalar(
            select(func.count()).where(Name.person_id == p.id, Name.visibility == "public")
        )
        for private, stored in ((False, p.status_public), (True, p.status_all)):
            scope = "all" if private else "public"
            if not private and not public_person:
                # no public name: hidden, not public at all (store.visibility)
                assert stored is None, (p.id, stored)
                assert status_of(s, p.id, today) == "unknown"
                assert (scope, p.id) not in derived
                continue
            want = python_status(events, today, private)
            assert stored == want, (p.id, scope, stored, want)
            assert status_of(s, p.id, today, include_private=private) == want
            assert derived.get((scope, p.id), "unknown") == want
        future = [e.date_start for e in events if e.kind in CUSTODY and e.date_start > today]
        assert p.status_valid_until == (min(future) if future else None)
        for script in ("latin", "cyrillic"):
            for private, scope in ((False, "public"), (True, "all")):
                stored_key = getattr(p, f"sort_{script}_{scope}")
                assert stored_key == displayed_key(s, p.id, private, script), (p.id, scope)
    assert tally(s) == recount(s)


def tally(s: Session) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for scope, status, key, n in s.execute(
        select(PersonTally.scope, PersonTally.status, PersonTally.region_key, PersonTally.n)
    ):
        out[(scope, status, key)] += n
    return +out  # drops zero counts


def recount(s: Session) -> Counter[tuple[Any, ...]]:
    out: Counter[tuple[Any, ...]] = Counter()
    for region, public, private in s.execute(
        select(Person.region, Person.status_public, Person.status_all)
    ):
        key = region.lower() if region is not None else None
        if public is not None:
            out[("public", public, key)] += 1
        if private is not None:
            out[("all", private, key)] += 1
    return out


def wipe(db: Database) -> None:
    with db.session() as s:
        for table in (CustodyChange, Citation, StatusEvent, Name, AuditEntry, Person, Organisation):
            s.execute(delete(table))
        s.execute(delete(PersonTally))


def day_text(offset: int, precision: int) -> str:
    d = TODAY + dt.timedelta(days=offset)
    return [f"{d.year}", f"{d.year}-{d.month:02d}", d.isoformat()][precision - 1]


def ahead_refused(kind: str, day: str) -> bool:
    """An event the registry refuses: dated after today, and not a release at the end of term."""
    return PartialDate.parse(day).start > TODAY and kind != EventKind.RELEASED_END_OF_TERM.value


# -- property test: random writes through the registry -------------------------------------

add_event_op = st.tuples(
    st.just("event"),
    st.integers(0, 2),
    st.sampled_from(KINDS),
    st.integers(-900, 400),  # days from today: past and future
    st.sampled_from([1, 2, 3, 3, 3]),
    st.booleans(),
)
edit_event_op = st.tuples(
    st.just("edit_event"),
    st.integers(0, 40),
    st.sampled_from(["date", "kind", "visibility"]),
    st.integers(-900, 400),
    st.sampled_from(KINDS),
    st.booleans(),
)
add_name_op = st.tuples(
    st.just("name"), st.integers(0, 2), st.sampled_from(NAMES), st.booleans(), st.booleans()
)
edit_name_op = st.tuples(
    st.just("edit_name"),
    st.integers(0, 40),
    st.sampled_from(["text", "visibility", "is_primary"]),
    st.sampled_from(NAMES),
    st.booleans(),
)
other_op = st.tuples(
    st.sampled_from(["remove_event", "remove_name", "region", "delete_person"]),
    st.integers(0, 40),
    st.sampled_from(REGIONS),
)
ops = st.lists(
    st.one_of(add_event_op, add_event_op, edit_event_op, add_name_op, edit_name_op, other_op),
    min_size=1,
    max_size=25,
)


def apply(reg: Registry, people: list[int], op: tuple[Any, ...]) -> None:
    s = reg.session
    alive = list(s.scalars(select(Person.id).order_by(Person.id)))
    events = list(s.scalars(select(StatusEvent.id).order_by(StatusEvent.id)))
    names = list(s.scalars(select(Name.id).order_by(Name.id)))
    kind = op[0]
    if kind == "event" and people[op[1]] in alive:
        _, who, ev_kind, offset, precision, private = op
        recognition = ev_kind in (EventKind.RECOGNISED.value, EventKind.RECOGNITION_WITHDRAWN.value)
        event = EventInput(
            ev_kind,
            day_text(offset, precision),
            organisation="Viasna" if recognition else None,
            destination_country="Lithuania" if ev_kind == "expelled_abroad" else None,
            visibility="private" if private else "public",
        )
        if ahead_refused(ev_kind, event.date):  # the one date rule (store/registry.py)
            with pytest.raises(RegistryValidationError, match="in the future"):
                reg.add_event(people[who], event)
            return
        reg.add_event(people[who], event)
    elif kind == "edit_event" and events:
        _, i, what, offset, ev_kind, flag = op
        value = {
            "date": day_text(offset, 3),
            "kind": ev_kind,
            "visibility": "private" if flag else "public",
        }[what]
        ev = s.get(StatusEvent, events[i % len(events)])
        assert ev is not None
        if what == "kind" and ev_kind in ("recognised", "recognition_withdrawn", "expelled_abroad"):
            return  # needs an organisation / destination the edit does not give
        new_kind = value if what == "kind" else ev.kind
        new_date = value if what == "date" else ev.date_start.isoformat()
        if what in ("kind", "date") and ahead_refused(new_kind, new_date):
            before = (ev.kind, ev.date_start)
            with pytest.raises(RegistryValidationError, match="in the future"):
                reg.edit_event(ev.id, {what: value})
            assert (ev.kind, ev.date_start) == before  # a refused edit changes nothing
            return
        reg.edit_event(ev.id, {what: value})
    elif kind == "name" and people[op[1]] in alive:
        _, who, name_text, private, primary = op
        reg.add_name(
            people[who],
            NameInput(name_text, visibility="private" if private else "public", is_primary=primary),
        )
    elif kind == "edit_name" and names:
        _, i, what, name_text, flag = op
        value = {"text": name_text, "visibility": "private" if flag else "public"}.get(what, flag)
        reg.edit_name(names[i % len(names)], {what: value})
    elif kind == "remove_event" and events:
        reg.remove_event(events[op[1] % len(events)])
    elif kind == "remove_name" and names:
        name = s.get(Name, names[op[1] % len(names)])
        assert name is not None
        if s.scalar(select(func.count()).where(Name.person_id == name.person_id)) > 1:
            reg.remove_name(name.id)
    elif kind == "region" and alive:
        reg.edit_person(alive[op[1] % len(alive)], {"region": op[2]})
    elif kind == "delete_person" and len(alive) > 1:
        reg.delete_person(alive[op[1] % len(alive)])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=ops)
def test_stored_keys_equal_the_derived_ones_after_random_writes(
    db: Database, operations: list[tuple[Any, ...]]
) -> None:
    wipe(db)
    with db.session() as s:
        reg = Registry(s, "test")
        people = [
            reg.add_person(
                PersonInput(
                    names=[NameInput(NAMES[i], visibility="private" if i == 1 else "public")],
                    region=REGIONS[i],
                )
            ).id
            for i in range(3)
        ]
    for op in operations:
        with db.session() as s:  # each write in its own transaction, as the web app does
            apply(Registry(s, "test"), people, op)
    with db.session() as s:
        check_keys(s)
        # the set-based rebuild and the tally rebuild agree with the per-write maintenance
        keys = select(Person.id, Person.sort_latin_all, Person.sort_cyrillic_all, Person.status_all)
        stored = list(s.execute(keys))
        rebuild_list_keys(s)
        rebuild_tally(s)
        assert list(s.execute(keys)) == stored
        check_keys(s)


def test_private_names_and_events_never_reach_the_public_keys(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(
            PersonInput(
                names=[
                    NameInput("Сакрэтны Прыватны", visibility="private", is_primary=True),
                    NameInput("Public Spelling"),
                ],
                region="Minsk",
            )
        ).id
        only_private = reg.add_person(
            PersonInput(names=[NameInput("Zzz Hidden", visibility="private")])
        ).id
        reg.add_event(pid, EventInput("detained", "2024-01-05", visibility="private"))
        reg.add_event(pid, EventInput("recognised", "2024-02-01", organisation="Viasna"))
        tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
        reg.add_event(
            only_private, EventInput("released_end_of_term", tomorrow, visibility="private")
        )
    with db.session() as s:
        p = s.get(Person, pid)
        hidden = s.get(Person, only_private)
        assert p is not None and hidden is not None
        # the public keys are made from the public name; the private primary name shows (and
        # sorts) only for readers with private access
        assert p.sort_latin_public == p.sort_cyrillic_public == sort_key("Public Spelling")
        assert p.sort_cyrillic_all == sort_key("Сакрэтны Прыватны")
        assert p.sort_latin_all == sort_key("Public Spelling")  # the registry's Latin spelling
        assert (p.status_public, p.status_all) == ("unknown", "held")
        assert (hidden.sort_latin_public, hidden.sort_cyrillic_public) == (None, None)
        assert hidden.sort_latin_all == sort_key("Zzz Hidden")
        assert hidden.status_valid_until == TODAY + dt.timedelta(days=1)  # a private event's day
        # no public name: not public at all (store.visibility), so no public status
        assert (hidden.status_public, hidden.status_all) == (None, "unknown")
        assert tally_count(s, include_private=False, status="held") == 0
        assert tally_count(s, include_private=True, status="held", region="minsk") == 1
        # the derived columns are not facts: never in the audit trail
        Registry(s, "test").delete_person(pid)
        s.flush()
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "person", AuditEntry.action == "delete"
            )
        ).one()
        assert entry.before is not None and "id" in entry.before
        assert not {"sort_latin_all", "status_all", "status_valid_until"} & set(entry.before)
        check_keys(s)


def test_a_future_event_takes_effect_on_its_day(db: Database) -> None:
    """The stored status of a day that has passed is recomputed before the list reads it."""
    yesterday = TODAY - dt.timedelta(days=1)
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Тэст Будучы")])).id
        reg.add_event(pid, EventInput("detained", "2023-04-01"))
        reg.add_event(pid, EventInput("released_end_of_term", TODAY.isoformat()))
        # as computed yesterday: the release was still ahead
        refresh_list_keys(s, [pid], today=yesterday)
    with db.session() as s:
        p = s.get(Person, pid)
        assert p is not None
        assert (p.status_public, p.status_valid_until) == ("held", TODAY)
        assert tally_count(s, include_private=False, status="held") == 1
        assert refresh_expired(s, yesterday) == 0  # nothing is stale yesterday
        assert refresh_expired(s, TODAY) == 1
        s.refresh(p)
        assert (p.status_public, p.status_all, p.status_valid_until) == (
            "released",
            "released",
            None,
        )
        assert tally_count(s, include_private=False, status="held") == 0
        assert refresh_expired(s, TODAY) == 0
        check_keys(s)


def test_rows_loaded_without_keys_are_computed_on_first_read(db: Database) -> None:
    with db.session() as s:
        s.execute(insert(Person).values(id=7, region="Brest Region"))
        s.execute(
            insert(Name).values(
                person_id=7, full_text="Raw Load", script="latin", kind="official", is_primary=True
            )
        )
        s.execute(insert(StatusEvent).values(person_id=7, kind="detained", date_start=TODAY))
    with db.session() as s:
        assert s.scalar(select(Person.status_all).where(Person.id == 7)) is None
        assert tally_count(s, include_private=False) == 0  # counted once its keys exist
        assert refresh_expired(s, TODAY) == 1
        assert s.scalar(select(Person.status_public).where(Person.id == 7)) == "held"
        assert tally_count(s, include_private=False, region="brest region") == 1
        check_keys(s)


def test_compaction_keeps_every_count(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        for i in range(12):
            pid = reg.add_person(
                PersonInput(names=[NameInput(f"Тэст {i}")], region=REGIONS[i % 3])
            ).id
            if i % 2:
                reg.add_event(pid, EventInput("detained", "2022-02-02"))
    with db.session() as s:
        for i, pid in enumerate(s.scalars(select(Person.id)).all()):
            Registry(s, "test").edit_person(pid, {"region": REGIONS[(i + 1) % 4]})
    with db.session() as s:
        want = recount(s)
        counts = {
            (priv, st_, reg_): tally_count(s, include_private=priv, status=st_, region=reg_)
            for priv in (False, True)
            for st_ in (None, "held", "unknown")
            for reg_ in (None, "minsk", "Brest region")
        }
        rows = s.scalar(select(func.count()).select_from(PersonTally))
        assert compact_tally(s) is True
        assert tally(s) == want
        assert s.scalar(select(func.count()).select_from(PersonTally)) == len(want) < rows
        assert min(s.scalars(select(PersonTally.n))) > 0
        for (priv, st_, reg_), n in counts.items():
            assert tally_count(s, include_private=priv, status=st_, region=reg_) == n
        assert counts[(False, None, None)] == 12 and counts[(True, "held", None)] == 6


# -- PostgreSQL: concurrent writers ---------------------------------------------------------


def test_writers_never_wait_for_each_other_on_the_tally(db: Database) -> None:
    """Two transactions adding people in the same region and status run side by side: the
    PostgreSQL trigger appends rows, it never updates a shared counter row."""
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")
    with db.sessionmaker() as first, db.sessionmaker() as second:
        Registry(first, "a").add_person(PersonInput(names=[NameInput("Адзін")], region="Minsk"))
        first.flush()  # holds its rows, not committed
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        Registry(second, "b").add_person(PersonInput(names=[NameInput("Два")], region="Minsk"))
        second.commit()  # would fail with a lock timeout if it waited for `first`
        first.commit()
    with db.session() as s:
        assert tally_count(s, include_private=False, status="unknown", region="minsk") == 2
        check_keys(s)


def test_concurrent_name_writes_end_with_both_seen(db: Database) -> None:
    """The second writer's refresh waits for the first and then sees its name."""
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")
    with db.session() as s:
        pid = (
            Registry(s, "t")
            .add_person(PersonInput(names=[NameInput("Zed Private", visibility="private")]))
            .id
        )
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            with db.session() as s2:
                Registry(s2, "b").add_name(pid, NameInput("Bravo Later"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with db.sessionmaker() as first:
        Registry(first, "a").add_name(pid, NameInput("Alpha First", is_primary=True))
        first.flush()
        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # waiting for `first`'s lock on the person
        first.commit()
    thread.join(10)
    assert not errors
    with db.session() as s:
        stored = s.scalar(select(Person.sort_latin_public).where(Person.id == pid))
        assert stored == sort_key("Alpha First")
        check_keys(s)


# -- migration 0002 fills an existing registry ----------------------------------------------


# Migration 0002 keeps its own copy of the custody kinds and expressions as they were when it
# was written (it must go on doing what it did); it is checked by what it does to a registry
# written as 0001 knew it, not against today's model, which later revisions may change.


def test_migration_fills_the_keys_of_an_existing_registry(fresh_url: str) -> None:
    migrate(fresh_url, "0001")
    engine = create_engine(fresh_url)
    soon = TODAY + dt.timedelta(days=20)
    with engine.begin() as conn:  # a registry as 0001 knew it, written with plain SQL
        people = [(1, "Minsk"), (2, "MINSK"), (3, None), (4, "Brest Region")]
        for pid, region in people:
            conn.execute(
                text(
                    "INSERT INTO person (id, region, synthetic, created_at, updated_at, version)"
                    " VALUES (:id, :r, false, :t, :t, 1)"
                ),
                {"id": pid, "r": region, "t": dt.datetime(2024, 1, 1)},
            )
        names = [
            (1, "Zoë Public", False, "public"),
            (1, "Аня Прыватная", True, "private"),
            (2, "Bravo", True, "public"),
            (3, "Hidden Only", True, "private"),
            (4, "alpha", False, "public"),
            (4, "ALPHA Primary", True, "public"),
        ]
        for pid, full, primary, vis in names:
            conn.execute(
                text(
                    "INSERT INTO name (person_id, full_text, script, kind, is_primary, visibility)"
                    " VALUES (:p, :f, 'latin', 'official', :pr, :v)"
                ),
                {"p": pid, "f": full, "pr": primary, "v": vis},
            )
        events = [
            (1, "detained", dt.date(2021, 5, 1), 3, "public"),
            (1, "pardoned", dt.date(2024, 1, 1), 2, "private"),
            (2, "detained", dt.date(2022, 1, 1), 1, "public"),
            (2, "released_end_of_term", soon, 3, "public"),
            (3, "died_in_custody", dt.date(2023, 3, 3), 3, "private"),
        ]
        for pid, kind, day, precision, vis in events:
            conn.execute(
                text(
                    "INSERT INTO status_event (person_id, kind, date_start, date_precision,"
                    " date_approx, visibility, created_at) VALUES (:p, :k, :d, :pr, false, :v, :t)"
                ),
                {
                    "p": pid,
                    "k": kind,
                    "d": day,
                    "pr": precision,
                    "v": vis,
                    "t": dt.datetime(2024, 1, 1),
                },
            )
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('person_id_seq', 4)"))
    engine.dispose()
    migrate(fresh_url, "head")
    db = Database(fresh_url)
    try:
        with db.session() as s:
            rebuild_all(s)  # custody_change, which 0001 data would have had
            check_keys(s)
            p2 = s.get(Person, 2)
            assert p2 is not None and (p2.status_public, p2.status_valid_until) == ("held", soon)
            assert tally_count(s, include_private=False, region="minsk") == 2
            # the triggers run from now on
            Registry(s, "t").add_person(PersonInput(names=[NameInput("New")], region="Minsk"))
            assert tally_count(s, include_private=False, region="minsk") == 3
            check_keys(s)
        db.dispose()
        migrate(fresh_url, "0001", down=True)
        migrate(fresh_url, "head")
        with db.session() as s:
            check_keys(s)
            s.execute(update(Person).where(Person.id == 1).values(region="Homiel"))
            assert tally_count(s, include_private=True, region="homiel") == 1
    finally:
        db.dispose()


def test_the_expression_indexes_exist(db: Database) -> None:
    """Alembic cannot compare expression indexes on SQLite; check them by name."""
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            found = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
            ).all()
        else:
            found = conn.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'person'")
            ).all()
    defs = {name: sql for name, sql in found}
    for script in ("latin", "cyrillic"):
        assert f"ix_person_sort_{script}_all" in defs
        assert f"ix_person_region_status_{script}_all" not in defs  # editors: see schema.py
        for scope in ("public",):
            index = f"ix_person_region_status_{script}_{scope}"
            sql = defs[index].replace("::text", "").replace(" ", "")
            assert f"(lower((region)),status_{scope},sort_{script}_{scope},id)" in sql.replace(
                "lower(region)", "lower((region))"
            )
