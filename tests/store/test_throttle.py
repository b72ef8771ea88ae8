"""Login throttling: atomic under parallel attempts, per (account, client) and per client, and
no lock-out of the real user by strangers — on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from prisonwatch.store import throttle
from prisonwatch.store.db import Database
from prisonwatch.store.schema import LoginAttempt
from prisonwatch.store.throttle import LoginThrottled
from prisonwatch.store.users import create_user, login

PW = "correct horse battery"


@pytest.fixture
def anna(db: Database) -> str:
    with db.session() as s:
        create_user(s, "anna", PW, actor="test")
    return "anna"


def _attempt(db: Database, password: str, client: str) -> str:
    try:
        return "ok" if login(db, "anna", password, client) else "wrong"
    except LoginThrottled:
        return "throttled"


def test_parallel_wrong_passwords_are_not_all_checked(db: Database, anna: str) -> None:
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda _: _attempt(db, "wrong password!", "10.0.0.9"), range(12)))
    assert results.count("wrong") == throttle.MAX_PER_ACCOUNT_CLIENT
    assert results.count("throttled") == 12 - throttle.MAX_PER_ACCOUNT_CLIENT
    with db.session() as s:
        checked = s.scalar(select(func.count()).select_from(LoginAttempt))
    assert checked == throttle.MAX_PER_ACCOUNT_CLIENT
    # that client stays refused, even with the right password
    assert _attempt(db, PW, "10.0.0.9") == "throttled"


def test_strangers_cannot_lock_the_user_out(db: Database, anna: str) -> None:
    # many clients, each up to its limit: the account is slowed down, never locked
    for n in range(4):
        for _ in range(throttle.MAX_PER_ACCOUNT_CLIENT):
            result = _attempt(db, "wrong password!", f"10.1.0.{n}")
            if result == "throttled":  # the per-account slow-down: wait, don't give up
                time.sleep(throttle.SLOWDOWN_INTERVAL.total_seconds())
    time.sleep(throttle.SLOWDOWN_INTERVAL.total_seconds())
    assert _attempt(db, PW, "192.0.2.7") == "ok"
    # while the slow-down is on, one attempt per interval is let through
    time.sleep(throttle.SLOWDOWN_INTERVAL.total_seconds())
    assert _attempt(db, "wrong password!", "10.2.0.1") == "wrong"
    assert _attempt(db, "wrong password!", "10.2.0.2") == "throttled"


def test_one_client_spraying_usernames_is_stopped(db: Database, anna: str) -> None:
    results = []
    for n in range(throttle.MAX_PER_CLIENT + 1):
        try:
            results.append(login(db, f"user{n}", "wrong password!", "10.3.0.1"))
        except LoginThrottled:
            results.append("throttled")
    assert results[-1] == "throttled" and results[:-1] == [None] * throttle.MAX_PER_CLIENT
    assert login(db, "anna", PW, "10.3.0.2") is not None


def test_success_clears_the_clients_failures(db: Database, anna: str) -> None:
    for _ in range(throttle.MAX_PER_ACCOUNT_CLIENT - 1):
        assert _attempt(db, "wrong password!", "10.4.0.1") == "wrong"
    assert _attempt(db, PW, "10.4.0.1") == "ok"
    for _ in range(throttle.MAX_PER_ACCOUNT_CLIENT):
        assert _attempt(db, "wrong password!", "10.4.0.1") == "wrong"
    assert _attempt(db, "wrong password!", "10.4.0.1") == "throttled"
