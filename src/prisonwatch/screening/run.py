"""One screening run: every name of every official against every name of every person on the
latest version of every imported sanctions list (prisoners — ``person`` rows — are never
screened: only ``official_name`` rows are read).

The name matcher finds the pairs (:class:`~prisonwatch.names.screen.ScreeningIndex`); per
official, target and list the best pair is kept, explained, and stored with the matcher's
verdict (``match`` at or above the match threshold, else ``review``). ``review`` pairs that no
reviewer has judged go into the review queue; a judgement made once (same / different /
unsure) is honoured by every later run and by the report (:mod:`prisonwatch.screening.report`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.names import MATCH_THRESHOLD, default_matcher
from prisonwatch.names.screen import Hit, ScreeningIndex
from prisonwatch.reconcile.review import load_graph
from prisonwatch.store.official_screening import NewHit, QueuePair, record_screening
from prisonwatch.store.officials_query import (
    latest_versions,
    official_key,
    screening_names,
    target_key,
    target_names,
)
from prisonwatch.store.schema_sanctions import SanctionsTarget


@dataclass
class ScreeningOutcome:
    run_id: int
    officials: int
    names: int
    target_names: int
    lists: int
    matches: int
    uncertain: int
    queued: int
    seconds: float
    versions: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(vars(self))


def screen_officials(
    session: Session,
    actor: str,
    *,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScreeningOutcome:
    """Screen, store the hits, queue the uncertain pairs, record the run (one transaction)."""
    t0 = time.perf_counter()
    say = progress or (lambda _text: None)
    names = screening_names(session)
    versions = latest_versions(session)
    targets = list(target_names(session, versions))
    say(f"screening {len(names):,} names of officials against {len(targets):,} sanctioned names")
    index = ScreeningIndex(names, default_matcher())
    found = index.screen([(i, t.name) for i, t in enumerate(targets)], workers=workers)
    best: dict[tuple[int, int, int], Hit] = {}
    for h in found:
        t = targets[int(h.other_key)]
        key = (int(h.key), t.target_id, t.list_id)
        if key not in best or h.score > best[key].score:
            best[key] = h
    refs = {
        tid: (authority, ref)
        for tid, authority, ref in session.execute(
            select(SanctionsTarget.id, SanctionsTarget.authority, SanctionsTarget.ref).where(
                SanctionsTarget.id.in_(sorted({k[1] for k in best}) or [0])
            )
        )
    }
    graph = load_graph(session)
    matcher = default_matcher()
    hits: list[NewHit] = []
    queue: dict[tuple[str, str], QueuePair] = {}
    for (oid, tid, lid), h in sorted(best.items()):
        result = matcher.compare(h.name, h.other_name)
        verdict = "match" if result.score >= MATCH_THRESHOLD else "review"
        t = targets[int(h.other_key)]
        hits.append(
            NewHit(
                oid,
                h.name[:500],
                tid,
                lid,
                t.version_id,
                h.other_name[:1000],
                result.score,
                verdict,
                result.why,
            )
        )
        if verdict != "review":
            continue
        lk, rk = official_key(oid), target_key(*refs[tid])
        judged = graph.direct(lk, rk) or graph.blocking(lk, rk) or graph.is_same(lk, rk)
        if judged:
            continue
        if (lk, rk) not in queue or result.score > queue[(lk, rk)].score:
            queue[(lk, rk)] = QueuePair(lk, rk, h.name, h.other_name, result.score, result.why)
    seconds = time.perf_counter() - t0
    run = record_screening(
        session,
        actor,
        hits=hits,
        queue=list(queue.values()),
        versions=list(versions.values()),
        officials=len({oid for oid, _n in names}),
        names=len(names),
        target_names=len(targets),
        matches=sum(h.verdict == "match" for h in hits),
        uncertain=sum(h.verdict == "review" for h in hits),
        seconds=seconds,
    )
    return ScreeningOutcome(
        run.id,
        run.officials,
        run.names,
        run.target_names,
        len(versions),
        run.matches,
        run.uncertain,
        run.queued,
        round(seconds, 2),
        sorted(versions.values()),
    )


__all__ = ["ScreeningOutcome", "screen_officials"]
