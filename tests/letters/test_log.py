"""The letters log: who may be logged, the rate limit, the 90-day window, corrections, the
fewest-letters list and the weighted pick."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from prisonwatch.letters import log as letters_log
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.flags import set_flag
from prisonwatch.letters.log import (
    NotEligible,
    RateLimited,
    choose,
    correct_count,
    fewest_among,
    fewest_letters,
    letter_counts,
    log_letter,
    pick,
    weight,
    with_address,
)
from prisonwatch.letters.model import Recipient
from prisonwatch.store.db import Database
from prisonwatch.store.letters import add_letter
from prisonwatch.store.schema import AuditEntry
from prisonwatch.store.schema_letters import LetterLog, LetterThrottle
from prisonwatch.validation import FieldError

DAY = dt.date(2025, 1, 1)
HELD = [("detained", "2024-01-10", "IK-3")]


def test_only_eligible_people_can_be_logged(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        released = b.person(
            "Вызвалены", [("detained", "2020-01-01"), ("released_end_of_term", "2024-01-01")]
        )
        flagged = b.person("Пазначаны", HELD)
        set_flag(s, flagged, "incommunicado", reason="no letters reach him", actor="ed")
        hidden = b.person("Схаваны", HELD, private_names=True)
        for pid in (released, flagged, hidden, 999_999):
            with pytest.raises(NotEligible):
                log_letter(s, pid, client_key="1.2.3.4", day=DAY)
        assert s.scalar(select(LetterLog.id)) is None


def test_rate_limit_per_person_and_per_client(
    db: Database, build: type, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    monkeypatch.setattr(letters_log, "MAX_PER_CLIENT_PER_DAY", 3)
    with db.session() as s:
        b = build(s)
        people = [b.person(f"Асоба {c}", HELD) for c in "АБВГД"]
    with db.session() as s:
        log_letter(s, people[0], client_key="10.0.0.1", day=DAY)
    with pytest.raises(RateLimited), db.session() as s:  # the same letter again, same day
        log_letter(s, people[0], client_key="10.0.0.1", day=DAY)
    with pytest.raises(RateLimited), db.session() as s:  # saying it was sent another day
        log_letter(s, people[0], client_key="10.0.0.1", day=DAY - dt.timedelta(days=1))
    with db.session() as s:  # another client may
        log_letter(s, people[0], client_key="10.0.0.2", day=DAY)
    with db.session() as s:
        log_letter(s, people[1], client_key="10.0.0.1", day=DAY)
        log_letter(s, people[2], client_key="10.0.0.1", day=DAY)
    with pytest.raises(RateLimited) as exc, db.session() as s:  # a 4th letter that day
        log_letter(s, people[3], client_key="10.0.0.1", day=DAY - dt.timedelta(days=3))
    assert exc.value.retry_after > dt.timedelta(0)
    clock.today = DAY + dt.timedelta(days=1)  # the next day: the same letter again, and more
    with db.session() as s:
        log_letter(s, people[0], client_key="10.0.0.1", day=DAY + dt.timedelta(days=1))
        log_letter(s, people[3], client_key="10.0.0.1", day=DAY)
    with db.session() as s:
        counts = letter_counts(s, DAY + dt.timedelta(days=1))
        assert counts == {people[0]: 3, people[1]: 1, people[2]: 1, people[3]: 1}
        keys = list(s.scalars(select(LetterThrottle.key)))
        assert keys and not any("10.0.0" in k for k in keys)  # nothing of the client stored
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "letter_log")))
        assert len(entries) == 6 and all("10.0.0" not in str(e.after) for e in entries)


@pytest.mark.parametrize("back", [-2, 8, 400])
def test_only_recent_days(db: Database, build: type, back: int) -> None:
    with db.session() as s:
        pid = build(s).person("Асоба", HELD)
        with pytest.raises(FieldError):
            log_letter(s, pid, client_key="c", day=DAY - dt.timedelta(days=back))
        log_letter(s, pid, client_key="c", day=DAY - dt.timedelta(days=7))


def test_counts_cover_the_last_90_days(db: Database, build: type) -> None:
    with db.session() as s:
        pid = build(s).person("Асоба", [("detained", "2020-01-10", "IK-3")])
        for back in (0, 89, 90, 200):
            add_letter(s, pid, DAY - dt.timedelta(days=back))
        assert letter_counts(s, DAY) == {pid: 2}  # day-0 and day-89; day-90 is out
        assert letter_counts(s, DAY, days=365) == {pid: 4}
        assert letter_counts(s, DAY - dt.timedelta(days=1)) == {pid: 2}  # 89 and 90 back


def test_corrections(db: Database, build: type) -> None:
    today = DAY
    with db.session() as s:
        pid = build(s).person("Асоба", [("detained", "2020-01-10", "IK-3")])
        log_letter(s, pid, client_key="a", day=today)
        correct_count(s, pid, 5, actor="editor", reason="letters counted by the family")
        assert letter_counts(s, today) == {pid: 6}
        correct_count(s, pid, -10, actor="editor", reason="duplicates")
        assert letter_counts(s, today) == {}  # never below 0
        for bad in (0, 10**6):
            with pytest.raises(FieldError):
                correct_count(s, pid, bad, actor="editor", reason="x")
        with pytest.raises(FieldError):
            correct_count(s, pid, 1, actor="editor", reason=" ")
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "letter_log", AuditEntry.actor == "editor")
            .order_by(AuditEntry.id)
        ).first()
        assert entry is not None and "letters counted by the family" in (entry.context or "")


def test_fewest_letters_first_with_an_address_only(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        b.facility("IK-3", "ИК-3")
        many, one, none_ = (b.person(f"Асоба {c}", HELD) for c in "АБВ")
        no_address = b.person("Без адраса", [("detained", "2024-01-10")])
        for i in range(3):
            log_letter(s, many, client_key=f"c{i}", day=DAY)
        log_letter(s, one, client_key="c0", day=DAY)
        ranked = [r.person_id for r in fewest_letters(s, DAY)]
        assert ranked == [none_, one, many]
        people = eligible_recipients(s, DAY)  # a page reads the list once: the same ranking
        assert [r.person_id for r in fewest_among(people, DAY)] == ranked
        assert {r.person_id for r in with_address(people)} == {none_, one, many}
        assert no_address not in ranked
        assert [r.person_id for r in fewest_letters(s, DAY, limit=1)] == [none_]


def _r(pid: int, letters: int) -> Recipient:
    return Recipient(pid, f"#{pid}", f"#{pid}", None, None, letters)


def test_choose_is_weighted_towards_fewer_letters() -> None:
    people = [_r(3, 9), _r(1, 0), _r(2, 1)]
    rng = random.Random(20261204)
    n = 20_000
    got = Counter(c.person_id for _ in range(n) if (c := choose(people, rng)) is not None)
    total = weight(0) + weight(1) + weight(9)  # 1 + 1/2 + 1/10
    for pid, letters in ((1, 0), (2, 1), (3, 9)):
        assert got[pid] / n == pytest.approx(weight(letters) / total, abs=0.01)
    # the same seed, the same pick, whatever order the candidates come in
    a = choose(people, random.Random(7))
    b = choose(list(reversed(people)), random.Random(7))
    assert a is not None and b is not None and a.person_id == b.person_id
    assert choose([], random.Random(1)) is None


def test_pick_only_among_people_with_an_address(db: Database, build: type) -> None:
    with db.session() as s:
        b = build(s)
        b.facility("IK-3", "ИК-3")
        zero, nine = (b.person(f"Асоба {c}", HELD) for c in "АБ")
        no_address = b.person("Без адраса", [("detained", "2024-01-10")])
        for i in range(9):
            log_letter(s, nine, client_key=f"c{i}", day=DAY)
        rng = random.Random(5)
        got = Counter(p.person_id for _ in range(40) if (p := pick(s, DAY, rng=rng)) is not None)
        assert sum(got.values()) == 40 and no_address not in got
        assert got[zero] > got[nine] > 0
        first = pick(s, DAY, rng=random.Random(11))
        second = pick(s, DAY, rng=random.Random(11))
        assert first is not None and second is not None
        assert first.person_id == second.person_id
        assert first.letters_90d in (0, 9)


def test_pick_without_candidates(db: Database, build: type) -> None:
    with db.session() as s:
        build(s).person("Без адраса", [("detained", "2024-01-10")])
        assert pick(s, DAY, rng=random.Random(1)) is None


def test_weight() -> None:
    assert [weight(n) for n in (0, 1, 9)] == [1.0, 0.5, 0.1]
    assert weight(-3) == 1.0
