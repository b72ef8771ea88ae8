"""The writer of the review queue and of judgements (the rules and the reading live in
:mod:`prisonwatch.reconcile.review`): queued pairs, decisions, withdrawals — each judgement and
withdrawal audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.schema import Judgement, ReviewItem, utcnow

_CHUNK = 500


@dataclass(frozen=True)
class PairToReview:
    left_key: str
    right_key: str
    left_name: str
    right_name: str
    score: float
    why: str | None


def queue_pairs(session: Session, pairs: Sequence[PairToReview], context: str) -> int:
    """Queue the pairs not queued yet; returns how many were added. A pair already waiting
    keeps its place and gets the newer score and explanation."""
    wanted = {(p.left_key, p.right_key): p for p in pairs}
    existing: dict[tuple[str, str], ReviewItem] = {}
    keys = list(wanted)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        stmt = select(ReviewItem).where(
            tuple_(ReviewItem.left_key, ReviewItem.right_key).in_(chunk)
        )
        for found in session.scalars(stmt):
            existing[(found.left_key, found.right_key)] = found
    added = 0
    for pair_keys, p in wanted.items():
        item = existing.get(pair_keys)
        if item is not None:
            if item.judgement_id is None:
                item.score = p.score
                item.why = p.why
                item.context = context[:300]
            continue
        session.add(
            ReviewItem(
                left_key=p.left_key,
                right_key=p.right_key,
                left_name=p.left_name[:500],
                right_name=p.right_name[:500],
                score=p.score,
                why=p.why,
                context=context[:300],
            )
        )
        added += 1
    session.flush()
    return added


def record_judgement(
    session: Session,
    *,
    left_key: str,
    right_key: str,
    decision: str,
    actor: str,
    person_id: int | None,
    left_name: str | None = None,
    right_name: str | None = None,
    score: float | None = None,
    note: str | None = None,
    context: str | None = None,
    item: ReviewItem | None = None,
) -> Judgement:
    """A decision on a pair (already checked), audited; ``item``, the queued pair it decides,
    leaves the queue."""
    j = Judgement(
        left_key=left_key,
        right_key=right_key,
        left_name=left_name,
        right_name=right_name,
        decision=decision,
        score=score,
        user=actor,
        at=utcnow(),
        note=note,
    )
    session.add(j)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="judgement",
        entity_id=j.id,
        person_id=person_id,
        after=audit.snapshot(j),
        context=context,
    )
    if item is not None:
        item.judgement_id = j.id
        session.flush()
    return j


def withdraw_judgement(
    session: Session, j: Judgement, actor: str, note: str | None, person_id: int | None
) -> Judgement:
    """Withdraw a judgement (it stays in the history) and put its queued pair back; audited."""
    before = audit.snapshot(j)
    j.withdrawn_at = utcnow()
    j.withdrawn_by = actor
    if note:
        j.note = f"{j.note}\n[withdrawn] {note}" if j.note else f"[withdrawn] {note}"
    for item in session.scalars(select(ReviewItem).where(ReviewItem.judgement_id == j.id)):
        item.judgement_id = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="withdraw",
        entity_type="judgement",
        entity_id=j.id,
        person_id=person_id,
        before=before,
        after=audit.snapshot(j),
        context=note,
    )
    return j
