"""Parallel CLI writers on one person (real processes) and two imports touching the same
people in opposite orders, on SQLite and PostgreSQL: every one succeeds, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from prisonwatch.io.importer import import_file
from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.schema import Person, StatusEvent

CLI = [sys.executable, "-c", "from prisonwatch.cli import main; main()"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_parallel_event_add_on_one_person(db: Database) -> None:
    with db.session() as s:
        pid = Registry(s, "test").add_person(PersonInput(names=[NameInput("Ян Паралельны")])).id

    def add(n: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *CLI,
                "event",
                "add",
                str(pid),
                "transferred",
                f"2024-02-{n + 1:02d}",
                "--db",
                db.url,
                "--as",
                f"cli:t{n}",
            ],
            capture_output=True,
            text=True,
            env=_env(),
            timeout=300,
            check=False,
        )

    with ThreadPoolExecutor(10) as pool:
        done = list(pool.map(add, range(10)))
    for proc in done:
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr
    with db.session() as s:
        count = s.scalar(
            select(func.count()).select_from(StatusEvent).where(StatusEvent.person_id == pid)
        )
    assert count == 10


def test_two_imports_in_opposite_orders(db: Database, tmp_path: Path) -> None:
    ids = [f"x{n}" for n in range(40)]
    base = tmp_path / "base.csv"
    base.write_text(
        "id,name\n" + "".join(f"{i},Імя{n} Прозвішча{n}\n" for n, i in enumerate(ids)),
        encoding="utf-8",
    )
    import_file(db, base, actor="test")
    forward, backward = tmp_path / "forward.csv", tmp_path / "backward.csv"
    forward.write_text(
        "id,name,region\n" + "".join(f"{i},Імя{n} Прозвішча{n},Minsk\n" for n, i in enumerate(ids)),
        encoding="utf-8",
    )
    backward.write_text(
        "id,name,gender\n"
        + "".join(f"{i},Імя{n} Прозвішча{n},female\n" for n, i in reversed(list(enumerate(ids)))),
        encoding="utf-8",
    )
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda p: import_file(db, p, actor="test"), [forward, backward]))
    assert [r.updated for r in results] == [40, 40]
    with db.session() as s:
        rows = s.execute(select(Person.region, Person.gender)).all()
    assert set(rows) == {("Minsk", "female")}
