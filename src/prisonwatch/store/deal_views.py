"""Reading deals: the list, one deal with what was given and for whom, the deals of a person's
events, and the concessions that name a sanctions target.

Visibility (``include_private`` is for editors and admins, as everywhere):

* a private deal or concession is not shown to other readers at all;
* a released person is shown to other readers only when the event that links them is public
  *and* they have a public name — otherwise they are left out and not counted either, since
  even a count would tell that someone unnamed was part of the deal. Staff see everyone
  (private links tagged) and ``not_public``: how many of them the public does not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.model import Visibility
from prisonwatch.store.people import SourceView, _sources_for
from prisonwatch.store.registry import NotFound
from prisonwatch.store.schema import Deal, Name, StatusEvent
from prisonwatch.store.schema_deals import Concession

PUBLIC = Visibility.PUBLIC.value


def _date(start: dt.date | None, precision: int | None, approx: bool = False) -> str | None:
    if start is None:
        return None
    return str(PartialDate.from_parts(start, precision or 3, approx))


@dataclass
class ConcessionView:
    id: int
    deal_id: int
    kind: str
    authority: str | None
    target_authority: str | None
    target_ref: str | None
    target_name: str | None
    date: str | None
    description: str | None
    certainty: str
    visibility: str
    sources: list[SourceView] = field(default_factory=list)


@dataclass
class ReleasedView:
    person_id: int
    name: str
    event_id: int
    kind: str
    date: str
    destination_country: str | None
    visibility: str  # "private" when a public reader would not see this person here


@dataclass
class DealView:
    id: int
    title: str
    date: str | None
    date_start: dt.date | None
    parties: list[str]
    intermediaries: list[str]
    summary: str | None
    description: str | None
    visibility: str
    synthetic: bool
    sources: list[SourceView]
    concessions: list[ConcessionView]
    released: list[ReleasedView]
    #: linked events by kind, over the people shown to this reader
    by_kind: dict[str, int]
    #: staff only: how many of ``released`` the public does not see (None for other readers)
    not_public: int | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["date_start"] = self.date_start.isoformat() if self.date_start else None
        if self.not_public is None:
            d.pop("not_public")
        return d


@dataclass
class DealSummary:
    id: int
    title: str
    date: str | None
    parties: list[str]
    released: int
    by_kind: dict[str, int]
    concession_kinds: list[str]
    visibility: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _split(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def _visible_deal(include_private: bool) -> Any:
    return True if include_private else Deal.visibility == PUBLIC


def _primary_names(session: Session, ids: Iterable[int], include_private: bool) -> dict[int, str]:
    ids = list(set(ids))
    if not ids:
        return {}
    stmt = select(Name.person_id, Name.full_text).where(Name.person_id.in_(ids))
    if not include_private:
        stmt = stmt.where(Name.visibility == PUBLIC)
    out: dict[int, str] = {}
    for pid, text in session.execute(stmt.order_by(Name.is_primary.desc(), Name.id)):
        out.setdefault(pid, text)
    return out


def _released(session: Session, deal_id: int, include_private: bool) -> list[ReleasedView]:
    """Everyone linked (private links tagged); callers filter for public readers."""
    rows = list(
        session.scalars(
            select(StatusEvent)
            .where(StatusEvent.deal_id == deal_id)
            .order_by(StatusEvent.date_start, StatusEvent.person_id, StatusEvent.id)
        )
    )
    public_names = _primary_names(session, (e.person_id for e in rows), False)
    names = (
        _primary_names(session, (e.person_id for e in rows), True)
        if include_private
        else public_names
    )
    out = []
    for e in rows:
        shown_publicly = e.visibility == PUBLIC and e.person_id in public_names
        if not include_private and not shown_publicly:
            continue
        out.append(
            ReleasedView(
                person_id=e.person_id,
                name=names.get(e.person_id, f"#{e.person_id}"),
                event_id=e.id,
                kind=e.kind,
                date=str(PartialDate.from_parts(e.date_start, e.date_precision, e.date_approx)),
                destination_country=e.destination_country,
                visibility=PUBLIC if shown_publicly else Visibility.PRIVATE.value,
            )
        )
    out.sort(key=lambda r: (r.kind, r.name.casefold(), r.person_id))
    return out


def concession_views(
    session: Session, conditions: Iterable[Any], include_private: bool
) -> list[ConcessionView]:
    stmt = select(Concession).where(*conditions)
    if not include_private:
        stmt = stmt.where(Concession.visibility == PUBLIC)
    rows = list(
        session.scalars(
            stmt.order_by(Concession.date_start.is_(None), Concession.date_start, Concession.id)
        )
    )
    src = _sources_for(session, "concession", [c.id for c in rows], include_private)
    return [
        ConcessionView(
            id=c.id,
            deal_id=c.deal_id,
            kind=c.kind,
            authority=c.authority,
            target_authority=c.target_authority,
            target_ref=c.target_ref,
            target_name=c.target_name,
            date=_date(c.date_start, c.date_precision, c.date_approx),
            description=c.description,
            certainty=c.certainty,
            visibility=c.visibility,
            sources=src.get(c.id, []),
        )
        for c in rows
    ]


def deal_view(session: Session, deal_id: int, *, include_private: bool = False) -> DealView:
    deal = session.get(Deal, deal_id)
    if deal is None or not (include_private or deal.visibility == PUBLIC):
        raise NotFound(f"no deal with id {deal_id}")
    released = _released(session, deal_id, include_private)
    by_kind: dict[str, int] = {}
    for r in released:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    return DealView(
        id=deal.id,
        title=deal.title,
        date=_date(deal.date_start, deal.date_precision, deal.date_approx),
        date_start=deal.date_start,
        parties=_split(deal.parties),
        intermediaries=_split(deal.brokers),
        summary=deal.concessions,
        description=deal.description,
        visibility=deal.visibility,
        synthetic=deal.synthetic,
        sources=_sources_for(session, "deal", [deal.id], include_private).get(deal.id, []),
        concessions=concession_views(session, [Concession.deal_id == deal.id], include_private),
        released=released,
        by_kind=by_kind,
        not_public=sum(r.visibility != PUBLIC for r in released) if include_private else None,
    )


def list_deals(session: Session, *, include_private: bool = False) -> list[DealSummary]:
    deals = list(
        session.scalars(
            select(Deal)
            .where(_visible_deal(include_private))
            .order_by(Deal.date_start.desc().nulls_last(), Deal.id.desc())
        )
    )
    if not deals:
        return []
    ids = [d.id for d in deals]
    ev = select(StatusEvent.deal_id, StatusEvent.kind, func.count()).where(
        StatusEvent.deal_id.in_(ids)
    )
    if not include_private:
        has_public_name = (
            select(Name.id)
            .where(Name.person_id == StatusEvent.person_id, Name.visibility == PUBLIC)
            .exists()
        )
        ev = ev.where(StatusEvent.visibility == PUBLIC, has_public_name)
    counts: dict[int, dict[str, int]] = {}
    for deal_id, kind, n in session.execute(ev.group_by(StatusEvent.deal_id, StatusEvent.kind)):
        if deal_id is not None:
            counts.setdefault(deal_id, {})[kind] = int(n)
    kinds_stmt = select(Concession.deal_id, Concession.kind).where(Concession.deal_id.in_(ids))
    if not include_private:
        kinds_stmt = kinds_stmt.where(Concession.visibility == PUBLIC)
    kinds: dict[int, list[str]] = {}
    for deal_id, kind in session.execute(kinds_stmt.order_by(Concession.id)):
        if kind not in kinds.setdefault(deal_id, []):
            kinds[deal_id].append(kind)
    return [
        DealSummary(
            id=d.id,
            title=d.title,
            date=_date(d.date_start, d.date_precision, d.date_approx),
            parties=_split(d.parties),
            released=sum(counts.get(d.id, {}).values()),
            by_kind=counts.get(d.id, {}),
            concession_kinds=kinds.get(d.id, []),
            visibility=d.visibility,
        )
        for d in deals
    ]


def deal_titles(
    session: Session, deal_ids: Iterable[int | None], *, include_private: bool = False
) -> dict[int, str]:
    """Titles of the deals a person page's events name (those the reader may see)."""
    ids = {i for i in deal_ids if i is not None}
    if not ids:
        return {}
    return {
        i: t
        for i, t in session.execute(
            select(Deal.id, Deal.title).where(Deal.id.in_(ids), _visible_deal(include_private))
        )
    }


def concessions_for_target(
    session: Session,
    authority: str,
    reference: str,
    *,
    include_private: bool = False,
) -> list[tuple[int, str, ConcessionView]]:
    """(deal id, deal title, concession) for every concession naming this sanctions target
    (the authority and the publisher's reference id, compared without case), for a target
    page."""
    conds = [
        func.lower(Concession.target_authority) == authority.strip().lower(),
        func.lower(Concession.target_ref) == reference.strip().lower(),
    ]
    views = concession_views(session, conds, include_private)
    if not views:
        return []
    titles = deal_titles(session, (v.deal_id for v in views), include_private=include_private)
    return [(v.deal_id, titles[v.deal_id], v) for v in views if v.deal_id in titles]


__all__ = [
    "ConcessionView",
    "DealSummary",
    "DealView",
    "ReleasedView",
    "concession_views",
    "concessions_for_target",
    "deal_titles",
    "deal_view",
    "list_deals",
]
