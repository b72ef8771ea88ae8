"""Cross-script person-name matching (Belarusian, Russian, Ukrainian, Latin spellings).

Public API::

    from prisonwatch.names import default_matcher, compare, CandidateIndex, search_key

See docs/names.md for the method, the thresholds and the measured figures.
"""

from __future__ import annotations

from prisonwatch.names.base import Matcher, MatchResult, PartExplanation, verdict_for
from prisonwatch.names.index import CandidateIndex
from prisonwatch.names.keys import search_key
from prisonwatch.names.matcher import SlavicNameMatcher
from prisonwatch.names.script import detect_script

#: Default thresholds (see docs/names.md for how they were chosen).
MATCH_THRESHOLD = 0.8
REVIEW_THRESHOLD = 0.6

_DEFAULT = SlavicNameMatcher(MATCH_THRESHOLD, REVIEW_THRESHOLD)


def default_matcher() -> SlavicNameMatcher:
    """The matcher the rest of PrisonWatch uses (shared, stateless)."""
    return _DEFAULT


def compare(left: str, right: str) -> MatchResult:
    """Compare two person names with the default matcher."""
    return _DEFAULT.compare(left, right)


__all__ = [
    "MATCH_THRESHOLD",
    "REVIEW_THRESHOLD",
    "CandidateIndex",
    "MatchResult",
    "Matcher",
    "PartExplanation",
    "SlavicNameMatcher",
    "compare",
    "default_matcher",
    "detect_script",
    "search_key",
    "verdict_for",
]
