"""Letters on the "has anything changed?" page: how many of the people who can be written to
had a letter logged in the last 90 days, and how evenly the letters are spread (Gini)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from .eligibility import eligible_recipients
from .model import LetterFigures


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient of non-negative ``values``: 0 when all are equal (or all zero, or
    none), (n-1)/n when one has everything. Mean absolute difference over twice the mean."""
    xs = sorted(max(0.0, float(v)) for v in values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n


def letter_figures(session: Session, day: dt.date) -> LetterFigures:
    """The public figures on ``day``: over the people a public reader sees as eligible (the
    flagged and hidden left out), letters logged as sent over the last 90 days."""
    people = eligible_recipients(session, day)
    counts = [r.letters_90d for r in people]
    with_letter = sum(1 for n in counts if n > 0)
    return LetterFigures(
        eligible=len(people),
        with_letter_90d=with_letter,
        share=with_letter / len(people) if people else 0.0,
        gini=gini(counts),
    )


__all__ = ["gini", "letter_figures"]
