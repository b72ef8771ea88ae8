"""The default matcher on our own table of cases (tests/names/cases.py)."""

from __future__ import annotations

import pytest

from prisonwatch.model import Verdict
from prisonwatch.names import MatchResult, compare, default_matcher
from prisonwatch.names.base import Matcher

from .cases import MATCHES, NON_MATCHES, REVIEWS

M = default_matcher()


def _ids(rows: list[tuple[str, str, str]]) -> list[str]:
    return [f"{item}: {a} | {b}" for item, a, b in rows]


@pytest.mark.parametrize(("item", "left", "right"), MATCHES, ids=_ids(MATCHES))
def test_matches(item: str, left: str, right: str) -> None:
    r = compare(left, right)
    assert r.verdict is Verdict.MATCH, f"{item}: {r.score} {r.why}"
    # symmetric
    assert compare(right, left).verdict is Verdict.MATCH


@pytest.mark.parametrize(("item", "left", "right"), REVIEWS, ids=_ids(REVIEWS))
def test_reviews(item: str, left: str, right: str) -> None:
    r = compare(left, right)
    assert r.verdict is Verdict.REVIEW, f"{item}: {r.score} {r.why}"


@pytest.mark.parametrize(("item", "left", "right"), NON_MATCHES, ids=_ids(NON_MATCHES))
def test_non_matches(item: str, left: str, right: str) -> None:
    r = compare(left, right)
    assert r.verdict is Verdict.NO_MATCH, f"{item}: {r.score} {r.why}"
    assert compare(right, left).verdict is Verdict.NO_MATCH


def test_default_matcher_follows_the_protocol() -> None:
    assert isinstance(M, Matcher)
    assert 0 < M.review_threshold < M.match_threshold < 1


def test_identical_names_score_one() -> None:
    r = compare("Мікалай Статкевіч", "Мікалай Статкевіч")
    assert r.score == 1.0
    assert isinstance(r, MatchResult)


def test_scores_spread_across_the_range() -> None:
    rows = MATCHES + REVIEWS + NON_MATCHES
    scores = [compare(a, b).score for _i, a, b in rows]
    assert all(0.0 <= s <= 1.0 for s in scores)
    buckets = {min(int(s * 5), 4) for s in scores}
    assert len(buckets) >= 4, sorted(scores)  # not piled up at 1.0


def test_explanation_names_the_parts_and_rules() -> None:
    r = compare("Аляксандр Лукашэнка", "LUKASHENKO Alexander")
    assert "surname Лукашэнка ≈ LUKASHENKO" in r.why
    assert "Belarusian→Latin" in r.why
    assert "a/o vowel reduction" in r.why
    assert "given name Аляксандр ≈ Alexander" in r.why
    assert "same name group" in r.why
    parts = {p.part: p for p in r.parts}
    assert parts["surname"].left == "Лукашэнка"
    assert parts["surname"].right == "LUKASHENKO"


def test_patronymic_on_one_side_is_explained() -> None:
    r = compare("Aliaksandr Ryhoravich Lukashenka", "Alexander Lukashenko")
    assert "patronymic only on one side" in r.why


def test_surname_conflict_is_explained() -> None:
    r = compare("Фабричный Сергей Юрьевич", "Бидонько Сергей Юрьевич")
    assert "surname Фабричный ≠ Бидонько" in r.why
    assert r.score < 0.4


def test_empty_and_junk_inputs() -> None:
    assert compare("", "Aliaksandr Lukashenka").verdict is Verdict.NO_MATCH
    assert compare("123", "---").score == 0.0
