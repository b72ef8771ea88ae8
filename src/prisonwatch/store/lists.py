"""The writer of stored lists: a list as received (:class:`NameList`, every row verbatim), the
links a reconciliation found for its rows, its review pairs queued, and its source — in the
caller's transaction, audited. The reconciliation itself is
:mod:`prisonwatch.reconcile.stored_lists`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.review_queue import PairToReview, queue_pairs
from prisonwatch.store.schema import ListEntry, ListLink, NameList, Source


@dataclass(frozen=True)
class EntryInput:
    """A list row as received, and the link a run found for it (``person_id`` None when it
    found none)."""

    row_number: int
    ext_id: str | None
    name: str
    raw: dict[str, Any]
    person_id: int | None
    score: float | None
    verdict: str
    why: str | None


@dataclass
class ListInput:
    title: str
    filename: str
    columns: list[str]
    entries: Sequence[EntryInput]
    method: str | None  # the matcher that found the links
    source_url: str | None = None
    review: Sequence[PairToReview] = ()
    #: counts of the run, kept in the audit entry
    summary: dict[str, Any] = field(default_factory=dict)


def store_list(session: Session, data: ListInput, *, actor: str, context: str) -> NameList:
    """Store the list, its rows and links, queue its review pairs (context
    ``name_list:<id>``) and audit it."""
    source_id = list_source(session, data.source_url, data.title, actor, context)
    name_list = NameList(
        title=data.title[:300],
        filename=data.filename[:500],
        source_id=source_id,
        imported_by=actor,
        columns=list(data.columns),
        row_count=len(data.entries),
    )
    session.add(name_list)
    session.flush()
    entries = [
        ListEntry(
            list_id=name_list.id,
            row_number=e.row_number,
            ext_id=e.ext_id,
            name=e.name[:500],
            raw=dict(e.raw),
        )
        for e in data.entries
    ]
    session.add_all(entries)
    session.flush()
    session.add_all(
        ListLink(
            entry_id=row.id,
            person_id=e.person_id,
            score=e.score,
            verdict=e.verdict,
            why=e.why,
            method=data.method,
        )
        for row, e in zip(entries, data.entries, strict=True)
    )
    queued = queue_pairs(session, data.review, f"name_list:{name_list.id}")
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="name_list",
        entity_id=name_list.id,
        after={
            "title": name_list.title,
            "filename": name_list.filename,
            "source_id": source_id,
            "row_count": len(data.entries),
            **data.summary,
            "queued_for_review": queued,
        },
        context=context,
    )
    return name_list


def list_source(
    session: Session, url: str | None, title: str, actor: str, context: str
) -> int | None:
    """The source with this URL (the oldest), created (and audited) on first use."""
    if not url:
        return None
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
        context=context,
    )
    return src.id
