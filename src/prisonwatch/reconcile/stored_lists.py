"""A list against the registry: link each row to at most one person, store the list as received
(a :class:`NameList` with every row verbatim, who imported it, when, from which source) and the
links found, and queue the review pairs.

The right side is every public name of every registry person; a person's names form one record
(key ``person:<id>``), scored by its best name, with the person's birth date, gender and region
as evidence. Private names are not used, so they cannot surface in an explanation.
Everything is written in one transaction: a failed run stores nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate, PartialDateError
from prisonwatch.model import GENDER_ALIASES, Visibility
from prisonwatch.reconcile.engine import (
    UNMATCHED,
    Progress,
    ReconcileOptions,
    ReconcileResult,
    reconcile,
)
from prisonwatch.reconcile.judgement_keys import person_key
from prisonwatch.reconcile.reading import ListRow, read_list
from prisonwatch.reconcile.review import load_graph, review_pairs
from prisonwatch.store.db import Database
from prisonwatch.store.lists import EntryInput, ListInput, store_list
from prisonwatch.store.schema import Name, Person


def registry_rows(session: Session, person_ids: Collection[int] | None = None) -> list[ListRow]:
    """Every public name of every person (or of ``person_ids``), as right-side rows keyed
    ``person:<id>``."""
    people_stmt = select(Person.id, Person.birth_date, Person.gender, Person.region)
    stmt = (
        select(Name.id, Name.person_id, Name.full_text)
        .where(Name.visibility == Visibility.PUBLIC.value)
        .order_by(Name.person_id, Name.is_primary.desc(), Name.id)
    )
    if person_ids is not None:
        ids = sorted(set(person_ids))
        people_stmt = people_stmt.where(Person.id.in_(ids))
        stmt = stmt.where(Name.person_id.in_(ids))
    people = {
        pid: (birth, gender, region) for pid, birth, gender, region in session.execute(people_stmt)
    }
    rows: list[ListRow] = []
    for name_id, pid, text in session.execute(stmt):
        birth, gender, region = people.get(pid, (None, None, None))
        rows.append(
            ListRow(
                key=person_key(pid),
                row_number=name_id,
                id=str(pid),
                name=" ".join(text.split()),
                birth=_birth(birth),
                gender=_gender(gender),
                region=region or None,
            )
        )
    return rows


def _birth(value: str | None) -> PartialDate | None:
    if not value:
        return None
    try:
        return PartialDate.parse(value)
    except PartialDateError:
        return None  # a stored value the importer accepted but we cannot compare: no evidence


def _gender(value: str | None) -> str | None:
    if not value:
        return None
    g = GENDER_ALIASES.get(value.strip().casefold())
    return g.value if g is not None else None


def reconcile_with_registry(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    title: str | None = None,
    source_url: str | None = None,
    id_col: str | None = "id",
    name_col: str = "name",
    original_filename: str | None = None,
    options: ReconcileOptions | None = None,
    progress: Progress | None = None,
) -> ReconcileResult:
    """Link the rows of the list at ``path`` to registry people and store list, rows and links.

    The returned result carries ``list_id``, the stored :class:`NameList`'s id."""
    shown = original_filename or Path(path).name
    list_title = title or Path(shown).stem
    left = read_list(path, id_col, name_col, original_filename=shown, list_key=list_title)
    with db.session() as s:
        right = registry_rows(s)
        graph = load_graph(s)
    result = reconcile(left, right, options, judgements=graph, progress=progress)
    data = ListInput(
        title=list_title,
        filename=shown,
        columns=list(left[0].columns),
        method=result.matcher,
        source_url=source_url,
        entries=[
            EntryInput(
                row_number=row.row_number,
                ext_id=row.id,
                name=row.name,
                raw=dict(row.raw),
                person_id=int(p.right.id) if p.right is not None and p.right.id else None,
                score=p.score,
                verdict=p.verdict,
                why=p.why,
            )
            for row, p in zip(left, result.pairs, strict=True)
        ],
        review=review_pairs(result),
        summary={
            "linked": sum(p.verdict != UNMATCHED for p in result.pairs),
            **{f"count_{k}": v for k, v in result.counts.items() if k != "right_only"},
        },
    )
    with db.session() as s:
        result.list_id = store_list(s, data, actor=actor, context="reconcile --registry").id
    return result
