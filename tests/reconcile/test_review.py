"""The review queue, judgements and their reuse, on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from prisonwatch.cli.reconcile import app, review_app
from prisonwatch.reconcile import read_list, reconcile
from prisonwatch.reconcile.errors import ReviewConflict, ReviewInvalid, ReviewNotFound
from prisonwatch.reconcile.review import (
    decide,
    enqueue,
    judge,
    judgements,
    load_graph,
    pending,
    withdraw,
)
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, Judgement, ReviewItem

LEFT = [("A1", "Andrei Pachobut"), ("A2", "Ihar Losik"), ("A3", "Maksim Znak")]
RIGHT = [("R1", "Анджей Почобут"), ("R2", "Ігар Лосікаў"), ("R3", "Максім Знак")]


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name"])
        w.writerows(rows)
    return path


def run(*args: str) -> str:
    root = typer.Typer()
    root.add_typer(app, name="reconcile")
    root.add_typer(review_app, name="review")
    result = CliRunner().invoke(root, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def verdicts(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["left_id"]: (r["verdict"], r["right_id"]) for r in csv.DictReader(fh)}


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_judgements_are_honoured_on_later_runs(db: Database, tmp_path: Path) -> None:
    left, right = write(tmp_path / "left.csv", LEFT), write(tmp_path / "right.csv", RIGHT)
    out = tmp_path / "out.csv"
    reconcile_args = ["reconcile", str(left), str(right), "-o", str(out), "--db", db.url]

    run(*reconcile_args)
    assert verdicts(out) == {
        "A1": ("review", "R1"),
        "A2": ("review", "R2"),
        "A3": ("match", "R3"),
    }
    with db.session() as s:
        items = {i.left_key: i.id for i in pending(s)}
    assert set(items) == {"list:left:id:A1", "list:left:id:A2"}
    listing = run("review", "list", "--db", db.url)
    assert "2 pending" in listing and "Почобут" in listing

    run(
        "review",
        "decide",
        str(items["list:left:id:A1"]),
        "same",
        "--note",
        "Polish form",
        "--as",
        "ana",
        "--db",
        db.url,
    )
    run(
        "review",
        "decide",
        str(items["list:left:id:A2"]),
        "different",
        "--as",
        "ben",
        "--db",
        db.url,
    )
    run(
        "review",
        "judge",
        "list:left:id:A3",
        "list:right:id:R3",
        "different",
        "--as",
        "ana",
        "--db",
        db.url,
    )

    run(*reconcile_args)
    assert verdicts(out) == {
        "A1": ("match", "R1"),
        "A2": ("unmatched", ""),
        "A3": ("unmatched", ""),
    }
    with db.session() as s:
        assert pending(s) == []
    with out.open(encoding="utf-8") as fh:
        text = fh.read()
    assert "judged same by ana" in text and "excluded: judged different by ben" in text

    # Withdrawing puts the pair back: in the queue and in the band.
    with db.session() as s:
        (j2,) = [j for j in judgements(s) if j.user == "ben"]
    run("review", "withdraw", str(j2.id), "--note", "wrong row", "--as", "ana", "--db", db.url)
    run(*reconcile_args)
    assert verdicts(out)["A2"] == ("review", "R2")
    with db.session() as s:
        assert [i.left_key for i in pending(s)] == ["list:left:id:A2"]
        history = judgements(s)
        assert len(history) == 3
        withdrawn = [j for j in history if j.withdrawn_at is not None]
        assert [(j.id, j.withdrawn_by) for j in withdrawn] == [(j2.id, "ana")]
        actions = sorted(
            (a.action, a.actor)
            for a in s.scalars(select(AuditEntry))
            if a.entity_type == "judgement"
        )
    assert actions == [("create", "ana"), ("create", "ana"), ("create", "ben"), ("withdraw", "ana")]
    assert "wrong row" in run("review", "history", "--db", db.url)


def test_same_judgements_chain_across_lists(db: Database, tmp_path: Path) -> None:
    """Two lists never compared before: each row was judged the same as person 7."""
    left = read_list(write(tmp_path / "a.csv", [("1", "Mikola Statkevich")]))
    right = read_list(write(tmp_path / "b.csv", [("9", "Н. В. Статкевич"), ("8", "Mikola Sta")]))
    with db.session() as s:
        judge(s, "list:a:id:1", "person:7", "same", "ana")
        judge(s, "person:7", "list:b:id:9", "same", "ben")
    with db.session() as s:
        graph = load_graph(s)
    (pair,) = reconcile(left, right, judgements=graph).pairs
    assert pair.right is not None and pair.right.id == "9"
    assert (pair.verdict, pair.judged) == ("match", "same")
    assert "through 2 decisions" in pair.why


def test_enqueue_once_per_pair_and_refresh(db: Database, tmp_path: Path) -> None:
    left = read_list(write(tmp_path / "l.csv", LEFT))
    right = read_list(write(tmp_path / "r.csv", RIGHT))
    result = reconcile(left, right)
    with db.session() as s:
        assert enqueue(s, result, "run 1") == 2
    with db.session() as s:
        assert enqueue(s, result, "run 2") == 0
        assert {i.context for i in pending(s)} == {"run 2"}
    assert count(db, ReviewItem) == 2


def test_review_errors(db: Database) -> None:
    with db.session() as s:
        s.add(
            ReviewItem(
                left_key="list:x:id:1",
                right_key="person:3",
                left_name="A",
                right_name="B",
                score=0.7,
            )
        )
    with db.session() as s:
        (item,) = pending(s)
        with pytest.raises(ReviewInvalid, match="not one of same, different, unsure"):
            decide(s, item.id, "maybe", "ana")
        with pytest.raises(ReviewNotFound, match="no review item 999"):
            decide(s, 999, "same", "ana")
        j = decide(s, item.id, "SAME", "ana")
        assert j.decision == "same"
        with pytest.raises(ReviewConflict, match="already decided as same by ana"):
            decide(s, item.id, "different", "ben")
        withdraw(s, j.id, "ben")
        with pytest.raises(ReviewConflict, match="already withdrawn by ben"):
            withdraw(s, j.id, "ana")
        with pytest.raises(ReviewNotFound, match="no judgement 999"):
            withdraw(s, 999, "ana")
        with pytest.raises(ReviewInvalid, match="against itself"):
            judge(s, "person:1", "person:1", "same", "ana")
    # the failed calls wrote nothing; the withdrawn judgement is kept and audited with the person
    assert count(db, Judgement) == 1
    with db.session() as s:
        audit = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(a.action, a.person_id) for a in audit] == [("create", 3), ("withdraw", 3)]
    assert audit[1].before is not None and audit[1].before["withdrawn_at"] is None
    assert audit[1].after is not None and audit[1].after["withdrawn_by"] == "ben"


@pytest.mark.parametrize("note", ["same person\x00", "same\u202e person", "x" * 10_001])
def test_decision_notes_follow_the_input_rule(db: Database, note: str) -> None:
    from prisonwatch.validation import FieldError

    with db.session() as s, pytest.raises(FieldError, match=r"^note: "):
        judge(s, "list:a:id:1", "list:b:id:1", "same", "tester", note=note)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Judgement)) == 0
