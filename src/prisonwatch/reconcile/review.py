"""The review queue and the judgements it produces.

Pairs a run puts in the review band become :class:`ReviewItem` rows (once per pair of keys).
A reviewer's decision becomes a :class:`Judgement` (same / different / unsure, who, when, note)
and every later run honours it (:class:`~prisonwatch.reconcile.judgements.JudgementGraph`).
Judgements are never deleted or overwritten: a new decision on the same pair is a new row (the
latest counts), and withdrawing sets ``withdrawn_at``/``withdrawn_by`` and puts the pair back
in the queue. Every judgement and withdrawal writes an audit entry in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.model import JudgementDecision
from prisonwatch.reconcile.engine import REVIEW, ReconcileResult
from prisonwatch.reconcile.errors import ReviewConflict, ReviewInvalid, ReviewNotFound
from prisonwatch.reconcile.judgements import JudgementGraph
from prisonwatch.store.review_queue import (
    PairToReview,
    queue_pairs,
    record_judgement,
    withdraw_judgement,
)
from prisonwatch.store.schema import Judgement, ReviewItem
from prisonwatch.store.visibility import review_item_visible
from prisonwatch.validation import check_text


def _person_of(*keys: str) -> int | None:
    for key in keys:
        if key.startswith("person:") and key[7:].isdigit():
            return int(key[7:])
    return None


def _decision(value: str) -> JudgementDecision:
    try:
        return JudgementDecision(value.strip().lower())
    except ValueError as exc:
        allowed = ", ".join(d.value for d in JudgementDecision)
        raise ReviewInvalid(f"decision {value!r} is not one of {allowed}") from exc


def review_pairs(result: ReconcileResult) -> list[PairToReview]:
    """The result's pairs in the review band that no one has judged yet."""
    return [
        PairToReview(
            left_key=p.left.key,
            right_key=p.right.key,
            left_name=p.left.name,
            right_name=p.right.name,
            score=p.score or 0.0,
            why=p.why,
        )
        for p in result.pairs
        if p.verdict == REVIEW and p.right is not None and p.judged is None
    ]


def enqueue(session: Session, result: ReconcileResult, context: str) -> int:
    """Queue the result's review pairs that no one has judged yet; returns how many were added.

    A pair already waiting keeps its place and gets the newer score and explanation."""
    return queue_pairs(session, review_pairs(result), context)


def pending(
    session: Session, limit: int = 50, offset: int = 0, *, include_private: bool = True
) -> list[ReviewItem]:
    """Items waiting for a decision, oldest first; ``include_private=False`` (readers below
    editor) leaves out pairs that would show a private name (store/visibility.py)."""
    stmt = (
        select(ReviewItem)
        .where(ReviewItem.judgement_id.is_(None), *review_item_visible(include_private))
        .order_by(ReviewItem.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def pending_count(session: Session, *, include_private: bool = True) -> int:
    stmt = (
        select(func.count())
        .select_from(ReviewItem)
        .where(ReviewItem.judgement_id.is_(None), *review_item_visible(include_private))
    )
    return int(session.scalar(stmt) or 0)


def judge(
    session: Session,
    left_key: str,
    right_key: str,
    decision: str,
    actor: str,
    *,
    left_name: str | None = None,
    right_name: str | None = None,
    score: float | None = None,
    note: str | None = None,
    context: str | None = None,
) -> Judgement:
    """Record a decision on a pair of keys (audited)."""
    if left_key == right_key:
        raise ReviewInvalid(f"a record cannot be judged against itself ({left_key})")
    note = check_text("note", note)  # the one input rule; FieldError (a ValueError) names it
    return record_judgement(
        session,
        left_key=left_key,
        right_key=right_key,
        decision=_decision(decision).value,
        actor=actor,
        person_id=_person_of(left_key, right_key),
        left_name=left_name,
        right_name=right_name,
        score=score,
        note=note,
        context=context,
    )


def decide(
    session: Session, item_id: int, decision: str, actor: str, note: str | None = None
) -> Judgement:
    """Decide a queued pair: store the judgement and take the item off the queue."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise ReviewNotFound(f"there is no review item {item_id}")
    if item.judgement_id is not None:
        done = session.get(Judgement, item.judgement_id)
        who = f" as {done.decision} by {done.user}" if done is not None else ""
        raise ReviewConflict(
            f"review item {item_id} is already decided{who}; withdraw that judgement first"
        )
    if item.left_key == item.right_key:
        raise ReviewInvalid(f"a record cannot be judged against itself ({item.left_key})")
    return record_judgement(
        session,
        left_key=item.left_key,
        right_key=item.right_key,
        decision=_decision(decision).value,
        actor=actor,
        person_id=_person_of(item.left_key, item.right_key),
        left_name=item.left_name,
        right_name=item.right_name,
        score=item.score,
        note=check_text("note", note),
        context=f"review item {item.id}",
        item=item,
    )


def withdraw(session: Session, judgement_id: int, actor: str, note: str | None = None) -> Judgement:
    """Withdraw a judgement: it stays in the history, stops counting, and its pair is queued
    again if it came from the queue."""
    j = session.get(Judgement, judgement_id)
    if j is None:
        raise ReviewNotFound(f"there is no judgement {judgement_id}")
    if j.withdrawn_at is not None:
        raise ReviewConflict(
            f"judgement {judgement_id} was already withdrawn by {j.withdrawn_by} "
            f"on {j.withdrawn_at:%Y-%m-%d}"
        )
    note = check_text("note", note)
    return withdraw_judgement(session, j, actor, note, _person_of(j.left_key, j.right_key))


def judgements(session: Session, include_withdrawn: bool = True) -> list[Judgement]:
    """The judgement history, newest first."""
    stmt = select(Judgement).order_by(Judgement.at.desc(), Judgement.id.desc())
    if not include_withdrawn:
        stmt = stmt.where(Judgement.withdrawn_at.is_(None))
    return list(session.scalars(stmt))


def load_graph(session: Session) -> JudgementGraph:
    """Every judgement that counts, as the graph a reconciliation run consults."""
    return JudgementGraph(judgements(session, include_withdrawn=False))
