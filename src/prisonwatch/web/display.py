"""Which of a person's names to show: the one in the script the reader chose, where the registry
has it, else the primary name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.store.schema import Name

_KIND_RANK = {"official": 0, "transliteration": 1, "alias": 2, "misspelling": 3}


def names_in_script(
    session: Session, person_ids: Iterable[int], script: str, *, include_private: bool
) -> dict[int, str]:
    """person id → the best name in ``script``; people without one are left out."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    stmt = select(Name.person_id, Name.full_text, Name.kind, Name.is_primary, Name.id).where(
        Name.person_id.in_(ids), Name.script == script
    )
    if not include_private:
        stmt = stmt.where(Name.visibility == "public")
    best: dict[int, tuple[tuple[int, int, int], str]] = {}
    for pid, text, kind, primary, nid in session.execute(stmt):
        rank = (0 if primary else 1, _KIND_RANK.get(kind, 9), nid)
        if pid not in best or rank < best[pid][0]:
            best[pid] = (rank, text)
    return {pid: text for pid, (_, text) in best.items()}
