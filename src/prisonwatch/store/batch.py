"""Batched writes of people for an import: :class:`RegistryBatch`, which
:meth:`Registry.batch <prisonwatch.store.registry.Registry.batch>` hands out.

The same rules as :class:`~prisonwatch.store.registry.Registry` (one date rule for events,
the event rules of :func:`~prisonwatch.store.registry.check_event`, public visibility for what a
list publishes), the same audit (one entry per person created or changed, the file row in its
context) and the same derived tables (the people list's keys and tally, the custody changes),
at bulk speed: new people go in batches of plain rows (``COPY`` on PostgreSQL,
:mod:`prisonwatch.store.bulk`), their derived rows are refreshed set-based once per batch, and
the tally is compacted once at :meth:`RegistryBatch.finish`.

The caller (the importer) reads and validates; what it hands over is a :class:`PersonRecord`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, selectinload

from prisonwatch.dates import PartialDate
from prisonwatch.model import EventKind
from prisonwatch.names.display import ShownName
from prisonwatch.names.script import detect_script
from prisonwatch.sentence import sentence_months, split_articles
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.custody import refresh_people
from prisonwatch.store.db import without_jit
from prisonwatch.store.listkeys import compact_tally, refresh_list_keys, sort_keys, status_keys
from prisonwatch.store.registry import check_event
from prisonwatch.store.schema import (
    AuditEntry,
    Case,
    CaseArticle,
    Citation,
    Identifier,
    Name,
    Organisation,
    Person,
    Source,
    StatusEvent,
    utcnow,
)
from prisonwatch.store.status_rule import Event

#: the case columns a record may fill
CASE_FIELDS = ("articles", "court", "judge", "sentence", "facility", "facility_address")


@dataclass
class PersonRecord:
    """One person as a list states it (every value already validated)."""

    row: int  # where it comes from (the file row), named in the audit entry
    ext_id: str  # the person's id in the batch's identifier scheme
    name: str
    name_alt: list[str]
    birth: PartialDate | None
    gender: str | None
    region: str | None
    detained_on: PartialDate | None
    case: dict[str, str | None]
    status: EventKind | None
    status_date: PartialDate | None
    source_url: str | None
    recognised_by: str | None
    destination_country: str | None

    def snapshot(self) -> dict[str, Any]:
        """The record as the audit entry of a created person shows it."""
        return {
            "id": self.ext_id,
            "name": self.name,
            "name_alt": self.name_alt,
            "birth_date": str(self.birth) if self.birth else None,
            "gender": self.gender,
            "region": self.region,
            "detained_on": str(self.detained_on) if self.detained_on else None,
            **{k: v for k, v in self.case.items() if v},
            "status": self.status.value if self.status else None,
            "status_date": str(self.status_date) if self.status_date else None,
            "source_url": self.source_url,
        }

    def events(self) -> list[tuple[EventKind, PartialDate]]:
        """The events the record states: its detention, then its status (unless the status is
        that same detention)."""
        out: list[tuple[EventKind, PartialDate]] = []
        if self.detained_on:
            out.append((EventKind.DETAINED, self.detained_on))
        if (
            self.status
            and self.status_date
            and not (self.status is EventKind.DETAINED and self.detained_on == self.status_date)
        ):
            out.append((self.status, self.status_date))
        return out

    def check(self) -> None:
        """The event rules (:func:`~prisonwatch.store.registry.check_event`), named by the
        record's own fields."""
        for kind, date in self.events():
            check_event(
                kind,
                date,
                organisation=self.recognised_by,
                destination=self.destination_country,
                date_field="detained_on" if kind is EventKind.DETAINED else "status_date",
                organisation_field="recognised_by",
            )


def _t(entity: type[Any]) -> Table:
    """The Core table of a mapped class: bulk inserts skip the ORM's per-row bookkeeping."""
    table: Table = entity.__table__
    return table


def other_name_kind(script: str, primary_script: str) -> str:
    """The kind of an imported name beside the primary one: a transliteration when it is in
    another script than the primary name, else an alias (the import's one rule)."""
    return "transliteration" if script != primary_script else "alias"


class RegistryBatch:
    """Creates and updates people from records, in the caller's transaction.

    ``writing`` holds the records being written (a batch, or the one record of an update), so
    that the caller can name them when the database refuses a value."""

    def __init__(self, session: Session, actor: str, context: str, scheme: str) -> None:
        self.s = session
        self.actor = actor
        self.context = context
        self.scheme = scheme
        self.sources: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self.writing: list[PersonRecord] = []
        self.now = utcnow()
        self.audit: list[dict[str, Any]] = []

    # look-ups ------------------------------------------------------------------------------
    def identifiers(self) -> dict[str, int]:
        """The scheme's ids of registry people: ``{value: person id}``."""
        stmt = select(Identifier.value, Identifier.person_id).where(
            Identifier.scheme == self.scheme
        )
        return {value: pid for value, pid in self.s.execute(stmt).all()}

    def lock_people(self, person_ids: Iterable[int]) -> None:
        """Lock the people about to be updated, in id order, before changing any: two imports
        touching the same people in different orders deadlocked on PostgreSQL."""
        touched = sorted(set(person_ids))
        for start in range(0, len(touched), 5000):
            self.s.execute(
                select(Person.id)
                .where(Person.id.in_(touched[start : start + 5000]))
                .order_by(Person.id)
                .with_for_update()
            )

    def source_id(self, url: str) -> int:
        sid = self.sources.get(url)
        if sid is None:
            sid = self.s.scalar(select(Source.id).where(Source.url == url).limit(1))
            if sid is None:
                src = Source(url=url, visibility="public", created_at=self.now)
                self.s.add(src)
                self.s.flush()
                sid = src.id
                self._audit("create", "source", sid, None, None, {"url": url}, 0)
            self.sources[url] = sid
        return sid

    def org_id(self, name: str) -> int:
        key = name.lower()
        oid = self.orgs.get(key)
        if oid is None:
            oid = self.s.scalar(select(Organisation.id).where(func.lower(Organisation.name) == key))
            if oid is None:
                org = Organisation(name=name)
                self.s.add(org)
                self.s.flush()
                oid = org.id
                self._audit("create", "organisation", oid, None, None, {"name": name}, 0)
            self.orgs[key] = oid
        return oid

    # the audit -----------------------------------------------------------------------------
    def _audit(
        self,
        action: str,
        etype: str,
        eid: int | None,
        pid: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        row: int,
    ) -> None:
        ctx = self.context + (f" row {row}" if row else "")
        self.audit.append(
            dict(
                at=self.now,
                actor=self.actor,
                action=action,
                entity_type=etype,
                entity_id=eid,
                person_id=pid,
                before=before,
                after=after,
                context=ctx[:500],
            )
        )

    def flush_audit(self) -> None:
        if self.audit:
            bulk_insert(self.s, _t(AuditEntry), self.audit)
            self.audit = []

    # creating ------------------------------------------------------------------------------
    def event_row(
        self, pid: int, kind: EventKind, d: PartialDate, r: PersonRecord
    ) -> dict[str, Any]:
        recognition = kind in (EventKind.RECOGNISED, EventKind.RECOGNITION_WITHDRAWN)
        return dict(
            person_id=pid,
            kind=kind.value,
            date_start=d.start,
            date_precision=int(d.precision),
            date_approx=d.approximate,
            organisation_id=(
                self.org_id(r.recognised_by) if r.recognised_by and recognition else None
            ),
            destination_country=r.destination_country
            if kind is EventKind.EXPELLED_ABROAD
            else None,
            facility=None,
            deal_id=None,
            note=None,
            visibility="public",
            created_at=self.now,
        )

    @staticmethod
    def _names_of(r: PersonRecord) -> list[tuple[str, str, str, bool]]:
        """(text, script, kind, primary) of a new person's names: the primary name (official),
        then the other spellings (kind by script, :func:`other_name_kind`)."""
        primary_script = detect_script(r.name).value
        found = [(r.name, primary_script, "official", True)]
        for alt in r.name_alt:
            sc = detect_script(alt).value
            found.append((alt, sc, other_name_kind(sc, primary_script), False))
        return found

    def create(self, records: list[PersonRecord]) -> list[int]:
        """New people, one per record, with their identifier, names, first case, events and
        citations; one audit entry each; their list keys and custody changes refreshed.
        Returns their ids."""
        if not records:
            return []
        self.writing[:] = records
        for r in records:
            r.check()
        # each record's names: (text, script, kind, primary); all public
        specs = [self._names_of(r) for r in records]
        today = dt.date.today()
        person_rows = [
            dict(
                birth_date=r.birth.iso() if r.birth else None,
                birth_start=r.birth.start if r.birth else None,
                gender=r.gender,
                region=r.region,
                synthetic=False,
                created_at=self.now,
                updated_at=self.now,
                version=1,
                # the people list's keys, from the names and events in hand (no UPDATE of
                # every new row after): all public, so the public keys are the same
                **sort_keys(
                    [
                        (ShownName(i, text, script, kind, primary, None), True)
                        for i, (text, script, kind, primary) in enumerate(found)
                    ]
                ),
                **status_keys(
                    [
                        # ids in insertion order, as the events are inserted below
                        (Event(kind.value, d.start, int(d.precision), i), True)
                        for i, (kind, d) in enumerate(r.events())
                    ],
                    today,
                    public_person=True,
                ),
            )
            for r, found in zip(records, specs, strict=True)
        ]
        ids = bulk_insert(self.s, _t(Person), person_rows, return_ids=True)
        idents, names, cases, events, cites = [], [], [], [], []
        case_rows: list[tuple[int, PersonRecord]] = []
        ev_meta: list[PersonRecord] = []
        for pid, r, found in zip(ids, records, specs, strict=True):
            idents.append(dict(person_id=pid, scheme=self.scheme, value=r.ext_id))
            names += [
                dict(
                    person_id=pid,
                    full_text=text,
                    script=script,
                    language=None,
                    kind=kind,
                    is_primary=primary,
                    visibility="public",
                )
                for text, script, kind, primary in found
            ]
            if any(r.case.values()):
                case_rows.append((pid, r))
            for kind, d in r.events():
                events.append(self.event_row(pid, kind, d, r))
                ev_meta.append(r)
            self._audit("create", "person", pid, pid, None, r.snapshot(), r.row)
        bulk_insert(self.s, _t(Identifier), idents)
        bulk_insert(self.s, _t(Name), names)
        if case_rows:
            case_ids = bulk_insert(
                self.s,
                _t(Case),
                [
                    dict(
                        person_id=pid,
                        **r.case,
                        sentence_months=sentence_months(r.case.get("sentence")),
                        prosecutor=None,
                        visibility="public",
                    )
                    for pid, r in case_rows
                ],
                return_ids=True,
            )
            arts = [
                dict(case_id=cid, person_id=pid, article=a)
                for cid, (pid, r) in zip(case_ids, case_rows, strict=True)
                for a in split_articles(r.case.get("articles"))
            ]
            if arts:
                bulk_insert(self.s, _t(CaseArticle), arts)
            for cid, (_pid, r) in zip(case_ids, case_rows, strict=True):
                if r.source_url:
                    cases.append(
                        dict(
                            subject_type="case",
                            subject_id=cid,
                            source_id=self.source_id(r.source_url),
                        )
                    )
        if events:
            ev_ids = bulk_insert(self.s, _t(StatusEvent), events, return_ids=True)
            for eid, r in zip(ev_ids, ev_meta, strict=True):
                if r.source_url:
                    cites.append(
                        dict(
                            subject_type="event",
                            subject_id=eid,
                            source_id=self.source_id(r.source_url),
                        )
                    )
        if cases or cites:
            bulk_insert(self.s, _t(Citation), cases + cites)
        with without_jit(self.s):
            # new people: their list keys were inserted with them
            if events:
                refresh_people(self.s, ids, method="sql")
        self.flush_audit()
        return ids

    # updating ------------------------------------------------------------------------------
    def update(self, pid: int, r: PersonRecord) -> bool:
        """Apply the record to an existing person; True when something changed.

        An empty value never erases; names are added, never removed; ``detained_on`` corrects
        the first public detention or adds one; the status adds its event unless the person
        has it; the case values fill the first public case. Compared with what the public
        export shows, so that re-importing an export changes nothing."""
        self.writing[:] = [r]
        r.check()
        p = self.s.scalar(
            select(Person)
            .where(Person.id == pid)
            .options(
                selectinload(Person.names), selectinload(Person.cases), selectinload(Person.events)
            )
            .with_for_update()
        )
        assert p is not None
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}

        def change(key: str, old: Any, new: Any) -> None:
            before[key] = old
            after[key] = new

        if r.birth and p.birth_date != r.birth.iso():
            change("birth_date", p.birth_date, r.birth.iso())
            p.birth_date, p.birth_start = r.birth.iso(), r.birth.start
        if r.gender and p.gender != r.gender:
            change("gender", p.gender, r.gender)
            p.gender = r.gender
        if r.region and p.region != r.region:
            change("region", p.region, r.region)
            p.region = r.region
        public = sorted(
            (n for n in p.names if n.visibility == "public"), key=lambda n: (not n.is_primary, n.id)
        )
        shown = public[0].full_text if public else None
        primary = next((n for n in p.names if n.is_primary), None)
        texts = {n.full_text for n in p.names}
        if r.name != shown and (primary is None or primary.full_text != r.name):
            if r.name in texts:
                for n in p.names:
                    n.is_primary = n.full_text == r.name
            elif primary is not None:
                primary.is_primary = False
                self._add_name(p, r.name, primary=True)
            else:
                self._add_name(p, r.name, primary=True)
            change("name", primary.full_text if primary else None, r.name)
        for alt in r.name_alt:
            if alt not in texts:
                self._add_name(p, alt, primary=False, script_of=r.name)
                change(f"name_alt:{alt}", None, alt)
        if any(r.case.values()):
            self._fill_case(p, r, change, after)
        events = sorted(
            (e for e in p.events if e.visibility == "public"),
            key=lambda e: (e.date_start, e.date_precision, e.id),
        )
        if r.detained_on:
            det = next((e for e in events if e.kind == EventKind.DETAINED.value), None)
            d = r.detained_on
            if det is None:
                self._add_event(p.id, EventKind.DETAINED, d, r)
                change("detained_on", None, str(d))
            elif (det.date_start, det.date_precision, det.date_approx) != (
                d.start,
                int(d.precision),
                d.approximate,
            ):
                old = str(
                    PartialDate.from_parts(det.date_start, det.date_precision, det.date_approx)
                )
                det.date_start, det.date_precision, det.date_approx = (
                    d.start,
                    int(d.precision),
                    d.approximate,
                )
                change("detained_on", old, str(d))
        if r.status and r.status_date:
            d = r.status_date
            have = any(
                e.kind == r.status.value
                and e.date_start == d.start
                and e.date_precision == int(d.precision)
                for e in p.events
            )
            if not have:
                self._add_event(p.id, r.status, d, r)
                change("status", None, f"{r.status.value} {d}")
        if after:
            p.version = (p.version or 0) + 1
            p.updated_at = self.now
            self.s.flush()
            refresh_list_keys(self.s, [p.id])
            refresh_people(self.s, [p.id])
            self._audit("update", "person", p.id, p.id, before, after, r.row)
            return True
        return False

    def _fill_case(self, p: Person, r: PersonRecord, change: Any, after: dict[str, Any]) -> None:
        case = next((c for c in p.cases if c.visibility == "public"), None)
        if case is None:
            case = Case(person_id=p.id, visibility="public")
            self.s.add(case)
            p.cases.append(case)
        for f, v in r.case.items():
            if v and getattr(case, f) != v:
                change(f, getattr(case, f), v)
                setattr(case, f, v)
                if f == "sentence":
                    case.sentence_months = sentence_months(v)
        self.s.flush()
        if "articles" in after:
            existing = {
                a.article: a
                for a in self.s.scalars(select(CaseArticle).where(CaseArticle.case_id == case.id))
            }
            wanted = split_articles(case.articles)
            for art, row in existing.items():
                if art not in wanted:
                    self.s.delete(row)
            for art in wanted:
                if art not in existing:
                    self.s.add(CaseArticle(case_id=case.id, person_id=p.id, article=art))

    def _add_name(
        self, p: Person, text: str, *, primary: bool, script_of: str | None = None
    ) -> None:
        sc = detect_script(text).value
        primary_script = detect_script(script_of).value if script_of else sc
        kind = "official" if primary else other_name_kind(sc, primary_script)
        n = Name(
            person_id=p.id,
            full_text=text,
            script=sc,
            kind=kind,
            is_primary=primary,
            visibility="public",
        )
        self.s.add(n)
        p.names.append(n)

    def _add_event(self, pid: int, kind: EventKind, d: PartialDate, r: PersonRecord) -> None:
        ev = StatusEvent(**self.event_row(pid, kind, d, r))
        self.s.add(ev)
        self.s.flush()
        if r.source_url:
            self.s.add(
                Citation(
                    subject_type="event", subject_id=ev.id, source_id=self.source_id(r.source_url)
                )
            )

    # the end -------------------------------------------------------------------------------
    def finish(self) -> None:
        """The last audit entries, the judges and prosecutors the file's cases name linked as
        officials (in bulk, :func:`prisonwatch.store.officials.link_case_text`), the facilities
        the file names linked to facility records (:meth:`Facilities.sync_free_text`), and the
        tally compacted (each batch appended a row per key)."""
        from prisonwatch.store.facilities import Facilities
        from prisonwatch.store.officials import link_case_text  # imports the registry

        self.flush_audit()
        link_case_text(self.s, self.actor, self.context)
        Facilities(self.s, self.actor, context=self.context).sync_free_text()  # text → records
        compact_tally(self.s)
