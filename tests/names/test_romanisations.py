"""Romanisations of other languages (issue 16 §1): a table of Dutch, German, Polish, Czech,
Hungarian, Turkish, Spanish, Lithuanian/Latvian and English spellings of Russian names, each
held against its Cyrillic form — and against another surname with the same given name, which
must stay a non-match. ``benchmarks/names_romanisations.py`` prints the recall per class."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prisonwatch.names import compare

DATA = Path(__file__).parent / "data" / "romanisations.csv"
ROWS = list(csv.DictReader(DATA.open(encoding="utf-8")))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['class']}:{r['latin']}" for r in ROWS])
def test_variant_matches_its_cyrillic_form(row: dict[str, str]) -> None:
    result = compare(row["latin"], row["cyrillic"])
    assert result.score >= 0.8, result.why


def _other_surname(row: dict[str, str]) -> str | None:
    """The Cyrillic name of another row with the same number of words but another surname."""
    words = row["cyrillic"].split()
    for other in ROWS:
        o = other["cyrillic"].split()
        if len(o) == len(words) and o[-1][:3] != words[-1][:3]:
            return " ".join(words[:-1] + o[-1:])
    return None


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['class']}:{r['latin']}" for r in ROWS])
def test_variant_does_not_match_another_surname(row: dict[str, str]) -> None:
    other = _other_surname(row)
    assert other is not None
    assert compare(row["latin"], other).score < 0.8, other


def test_explanations_name_the_system() -> None:
    assert "Dutch spelling: oe = u" in compare("Poetin", "Путин").why
    assert "Dutch spelling: sjtsj = щ" in compare("Sjtsjoekin", "Щукин").why
    assert "Lithuanian/Latvian ending" in compare("Jurijus", "Юрий").why
