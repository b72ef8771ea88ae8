"""The extractor on the seed article and on the annotated passages (tests/news/data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from prisonwatch.news.extract import extract_claims
from prisonwatch.news.quality import SCORED, load, matches, score
from prisonwatch.news.text import JSON_KEYS, Claim

DATA = Path(__file__).parent / "data"
SEED = (DATA / "belarus-prisoners-article.txt").read_text("utf-8")
PASSAGES = load(DATA / "passages.jsonl")


@pytest.fixture(scope="module")
def seed_claims() -> list[Claim]:
    return extract_claims(SEED, "en", dt.date(2025, 9, 12))


def _one(claims: list[Claim], **want: str) -> Claim:
    found = [c for c in claims if all(getattr(c, k) == v for k, v in want.items())]
    assert len(found) == 1, (want, [c.as_json() for c in claims])
    return found[0]


def test_seed_article_claims(seed_claims: list[Claim]) -> None:
    released = _one(seed_claims, kind="count", value="52")
    assert released.subject == "people released"
    abroad = _one(seed_claims, kind="count", value="51")
    assert "Lithuania" in abroad.quote and abroad.subject == "people moved abroad"
    assert abroad.date == "2025-09-11"  # "the 11th of September", against --published
    held = _one(seed_claims, kind="count", value="1300")
    assert held.hedge == "around" and held.quote == "around 1,300 people are still in custody"
    statkevich = _one(seed_claims, kind="person_status", status="refused_to_leave")
    assert statkevich.person == "Mikal Statkevich"
    assert statkevich.quote.endswith("refused to leave Belarus and returned home")
    belavia = _one(seed_claims, kind="sanction_change", value="lifted")
    assert belavia.subject is not None and belavia.subject.startswith("US sanctions on")
    assert "Belavia" in belavia.subject
    assert "lift sanctions against the Belarusian state airline Belavia" in belavia.quote


def test_seed_quotes_exact_and_keys(seed_claims: list[Claim]) -> None:
    for c in seed_claims:
        assert SEED[c.start : c.end] == c.quote
        assert tuple(c.as_json()) == JSON_KEYS


def test_seed_one_claim_per_fact(seed_claims: list[Claim]) -> None:
    # "52" is in the lede, the body ("In total, 52 people were released") and the last line
    assert sum(1 for c in seed_claims if c.kind == "count" and c.value == "52") == 1
    # hopes and conditions about sanctions are not changes
    assert sum(1 for c in seed_claims if c.kind == "sanction_change") == 1


def test_no_published_day_no_resolved_date() -> None:
    claims = extract_claims(SEED, "en")
    assert _one(claims, kind="count", value="51").date is None


@pytest.mark.parametrize("passage", PASSAGES, ids=[p.id for p in PASSAGES])
def test_passage(passage) -> None:  # type: ignore[no-untyped-def]
    got = extract_claims(passage.text, passage.lang, passage.published)
    for c in got:
        assert passage.text[c.start : c.end] == c.quote
    if not passage.claims:
        assert got == []
    scored = [c for c in got if c.kind in SCORED]
    for exp in passage.claims:
        assert any(matches(exp, c) for c in scored), (exp, [c.as_json() for c in got])
    assert len(scored) == len(passage.claims), [c.as_json() for c in scored]
    for exp in passage.claims:
        if exp["kind"] == "count":
            hit = next(c for c in scored if matches(exp, c))
            assert hit.hedge == exp["hedge"]


def test_targets_on_whole_set() -> None:
    s = score(PASSAGES, lambda p: extract_claims(p.text, p.lang, p.published))
    assert s.precision("count") >= 0.95 and s.recall("count") >= 0.90
    assert s.precision("person_status") >= 0.90 and s.recall("person_status") >= 0.80
    assert s.precision("sanction_change") >= 0.85 and s.recall("sanction_change") >= 0.75
    assert s.nothing_with_claims == [] and s.inexact_quotes == 0
    assert len(PASSAGES) >= 40


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ihar Losik was not released.", "en"),
        ("Ihar Losik could be released next week.", "en"),
        ("Игорь Лосик не был освобождён.", "ru"),
        ("Ігар Лосік можа быць вызвалены.", "be"),
        ("Hundreds were detained and dozens were released.", "en"),
        ("The 35-year-old was fined 500 euros; 62% voted for him in 2020.", "en"),
    ],
)
def test_negation_modality_distractors(text: str, lang: str) -> None:
    assert extract_claims(text, lang) == []


def test_sentenced_term_and_inflected_name() -> None:
    c = _one(
        extract_claims("Суд приговорил Марию Колесникову к 11 годам лишения свободы.", "ru"),
        kind="person_status",
    )
    assert (c.status, c.person, c.value) == (
        "sentenced",
        "Марию Колесникову",
        "11 годам лишения свободы",
    )


def test_full_date_in_text() -> None:
    c = _one(
        extract_claims("On 3 July 2024, 18 political prisoners were pardoned.", "en"), kind="count"
    )
    assert (c.value, c.subject, c.date) == ("18", "people pardoned", "2024-07-03")


def test_weekday_against_published() -> None:
    text = "Belarus freed 14 political prisoners on Thursday."
    assert _one(extract_claims(text, "en", dt.date(2025, 6, 23)), kind="count").date == "2025-06-19"
    assert _one(extract_claims(text, "en"), kind="count").date is None


def test_range_value() -> None:
    c = _one(extract_claims("Between 50-70 people were detained in Minsk.", "en"), kind="count")
    assert c.value == "50-70"


FRESH = load(DATA / "passages_fresh.jsonl")


@pytest.mark.parametrize("passage", FRESH, ids=[p.id for p in FRESH])
def test_fresh_passage_quotes_exact_and_nothing_means_nothing(passage) -> None:  # type: ignore[no-untyped-def]
    """The set written after the rules is reported by benchmarks/news_quality.py (it has
    known misses); what must hold on it regardless: exact quotes, nothing from nothing."""
    got = extract_claims(passage.text, passage.lang, passage.published)
    assert all(passage.text[c.start : c.end] == c.quote for c in got)
    if not passage.claims:
        assert got == []


def test_including_and_number_before_verb() -> None:
    text = "Lukashenko pardoned 14 people, including journalist Ihar Karnei. At least 8 died."
    claims = extract_claims(text, "en")
    assert [(c.kind, c.value, c.status, c.person) for c in claims] == [
        ("count", "14", None, None),
        ("person_status", None, "pardoned", "Ihar Karnei"),
        ("count", "8", None, None),
    ]
