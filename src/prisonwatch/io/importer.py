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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.io.tabular import Table as Sheet
from prisonwatch.io.tabular import TableError, read_table
from prisonwatch.model import EventKind
from prisonwatch.store.batch import CASE_FIELDS, PersonRecord
from prisonwatch.store.db import Database, bulk_cache
from prisonwatch.store.dialect import driver_errors
from prisonwatch.store.registry import (
    Registry,
    RegistryValidationError,
    check_event_date,
    check_event_parties,
    check_name_text,
    parse_date,
    parse_gender,
    parse_kind,
)
from prisonwatch.store.schema import Name
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
class ImportRow(PersonRecord):
    """A validated file row: the record it states, and the columns the file has."""

    present: frozenset[str] = frozenset()


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
        if birth is not None and birth.start > dt.date.today():
            bad("birth_date", "the date is in the future")
        if detained is not None:
            try:
                check_event_date(EventKind.DETAINED, detained, "detained_on")
            except RegistryValidationError as exc:
                bad("detained_on", exc.message)
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
        if status is not None:  # the registry's event rules, named by this file's columns
            try:
                if status_date is not None:
                    check_event_date(status, status_date, "status_date")
            except RegistryValidationError as exc:
                bad(exc.field, exc.message)
            try:
                check_event_parties(
                    status,
                    organisation=get("recognised_by"),
                    destination=get("destination_country"),
                    organisation_field="recognised_by",
                )
            except RegistryValidationError as exc:
                bad(exc.field, exc.message)
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
    writing: list[PersonRecord] = []  # the rows being written when the database refuses one
    try:
        _write(db, rows, summary, actor, label, id_scheme, progress, writing)
    except REFUSED as exc:
        raise ImportFailed([refused(label, exc, writing)]) from None
    return summary


#: The database refused a write: SQLAlchemy's errors, and the drivers' own (a COPY on
#: PostgreSQL is not wrapped by SQLAlchemy).
REFUSED: tuple[type[Exception], ...] = (DBAPIError, *driver_errors())
_COPY_CONTEXT = re.compile(r"COPY (\w+), line (\d+)(?:, column (\w+))?")


def refused(label: str, exc: Exception, writing: list[PersonRecord]) -> ImportIssue:
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
    writing: list[PersonRecord],
) -> None:
    with db.session() as s, bulk_cache(s):
        batch = Registry(s, actor).batch(id_scheme, f"import {label}")
        batch.writing = writing
        existing = batch.identifiers()
        existing.update(_own_ids(s, rows, existing, label))
        batch.lock_people(existing[r.ext_id] for r in rows if r.ext_id in existing)
        pending: list[ImportRow] = []
        for done, r in enumerate(rows, 1):
            pid = existing.get(r.ext_id)
            if pid is None:
                pending.append(r)
                if len(pending) >= BATCH:
                    batch.create(list(pending))
                    summary.added += len(pending)
                    pending = []
            elif batch.update(pid, r):
                summary.updated += 1
            else:
                summary.unchanged += 1
            if progress and done % 500 == 0:
                progress(done, len(rows))
        batch.create(list(pending))
        summary.added += len(pending)
        batch.finish()  # also: judges named → officials, facility text → records
        if progress:
            progress(len(rows), len(rows))
