"""How a name answers a search query: typed parts found, exact spelling, one short reason."""

from __future__ import annotations

import pytest

from prisonwatch.names import compare
from prisonwatch.names.answer import answer

CASES = [
    # query, name, full hit, exact, reason (or a part of it)
    ("Статкевіч", "Мікалай Статкевіч", True, True, "exact spelling"),
    ("Статкевич", "Мікалай Статкевіч", True, False, "и/і"),
    ("statkevich", "Мікалай Статкевіч", True, False, "Статкевіч"),
    ("Mikalai Statkevich", "Мікалай Статкевіч", True, False, "Belarusian→Latin"),
    ("Мікалай Статкевіч", "Мікалай Статкевіч Віктаравіч", True, True, "exact spelling"),
    ("Мікалай Лукашэнка", "Мікалай Статкевіч", False, False, "1 of 2 typed parts found"),
    ("Аляксандр Мілінкевіч", "Аляксандр Лукашэнка", False, False, "1 of 2 typed parts found"),
]


@pytest.mark.parametrize(("query", "name", "full", "exact", "reason"), CASES)
def test_answer(query: str, name: str, full: bool, exact: bool, reason: str) -> None:
    a = answer(compare(query, name))
    assert (a.full, a.exact) == (full, exact)
    assert reason in a.reason


def test_full_hits_rank_before_better_pair_scores() -> None:
    surname_only = answer(compare("Статкевіч", "Мікалай Статкевіч"))
    partial = answer(compare("Статкевіч Аляксандр", "Мікалай Статкевіч"))
    assert surname_only.full and not partial.full
    assert surname_only.sort_key(0.7) < partial.sort_key(0.75)
