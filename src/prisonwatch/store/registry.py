"""The registry service: every change to people, names, cases, events and sources goes through
:class:`Registry`, which validates it and writes the audit entry in the same transaction.

The CLI, the web app, the demo, deals and accepted news claims use it one change at a time;
the importer uses its batched API, :meth:`Registry.batch` (:mod:`prisonwatch.store.batch`),
with the same rules, audit and derived tables. So a change can't skip its audit. The event
rules (:func:`check_event`: which events may be dated ahead, what a recognition or an
expulsion must name) are here, once, for every path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate, PartialDateError
from prisonwatch.model import (
    GENDER_ALIASES,
    STATUS_ALIASES,
    EventKind,
    NameKind,
    Visibility,
)
from prisonwatch.names.script import detect_script
from prisonwatch.sentence import sentence_months, split_articles
from prisonwatch.store import audit
from prisonwatch.store.custody import refresh_people
from prisonwatch.store.dialect import dialect_of
from prisonwatch.store.facilities import Facilities
from prisonwatch.store.listkeys import refresh_list_keys
from prisonwatch.store.schema import (
    Case,
    CaseArticle,
    Citation,
    Identifier,
    Name,
    Organisation,
    Person,
    Source,
    StatusEvent,
)
from prisonwatch.validation import FieldError, check_text, check_url

if TYPE_CHECKING:
    from prisonwatch.store.batch import RegistryBatch


class RegistryError(Exception):
    """Base class of registry errors."""


class NotFound(RegistryError):
    pass


#: a refused value; the one input rule (characters, lengths, URLs) is :mod:`prisonwatch.validation`
RegistryValidationError = FieldError


# -- inputs ---------------------------------------------------------------------------------


@dataclass
class NameInput:
    text: str
    kind: str = NameKind.OFFICIAL.value
    language: str | None = None
    visibility: str = Visibility.PUBLIC.value
    is_primary: bool = False


@dataclass
class PersonInput:
    names: list[NameInput]
    birth_date: str | None = None
    gender: str | None = None
    region: str | None = None
    nationality: str | None = None
    public_notes: str | None = None
    relatives_contact: str | None = None
    internal_notes: str | None = None
    synthetic: bool = False


@dataclass
class EventInput:
    kind: str
    date: str
    organisation: str | None = None
    destination_country: str | None = None
    facility: str | None = None
    note: str | None = None
    visibility: str = Visibility.PUBLIC.value
    deal_id: int | None = None


@dataclass
class CaseInput:
    articles: str | None = None
    court: str | None = None
    judge: str | None = None
    prosecutor: str | None = None
    sentence: str | None = None
    facility: str | None = None
    facility_address: str | None = None
    visibility: str = Visibility.PUBLIC.value


@dataclass
class SourceInput:
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    quote: str | None = None
    visibility: str = Visibility.PUBLIC.value


PERSON_EDITABLE = (
    "birth_date",
    "gender",
    "region",
    "nationality",
    "public_notes",
    "relatives_contact",
    "internal_notes",
)
CASE_EDITABLE = (
    "articles",
    "court",
    "judge",
    "prosecutor",
    "sentence",
    "facility",
    "facility_address",
    "visibility",
)

# -- validation helpers ---------------------------------------------------------------------


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    v = " ".join(str(value).split())
    return v or None


def parse_kind(value: str, field_name: str = "kind") -> EventKind:
    check_text(field_name, value, limit=30)
    key = (value or "").strip().lower().replace(" ", "_")
    kind = STATUS_ALIASES.get(key) or STATUS_ALIASES.get(key.replace("_", " "))
    if kind is None:
        allowed = ", ".join(k.value for k in EventKind)
        raise RegistryValidationError(field_name, f"unknown status {value!r}; use one of {allowed}")
    return kind


def parse_date(value: str | None, field_name: str, *, required: bool = True) -> PartialDate | None:
    if value is None or not str(value).strip():
        if required:
            raise RegistryValidationError(field_name, "a date is required")
        return None
    check_text(field_name, value, limit=20)
    try:
        return PartialDate.parse(str(value))
    except PartialDateError as exc:
        raise RegistryValidationError(field_name, str(exc)) from exc


def parse_gender(value: str | None) -> str | None:
    v = check_text("gender", value, limit=20)
    if v is None:
        return None
    g = GENDER_ALIASES.get(v.lower())
    if g is None:
        raise RegistryValidationError(
            "gender", f"unknown gender {value!r}; use male, female or other"
        )
    return g.value


def parse_visibility(value: str | None, field_name: str = "visibility") -> str:
    check_text(field_name, value, limit=20)
    v = (value or Visibility.PUBLIC.value).strip().lower()
    if v not in {x.value for x in Visibility}:
        raise RegistryValidationError(field_name, f"{value!r} is not public or private")
    return v


def parse_name_kind(value: str | None) -> str:
    check_text("kind", value, limit=20)
    v = (value or NameKind.OFFICIAL.value).strip().lower()
    if v not in {x.value for x in NameKind}:
        allowed = ", ".join(x.value for x in NameKind)
        raise RegistryValidationError("name kind", f"{value!r} is not one of {allowed}")
    return v


#: The kinds of event that may be recorded before their day: the end of a term is known from
#: the sentence, so a scheduled release is a fact the registry holds ahead (the status rule
#: counts it from the day it takes effect). Every other event is recorded once it has happened:
#: a future detention, sentence, pardon, expulsion or death is a typing error.
SCHEDULABLE_KINDS = frozenset({EventKind.RELEASED_END_OF_TERM})


def check_event_date(
    kind: EventKind, date: PartialDate, field_name: str = "date", *, today: dt.date | None = None
) -> None:
    """A date after ``today`` only for :data:`SCHEDULABLE_KINDS` (the start of a partial date
    counts: "2026-12" is not in the future during December 2026)."""
    if date.start > (today or dt.date.today()) and kind not in SCHEDULABLE_KINDS:
        ahead = ", ".join(sorted(k.value for k in SCHEDULABLE_KINDS))
        raise RegistryValidationError(
            field_name,
            f"the date is in the future; only {ahead} may be recorded ahead "
            f"(a {kind.value} event is recorded once it has happened)",
        )


def check_event(
    kind: EventKind,
    date: PartialDate,
    *,
    organisation: str | None,
    destination: str | None,
    today: dt.date | None = None,
    date_field: str = "date",
    organisation_field: str = "organisation",
    destination_field: str = "destination_country",
) -> None:
    """The rules of an event, one for every path (forms, API, CLI, import, demo): a date after
    ``today`` only for :data:`SCHEDULABLE_KINDS`; a recognition (or its withdrawal) names the
    organisation; an expulsion names the country. Raises on the first broken rule."""
    check_event_date(kind, date, date_field, today=today)
    check_event_parties(
        kind,
        organisation=organisation,
        destination=destination,
        organisation_field=organisation_field,
        destination_field=destination_field,
    )


def check_event_parties(
    kind: EventKind,
    *,
    organisation: str | None,
    destination: str | None,
    organisation_field: str = "organisation",
    destination_field: str = "destination_country",
) -> None:
    """A recognition (or its withdrawal) names the organisation; an expulsion the country."""
    if kind in (EventKind.RECOGNISED, EventKind.RECOGNITION_WITHDRAWN) and not organisation:
        raise RegistryValidationError(
            organisation_field, f"a {kind.value} event needs the organisation"
        )
    if kind is EventKind.EXPELLED_ABROAD and not destination:
        raise RegistryValidationError(
            destination_field, "expelled_abroad needs the destination country"
        )


def check_name_text(text: str | None, field_name: str = "name") -> str:
    t = check_text(field_name, text)
    if not t:
        raise RegistryValidationError(field_name, "a name is required")
    if not any(ch.isalpha() for ch in t):
        raise RegistryValidationError(field_name, "the name has no letters")
    return t


# -- the service ----------------------------------------------------------------------------


@dataclass
class Registry:
    session: Session
    actor: str
    context: str | None = None
    _orgs: dict[str, Organisation] = field(default_factory=dict, repr=False)
    _facility_writer: Facilities | None = field(default=None, repr=False)

    def _facilities(self) -> Facilities:
        """The facility writer: free-text facilities of cases and events become records."""
        if self._facility_writer is None:
            self._facility_writer = Facilities(self.session, self.actor, self.context)
        return self._facility_writer

    def _audit(
        self,
        action: str,
        entity_type: str,
        entity_id: int | None,
        person_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        audit.record(
            self.session,
            actor=self.actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            person_id=person_id,
            before=before,
            after=after,
            context=self.context,
        )

    def _refresh_derived(self, person_id: int) -> None:
        """After a change of the person's events: the stored list keys (first: on PostgreSQL
        this locks the person row, so what follows sees every committed change) and the
        ``custody_change`` rows."""
        refresh_list_keys(self.session, [person_id], names=False)
        refresh_people(self.session, [person_id])

    def _refresh_after_names(self, person_id: int) -> None:
        """After a change of the person's names: the sort names, and — as a person without a
        public name is hidden (:mod:`prisonwatch.store.visibility`) — the public status and
        custody changes too."""
        refresh_list_keys(self.session, [person_id])
        refresh_people(self.session, [person_id])

    def batch(self, scheme: str, context: str | None = None) -> RegistryBatch:
        """The batched API for a list of people (an import): the same rules, audit and derived
        tables, in bulk (:mod:`prisonwatch.store.batch`)."""
        from prisonwatch.store.batch import RegistryBatch

        return RegistryBatch(self.session, self.actor, context or self.context or "", scheme)

    # people --------------------------------------------------------------------------------
    def get_person(self, person_id: int, *, lock: bool = False) -> Person:
        stmt = select(Person).where(Person.id == person_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
            dialect_of(self.session).lock_for_update(
                self.session,
                update(Person).where(Person.id == person_id).values(version=Person.version),
            )
        person = self.session.scalar(stmt)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        return person

    def add_person(self, data: PersonInput) -> Person:
        if not data.names:
            raise RegistryValidationError("name", "a person needs at least one name")
        birth = parse_date(data.birth_date, "birth_date", required=False)
        person = Person(
            birth_date=birth.iso() if birth else None,
            birth_start=birth.start if birth else None,
            gender=parse_gender(data.gender),
            region=check_text("region", data.region),
            nationality=check_text("nationality", data.nationality),
            public_notes=check_text("public_notes", data.public_notes),
            relatives_contact=check_text("relatives_contact", data.relatives_contact),
            internal_notes=check_text("internal_notes", data.internal_notes),
            synthetic=data.synthetic,
        )
        self.session.add(person)
        self.session.flush()
        self._audit("create", "person", person.id, person.id, None, audit.snapshot(person))
        for i, n in enumerate(data.names):
            primary = n.is_primary or (i == 0 and not any(x.is_primary for x in data.names))
            self._add_name(person.id, NameInput(n.text, n.kind, n.language, n.visibility, primary))
        refresh_list_keys(self.session, [person.id])  # once, with all the names
        return person

    def edit_person(self, person_id: int, changes: dict[str, Any]) -> Person:
        """Change person fields. The row is locked (``SELECT … FOR UPDATE`` on PostgreSQL;
        SQLite serialises writers) so two concurrent editors don't lose an update."""
        unknown = set(changes) - set(PERSON_EDITABLE)
        if unknown:
            raise RegistryValidationError(
                sorted(unknown)[0],
                f"not an editable field; use one of {', '.join(PERSON_EDITABLE)}",
            )
        person = self.get_person(person_id, lock=True)
        before = audit.snapshot(person)
        for key, value in changes.items():
            if key == "birth_date":
                birth = parse_date(value, "birth_date", required=False)
                person.birth_date = birth.iso() if birth else None
                person.birth_start = birth.start if birth else None
            elif key == "gender":
                person.gender = parse_gender(value)
            else:
                setattr(person, key, check_text(key, value))
        after = audit.snapshot(person)
        b, a = audit.diff(before, after)
        if a:
            person.version = (person.version or 0) + 1
            self.session.flush()
            self._audit("update", "person", person.id, person.id, b, a)
        return person

    def append_internal_note(self, person_id: int, line: str) -> Person:
        """Read-modify-write of a text field under the row lock (used by the concurrency test)."""
        person = self.get_person(person_id, lock=True)
        before = audit.snapshot(person)
        person.internal_notes = (
            person.internal_notes + "\n" if person.internal_notes else ""
        ) + line
        person.version = (person.version or 0) + 1
        self.session.flush()
        b, a = audit.diff(before, audit.snapshot(person))
        self._audit("update", "person", person.id, person.id, b, a)
        return person

    def delete_person(self, person_id: int) -> None:
        person = self.get_person(person_id, lock=True)
        before = audit.snapshot(person)
        # the private names apart: shown to admins only (store.visibility.PRIVATE_AUDIT_KEYS)
        before["names"] = [n.full_text for n in person.names if n.visibility == "public"]
        before["private_names"] = [n.full_text for n in person.names if n.visibility != "public"]
        self.session.delete(person)
        self.session.flush()
        refresh_people(self.session, [person_id])
        self._audit("delete", "person", person_id, person_id, before, None)

    # identifiers ---------------------------------------------------------------------------
    def add_identifier(self, person_id: int, scheme: str, value: str) -> Identifier:
        scheme_text, value_text = check_text("scheme", scheme), check_text("id", value)
        if not scheme_text or not value_text:
            raise RegistryValidationError("id", "an identifier needs a scheme and a value")
        ident = Identifier(person_id=person_id, scheme=scheme_text, value=value_text)
        self.session.add(ident)
        self.session.flush()
        self._audit("create", "identifier", ident.id, person_id, None, audit.snapshot(ident))
        return ident

    def find_by_identifier(self, scheme: str, value: str) -> Person | None:
        return self.session.scalar(
            select(Person)
            .join(Identifier, Identifier.person_id == Person.id)
            .where(Identifier.scheme == scheme, Identifier.value == value)
        )

    # names ---------------------------------------------------------------------------------
    def add_name(self, person_id: int, data: NameInput, source_ids: Sequence[int] = ()) -> Name:
        self.get_person(person_id, lock=True)
        name = self._add_name(person_id, data, source_ids)
        self._refresh_after_names(person_id)
        return name

    def _add_name(self, person_id: int, data: NameInput, source_ids: Sequence[int] = ()) -> Name:
        text = check_name_text(data.text)
        name = Name(
            person_id=person_id,
            full_text=text,
            script=detect_script(text).value,
            language=check_text("language", data.language),
            kind=parse_name_kind(data.kind),
            is_primary=data.is_primary,
            visibility=parse_visibility(data.visibility),
        )
        self.session.add(name)
        self.session.flush()
        self._audit("create", "name", name.id, person_id, None, audit.snapshot(name))
        self.cite_all("name", name.id, source_ids, person_id)
        return name

    def edit_name(self, name_id: int, changes: dict[str, Any]) -> Name:
        name = self.session.get(Name, name_id)
        if name is None:
            raise NotFound(f"no name with id {name_id}")
        self.get_person(name.person_id, lock=True)
        before = audit.snapshot(name)
        for key, value in changes.items():
            if key == "text":
                name.full_text = check_name_text(value)
                name.script = detect_script(name.full_text).value
            elif key == "kind":
                name.kind = parse_name_kind(value)
            elif key == "language":
                name.language = check_text("language", value)
            elif key == "visibility":
                name.visibility = parse_visibility(value)
            elif key == "is_primary":
                name.is_primary = bool(value)
            else:
                raise RegistryValidationError(key, "not an editable name field")
        self.session.flush()
        self._refresh_after_names(name.person_id)
        b, a = audit.diff(before, audit.snapshot(name))
        if a:
            self._audit("update", "name", name.id, name.person_id, b, a)
        return name

    def remove_name(self, name_id: int) -> None:
        name = self.session.get(Name, name_id)
        if name is None:
            raise NotFound(f"no name with id {name_id}")
        self.get_person(name.person_id, lock=True)
        others = self.session.scalars(
            select(Name.id).where(Name.person_id == name.person_id, Name.id != name_id)
        ).all()
        if not others:
            raise RegistryValidationError("name", "cannot remove a person's only name")
        before = audit.snapshot(name)
        self.session.delete(name)
        self.session.flush()
        self._refresh_after_names(before["person_id"])
        self._audit("delete", "name", name_id, before["person_id"], before, None)

    # organisations and sources -----------------------------------------------------------
    def organisation(self, name: str, kind: str | None = None) -> Organisation:
        key = check_text("organisation", name) or ""
        if not key:
            raise RegistryValidationError("organisation", "an organisation name is required")
        cached = self._orgs.get(key.lower())
        if cached is not None:
            return cached
        from sqlalchemy import func

        org = self.session.scalar(
            select(Organisation).where(func.lower(Organisation.name) == key.lower())
        )
        if org is None:
            org = Organisation(name=key, kind=kind)
            self.session.add(org)
            self.session.flush()
            self._audit("create", "organisation", org.id, None, None, audit.snapshot(org))
        self._orgs[key.lower()] = org
        return org

    def add_source(self, data: SourceInput) -> Source:
        url = check_url("url", data.url)
        title = check_text("title", data.title)
        if not (url or title):
            raise RegistryValidationError("source", "a source needs a URL or a title")
        published = parse_date(data.published, "published", required=False)
        src = Source(
            url=url,
            title=title,
            publisher=check_text("publisher", data.publisher),
            published=published.iso() if published else None,
            quote=check_text("quote", data.quote),
            visibility=parse_visibility(data.visibility),
        )
        self.session.add(src)
        self.session.flush()
        self._audit("create", "source", src.id, None, None, audit.snapshot(src))
        return src

    def source_for_url(self, url: str, *, private: bool = False) -> Source:
        """The source with this URL, created on first use. A source first used by a private
        fact (``private``) is private: its URL ties the fact to where it came from."""
        u = check_url("source_url", url)
        if not u:
            raise RegistryValidationError("source_url", "empty URL")
        src = self.session.scalar(select(Source).where(Source.url == u).limit(1))
        if src is not None:
            return src
        return self.add_source(SourceInput(url=u, visibility="private" if private else "public"))

    def cite(
        self, subject_type: str, subject_id: int, source_id: int, person_id: int | None = None
    ) -> None:
        exists = self.session.scalar(
            select(Citation.id).where(
                Citation.subject_type == subject_type,
                Citation.subject_id == subject_id,
                Citation.source_id == source_id,
            )
        )
        if exists:
            return
        if self.session.get(Source, source_id) is None:
            raise NotFound(f"no source with id {source_id}")
        cit = Citation(subject_type=subject_type, subject_id=subject_id, source_id=source_id)
        self.session.add(cit)
        self.session.flush()
        self._audit("create", "citation", cit.id, person_id, None, audit.snapshot(cit))

    def cite_all(
        self, subject_type: str, subject_id: int, source_ids: Iterable[int], person_id: int | None
    ) -> None:
        for sid in source_ids:
            self.cite(subject_type, subject_id, sid, person_id)

    # events --------------------------------------------------------------------------------
    def add_event(
        self, person_id: int, data: EventInput, source_ids: Sequence[int] = ()
    ) -> StatusEvent:
        # The person row first, before the event's foreign key takes a share lock on it: two
        # writers that both held the share lock and then wanted the row lock deadlocked.
        self.get_person(person_id, lock=True)
        kind = parse_kind(data.kind)
        date = parse_date(data.date, "date")
        assert date is not None
        org_name = check_text("organisation", data.organisation)
        destination = check_text("destination_country", data.destination_country)
        check_event(kind, date, organisation=org_name, destination=destination)
        org_id = self.organisation(org_name).id if org_name else None
        ev = StatusEvent(
            person_id=person_id,
            kind=kind.value,
            date_start=date.start,
            date_precision=int(date.precision),
            date_approx=date.approximate,
            organisation_id=org_id,
            destination_country=destination,
            facility=check_text("facility", data.facility),
            deal_id=data.deal_id,
            note=check_text("note", data.note),
            visibility=parse_visibility(data.visibility),
        )
        self.session.add(ev)
        self.session.flush()
        self._facilities().link_event(ev)
        self._refresh_derived(person_id)
        self._audit("create", "event", ev.id, person_id, None, audit.snapshot(ev))
        self.cite_all("event", ev.id, source_ids, person_id)
        return ev

    def edit_event(self, event_id: int, changes: dict[str, Any]) -> StatusEvent:
        ev = self.session.get(StatusEvent, event_id)
        if ev is None:
            raise NotFound(f"no event with id {event_id}")
        self.get_person(ev.person_id, lock=True)
        before = audit.snapshot(ev)
        # the event as it will be, checked before anything changes (a refused edit leaves the
        # row as it was)
        kind = parse_kind(changes["kind"]) if "kind" in changes else EventKind(ev.kind)
        when = (
            parse_date(changes["date"], "date")
            if "date" in changes
            else PartialDate.from_parts(ev.date_start, ev.date_precision, ev.date_approx)
        )
        assert when is not None
        if "date" in changes or "kind" in changes:
            check_event_date(kind, when)
        for key, value in changes.items():
            if key == "date":
                ev.date_start, ev.date_precision, ev.date_approx = (
                    when.start,
                    int(when.precision),
                    when.approximate,
                )
            elif key == "kind":
                ev.kind = kind.value
            elif key in ("destination_country", "facility", "note"):
                setattr(ev, key, check_text(key, value))
            elif key == "visibility":
                ev.visibility = parse_visibility(value)
            elif key == "organisation":
                org = check_text("organisation", value)
                ev.organisation_id = self.organisation(org).id if org else None
            else:
                raise RegistryValidationError(key, "not an editable event field")
        self.session.flush()
        self._facilities().link_event(ev)
        self._refresh_derived(ev.person_id)
        b, a = audit.diff(before, audit.snapshot(ev))
        if a:
            self._audit("update", "event", ev.id, ev.person_id, b, a)
        return ev

    def remove_event(self, event_id: int) -> None:
        ev = self.session.get(StatusEvent, event_id)
        if ev is None:
            raise NotFound(f"no event with id {event_id}")
        self.get_person(ev.person_id, lock=True)
        before = audit.snapshot(ev)
        self.session.delete(ev)
        self.session.flush()
        self._refresh_derived(before["person_id"])
        self._audit("delete", "event", event_id, before["person_id"], before, None)

    # cases ---------------------------------------------------------------------------------
    def add_case(self, person_id: int, data: CaseInput, source_ids: Sequence[int] = ()) -> Case:
        self.get_person(person_id, lock=True)
        case = Case(person_id=person_id)
        self._fill_case(case, data.__dict__)
        self.session.add(case)
        self.session.flush()
        self._facilities().link_case(case)
        self._sync_articles(case)
        self._audit("create", "case", case.id, person_id, None, audit.snapshot(case))
        self.cite_all("case", case.id, source_ids, person_id)
        self._link_officials(case.id)
        return case

    def edit_case(self, case_id: int, changes: dict[str, Any]) -> Case:
        case = self.session.get(Case, case_id)
        if case is None:
            raise NotFound(f"no case with id {case_id}")
        self.get_person(case.person_id, lock=True)
        unknown = set(changes) - set(CASE_EDITABLE)
        if unknown:
            raise RegistryValidationError(sorted(unknown)[0], "not an editable case field")
        before = audit.snapshot(case)
        self._fill_case(case, changes)
        self.session.flush()
        self._facilities().link_case(case)
        b, a = audit.diff(before, audit.snapshot(case))
        if a:
            self._sync_articles(case)
            self._audit("update", "case", case.id, case.person_id, b, a)
            self._link_officials(case.id)
        return case

    def _link_officials(self, case_id: int) -> None:
        """The judge and prosecutor named by the case's free text, as officials."""
        from prisonwatch.store.officials import link_case_text  # imports this module

        link_case_text(self.session, self.actor, self.context, [case_id])

    def _fill_case(self, case: Case, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key == "visibility":
                case.visibility = parse_visibility(value)
            elif key == "sentence":
                case.sentence = check_text("sentence", value)
                case.sentence_months = sentence_months(case.sentence)
            elif key in CASE_EDITABLE:
                setattr(case, key, check_text(key, value))

    def _sync_articles(self, case: Case) -> None:
        existing = self.session.scalars(
            select(CaseArticle).where(CaseArticle.case_id == case.id)
        ).all()
        wanted = split_articles(case.articles)
        have = {a.article: a for a in existing}
        for art, row in have.items():
            if art not in wanted:
                self.session.delete(row)
        for art in wanted:
            if art not in have:
                self.session.add(
                    CaseArticle(case_id=case.id, person_id=case.person_id, article=art)
                )
        self.session.flush()
