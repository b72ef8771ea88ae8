"""A plain Latin ASCII search key for a name, for SQL prefix search and for indexing."""

from __future__ import annotations

from prisonwatch.names.matcher import parsed


def search_key(name: str) -> str:
    """Lowercase ASCII phonetic key of ``name``: one skeleton per word, in the order written.

    Every spelling of one name gets the same key as far as the folding rules reach
    (``Лукашэнка``, ``LUKASHENKO`` and ``Lukasjenko`` → ``lukashenka``), so a registry can
    store it in a column and search with ``LIKE search_key(query) || '%'``. Stable: it only
    changes when the folding rules change (documented in docs/names.md).
    """
    return " ".join(t.feat.skeleton for t in parsed(name).tokens if t.feat.skeleton)
