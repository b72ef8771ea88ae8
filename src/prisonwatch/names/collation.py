"""Sort keys that put names in alphabetical order as a reader of their script expects.

The database's own order is by code point, which is wrong for names: in Cyrillic it puts
"Іваноў" and "Ёрш" after every "Я…" (і is U+0456, ё U+0451, я U+044F), and in Latin "Šubin"
after "Zubov". ICU's collation (the Unicode Collation Algorithm with CLDR's root order) sorts
them where readers look for them — і after и, ё with е, ў after у; Š with S, Č with C — and
:func:`sort_key` turns that order into bytes whose plain byte order (``memcmp``, which is how
both SQLite and PostgreSQL compare BLOB/bytea) is the collation order. So a stored key sorts
by an ordinary index on both databases.

One collator serves both scripts (the root order is the same in every locale for the letters
our names use; the Belarusian and Russian tailorings only reorder letters the other language
lacks). Strength is secondary: case does not order names (the id breaks ties), diacritics do,
after the letters (Cerny < Černý < Cernz).
"""

from __future__ import annotations

import threading

import icu

_local = threading.local()


def _collator() -> icu.Collator:
    collator: icu.Collator | None = getattr(_local, "collator", None)
    if collator is None:  # an ICU collator is not safe to share between threads
        collator = icu.Collator.createInstance(icu.Locale.getRoot())
        collator.setStrength(icu.Collator.SECONDARY)
        _local.collator = collator
    return collator


def sort_key(text: str) -> bytes:
    """The bytes that order ``text`` among names by the collation order."""
    key: bytes = _collator().getSortKey(text)
    return key


__all__ = ["sort_key"]
