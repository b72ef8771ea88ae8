"""Linking the people a claim names to registry people with the cross-script name matcher.

Russian case forms are put back in the nominative with pymorphy3 first («Марию Колесникову» →
«Мария Колесникова»); the matcher itself copes with Belarusian case forms («Бабарыкі») and
with other scripts ("Mikal Statkevich" ↔ «Мікалай Статкевіч»).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from prisonwatch.names import CandidateIndex, default_matcher


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def nominative(name: str) -> str:
    """A Russian name in the nominative (tokens pymorphy3 doesn't know as names are kept)."""
    morph = _morph()
    out: list[str] = []
    gender: str | None = None
    for token in name.split():
        parses = [p for p in morph.parse(token) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        if gender:
            parses = [p for p in parses if p.tag.gender == gender] or parses
        if not parses:
            out.append(token)
            continue
        p = parses[0]
        gender = gender or p.tag.gender
        form = p.inflect({"nomn"})
        word = form.word if form else p.normal_form
        out.append(word[:1].upper() + word[1:])
    return " ".join(out)


@dataclass(frozen=True)
class Link:
    person_id: int
    name: str
    score: float


class PersonLinker:
    """Registry names in a :class:`CandidateIndex`; ``link`` gives the best person whose name
    scores at least the matcher's review threshold."""

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        self.index = CandidateIndex.build(names)
        self.matcher = default_matcher()

    def link(self, name: str, lang: str) -> Link | None:
        query = nominative(name) if lang == "ru" else name
        hits = self.index.search_names(query, limit=1, matcher=self.matcher, explain=False)
        if not hits:
            return None
        key, found, result = hits[0]
        return Link(int(key), found, result.score)
