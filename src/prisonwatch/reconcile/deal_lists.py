"""Linking a list of released people's names to a deal: the list is matched with the
reconciliation engine (cross-script, one-to-one, honouring kept judgements) against the
registry people who have a release event near the deal's date; ``match`` rows are linked
through :class:`prisonwatch.store.deals.Deals` (audited), ``review`` rows go to the review
queue (context ``deal:<id>``). Used by ``prisonwatch deal link --names``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prisonwatch.reconcile.engine import MATCH, REVIEW, ReconcileOptions, reconcile
from prisonwatch.reconcile.reading import read_list
from prisonwatch.reconcile.review import enqueue, load_graph
from prisonwatch.reconcile.stored_lists import registry_rows
from prisonwatch.store.deals import Deals


@dataclass
class ListLinkOutcome:
    """What linking a list of names did: rows linked (row, name, person id, event id, score),
    rows left for review (row, name, candidate person id, score) and rows with no candidate."""

    linked: list[tuple[int, str, int, int, float | None]] = field(default_factory=list)
    already: list[tuple[int, str, int]] = field(default_factory=list)
    review: list[tuple[int, str, int, float | None]] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    queued: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "linked": [
                {"row": r, "name": n, "person_id": p, "event_id": e, "score": s}
                for r, n, p, e, s in self.linked
            ],
            "already_linked": [{"row": r, "name": n, "person_id": p} for r, n, p in self.already],
            "review": [
                {"row": r, "name": n, "candidate_person_id": p, "score": s}
                for r, n, p, s in self.review
            ],
            "unmatched": [{"row": r, "name": n} for r, n in self.unmatched],
            "queued_for_review": self.queued,
        }


def link_deal_list(
    deals: Deals,
    deal_id: int,
    path: str | Path,
    *,
    name_col: str = "name",
    id_col: str | None = None,
    original_filename: str | None = None,
    queue_review: bool = True,
) -> ListLinkOutcome:
    """Match a list of released people's names to the registry people with a release event
    near the deal's date, and link the ``match`` rows (all or nothing). ``review`` rows are
    put in the review queue (context ``deal:<id>``) and not linked."""
    deal = deals.get_deal(deal_id)
    left = read_list(path, id_col, name_col, original_filename=original_filename)
    candidates = deals.candidate_people(deal)
    right = registry_rows(deals.session, candidates)
    result = reconcile(left, right, ReconcileOptions(), judgements=load_graph(deals.session))
    out = ListLinkOutcome()
    for pair in result.pairs:
        row, name = pair.left.row_number, pair.left.name
        if pair.right is None:
            out.unmatched.append((row, name))
            continue
        pid = int(pair.right.id or 0)
        if pair.verdict == MATCH:
            ev, changed = deals.link_person(deal_id, pid, candidates[pid])
            if changed:
                out.linked.append((row, name, pid, ev.id, pair.score))
            else:
                out.already.append((row, name, pid))
        elif pair.verdict == REVIEW:
            out.review.append((row, name, pid, pair.score))
        else:
            out.unmatched.append((row, name))
    if queue_review and out.review:
        out.queued = enqueue(deals.session, result, f"deal:{deal_id}")
    return out


__all__ = ["ListLinkOutcome", "link_deal_list"]
