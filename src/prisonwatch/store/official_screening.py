"""Writing a screening run of officials: its hits, its uncertain pairs in the review queue, and
the run itself with an audit entry (entity type ``official_screening``: the counts and the list
versions screened). The run is computed by :mod:`prisonwatch.screening.run`.

The hits of the previous run are replaced (the table holds the latest screening); reviewers'
judgements live in the ``judgement`` table and are never touched here. An uncertain pair goes
into the review queue once (``official:N`` / ``sanctions:AUTHORITY:REF``); a pair already
waiting gets the newer score and explanation, a judged pair is not queued again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.review_queue import PairToReview, queue_pairs
from prisonwatch.store.schema_officials import OfficialHit, OfficialScreening

_CHUNK = 500
CONTEXT = "officials screening"


@dataclass(frozen=True)
class NewHit:
    official_id: int
    official_name: str
    target_id: int
    list_id: int
    version_id: int
    target_name: str
    score: float
    verdict: str  # match, review
    why: str | None


#: an uncertain pair for the review queue: the registry's one queue writer takes it
QueuePair = PairToReview


def enqueue_pairs(session: Session, pairs: Sequence[QueuePair], context: str = CONTEXT) -> int:
    """Put pairs into the review queue (once per pair of keys; a waiting pair gets the newer
    score and explanation) through :func:`prisonwatch.store.review_queue.queue_pairs`;
    returns how many were added."""
    return queue_pairs(session, pairs, context)


def record_screening(
    session: Session,
    actor: str,
    *,
    hits: Sequence[NewHit],
    queue: Sequence[QueuePair],
    versions: Sequence[int],
    officials: int,
    names: int,
    target_names: int,
    matches: int,
    uncertain: int,
    seconds: float,
) -> OfficialScreening:
    """Replace the stored hits with ``hits``, queue ``queue`` for review, and record the run."""
    session.execute(delete(OfficialHit))
    rows = [vars(h) for h in hits]
    for start in range(0, len(rows), 5000):
        session.execute(insert(OfficialHit), rows[start : start + 5000])
    queued = enqueue_pairs(session, queue) if queue else 0
    run = OfficialScreening(
        actor=actor,
        versions=sorted(versions),
        officials=officials,
        names=names,
        target_names=target_names,
        matches=matches,
        uncertain=uncertain,
        queued=queued,
        seconds=round(seconds, 3),
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="official_screening",
        entity_id=run.id,
        after=audit.snapshot(run),
        context=CONTEXT,
    )
    return run


__all__ = ["CONTEXT", "NewHit", "QueuePair", "enqueue_pairs", "record_screening"]
