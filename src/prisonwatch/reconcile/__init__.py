"""Reconciling name lists: a list against a list (the demanded vs. the released) or a list
against the registry, one-to-one and global, with a review queue whose decisions stick.

>>> from prisonwatch.reconcile import read_list, reconcile
>>> result = reconcile(read_list("demanded.csv"), read_list("released.xlsx"))  # doctest: +SKIP
>>> result.counts  # doctest: +SKIP
{'matched': 49, 'review': 0, 'left_only': 11, 'right_only': 3}
"""

from prisonwatch.reconcile.engine import (
    MATCH,
    REVIEW,
    UNMATCHED,
    CandidateSource,
    Pair,
    Progress,
    ReconcileOptions,
    ReconcileResult,
    reconcile,
)
from prisonwatch.reconcile.errors import InputError, ReviewError
from prisonwatch.reconcile.judgements import JudgementGraph
from prisonwatch.reconcile.reading import ListRow, read_list

__all__ = [
    "MATCH",
    "REVIEW",
    "UNMATCHED",
    "CandidateSource",
    "InputError",
    "JudgementGraph",
    "ListRow",
    "Pair",
    "Progress",
    "ReconcileOptions",
    "ReconcileResult",
    "ReviewError",
    "read_list",
    "reconcile",
]
