"""Which of a person's names to show: the one in the script the reader chose, where the registry
has it; in Latin, a Cyrillic name written as passports print it (:mod:`prisonwatch.names.romanise`)
when the registry has no Latin spelling; else the primary name."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from prisonwatch.model import Script
from prisonwatch.names.romanise import passport_latin
from prisonwatch.names.translit import Lang
from prisonwatch.store.dialect import Dialect, dialect_of
from prisonwatch.store.schema import Name
from prisonwatch.store.visibility import name_visible

_KIND_RANK = {"official": 0, "transliteration": 1, "alias": 2, "misspelling": 3}


@functools.cache
def _statement(
    include_private: bool, dialect: Dialect
) -> Select[int, str, str, bool, int, str | None]:
    stmt = select(
        Name.person_id, Name.full_text, Name.kind, Name.is_primary, Name.id, Name.language
    ).where(dialect.id_in(Name.person_id), Name.script == bindparam("script"))
    return stmt.where(*name_visible(include_private))


def names_in_script(
    session: Session, person_ids: Iterable[int], script: str, *, include_private: bool
) -> dict[int, str]:
    """person id → the best name in ``script``; people without one are left out."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    shown = _best(session, ids, script, include_private)
    missing = [pid for pid in ids if pid not in shown]
    if script == Script.LATIN.value and missing:
        for pid, (text, language) in _best(
            session, missing, Script.CYRILLIC.value, include_private
        ).items():
            shown[pid] = (passport_latin(text, _LANGS.get(language or "")), language)
    return {pid: text for pid, (text, _) in shown.items()}


_LANGS = {"be": Lang.BELARUSIAN, "ru": Lang.RUSSIAN, "uk": Lang.UKRAINIAN}


def _best(
    session: Session, ids: list[int], script: str, include_private: bool
) -> dict[int, tuple[str, str | None]]:
    """person id → (the best name in ``script``, its language)."""
    best: dict[int, tuple[tuple[int, int, int], str, str | None]] = {}
    rows = session.connection().execute(  # plain Core: it runs for every page
        _statement(include_private, dialect_of(session)),
        {"ids": ids, "script": script},
    )
    for pid, text, kind, primary, nid, language in rows:
        rank = (0 if primary else 1, _KIND_RANK.get(kind, 9), nid)
        if pid not in best or rank < best[pid][0]:
            best[pid] = (rank, text, language)
    return {pid: (text, language) for pid, (_, text, language) in best.items()}
