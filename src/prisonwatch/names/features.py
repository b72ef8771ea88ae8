"""Everything about one name token that comparison and indexing need, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from prisonwatch.names.groups import name_groups
from prisonwatch.names.phonetic import skeleton
from prisonwatch.names.translit import Lang, to_ascii
from prisonwatch.names.translit import warm_up as _warm_translit


@dataclass(frozen=True, slots=True)
class TokenFeatures:
    lang: Lang
    ascii: str  # plain lowercase ASCII transliteration
    skeleton: str  # phonetic skeleton (see phonetic.py)
    rules: frozenset[str]  # skeleton rules that fired
    groups: frozenset[str]  # Wikidata name-group ids (via rigour)


#: Features of every word seen, by (word, language). A registry of a million names has a few
#: hundred thousand distinct words; the cache is emptied if it ever grows past this.
CACHE_MAX = 3_000_000
_CACHE: dict[tuple[str, Lang], TokenFeatures] = {}
_INTERN: dict[frozenset[str], frozenset[str]] = {}


def warm_up() -> None:
    """Load the name-group table and create the transliterators now (about two seconds the first
    time): before forking workers, or before the first query of a freshly loaded index."""
    _warm_translit()
    name_groups("alexander")


def features(token: str, lang: Lang) -> TokenFeatures:
    """Features of ``token`` (a word of a name written in ``lang``); computed once per word."""
    low = token.lower()
    f = _CACHE.get((low, lang))
    if f is None:
        f = compute_features(low, lang)
        remember(low, lang, f)
    return f


def remember(low: str, lang: Lang, f: TokenFeatures) -> None:
    """Put known features of a lowercase word into the cache (the index primes it on load)."""
    if len(_CACHE) >= CACHE_MAX:
        _CACHE.clear()
    _CACHE[(low, lang)] = f


def intern_set(s: frozenset[str]) -> frozenset[str]:
    """One shared object per distinct rule/group set (a million words share a few hundred)."""
    return _INTERN.setdefault(s, s)


def compute_features(token: str, lang: Lang) -> TokenFeatures:
    """Features of one word, uncached. They depend only on ``token.lower()`` and ``lang``."""
    asc = to_ascii(token, lang)
    skel, rules = skeleton(asc)
    low = token.lower()
    groups = name_groups(low) | (name_groups(asc) if asc != low else frozenset())
    if not groups and lang is not Lang.LATIN:
        for guess in _nominatives(low):
            groups |= name_groups(guess)
    return TokenFeatures(
        lang=lang, ascii=asc, skeleton=skel, rules=intern_set(rules), groups=intern_set(groups)
    )


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
