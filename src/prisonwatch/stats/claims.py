"""Figures from outside the registry ("around 1,300 still held", a group's monthly count),
stored as :class:`Claim` rows with their source, date and wording, and shown beside the
registry's own figure for the same day — never replacing it.

Kinds with a registry counterpart: ``count_held`` (held at the end of ``as_of``) and
``count_released`` (outflow transitions on ``as_of``). Other kinds are kept and listed with no
registry figure beside them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate, PartialDateError
from prisonwatch.stats.flows import held_count
from prisonwatch.store.figures import add_figure_source, store_figure
from prisonwatch.store.schema import Claim, CustodyChange, Source
from prisonwatch.validation import FieldError, check_text, check_url

#: Claim kinds compared with a registry figure.
COMPARABLE_KINDS = ("count_held", "count_released")


class FigureError(ValueError):
    """An outside figure is invalid; the message names the field."""


@dataclass(frozen=True)
class Figure:
    claim_id: int
    kind: str
    value: float | None
    as_of: dt.date | None
    wording: str | None
    review_state: str
    source_id: int | None
    source_url: str | None
    publisher: str | None
    published: str | None
    registry_value: int | None

    @property
    def difference(self) -> float | None:
        if self.value is None or self.registry_value is None:
            return None
        return self.value - self.registry_value

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "kind": self.kind,
            "value": self.value,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "wording": self.wording,
            "review_state": self.review_state,
            "source": {
                "id": self.source_id,
                "url": self.source_url,
                "publisher": self.publisher,
                "published": self.published,
            },
            "registry_value": self.registry_value,
            "difference": self.difference,
        }


def add_figure(
    session: Session,
    *,
    kind: str,
    value: float,
    as_of: dt.date,
    wording: str,
    actor: str,
    source_url: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    title: str | None = None,
    source_id: int | None = None,
) -> Claim:
    """Store an outside figure with its source (an existing one by id or URL, or a new one);
    the claim and any new source are audited in the same transaction."""
    try:
        kind = check_text("kind", kind, limit=50) or ""
        wording = check_text("wording", wording) or ""
        source_url = check_url("source_url", source_url)
        publisher = check_text("publisher", publisher)
        title = check_text("title", title)
        published = check_text("published", published)
    except FieldError as exc:
        raise FigureError(str(exc)) from None
    if not kind:
        raise FigureError("kind: must not be empty (e.g. count_held)")
    if not math.isfinite(value) or value < 0:
        raise FigureError(f"value: {value!r} is not a non-negative number")
    if not wording.strip():
        raise FigureError("wording: give the words of the source, e.g. 'around 1,300 still held'")
    if published:
        try:
            published = PartialDate.parse(published).iso()
        except PartialDateError as exc:
            raise FigureError(f"published: {exc}") from exc
    source = _source(session, source_id, source_url, publisher, published, title, actor)
    return store_figure(
        session,
        kind=kind,
        value=value,
        as_of=as_of,
        wording=wording.strip(),
        source_id=source.id,
        actor=actor,
    )


def _source(
    session: Session,
    source_id: int | None,
    url: str | None,
    publisher: str | None,
    published: str | None,
    title: str | None,
    actor: str,
) -> Source:
    if source_id is not None:
        found = session.get(Source, source_id)
        if found is None:
            raise FigureError(f"source: no source with id {source_id}")
        return found
    if not url and not publisher:
        raise FigureError("source: give a URL or a publisher (or an existing source id)")
    if url:
        found = session.scalar(select(Source).where(Source.url == url).order_by(Source.id))
        if found is not None:
            return found
    return add_figure_source(
        session, url=url, publisher=publisher, published=published, title=title, actor=actor
    )


def figures(
    session: Session,
    *,
    kind: str | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    include_private: bool = False,
) -> list[Figure]:
    """Outside figures (not rejected) with the registry's own figure for the same day.
    Figures whose source is private are left out unless ``include_private``."""
    stmt = (
        select(Claim, Source)
        .outerjoin(Source, Source.id == Claim.source_id)
        .where(Claim.review_state != "rejected", Claim.value_num.is_not(None))
        .order_by(Claim.as_of, Claim.id)
    )
    kind_cond = Claim.kind == kind if kind else Claim.kind.like("count_%")
    stmt = stmt.where(kind_cond)
    if first:
        stmt = stmt.where(Claim.as_of >= first)
    if last:
        stmt = stmt.where(Claim.as_of <= last)
    if not include_private:
        stmt = stmt.where(or_(Source.id.is_(None), Source.visibility == "public"))
    out: list[Figure] = []
    cache: dict[tuple[str, dt.date], int] = {}
    for claim, source in session.execute(stmt):
        registry = None
        if claim.as_of is not None and claim.kind in COMPARABLE_KINDS:
            key = (claim.kind, claim.as_of)
            if key not in cache:
                cache[key] = registry_figure(session, claim.kind, claim.as_of, include_private)
            registry = cache[key]
        out.append(
            Figure(
                claim_id=claim.id,
                kind=claim.kind,
                value=claim.value_num,
                as_of=claim.as_of,
                wording=claim.wording,
                review_state=claim.review_state,
                source_id=source.id if source else None,
                source_url=source.url if source else None,
                publisher=source.publisher if source else None,
                published=source.published if source else None,
                registry_value=registry,
            )
        )
    return out


def registry_figure(session: Session, kind: str, day: dt.date, include_private: bool) -> int:
    if kind == "count_held":
        return held_count(session, day, include_private=include_private)[None]
    if kind == "count_released":
        cc = CustodyChange.__table__.c
        n = session.scalar(
            select(func.count())
            .select_from(CustodyChange)
            .where(
                cc.scope == ("all" if include_private else "public"),
                cc.date_start == day,
                cc.delta_held == -1,
            )
        )
        return int(n or 0)
    raise FigureError(f"kind: {kind!r} has no registry figure ({', '.join(COMPARABLE_KINDS)})")


__all__ = [
    "COMPARABLE_KINDS",
    "Figure",
    "FigureError",
    "add_figure",
    "figures",
    "registry_figure",
]
