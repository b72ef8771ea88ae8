"""Stable keys for judgements.

A judgement ("these two records are the same person") must find its pair again on the next run,
so the records are named by keys that do not depend on row order or on the matcher version:

* a registry person: ``person:<id>``;
* a row of a list (a plain file or a stored list): ``list:<list slug>:id:<row id>`` when the
  row has an id, else ``list:<list slug>:name:<name key>`` where the name key is the name
  transliterated to lower-case ASCII with its words sorted (``Статкевіч Мікалай`` and
  ``Mikalai STATKEVICH`` do *not* share a name key — only exact spellings do). A second row
  with the same name key in one list gets ``#2``, ``#3``, ... appended, in file order.

The list slug is the file name without its extension unless a list key is given
(``--left-key`` / ``--right-key`` on the command line, the list title for stored lists), so a
list keeps its judgements when it is exported again under the same name.

The normalisation here is frozen on purpose: it is *not* the name matcher's search key, which
may improve over time, because a changed key would orphan every earlier judgement.
"""

from __future__ import annotations

import re
import unicodedata

import icu

_TRANSLIT = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_key(name: str) -> str:
    """Lower-case ASCII words of ``name``, sorted and joined by ``-``."""
    text = unicodedata.normalize("NFKC", name)
    latin = _TRANSLIT.transliterate(text).lower()
    words = sorted(w for w in _NON_WORD.split(latin) if w)
    return "-".join(words)


def slug(text: str) -> str:
    """A short ASCII list identifier: ``Demanded list (US) 2025`` → ``demanded-list-us-2025``."""
    key = _NON_WORD.sub("-", _TRANSLIT.transliterate(unicodedata.normalize("NFKC", text)).lower())
    key = key.strip("-")
    return key[:80] or "list"


def person_key(person_id: int) -> str:
    return f"person:{person_id}"


def row_key(list_slug: str, row_id: str | None, name: str) -> str:
    """The key of a list row (see the module documentation); duplicates are numbered later."""
    if row_id:
        return f"list:{list_slug}:id:{row_id}"
    return f"list:{list_slug}:name:{name_key(name)}"
