"""The reads the name search makes (:mod:`prisonwatch.name_search`): names added since the
last look, the current state of the names a search found, the newest restore, and a substring
match while the index is built.

The first three run on every search. As plain SQL they cost ~0.3, ~0.75 ms and one indexed
look-up; as ORM selects the first two took 0.6 and 1.5 ms of the web worker's CPU, a sixth of
a search — hence the text.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from prisonwatch.store.audit import RESTORE_ENTITY
from prisonwatch.store.schema import Name
from prisonwatch.store.visibility import PRIVATE, name_visible

_NAMES_ABOVE = sql("SELECT id, full_text FROM name WHERE id > :above ORDER BY id")
_LAST_RESTORE = sql(
    "SELECT id, at FROM audit_entry WHERE entity_type = :kind ORDER BY id DESC LIMIT 1"
).bindparams(kind=RESTORE_ENTITY)
_NAMES_NOW = sql(
    "SELECT id, person_id, full_text, visibility FROM name WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))


@dataclass(frozen=True, slots=True)
class NameRef:
    """A name as the registry has it now."""

    person_id: int
    text: str
    private: bool


@dataclass(frozen=True, slots=True)
class NameRow:
    name_id: int
    person_id: int
    text: str
    private: bool


def names_above(session: Session, above: int) -> list[tuple[int, str]]:
    """``(name id, full text)`` of every name with an id above ``above``, private ones too (the
    index holds them; what a reader is shown is decided per hit), by id."""
    return [(nid, full) for nid, full in session.execute(_NAMES_ABOVE, {"above": above})]


def last_restore(session: Session) -> tuple[object, ...] | None:
    """``(id, at)`` of the newest restore's audit entry, or ``None``."""
    row = session.execute(_LAST_RESTORE).first()
    return tuple(row) if row is not None else None


def names_now(session: Session, name_ids: Collection[int]) -> dict[int, NameRef]:
    """The names among ``name_ids`` that still exist, as they are now."""
    if not name_ids:
        return {}
    return {
        nid: NameRef(pid, full, vis == PRIVATE)
        for nid, pid, full, vis in session.execute(_NAMES_NOW, {"ids": sorted(name_ids)})
    }


def names_containing(
    session: Session, text: str, limit: int, *, include_private: bool
) -> list[NameRow]:
    """Names containing ``text`` (case-insensitive, a plain substring), by id; the reader's
    visibility applies."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    stmt = (
        select(Name.id, Name.person_id, Name.full_text, Name.visibility)
        .where(
            func.lower(Name.full_text).like(pattern, escape="\\"), *name_visible(include_private)
        )
        .order_by(Name.id)
        .limit(limit)
    )
    return [
        NameRow(nid, pid, full, vis == PRIVATE) for nid, pid, full, vis in session.execute(stmt)
    ]


__all__ = ["NameRef", "NameRow", "last_restore", "names_above", "names_containing", "names_now"]
