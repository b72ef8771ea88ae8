"""``prisonwatch import``: a spreadsheet of people into the registry, all or nothing.

1. The whole file is read and every row validated first. Any bad row (missing name, impossible
   date, unknown status, a duplicate ``id`` …) makes the import fail with *all* the problems
   listed by file, row, column, value and reason — and nothing is written.
2. Then, in one transaction, each row creates a person or updates the person with the same
   ``id`` (in the identifier scheme ``--id-scheme``, default ``list``). Every created or changed
   person gets an audit entry for its row ("import FILE row N").

Update rules (documented for users in the README):
* an empty cell never erases what the registry has (clear values by editing the person);
* names are added, never removed; the ``name`` column is the primary name;
* ``detained_on`` corrects the date of the person's first detention event, or adds one;
* ``status`` + ``status_date`` add that event unless the person already has it (same kind and
  date) — so re-importing the same file changes nothing, and a newer list adds history;
* case columns fill or update the person's first case.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Table, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload

from prisonwatch.dates import PartialDate
from prisonwatch.io.tabular import Table as Sheet
from prisonwatch.io.tabular import TableError, read_table
from prisonwatch.model import EventKind
from prisonwatch.names.script import detect_script
from prisonwatch.sentence import sentence_months, split_articles
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.custody import refresh_people
from prisonwatch.store.db import Database, without_jit
from prisonwatch.store.facilities import Facilities
from prisonwatch.store.listkeys import compact_tally, refresh_list_keys
from prisonwatch.store.registry import (
    RegistryValidationError,
    check_name_text,
    parse_date,
    parse_gender,
    parse_kind,
)
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
from prisonwatch.validation import FieldError, check_text, check_url

FIELDS = (
    "id",
    "name",
    "name_alt",
    "birth_date",
    "gender",
    "region",
    "detained_on",
    "articles",
    "court",
    "judge",
    "sentence",
    "facility",
    "facility_address",
    "status",
    "status_date",
    "source_url",
    # optional extras understood on import and written on export
    "recognised_by",
    "destination_country",
)
CASE_FIELDS = ("articles", "court", "judge", "sentence", "facility", "facility_address")
REQUIRED = ("id", "name")
BATCH = 2000


@dataclass(frozen=True)
class ImportIssue:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        col = f", column {self.column!r}" if self.column else ""
        val = f", value {shown!r}" if self.value else ""
        return f"{self.file}, row {self.row}{col}{val}: {self.reason}"


class ImportFailed(Exception):
    """The file was rejected; nothing was written. ``issues`` lists every problem."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class ImportRow:
    row: int
    ext_id: str
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
    present: frozenset[str]  # the fields the file has columns for


@dataclass
class ImportSummary:
    file: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["Full name=name", "ФИО=name"]`` → ``{"Full name": "name", ...}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"--map {pair!r}: use HEADER=FIELD")
        header, fld = pair.rsplit("=", 1)
        fld = fld.strip()
        if fld not in FIELDS:
            raise ValueError(
                f"--map {pair!r}: {fld!r} is not a field; fields are {', '.join(FIELDS)}"
            )
        out[header.strip()] = fld
    return out


def read_and_validate(
    path: Path | str, mapping: dict[str, str] | None = None, *, display_name: str | None = None
) -> tuple[list[ImportRow], list[str]]:
    label = display_name or str(path)
    try:
        table = read_table(path, display_name=label)
    except TableError as exc:
        row = exc.row if exc.row is not None else _row_of(str(exc))
        raise ImportFailed([ImportIssue(label, row, exc.column, "", str(exc))]) from exc
    return validate_table(table, label, mapping or {})


def _row_of(message: str) -> int:
    import re

    m = re.search(r"row (\d+)", message)
    return int(m.group(1)) if m else 0


def validate_table(
    table: Sheet, label: str, mapping: dict[str, str]
) -> tuple[list[ImportRow], list[str]]:
    col_for: dict[str, str] = {}  # field -> header
    ignored: list[str] = []
    for h in table.headers:
        fld = mapping.get(h) or (h.strip().lower() if h.strip().lower() in FIELDS else None)
        if fld is None:
            if h:
                ignored.append(h)
            continue
        if fld in col_for:
            raise ImportFailed(
                [
                    ImportIssue(
                        label, 1, h, "", f"two columns map to {fld!r}: {col_for[fld]!r} and {h!r}"
                    )
                ]
            )
        col_for[fld] = h
    issues: list[ImportIssue] = []
    for req in REQUIRED:
        if req not in col_for:
            issues.append(
                ImportIssue(
                    label,
                    1,
                    req,
                    "",
                    f"missing column {req!r} (map another header with --map HEADER={req})",
                )
            )
    if issues:
        raise ImportFailed(issues)
    if not table.rows:
        raise ImportFailed([ImportIssue(label, 2, "", "", "the file has a header but no rows")])

    present = frozenset(col_for)
    rows: list[ImportRow] = []
    first_row_of: dict[str, int] = {}
    for rownum, values in table.rows:
        row_issues: list[ImportIssue] = []

        def get(fld: str, values: dict[str, str] = values) -> str:
            h = col_for.get(fld)
            return (values.get(h) or "").strip() if h else ""

        def bad(
            fld: str, reason: str, row_issues: list[ImportIssue] = row_issues, rownum: int = rownum
        ) -> None:
            row_issues.append(ImportIssue(label, rownum, col_for.get(fld, fld), get(fld), reason))

        def text(fld: str) -> str | None:
            try:
                return check_text(fld, get(fld))
            except FieldError as exc:
                bad(fld, exc.message)
                return None

        ext_id = text("id") or ""
        if not ext_id and not row_issues:
            bad("id", "the id is empty")
        elif ext_id in first_row_of:
            bad("id", f"duplicate id: row {first_row_of[ext_id]} has the same id")
        elif ext_id:
            first_row_of[ext_id] = rownum
        name = ""
        try:
            name = check_name_text(get("name"))
        except RegistryValidationError as exc:
            bad("name", exc.message)
        alts: list[str] = []
        for alt in get("name_alt").split(";"):
            if alt.strip():
                try:
                    a = check_name_text(alt, "name_alt")
                except RegistryValidationError as exc:
                    bad("name_alt", exc.message)
                    continue
                if a != name and a not in alts:
                    alts.append(a)

        def date(fld: str) -> PartialDate | None:
            try:
                return parse_date(get(fld), fld, required=False)
            except RegistryValidationError as exc:
                bad(fld, exc.message)
                return None

        birth = date("birth_date")
        detained = date("detained_on")
        status_date = date("status_date")
        today = dt.date.today()
        for fld, d in (
            ("birth_date", birth),
            ("detained_on", detained),
            ("status_date", status_date),
        ):
            if d is not None and d.start > today:
                bad(fld, "the date is in the future")
        gender = None
        try:
            gender = parse_gender(get("gender"))
        except RegistryValidationError as exc:
            bad("gender", exc.message)
        status: EventKind | None = None
        if get("status"):
            try:
                status = parse_kind(get("status"), "status")
            except RegistryValidationError as exc:
                bad("status", exc.message)
            if status is not None and status_date is None and not get("status_date"):
                bad("status_date", f"status {get('status')!r} needs a status_date")
        elif get("status_date"):
            bad("status", "status_date is given but status is empty")
        if status in (EventKind.RECOGNISED, EventKind.RECOGNITION_WITHDRAWN) and not get(
            "recognised_by"
        ):
            bad(
                "recognised_by",
                f"status {status.value} needs the organisation (column recognised_by)",
            )
        if status is EventKind.EXPELLED_ABROAD and not get("destination_country"):
            bad("destination_country", "status expelled_abroad needs destination_country")
        if birth and detained and detained.end < birth.start:
            bad("detained_on", "detained before being born")
        url = None
        try:
            url = check_url("source_url", get("source_url"))
        except FieldError as exc:
            bad("source_url", exc.message)
        region = text("region")
        case = {f: text(f) for f in CASE_FIELDS}
        recognised_by = text("recognised_by")
        destination_country = text("destination_country")
        if row_issues:
            issues.extend(row_issues)
            continue
        rows.append(
            ImportRow(
                row=rownum,
                ext_id=ext_id,
                name=name,
                name_alt=alts,
                birth=birth,
                gender=gender,
                region=region,
                detained_on=detained,
                case=case,
                status=status,
                status_date=status_date,
                source_url=url,
                recognised_by=recognised_by,
                destination_country=destination_country,
                present=present,
            )
        )
    if issues:
        raise ImportFailed(issues)
    return rows, ignored


# -- writing ---------------------------------------------------------------------------------


def _row_snapshot(r: ImportRow) -> dict[str, Any]:
    return {
        "id": r.ext_id,
        "name": r.name,
        "name_alt": r.name_alt,
        "birth_date": str(r.birth) if r.birth else None,
        "gender": r.gender,
        "region": r.region,
        "detained_on": str(r.detained_on) if r.detained_on else None,
        **{k: v for k, v in r.case.items() if v},
        "status": r.status.value if r.status else None,
        "status_date": str(r.status_date) if r.status_date else None,
        "source_url": r.source_url,
    }


class _Writer:
    def __init__(self, session: Session, actor: str, label: str, scheme: str) -> None:
        self.s = session
        self.actor = actor
        self.label = label
        self.scheme = scheme
        self.sources: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        #: the file rows being written (a batch, or the one row of an update), for an error
        self.writing: list[ImportRow] = []
        self.now = utcnow()
        self.audit: list[dict[str, Any]] = []

    def source_id(self, url: str) -> int:
        sid = self.sources.get(url)
        if sid is None:
            sid = self.s.scalar(select(Source.id).where(Source.url == url).limit(1))
            if sid is None:
                src = Source(url=url, visibility="public", created_at=self.now)
                self.s.add(src)
                self.s.flush()
                sid = src.id
                self.audit_entry("create", "source", sid, None, None, {"url": url}, 0)
            self.sources[url] = sid
        return sid

    def org_id(self, name: str) -> int:
        key = name.lower()
        oid = self.orgs.get(key)
        if oid is None:
            from sqlalchemy import func

            oid = self.s.scalar(select(Organisation.id).where(func.lower(Organisation.name) == key))
            if oid is None:
                org = Organisation(name=name)
                self.s.add(org)
                self.s.flush()
                oid = org.id
                self.audit_entry("create", "organisation", oid, None, None, {"name": name}, 0)
            self.orgs[key] = oid
        return oid

    def audit_entry(
        self,
        action: str,
        etype: str,
        eid: int | None,
        pid: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        row: int,
    ) -> None:
        ctx = f"import {self.label}" + (f" row {row}" if row else "")
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

    def event_dict(self, pid: int, kind: EventKind, d: PartialDate, r: ImportRow) -> dict[str, Any]:
        return dict(
            person_id=pid,
            kind=kind.value,
            date_start=d.start,
            date_precision=int(d.precision),
            date_approx=d.approximate,
            organisation_id=(
                self.org_id(r.recognised_by)
                if r.recognised_by
                and kind in (EventKind.RECOGNISED, EventKind.RECOGNITION_WITHDRAWN)
                else None
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

    def create_batch(self, rows: list[ImportRow]) -> None:
        if not rows:
            return
        self.writing[:] = rows
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
            )
            for r in rows
        ]
        ids = bulk_insert(self.s, _t(Person), person_rows, return_ids=True)
        idents, names, cases, events, cites = [], [], [], [], []
        case_rows: list[tuple[int, ImportRow]] = []
        ev_meta: list[ImportRow] = []
        for pid, r in zip(ids, rows, strict=True):
            idents.append(dict(person_id=pid, scheme=self.scheme, value=r.ext_id))
            primary_script = detect_script(r.name).value
            names.append(
                dict(
                    person_id=pid,
                    full_text=r.name,
                    script=primary_script,
                    language=None,
                    kind="official",
                    is_primary=True,
                    visibility="public",
                )
            )
            for alt in r.name_alt:
                sc = detect_script(alt).value
                names.append(
                    dict(
                        person_id=pid,
                        full_text=alt,
                        script=sc,
                        language=None,
                        kind="transliteration" if sc != primary_script else "alias",
                        is_primary=False,
                        visibility="public",
                    )
                )
            if any(r.case.values()):
                case_rows.append((pid, r))
            if r.detained_on:
                events.append(self.event_dict(pid, EventKind.DETAINED, r.detained_on, r))
                ev_meta.append(r)
            if (
                r.status
                and r.status_date
                and not (r.status is EventKind.DETAINED and r.detained_on == r.status_date)
            ):
                events.append(self.event_dict(pid, r.status, r.status_date, r))
                ev_meta.append(r)
            self.audit_entry("create", "person", pid, pid, None, _row_snapshot(r), r.row)
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
            refresh_list_keys(self.s, ids, lock=False)  # new people: nobody else sees them yet
            if events:
                refresh_people(self.s, ids, method="sql")
        self.flush_audit()

    def update(self, pid: int, r: ImportRow) -> bool:
        """Apply the row to an existing person; True when something changed."""
        self.writing[:] = [r]
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
        # compared with what the public export shows (its first public name, first public case,
        # first public detention), so that re-importing an export changes nothing
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
                    for a in self.s.scalars(
                        select(CaseArticle).where(CaseArticle.case_id == case.id)
                    )
                }
                wanted = split_articles(case.articles)
                for art, row in existing.items():
                    if art not in wanted:
                        self.s.delete(row)
                for art in wanted:
                    if art not in existing:
                        self.s.add(CaseArticle(case_id=case.id, person_id=p.id, article=art))
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
            self.audit_entry("update", "person", p.id, p.id, before, after, r.row)
            return True
        return False

    def _add_name(
        self, p: Person, text: str, *, primary: bool, script_of: str | None = None
    ) -> None:
        sc = detect_script(text).value
        kind = (
            "official"
            if primary
            else (
                "transliteration" if script_of and detect_script(script_of).value != sc else "alias"
            )
        )
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

    def _add_event(self, pid: int, kind: EventKind, d: PartialDate, r: ImportRow) -> None:
        ev = StatusEvent(**self.event_dict(pid, kind, d, r))
        self.s.add(ev)
        self.s.flush()
        if r.source_url:
            self.s.add(
                Citation(
                    subject_type="event", subject_id=ev.id, source_id=self.source_id(r.source_url)
                )
            )


ProgressFn = Callable[[int, int], None]
#: the id ``export`` gives a person who has no id in the scheme: the registry's own number
OWN_ID = re.compile(r"pw-([1-9][0-9]{0,9})\Z")


def _own_ids(
    s: Session, rows: list[ImportRow], existing: dict[str, int], label: str
) -> dict[str, int]:
    """``pw-N`` ids (this registry's export) matched back to person N, when person N exists
    and has the row's name among their names; a ``pw-N`` row naming someone else is refused
    (it comes from another registry's export: import that with ``--id-scheme``). ``pw-N`` with
    no person N creates a person, as any new id does (an export loaded into an empty
    registry)."""
    wanted = {
        int(m.group(1)): r
        for r in rows
        if r.ext_id not in existing and (m := OWN_ID.match(r.ext_id))
    }
    wanted = {k: v for k, v in wanted.items() if k <= 2**31 - 1}
    if not wanted:
        return {}
    names: dict[int, set[str]] = {}
    ids = sorted(wanted)
    for i in range(0, len(ids), 1000):
        for pid, text in s.execute(
            select(Name.person_id, Name.full_text).where(Name.person_id.in_(ids[i : i + 1000]))
        ):
            names.setdefault(pid, set()).add(text)
    found: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for pid, r in wanted.items():
        if pid not in names:
            continue
        if r.name in names[pid]:
            found[r.ext_id] = pid
        else:
            issues.append(
                ImportIssue(
                    label,
                    r.row,
                    "id",
                    r.ext_id,
                    f"{r.ext_id} is person {pid} of this registry, who has no name {r.name!r}; "
                    "a list exported from another registry is imported with --id-scheme NAME",
                )
            )
    if issues:
        raise ImportFailed(sorted(issues, key=lambda i: i.row))
    return found


def _t(entity: type[Any]) -> Table:
    """The Core table of a mapped class: bulk inserts skip the ORM's per-row bookkeeping."""
    table: Table = entity.__table__
    return table


def import_file(
    db: Database,
    path: Path | str,
    *,
    actor: str,
    mapping: dict[str, str] | None = None,
    id_scheme: str = "list",
    progress: ProgressFn | None = None,
    display_name: str | None = None,
) -> ImportSummary:
    """Validate the whole file, then write it in one transaction (see module doc)."""
    label = display_name or Path(path).name
    try:
        id_scheme = check_text("scheme", id_scheme) or ""
    except FieldError as exc:
        raise ImportFailed([ImportIssue(label, 0, "", "", f"--id-scheme: {exc.message}")]) from exc
    if not id_scheme:
        raise ImportFailed([ImportIssue(label, 0, "", "", "--id-scheme: must not be empty")])
    rows, ignored = read_and_validate(path, mapping, display_name=label)
    summary = ImportSummary(file=label, rows=len(rows), ignored_columns=ignored)
    writing: list[ImportRow] = []  # the rows being written when the database refuses one
    try:
        _write(db, rows, summary, actor, label, id_scheme, progress, writing)
    except REFUSED as exc:
        raise ImportFailed([refused(label, exc, writing)]) from None
    return summary


#: The database refused a write: SQLAlchemy's errors, and the drivers' own (a COPY on
#: PostgreSQL is not wrapped by SQLAlchemy).
REFUSED: tuple[type[Exception], ...] = (DBAPIError, sqlite3.Error, psycopg.Error)
_COPY_CONTEXT = re.compile(r"COPY (\w+), line (\d+)(?:, column (\w+))?")


def refused(label: str, exc: Exception, writing: list[ImportRow]) -> ImportIssue:
    """The database refused a row the validation let through: name the row (and the column
    when the database says which), never the value — PostgreSQL's message quotes it
    (``COPY person, line 2, column region: "…"``), and so does SQLAlchemy's (the bound
    parameters)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    diag = getattr(orig, "diag", None)
    context = str(getattr(diag, "context", "") or "")
    column = str(getattr(diag, "column_name", "") or "")
    table = str(getattr(diag, "table_name", "") or "")
    row = writing[0].row if writing else 0
    m = _COPY_CONTEXT.search(context)
    if m:
        table, line = m.group(1), int(m.group(2))
        column = m.group(3) or column
        if table == "person" and 0 < line <= len(writing):
            row = writing[line - 1].row  # one person per file row, in file order
    span = (
        f" (one of rows {writing[0].row}-{writing[-1].row})"
        if len(writing) > 1 and not (m and table == "person")
        else ""
    )
    where = f"table {table}" if table else "the database"
    return ImportIssue(
        label,
        row,
        column,
        "",
        f"{where} refused the value{span} ({type(orig).__name__}); nothing was written",
    )


def _write(
    db: Database,
    rows: list[ImportRow],
    summary: ImportSummary,
    actor: str,
    label: str,
    id_scheme: str,
    progress: ProgressFn | None,
    writing: list[ImportRow],
) -> None:
    with db.session() as s:
        existing: dict[str, int] = dict(
            s.execute(
                select(Identifier.value, Identifier.person_id).where(Identifier.scheme == id_scheme)
            ).all()
        )
        existing.update(_own_ids(s, rows, existing, label))
        # Lock every person the file updates, in id order, before changing any: two imports
        # touching the same people in different orders used to deadlock on PostgreSQL.
        touched = sorted({existing[r.ext_id] for r in rows if r.ext_id in existing})
        for start in range(0, len(touched), 5000):
            s.execute(
                select(Person.id)
                .where(Person.id.in_(touched[start : start + 5000]))
                .order_by(Person.id)
                .with_for_update()
            )
        w = _Writer(s, actor, label, id_scheme)
        w.writing = writing
        pending: list[ImportRow] = []
        for done, r in enumerate(rows, 1):
            pid = existing.get(r.ext_id)
            if pid is None:
                pending.append(r)
                if len(pending) >= BATCH:
                    w.create_batch(pending)
                    summary.added += len(pending)
                    pending = []
            elif w.update(pid, r):
                summary.updated += 1
            else:
                summary.unchanged += 1
            if progress and done % 500 == 0:
                progress(done, len(rows))
        w.create_batch(pending)
        summary.added += len(pending)
        w.flush_audit()
        Facilities(s, actor, context=label).sync_free_text()  # facility text → records
        compact_tally(s)  # the batches appended a tally row per key and batch
        if progress:
            progress(len(rows), len(rows))
