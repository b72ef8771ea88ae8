"""The names readers see: :func:`names_in_script` applies the display rule
(:mod:`prisonwatch.names.display` — the name in the script the reader chose, where the registry
has it; in Latin, a Cyrillic name as passports print it when the registry has no Latin
spelling; else the primary name) to the names the reader may see (:func:`visible_names`)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from prisonwatch.names.display import ShownName, shown_name
from prisonwatch.store.dialect import Dialect, dialect_of
from prisonwatch.store.schema import Name
from prisonwatch.store.visibility import name_visible


@functools.cache
def names_statement(
    dialect: Dialect, include_private: bool = True
) -> Select[int, int, str, str, str, bool, str | None, str]:
    """Names of the people ``:ids`` (with their visibility), built once: it runs for every
    page."""
    stmt = select(
        Name.person_id,
        Name.id,
        Name.full_text,
        Name.script,
        Name.kind,
        Name.is_primary,
        Name.language,
        Name.visibility,
    ).where(dialect.id_in(Name.person_id))
    return stmt.where(*name_visible(include_private))


def visible_names(
    session: Session, person_ids: Sequence[int], *, include_private: bool
) -> dict[int, list[ShownName]]:
    """person id → the names of that person the reader may see (people without any are left
    out)."""
    out: dict[int, list[ShownName]] = defaultdict(list)
    rows = session.connection().execute(  # plain Core: it runs for every page
        names_statement(dialect_of(session), include_private), {"ids": list(person_ids)}
    )
    for pid, nid, text, script, kind, primary, language, _ in rows:
        out[pid].append(ShownName(nid, text, script, kind, bool(primary), language))
    return dict(out)


def names_in_script(
    session: Session, person_ids: Iterable[int], script: str, *, include_private: bool
) -> dict[int, str]:
    """person id → the name the reader sees in ``script``; people without a visible name are
    left out."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    shown = {
        pid: shown_name(names, script)
        for pid, names in visible_names(session, ids, include_private=include_private).items()
    }
    return {pid: text for pid, text in shown.items() if text is not None}


__all__ = ["names_in_script", "names_statement", "visible_names"]
