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
from prisonwatch.reconcile.review import enqueue, load_graph
from prisonwatch.store import audit
from prisonwatch.store.db import Database
from prisonwatch.store.schema import ListEntry, ListLink, Name, NameList, Person, Source


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
    method = result.matcher
    with db.session() as s:
        source_id = _source(s, source_url, list_title, actor) if source_url else None
        name_list = NameList(
            title=list_title[:300],
            filename=shown[:500],
            source_id=source_id,
            imported_by=actor,
            columns=list(left[0].columns),
            row_count=len(left),
        )
        s.add(name_list)
        s.flush()
        entries = [
            ListEntry(
                list_id=name_list.id,
                row_number=row.row_number,
                ext_id=row.id,
                name=row.name[:500],
                raw=dict(row.raw),
            )
            for row in left
        ]
        s.add_all(entries)
        s.flush()
        s.add_all(
            ListLink(
                entry_id=entry.id,
                person_id=int(p.right.id) if p.right is not None and p.right.id else None,
                score=p.score,
                verdict=p.verdict,
                why=p.why,
                method=method,
            )
            for entry, p in zip(entries, result.pairs, strict=True)
        )
        queued = enqueue(s, result, f"name_list:{name_list.id}")
        audit.record(
            s,
            actor=actor,
            action="create",
            entity_type="name_list",
            entity_id=name_list.id,
            after={
                "title": name_list.title,
                "filename": name_list.filename,
                "source_id": source_id,
                "row_count": len(left),
                "linked": sum(p.verdict != UNMATCHED for p in result.pairs),
                "queued_for_review": queued,
                **{f"count_{k}": v for k, v in result.counts.items() if k != "right_only"},
            },
            context="reconcile --registry",
        )
        result.list_id = name_list.id
    return result


def _source(session: Session, url: str, title: str, actor: str) -> int:
    found = session.scalar(select(Source.id).where(Source.url == url).order_by(Source.id).limit(1))
    if found is not None:
        return found
    src = Source(url=url, title=title)
    session.add(src)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="source",
        entity_id=src.id,
        after=audit.snapshot(src),
        context="reconcile --registry",
    )
    return src.id
