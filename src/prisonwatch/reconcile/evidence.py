"""Evidence besides the name: birth date or year, gender, region. When both rows carry a value it
moves the name score up or down, and the reason is added to the explanation.

The adjustments are deliberately small for agreement (a shared birth year is common) and larger
for disagreement (two different birth years almost always mean two people):

=========================================  ===========
evidence                                   adjustment
=========================================  ===========
birth dates agree to the day               +0.06
birth years agree (coarser precision)      +0.03
birth years one year apart                 -0.05
birth years further apart                  -0.30
gender differs                             -0.25
region agrees                              +0.02
region differs                             -0.04
=========================================  ===========
"""

from __future__ import annotations

from dataclasses import dataclass

import icu
from rapidfuzz import fuzz

from prisonwatch.dates import PartialDate, Precision
from prisonwatch.reconcile.reading import ListRow

_TO_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")

BIRTH_EXACT = 0.06
BIRTH_YEAR = 0.03
BIRTH_NEAR = -0.05
BIRTH_FAR = -0.30
GENDER_DIFF = -0.25
REGION_SAME = 0.02
REGION_DIFF = -0.04


@dataclass(frozen=True, slots=True)
class Adjustment:
    delta: float
    reasons: tuple[str, ...]

    @property
    def text(self) -> str:
        return "; ".join(self.reasons)


NONE = Adjustment(0.0, ())


def adjust(left: ListRow, right: ListRow) -> Adjustment:
    """The score adjustment for the evidence both rows carry (none when a side lacks it)."""
    delta = 0.0
    reasons: list[str] = []
    if left.birth is not None and right.birth is not None:
        d, why = _birth(left.birth, right.birth)
        delta += d
        reasons.append(why)
    if left.gender is not None and right.gender is not None and left.gender != right.gender:
        delta += GENDER_DIFF
        reasons.append(f"gender differs ({left.gender} vs {right.gender}) {GENDER_DIFF:+.2f}")
    if left.region is not None and right.region is not None:
        if _same_region(left.region, right.region):
            delta += REGION_SAME
            reasons.append(f"region agrees ({left.region} = {right.region}) {REGION_SAME:+.2f}")
        else:
            delta += REGION_DIFF
            reasons.append(f"region differs ({left.region} vs {right.region}) {REGION_DIFF:+.2f}")
    if not reasons:
        return NONE
    return Adjustment(round(delta, 4), tuple(reasons))


def _birth(a: PartialDate, b: PartialDate) -> tuple[float, str]:
    if a.precision is Precision.DAY and b.precision is Precision.DAY and a.start == b.start:
        return BIRTH_EXACT, f"born on the same day ({a.iso()}) {BIRTH_EXACT:+.2f}"
    if a.may_overlap(b):
        return BIRTH_YEAR, f"birth dates agree ({a} ~ {b}) {BIRTH_YEAR:+.2f}"
    if abs(a.year - b.year) <= 1:
        return BIRTH_NEAR, f"birth dates close but differ ({a} vs {b}) {BIRTH_NEAR:+.2f}"
    return BIRTH_FAR, f"born in different years ({a.year} vs {b.year}) {BIRTH_FAR:+.2f}"


def _same_region(a: str, b: str) -> bool:
    ka = _TO_ASCII.transliterate(a)
    kb = _TO_ASCII.transliterate(b)
    return ka == kb or fuzz.ratio(ka, kb) >= 80
