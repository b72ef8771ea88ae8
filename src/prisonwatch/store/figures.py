"""The writer of outside figures (:class:`Claim` rows with their source), audited in the same
transaction. The rules and the comparison with the registry's own figures are
:mod:`prisonwatch.stats.claims`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.schema import Claim, Source

CONTEXT = "changes figure add"


def add_figure_source(
    session: Session,
    *,
    url: str | None,
    publisher: str | None,
    published: str | None,
    title: str | None,
    actor: str,
) -> Source:
    """A new source for an outside figure (values already checked), audited."""
    source = Source(url=url, publisher=publisher, published=published, title=title)
    session.add(source)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="source",
        entity_id=source.id,
        after=audit.snapshot(source),
        context=CONTEXT,
    )
    return source


def store_figure(
    session: Session,
    *,
    kind: str,
    value: float,
    as_of: dt.date,
    wording: str,
    source_id: int,
    actor: str,
) -> Claim:
    """An accepted outside figure (values already checked), audited."""
    claim = Claim(
        kind=kind,
        value_num=float(value),
        as_of=as_of,
        wording=wording,
        source_id=source_id,
        review_state="accepted",
        created_by=actor,
    )
    session.add(claim)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="claim",
        entity_id=claim.id,
        after=audit.snapshot(claim),
        context=CONTEXT,
    )
    return claim
