"""Everything about one name token that comparison and indexing need, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from prisonwatch.names.groups import name_groups
from prisonwatch.names.phonetic import skeleton
from prisonwatch.names.translit import Lang, to_ascii


@dataclass(frozen=True, slots=True)
class TokenFeatures:
    lang: Lang
    ascii: str  # plain lowercase ASCII transliteration
    skeleton: str  # phonetic skeleton (see phonetic.py)
    rules: frozenset[str]  # skeleton rules that fired
    groups: frozenset[str]  # Wikidata name-group ids (via rigour)


@lru_cache(maxsize=300_000)
def features(token: str, lang: Lang) -> TokenFeatures:
    asc = to_ascii(token, lang)
    skel, rules = skeleton(asc)
    low = token.lower()
    groups = name_groups(low) | (name_groups(asc) if asc != low else frozenset())
    if not groups and lang is not Lang.LATIN:
        for guess in _nominatives(low):
            groups |= name_groups(guess)
    return TokenFeatures(lang=lang, ascii=asc, skeleton=skel, rules=rules, groups=groups)


# Case endings of given names in running text, and what the nominative has instead:
# Николаю/Николая/Николаем -> Николай; Александра/Александру -> Александр; Марыі -> Марыя.
_CASE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ем", "й"),
    ("ём", "й"),
    ("ю", "й"),
    ("я", "й"),
    ("е", "й"),
    ("ом", ""),
    ("ым", ""),
    ("у", ""),
    ("а", ""),
    ("е", ""),
    ("ой", "а"),
    ("ей", "я"),
    ("у", "а"),
    ("ы", "а"),
    ("і", "а"),
    ("и", "а"),
    ("е", "а"),
    ("і", "я"),
    ("и", "я"),
)


def _nominatives(token: str) -> list[str]:
    return [
        token[: -len(end)] + nom
        for end, nom in _CASE_ENDINGS
        if token.endswith(end) and len(token) - len(end) >= 3
    ]
