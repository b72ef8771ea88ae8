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
    groups = name_groups(token.lower()) | (
        name_groups(asc) if asc != token.lower() else frozenset()
    )
    return TokenFeatures(lang=lang, ascii=asc, skeleton=skel, rules=rules, groups=groups)
