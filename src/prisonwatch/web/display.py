"""Which of a person's names to show: the one in the script the reader chose, where the registry
has it, else the primary name."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from prisonwatch.store.people import id_in
from prisonwatch.store.schema import Name

_KIND_RANK = {"official": 0, "transliteration": 1, "alias": 2, "misspelling": 3}


@functools.cache
def _statement(include_private: bool, dialect: str) -> Select[int, str, str, bool, int]:
    stmt = select(Name.person_id, Name.full_text, Name.kind, Name.is_primary, Name.id).where(
        id_in(Name.person_id, dialect), Name.script == bindparam("script")
    )
    return stmt if include_private else stmt.where(Name.visibility == "public")


def names_in_script(
    session: Session, person_ids: Iterable[int], script: str, *, include_private: bool
) -> dict[int, str]:
    """person id → the best name in ``script``; people without one are left out."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    best: dict[int, tuple[tuple[int, int, int], str]] = {}
    rows = session.connection().execute(  # plain Core: it runs for every page
        _statement(include_private, session.get_bind().dialect.name),
        {"ids": ids, "script": script},
    )
    for pid, text, kind, primary, nid in rows:
        rank = (0 if primary else 1, _KIND_RANK.get(kind, 9), nid)
        if pid not in best or rank < best[pid][0]:
            best[pid] = (rank, text)
    return {pid: text for pid, (_, text) in best.items()}
