"""Writing deals: a deal, its concessions, and the release events that name it.

Every change goes through :class:`Deals`, which validates it and writes the audit entry in the
same transaction (entity types ``deal``, ``concession`` and, for a link, ``event`` with the
event's ``deal_id`` before and after). Reading is in :mod:`prisonwatch.store.deal_views`.

People are linked to a deal through one of their status events of a kind in
:data:`~prisonwatch.model.DEAL_EVENT_KINDS` (released, pardoned, expelled abroad, refused to
leave, ...). Without an explicit event, the person's such event nearest the deal's date (its
whole period for a partial date) within :data:`LINK_WINDOW_DAYS` is taken; a list of names is
matched to the people with such an event by the reconciliation engine (cross-script,
one-to-one), and only its ``match`` rows are linked — that use case is
:mod:`prisonwatch.reconcile.deal_lists` (the store does not run the engine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.model import DEAL_EVENT_KINDS, ConcessionKind, LinkCertainty
from prisonwatch.store import audit
from prisonwatch.store.custody import refresh_people
from prisonwatch.store.registry import (
    NotFound,
    Registry,
    RegistryValidationError,
    clean,
    parse_date,
    parse_visibility,
)
from prisonwatch.store.schema import Deal, StatusEvent
from prisonwatch.store.schema_deals import Concession

#: How far (in days) a release event may be from the deal's date to be taken for it.
LINK_WINDOW_DAYS = 31
DEAL_EDITABLE = (
    "title",
    "date",
    "parties",
    "intermediaries",
    "summary",
    "description",
    "visibility",
)


@dataclass
class DealInput:
    title: str
    date: str | None = None
    parties: str | None = None  # "United States; Belarus"
    intermediaries: str | None = None  # stored in ``deal.brokers``
    summary: str | None = None  # one line of what was given, stored in ``deal.concessions``
    description: str | None = None
    visibility: str = "public"
    synthetic: bool = False


@dataclass
class ConcessionInput:
    kind: str
    certainty: str
    authority: str | None = None
    target_authority: str | None = None
    target_ref: str | None = None
    target_name: str | None = None
    date: str | None = None
    description: str | None = None
    visibility: str = "public"


def parse_concession_kind(value: str | None) -> str:
    key = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    key = {"general_license": "general_licence", "gl": "general_licence"}.get(key, key)
    if key not in {k.value for k in ConcessionKind}:
        allowed = ", ".join(k.value for k in ConcessionKind)
        raise RegistryValidationError("kind", f"unknown concession kind {value!r}; use {allowed}")
    return key


def parse_certainty(value: str | None) -> str:
    key = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    key = {"stated": "stated_officially", "official": "stated_officially"}.get(key, key)
    if key not in {c.value for c in LinkCertainty}:
        allowed = ", ".join(c.value for c in LinkCertainty)
        raise RegistryValidationError("certainty", f"{value!r} is not one of {allowed}")
    return key


def _text(value: str | None, field_name: str, limit: int) -> str | None:
    v = clean(value)
    if v is not None and len(v) > limit:
        raise RegistryValidationError(field_name, f"longer than {limit} characters")
    return v


def _deal_date(deal: Deal) -> PartialDate | None:
    if deal.date_start is None:
        return None
    return PartialDate.from_parts(deal.date_start, deal.date_precision or 3, deal.date_approx)


def _deal_span(deal: Deal) -> tuple[dt.date, dt.date] | None:
    """The first and last day the deal's (partial) date may denote."""
    date = _deal_date(deal)
    return (date.start, date.end) if date is not None else None


@dataclass
class Deals(audit.AuditedWriter):
    """The writer of deals and concessions (audited, in the caller's transaction)."""

    session: Session
    actor: str
    context: str | None = None

    def _registry(self) -> Registry:
        return Registry(self.session, self.actor, context=self.context)

    def get_deal(self, deal_id: int) -> Deal:
        deal = self.session.get(Deal, deal_id)
        if deal is None:
            raise NotFound(f"no deal with id {deal_id}")
        return deal

    # deals ---------------------------------------------------------------------------------
    def add_deal(self, data: DealInput, source_ids: Sequence[int] = ()) -> Deal:
        title = _text(data.title, "title", 300)
        if not title:
            raise RegistryValidationError("title", "a deal needs a title")
        date = parse_date(data.date, "date", required=False)
        deal = Deal(
            title=title,
            date_start=date.start if date else None,
            date_precision=int(date.precision) if date else None,
            date_approx=date.approximate if date else False,
            parties=_text(data.parties, "parties", 500),
            brokers=_text(data.intermediaries, "intermediaries", 500),
            concessions=data.summary.strip() if data.summary and data.summary.strip() else None,
            description=data.description.strip() if data.description else None,
            visibility=parse_visibility(data.visibility),
            synthetic=data.synthetic,
        )
        self.session.add(deal)
        self.session.flush()
        self._audit("create", "deal", deal.id, None, audit.snapshot(deal))
        self._registry().cite_all("deal", deal.id, source_ids, None)
        return deal

    def edit_deal(self, deal_id: int, changes: dict[str, Any]) -> Deal:
        unknown = set(changes) - set(DEAL_EDITABLE)
        if unknown:
            raise RegistryValidationError(
                sorted(unknown)[0], f"not an editable deal field; use {', '.join(DEAL_EDITABLE)}"
            )
        deal = self.get_deal(deal_id)
        before = audit.snapshot(deal)
        for key, value in changes.items():
            if key == "title":
                title = _text(value, "title", 300)
                if not title:
                    raise RegistryValidationError("title", "a deal needs a title")
                deal.title = title
            elif key == "date":
                d = parse_date(value, "date", required=False)
                deal.date_start = d.start if d else None
                deal.date_precision = int(d.precision) if d else None
                deal.date_approx = d.approximate if d else False
            elif key == "parties":
                deal.parties = _text(value, "parties", 500)
            elif key == "intermediaries":
                deal.brokers = _text(value, "intermediaries", 500)
            elif key == "summary":
                deal.concessions = str(value).strip() or None if value else None
            elif key == "description":
                deal.description = str(value).strip() or None if value else None
            elif key == "visibility":
                deal.visibility = parse_visibility(value)
        self.session.flush()
        b, a = audit.diff(before, audit.snapshot(deal))
        if a:
            self._audit("update", "deal", deal.id, b, a)
        return deal

    def cite_deal(self, deal_id: int, source_id: int) -> None:
        self.get_deal(deal_id)
        self._registry().cite("deal", deal_id, source_id)

    # concessions ---------------------------------------------------------------------------
    def add_concession(
        self, deal_id: int, data: ConcessionInput, source_ids: Sequence[int] = ()
    ) -> Concession:
        self.get_deal(deal_id)
        date = parse_date(data.date, "date", required=False)
        target_ref = _text(data.target_ref, "target_ref", 200)
        target_name = _text(data.target_name, "target_name", 500)
        target_authority = _text(data.target_authority, "target_authority", 200)
        authority = _text(data.authority, "authority", 200)
        if (target_ref or target_name) and not (target_authority or authority):
            raise RegistryValidationError(
                "target_authority", "a sanctions target needs the authority whose list it is on"
            )
        if (target_ref or target_name) and not target_authority:
            target_authority = authority  # the list of the authority that gave it
        if target_ref and not target_name:
            raise RegistryValidationError(
                "target_name", "give the target's name as the list writes it with its reference"
            )
        conc = Concession(
            deal_id=deal_id,
            kind=parse_concession_kind(data.kind),
            authority=authority,
            target_authority=target_authority if (target_ref or target_name) else None,
            target_ref=target_ref,
            target_name=target_name,
            date_start=date.start if date else None,
            date_precision=int(date.precision) if date else None,
            date_approx=date.approximate if date else False,
            description=data.description.strip() if data.description else None,
            certainty=parse_certainty(data.certainty),
            visibility=parse_visibility(data.visibility),
        )
        self.session.add(conc)
        self.session.flush()
        self._audit("create", "concession", conc.id, None, audit.snapshot(conc))
        self._registry().cite_all("concession", conc.id, source_ids, None)
        return conc

    def remove_concession(self, concession_id: int, deal_id: int | None = None) -> None:
        """Delete a concession (audited with its values). With ``deal_id``, only one of that
        deal's: a concession id typed on the wrong deal's page is refused, not deleted."""
        conc = self.session.get(Concession, concession_id)
        if conc is None or (deal_id is not None and conc.deal_id != deal_id):
            where = f" of deal {deal_id}" if deal_id is not None else ""
            raise NotFound(f"no concession with id {concession_id}{where}")
        before = audit.snapshot(conc)
        self.session.delete(conc)
        self.session.flush()
        self._audit("delete", "concession", concession_id, before, None)

    # people --------------------------------------------------------------------------------
    def link_event(self, deal_id: int, event_id: int) -> StatusEvent | None:
        """Name the deal on a release event. Returns None when it already did (nothing
        written); refuses an event of another kind or one that names another deal."""
        self.get_deal(deal_id)
        ev = self.session.get(StatusEvent, event_id)
        if ev is None:
            raise NotFound(f"no event with id {event_id}")
        if ev.kind not in DEAL_EVENT_KINDS:
            allowed = ", ".join(sorted(DEAL_EVENT_KINDS))
            raise RegistryValidationError(
                "event", f"event {event_id} is {ev.kind}; a deal names only {allowed} events"
            )
        if ev.deal_id == deal_id:
            return None
        if ev.deal_id is not None:
            raise RegistryValidationError(
                "event", f"event {event_id} already names deal {ev.deal_id}; unlink it first"
            )
        return self._set_deal(ev, deal_id)

    def unlink_event(self, event_id: int, deal_id: int | None = None) -> StatusEvent:
        """Take the deal off a release event (the event itself stays). With ``deal_id``, the
        event must name that deal."""
        ev = self.session.get(StatusEvent, event_id)
        if ev is None:
            raise NotFound(f"no event with id {event_id}")
        if ev.deal_id is None:
            raise RegistryValidationError("event", f"event {event_id} names no deal")
        if deal_id is not None and ev.deal_id != deal_id:
            raise RegistryValidationError(
                "event", f"event {event_id} names deal {ev.deal_id}, not deal {deal_id}"
            )
        return self._set_deal(ev, None)

    def unlink_person(self, deal_id: int, person_id: int) -> list[StatusEvent]:
        """Take the deal off every event of the person that names it; refuses a person the
        deal does not name."""
        self.get_deal(deal_id)
        events = list(
            self.session.scalars(
                select(StatusEvent)
                .where(StatusEvent.deal_id == deal_id, StatusEvent.person_id == person_id)
                .order_by(StatusEvent.id)
            )
        )
        if not events:
            raise RegistryValidationError(
                "person", f"deal {deal_id} names no event of person {person_id}"
            )
        return [self._set_deal(ev, None) for ev in events]

    def _set_deal(self, ev: StatusEvent, deal_id: int | None) -> StatusEvent:
        # the event's visibility goes with the values, so the audit log redacts the link of a
        # private event for readers who may not see it (audit.redact)
        before = {"deal_id": ev.deal_id, "visibility": ev.visibility}
        ev.deal_id = deal_id
        self.session.flush()
        refresh_people(self.session, [ev.person_id])  # custody_change carries the deal
        after = {"deal_id": deal_id, "visibility": ev.visibility}
        self._audit("update", "event", ev.id, before, after, ev.person_id)
        return ev

    def release_event_for(self, deal: Deal, person_id: int) -> StatusEvent:
        """The person's event a link to ``deal`` should name (see the module docstring)."""
        events = list(
            self.session.scalars(
                select(StatusEvent)
                .where(
                    StatusEvent.person_id == person_id,
                    StatusEvent.kind.in_([k.value for k in DEAL_EVENT_KINDS]),
                )
                .order_by(StatusEvent.date_start, StatusEvent.id)
            )
        )
        span = _deal_span(deal)
        if span is not None:
            first, last = span

            def distance(e: StatusEvent) -> int:
                return max((first - e.date_start).days, (e.date_start - last).days, 0)

            window = LINK_WINDOW_DAYS
            events = [e for e in events if distance(e) <= window]
            events.sort(key=lambda e: (distance(e), e.deal_id != deal.id))
        else:
            own = [e for e in events if e.deal_id == deal.id]
            if len(events) > 1 and not own:
                ids = ", ".join(str(e.id) for e in events)
                raise RegistryValidationError(
                    "event",
                    f"person {person_id} has several release events ({ids}) and the deal has "
                    "no date: name the event",
                )
            events = own or events
        if not events:
            where = (
                f"within {LINK_WINDOW_DAYS} days of the deal's date ({_deal_date(deal)})"
                if deal.date_start
                else "at all"
            )
            raise RegistryValidationError(
                "person",
                f"person {person_id} has no release event {where}: add the event "
                "(prisonwatch event add) or name it",
            )
        return events[0]

    def link_person(
        self, deal_id: int, person_id: int, event_id: int | None = None
    ) -> tuple[StatusEvent, bool]:
        """Link a released person to the deal through their release event; returns the event
        and whether anything changed."""
        deal = self.get_deal(deal_id)
        if event_id is not None:
            ev = self.session.get(StatusEvent, event_id)
            if ev is None or ev.person_id != person_id:
                raise NotFound(f"person {person_id} has no event with id {event_id}")
        else:
            self._registry().get_person(person_id)
            ev = self.release_event_for(deal, person_id)
        changed = self.link_event(deal_id, ev.id) is not None
        return ev, changed

    def candidate_people(self, deal: Deal) -> dict[int, int]:
        """Person id → the release event a link would name, for everyone who has one."""
        stmt = select(StatusEvent.person_id).where(
            StatusEvent.kind.in_([k.value for k in DEAL_EVENT_KINDS])
        )
        span = _deal_span(deal)
        if span is not None:
            window = dt.timedelta(days=LINK_WINDOW_DAYS)
            stmt = stmt.where(
                StatusEvent.date_start >= span[0] - window,
                StatusEvent.date_start <= span[1] + window,
            )
        out: dict[int, int] = {}
        for pid in sorted(set(self.session.scalars(stmt))):
            try:
                out[pid] = self.release_event_for(deal, pid).id
            except RegistryValidationError:
                continue  # undated deal, several events: this person must be linked by event
        return out


__all__ = [
    "DEAL_EDITABLE",
    "LINK_WINDOW_DAYS",
    "ConcessionInput",
    "DealInput",
    "Deals",
    "parse_certainty",
    "parse_concession_kind",
]
