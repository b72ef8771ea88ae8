"""How well a name answers what someone typed into a search box.

The pair score says how likely two names are the same person's, which is what comparison and
reconciliation need. A search is another question: a query that names only a surname is fully
answered by every person with that surname, though the pair score of "Статкевич" against
"Мікалай Статкевіч" is capped at 0.70 (one name part in common). Search ranks and labels its
hits by this instead: every typed part found is a full hit, the exact spelling first, with one
short reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from prisonwatch.names.base import MatchResult

#: A typed part counts as found when its part score reaches this: the same word in another
#: script or spelling (0.96), its name group (0.93), an inflected form (0.92) or an initial
#: (0.85) — not a one-letter slip (0.90 only for long words; included) or a different word.
FOUND_MIN = 0.85


@dataclass(frozen=True, slots=True)
class Answer:
    typed: int  # parts of the query
    found: int  # of them, found in the name
    exact: bool  # every typed part found in the same spelling (case aside)
    reason: str  # one short reason

    @property
    def full(self) -> bool:
        return self.typed > 0 and self.found == self.typed

    def sort_key(self, score: float) -> tuple[bool, bool, int, float]:
        """Full hits first, then exact spellings, then more parts found, then the pair score."""
        return (not self.full, not self.exact, -self.found, -score)


def answer(result: MatchResult) -> Answer:
    """How the compared name (the right side) answers the query (the left side)."""
    typed = [p for p in result.parts if p.left]
    found = [p for p in typed if p.right and p.score >= FOUND_MIN]
    exact = (
        bool(typed)
        and len(found) == len(typed)
        and all(p.left.casefold() == p.right.casefold() for p in found)
    )
    if exact:
        reason = "exact spelling"
    elif found and len(found) == len(typed):
        differing = next(p for p in found if p.left.casefold() != p.right.casefold())
        reason = f"{differing.left} ≈ {differing.right}" + (
            f": {differing.reason}" if differing.reason else ""
        )
    else:
        reason = f"{len(found)} of {len(typed)} typed parts found"
    return Answer(len(typed), len(found), exact, reason)
