"""The one interface every name matcher implements.

A matcher compares two person names and returns a score in [0, 1] *with* an explanation a
reviewer can read. Reconciliation, registry search and news linking only talk to this
interface, so a better matcher can be added beside the current one and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from prisonwatch.model import Verdict


@dataclass(frozen=True, slots=True)
class PartExplanation:
    """How one part of the name (surname, given name, patronymic, ...) was compared."""

    part: str  # "surname", "given name", "patronymic", "initial", "extra"
    left: str
    right: str
    score: float
    reason: str  # e.g. "Belarusian→Latin, a/o vowel reduction"


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    verdict: Verdict
    why: str
    parts: tuple[PartExplanation, ...] = field(default_factory=tuple)


@runtime_checkable
class Matcher(Protocol):
    """Compares two person names."""

    name: str
    #: score >= match_threshold -> Verdict.MATCH
    match_threshold: float
    #: review_threshold <= score < match_threshold -> Verdict.REVIEW
    review_threshold: float

    def score(self, left: str, right: str) -> float:
        """The score of :meth:`compare` alone, without building the explanation (the fast
        path of search and reconciliation, which explain only the pairs they keep)."""
        ...

    def compare(self, left: str, right: str) -> MatchResult: ...


def verdict_for(score: float, match_threshold: float, review_threshold: float) -> Verdict:
    if score >= match_threshold:
        return Verdict.MATCH
    if score >= review_threshold:
        return Verdict.REVIEW
    return Verdict.NO_MATCH
