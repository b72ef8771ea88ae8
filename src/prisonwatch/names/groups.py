"""Given-name equivalence groups, from the Wikidata name data shipped in ``rigour``.

``rigour`` (OpenSanctions, MIT licence, pinned 2.6.1 in pyproject) tags a name token with the
Wikidata items of the names it can be: ``Alexander``, ``Александр``, ``Аляксандр`` and
``Aliaksandr`` share ``Q19412810``/``Q923``..., ``Nicholas`` and ``Мікалай`` share ``Q42771``.
Two tokens that share an item are written forms of one name. We use it because it is
maintained, licensed, covers Cyrillic and Latin forms, and is already a dependency of
``followthemoney``; we do not hand-write a given-name table.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.names import NameTypeTag, SymbolCategory, analyze_names


@lru_cache(maxsize=200_000)
def name_groups(token: str) -> frozenset[str]:
    """The Wikidata ids of the name groups ``token`` belongs to (empty if none)."""
    if len(token) < 2:
        return frozenset()
    ids: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [token], phonetics=False, numerics=False):
        for span in name.spans:
            if span.symbol.category == SymbolCategory.NAME:
                ids.add(span.symbol.id)
    return frozenset(ids)
