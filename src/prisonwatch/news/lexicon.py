"""The per-language words and patterns of the extractor, read from ``lexicon/<lang>.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from prisonwatch.news import LANGUAGES

FLAGS = re.IGNORECASE | re.UNICODE


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _word(pattern: str) -> re.Pattern[str]:
    """A pattern that must start and end at word boundaries (hyphens join words)."""
    return re.compile(r"(?<![\w-])" + pattern + r"(?![\w])", FLAGS)


@dataclass(frozen=True)
class StatusRule:
    status: str
    #: the person is the grammatical subject, before the words (or after them, inverted)
    passive: re.Pattern[str] | None
    #: an active verb: the person is its object, after it
    active: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    lang: str
    hedges: list[tuple[str, re.Pattern[str]]]
    people_nouns: re.Pattern[str]
    count_subjects: list[tuple[str, re.Pattern[str]]]
    negation: re.Pattern[str]
    modality: re.Pattern[str]
    commitment: re.Pattern[str]
    statuses: list[StatusRule]
    sentence_term: re.Pattern[str]
    sanction_word: re.Pattern[str]
    sanction_values: list[tuple[str, re.Pattern[str]]]
    target_preps: str
    imposers: list[tuple[str, re.Pattern[str]]]
    speech: re.Pattern[str]
    topics: re.Pattern[str]
    weekdays: list[str]
    relative_days: dict[str, int]
    clause_split: re.Pattern[str]
    clause_lead: re.Pattern[str]
    coord: re.Pattern[str]
    stop_names: frozenset[str]
    surname_suffixes: tuple[str, ...]
    given_names: frozenset[str]
    #: "including X": people named after it share what the clause's count says
    including: re.Pattern[str]
    #: a clause opening with he/she continues the person of the clause before
    pronouns: re.Pattern[str]
    #: auxiliaries between a number and its verb ("8 were released")
    aux: str


def _compile(lang: str, raw: dict[str, Any]) -> Lexicon:
    hedges = [
        (name, re.compile(r"(?<![\w-])" + _alt(words) + r"\s+$", FLAGS))
        for name, words in raw["hedges"].items()
    ]
    statuses = [
        StatusRule(
            status,
            _word(_alt(rule["passive"])) if rule["passive"] else None,
            _word(_alt(rule["active"])) if rule["active"] else None,
        )
        for status, rule in raw["statuses"].items()
    ]
    return Lexicon(
        lang=lang,
        hedges=hedges,
        people_nouns=re.compile(r"\s+(?:[\w-]+\s+){0,3}?" + raw["people_nouns"] + r"(?!\w)", FLAGS),
        count_subjects=[(k, _word(_alt(v))) for k, v in raw["count_subjects"].items()],
        negation=re.compile(raw["negation"], FLAGS),
        modality=re.compile(raw["modality"], FLAGS),
        commitment=re.compile(raw["commitment"], FLAGS),
        statuses=statuses,
        sentence_term=re.compile(raw["sentence_term"], FLAGS),
        sanction_word=re.compile(raw["sanction_word"], FLAGS),
        sanction_values=[(k, _word(_alt(v))) for k, v in raw["sanction_values"].items()],
        target_preps=raw["target_preps"],
        imposers=[(k, re.compile(v, re.UNICODE)) for k, v in raw["imposers"].items()],
        speech=re.compile(raw["speech"], FLAGS),
        topics=re.compile(raw["topics"], FLAGS),
        weekdays=list(raw["weekdays"]),
        relative_days=dict(raw["relative_days"]),
        clause_split=re.compile(raw["clause_split"], FLAGS),
        clause_lead=re.compile(raw["clause_lead"], FLAGS),
        coord=re.compile(raw["coord"], FLAGS),
        stop_names=frozenset(raw["stop_names"]),
        surname_suffixes=tuple(raw["surname_suffixes"]),
        given_names=frozenset(raw["given_names"]),
        including=re.compile(raw["including"], FLAGS),
        pronouns=re.compile(raw["pronouns"], FLAGS),
        aux=raw["aux"],
    )


@cache
def lexicon(lang: str) -> Lexicon:
    if lang not in LANGUAGES:
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    data = (
        resources.files("prisonwatch.news").joinpath("lexicon", f"{lang}.json").read_text("utf-8")
    )
    return _compile(lang, json.loads(data))
