from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prisonwatch.reconcile.judgements import JudgementGraph


@dataclass
class J:
    id: int
    left_key: str
    right_key: str
    decision: str
    user: str = "ana"
    at: dt.datetime = dt.datetime(2025, 9, 12)
    withdrawn_at: dt.datetime | None = None


def day(n: int) -> dt.datetime:
    return dt.datetime(2025, 9, n)


def test_same_is_transitive_and_explained() -> None:
    g = JudgementGraph([J(1, "a", "b", "same", at=day(1)), J(2, "c", "b", "same", "ben", day(2))])
    assert g.is_same("a", "c")
    assert g.same_group("a") == {"a", "b", "c"}
    assert [d.judgement_id for d in g.same_path("a", "c")] == [1, 2]
    assert "through 2 decisions" in g.explain_same("a", "c")
    assert g.explain_same("a", "b") == "judged same by ana on 2025-09-01"
    assert not g.is_same("a", "z")
    assert g.same_group("z") == {"z"}


def test_different_blocks_the_whole_components() -> None:
    g = JudgementGraph(
        [J(1, "a", "b", "same"), J(2, "c", "d", "same"), J(3, "b", "d", "different")]
    )
    assert g.blocking("a", "c") is not None
    assert g.blocking("a", "c").judgement_id == 3  # type: ignore[union-attr]
    assert g.blocking("a", "b") is None
    assert g.blocking("a", "x") is None


def test_latest_decision_on_a_pair_counts_and_withdrawn_ones_do_not() -> None:
    g = JudgementGraph(
        [
            J(1, "a", "b", "same", at=day(1)),
            J(2, "b", "a", "different", at=day(2)),
            J(3, "a", "b", "same", at=day(3), withdrawn_at=day(4)),
        ]
    )
    assert not g.is_same("a", "b")
    assert g.direct("a", "b").decision.value == "different"  # type: ignore[union-attr]
    assert len(g) == 1


def test_withdrawing_the_link_of_a_chain_splits_it() -> None:
    js = [J(1, "a", "b", "same"), J(2, "b", "c", "same", withdrawn_at=day(20))]
    assert not JudgementGraph(js).is_same("a", "c")


def test_unsure_is_recorded_but_does_not_join() -> None:
    g = JudgementGraph([J(1, "a", "b", "unsure")])
    assert not g.is_same("a", "b")
    assert g.blocking("a", "b") is None
    assert g.direct("b", "a").decision.value == "unsure"  # type: ignore[union-attr]
