"""Which of a person's names the reader sees, in the script the reader chose — one rule for the
pages that show names and for the people list's stored sort keys (so "name A–Z" sorts by the
name as displayed, :mod:`prisonwatch.store.listkeys`).

For a script (``latin`` or ``cyrillic``):

1. the best name written in that script: the primary name first, then by kind (official,
   transliteration, alias, misspelling), then the oldest (lowest id);
2. in Latin, when the registry has no Latin spelling: the best Cyrillic name as passports
   print it (:func:`prisonwatch.names.romanise.passport_latin`: Мікалай Статкевіч → "Mikalai
   Statkevich"), in the name's language when it is recorded;
3. otherwise the primary name, else the oldest — whatever its script.

The caller passes only the names the reader may see (:mod:`prisonwatch.store.visibility`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from prisonwatch.model import Script
from prisonwatch.names.romanise import passport_latin
from prisonwatch.names.translit import Lang

#: Kinds of name in the order a page prefers them; any other kind comes last.
KIND_RANK = {"official": 0, "transliteration": 1, "alias": 2, "misspelling": 3}
LANGS = {"be": Lang.BELARUSIAN, "ru": Lang.RUSSIAN, "uk": Lang.UKRAINIAN}
#: The scripts a reader can choose, and so the scripts with a stored sort key.
DISPLAY_SCRIPTS = (Script.LATIN.value, Script.CYRILLIC.value)


class ShownName(NamedTuple):
    """What the rule needs of a stored name."""

    id: int
    text: str
    script: str | None
    kind: str | None
    is_primary: bool
    language: str | None


def _rank(name: ShownName) -> tuple[int, int, int]:
    return (0 if name.is_primary else 1, KIND_RANK.get(name.kind or "", 9), name.id)


def best_in_script(names: Iterable[ShownName], script: str) -> ShownName | None:
    """The name a page shows from those written in ``script`` (rule 1), or None."""
    found = [n for n in names if n.script == script]
    return min(found, key=_rank) if found else None


def shown_name(names: Iterable[ShownName], script: str) -> str | None:
    """The name the reader sees in ``script`` (rules 1–3); None when there is no name."""
    names = list(names)
    best = best_in_script(names, script)
    if best is not None:
        return best.text
    if script == Script.LATIN.value:
        cyrillic = best_in_script(names, Script.CYRILLIC.value)
        if cyrillic is not None:
            return passport_latin(cyrillic.text, LANGS.get(cyrillic.language or ""))
    if not names:
        return None
    return min(names, key=lambda n: (0 if n.is_primary else 1, n.id)).text


__all__ = ["DISPLAY_SCRIPTS", "KIND_RANK", "LANGS", "ShownName", "best_in_script", "shown_name"]
