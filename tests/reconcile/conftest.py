"""Fixtures of the reconciliation tests: a small, transparent matcher and a brute-force candidate
source, so the assignment, judgement and report logic can be tested independently of the name
matcher (the end-to-end tests use the real one)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import icu
import pytest
from rapidfuzz import fuzz

from prisonwatch.model import Verdict
from prisonwatch.names.base import MatchResult, verdict_for
from prisonwatch.reconcile import ReconcileOptions

_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


class TokenMatcher:
    """token_sort_ratio over ASCII-transliterated names; thresholds 0.85 / 0.70."""

    name = "token-sort-test"
    match_threshold = 0.85
    review_threshold = 0.70

    def score(self, left: str, right: str) -> float:
        a, b = _ASCII.transliterate(left), _ASCII.transliterate(right)
        return fuzz.token_sort_ratio(a, b) / 100.0

    def compare(self, left: str, right: str) -> MatchResult:
        s = self.score(left, right)
        v: Verdict = verdict_for(s, self.match_threshold, self.review_threshold)
        return MatchResult(s, v, f"token sort {s:.2f}")


class BruteForceIndex:
    """Every right row ranked by :class:`TokenMatcher` (fine for a few hundred rows)."""

    def __init__(
        self, items: Iterable[tuple[int, str]], progress: Callable[[int], None] | None = None
    ) -> None:
        self.items = list(items)
        if progress is not None:
            progress(len(self.items))
        self.matcher = TokenMatcher()

    def candidates(self, name: str, limit: int = 50) -> list[int]:
        ranked = sorted(self.items, key=lambda kv: -self.matcher.score(name, kv[1]))
        return [k for k, _ in ranked[:limit]]


@pytest.fixture
def toy_options() -> ReconcileOptions:
    return ReconcileOptions(matcher=TokenMatcher(), index_factory=BruteForceIndex)
