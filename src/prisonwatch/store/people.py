"""Read side of the registry: the filtered people list, one person's full view, latest events.

Status is derived from events (:mod:`prisonwatch.store.status`). Private facts are left out
unless ``include_private`` is set by a caller who checked the reader's role.

The people list (:func:`list_people`) reads the stored keys of :mod:`prisonwatch.store.listkeys`
so that a page costs the same at a million people as at a thousand:

* sort by name: the stored ``sort_<script>_<scope>`` (the collation key of the name as the
  reader sees it in the script they chose), through an index (sort key, id);
* status filter on *today*: the stored ``status_<scope>``, after :func:`listkeys.refresh_expired`
  has recomputed the rows a future-dated event made stale; on any other day the status is
  derived from the events, which is correct but reads every person's events (seconds at 1M);
* the total: for no filter, a status (today) and/or a region, a sum over the tally
  (:func:`listkeys.tally_count`); for any other filter an exact ``COUNT`` of the filter;
* the other filters and sorts work as before (see docs/web.md for which are slow at 1M).

``<scope>`` is ``all`` for readers who may see private facts and ``public`` otherwise, so the
order, the status filter and the totals of a public reader never depend on a private fact.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate
from prisonwatch.model import Status
from prisonwatch.store.dialect import Dialect, dialect_of
from prisonwatch.store.listkeys import refresh_expired, sort_column, tally_count
from prisonwatch.store.registry import NotFound
from prisonwatch.store.schema import (
    Case,
    CaseArticle,
    Citation,
    Name,
    Organisation,
    Person,
    Source,
    StatusEvent,
)
from prisonwatch.store.status import recognised_people
from prisonwatch.store.status_rule import (
    CUSTODY_KINDS,
    HELD_KINDS,
    deciding,
    is_held,
    latest_custody_events,
    order_key,
    status_after,
    status_case_expression,
)
from prisonwatch.store.visibility import (
    case_visible,
    event_visible,
    has_public_name,
    person_public,
)

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
SORTS = ("name", "-name", "detained", "-detained", "region", "-region", "id", "-id")


@dataclass
class PeopleFilter:
    status: str | None = None  # held / released / died / unknown, on ``on``
    region: str | None = None
    article: str | None = None
    facility: str | None = None
    min_sentence_months: int | None = None
    max_sentence_months: int | None = None
    detained_from: dt.date | None = None
    detained_to: dt.date | None = None
    recognised_by: str | None = None
    gender: str | None = None
    text: str | None = None  # substring of any (visible) name

    def validate(self) -> None:
        if self.status and self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")


@dataclass
class PersonRow:
    id: int
    name: str
    region: str | None
    gender: str | None
    birth_date: str | None
    status: str
    first_detained: str | None
    facility: str | None
    articles: str | None
    sentence: str | None
    other_names: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PeoplePage:
    rows: list[PersonRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _name_visible(include_private: bool) -> Any:
    return True if include_private else Name.visibility == "public"


def _first_detained(include_private: bool) -> Any:
    conds = [
        StatusEvent.person_id == Person.id,
        StatusEvent.kind.in_(HELD_KINDS),
        *event_visible(include_private),
    ]
    return (
        select(func.min(StatusEvent.date_start)).where(*conds).correlate(Person).scalar_subquery()
    )


def filtered_people(
    flt: PeopleFilter,
    on: dt.date,
    *,
    include_private: bool = False,
    dialect: str | Dialect | None = None,
    stored_status: bool = False,
) -> Select[int]:
    """SELECT Person.id matching the filter (no ordering).

    ``stored_status``: filter the status on the stored current status (``on`` must be today,
    and :func:`listkeys.refresh_expired` must have run in this transaction); otherwise the
    status on ``on`` is derived from the events."""
    flt.validate()
    stmt = select(Person.id)
    if not include_private:  # hidden people (no public name) are not public at all
        stmt = stmt.where(person_public(Person.id))
    case_vis = case_visible(include_private)
    if flt.region:
        stmt = stmt.where(func.lower(Person.region) == flt.region.strip().lower())
    if flt.gender:
        stmt = stmt.where(Person.gender == flt.gender)
    if flt.article:
        stmt = stmt.where(
            exists().where(
                CaseArticle.person_id == Person.id,
                CaseArticle.article == flt.article.strip(),
                CaseArticle.case_id == Case.id,
                *case_vis,
            )
        )
    if flt.facility:
        pattern = "%" + _escape_like(flt.facility.strip().lower()) + "%"
        stmt = stmt.where(
            exists().where(
                Case.person_id == Person.id,
                func.lower(Case.facility).like(pattern, escape="\\"),
                *case_vis,
            )
        )
    if flt.min_sentence_months is not None or flt.max_sentence_months is not None:
        conds = [Case.person_id == Person.id, Case.sentence_months.is_not(None), *case_vis]
        if flt.min_sentence_months is not None:
            conds.append(Case.sentence_months >= flt.min_sentence_months)
        if flt.max_sentence_months is not None:
            conds.append(Case.sentence_months <= flt.max_sentence_months)
        stmt = stmt.where(exists().where(*conds))
    if flt.detained_from or flt.detained_to:
        first = _first_detained(include_private)
        if flt.detained_from:
            stmt = stmt.where(first >= flt.detained_from)
        if flt.detained_to:
            stmt = stmt.where(first <= flt.detained_to)
    if flt.recognised_by:
        stmt = stmt.where(
            Person.id.in_(
                recognised_people(
                    on, flt.recognised_by, include_private=include_private, dialect=dialect
                )
            )
        )
    if flt.text and flt.text.strip():
        pattern = "%" + _escape_like(flt.text.strip().lower()) + "%"
        stmt = stmt.where(
            exists().where(
                Name.person_id == Person.id,
                func.lower(Name.full_text).like(pattern, escape="\\"),
                _name_visible(include_private),
            )
        )
    if flt.status and stored_status:
        stored = Person.status_all if include_private else Person.status_public
        stmt = stmt.where(stored == flt.status)
    elif flt.status:
        latest = latest_custody_events(on, include_private=include_private, dialect=dialect)
        status_expr = status_case_expression(latest.c.kind)
        sub = select(latest.c.person_id).where(status_expr == flt.status)
        if flt.status == Status.UNKNOWN:
            stmt = stmt.where(Person.id.not_in(select(latest.c.person_id)))
        else:
            stmt = stmt.where(Person.id.in_(sub))
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_people(
    session: Session,
    flt: PeopleFilter | None = None,
    *,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
    on: dt.date | None = None,
    include_private: bool = False,
    script: str = "latin",
) -> PeoplePage:
    """One page of the filtered, sorted people list with the exact total. By name, people are
    in the alphabetical order of the names a reader who chose ``script`` (``latin`` or
    ``cyrillic``) sees (:mod:`prisonwatch.names.display`), ties by id.

    Pages are numbered (``LIMIT``/``OFFSET`` over an index in the list's order): page *n*
    skips ``(n - 1) * per_page`` index entries, so the first pages cost microseconds and a
    page deep into a million people some tens of milliseconds.

    This may *write* in the caller's transaction: the stored keys of people whose future-dated
    event has taken effect since they were computed, or that were loaded without keys
    (normally nobody), and a compaction of the tally (see :mod:`prisonwatch.store.listkeys`)."""
    flt = flt or PeopleFilter()
    today = dt.date.today()
    on = on or today
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    sort_column(script, include_private)  # a ValueError for an unknown script, before any work
    flt.validate()
    page = max(1, page)
    per_page = max(1, min(per_page, 100_000))
    dialect = dialect_of(session)
    session.flush()  # the queries below run on the session's connection, without autoflush
    current = on == today
    refresh_expired(session, today)  # stored keys current (also for the tally's counts)
    stmt = filtered_people(
        flt, on, include_private=include_private, dialect=dialect, stored_status=current
    )
    total = _count(session, flt, stmt, on, current=current, include_private=include_private)

    key = sort.lstrip("-")
    desc = sort.startswith("-")
    order: Any
    if key == "name":
        order = getattr(Person, sort_column(script, include_private))
    elif key == "detained":
        order = _first_detained(include_private)
    elif key == "region":
        order = Person.region
    else:
        order = Person.id
    order_by = [order.desc() if desc else order.asc(), Person.id]
    offset = (page - 1) * per_page
    page_ids: list[int] = []
    if offset < total:  # past the end there is nothing to look for (it could take long)
        page_ids = list(
            session.connection().scalars(stmt.order_by(*order_by).limit(per_page).offset(offset))
        )
    rows = describe_people(
        session, page_ids, on, include_private=include_private, stored_status=current
    )
    return PeoplePage(rows=rows, total=total, page=page, per_page=per_page)


def _count(
    session: Session,
    flt: PeopleFilter,
    stmt: Select[int],
    on: dt.date,
    *,
    current: bool,
    include_private: bool,
) -> int:
    """The exact number of people the filter selects. Without any filter but the status
    (today) and the region, a sum over the tally; otherwise ``COUNT`` of the filter."""
    rest = replace(flt, status=None, region=None)
    # "no other filter" is asked of the filter alone (include_private=True adds no condition):
    # the public tally already leaves hidden people out (their ``status_public`` is NULL), so
    # asking with the public reader's hidden-people condition never took the shortcut and
    # counted a million rows per page (44 ms at 100,000 people)
    no_other = filtered_people(rest, on, include_private=True).whereclause is None
    if (current or not flt.status) and no_other:
        return tally_count(
            session, include_private=include_private, status=flt.status, region=flt.region
        )
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _latest_case(col: Any, include_private: bool) -> Any:
    """Correlated subquery: ``col`` of the person's latest (highest id) visible case."""
    conds = [Case.person_id == Person.id, *case_visible(include_private)]
    return (
        select(col).where(*conds).order_by(Case.id.desc()).limit(1).correlate(Person)
    ).scalar_subquery()


@functools.cache
def _describe_statements(
    include_private: bool, dialect: Dialect
) -> tuple[Select[Any], Select[int, str]]:
    """The two queries of :func:`describe_people` for ``:ids``, built once (they run for
    every page): one row per person with the stored status, the first detention and the
    latest case's columns; and the visible names, primary first."""
    stored = Person.status_all if include_private else Person.status_public
    people = select(
        Person.id,
        Person.region,
        Person.gender,
        Person.birth_date,
        stored.label("stored_status"),
        _first_detained(include_private).label("first_detained"),
        _latest_case(Case.facility, include_private).label("facility"),
        _latest_case(Case.articles, include_private).label("articles"),
        _latest_case(Case.sentence, include_private).label("sentence"),
    ).where(dialect.id_in(Person.id))
    names = (
        select(Name.person_id, Name.full_text)
        .where(dialect.id_in(Name.person_id), _name_visible(include_private))
        .order_by(Name.is_primary.desc(), Name.id)
    )
    return people, names


def describe_people(
    session: Session,
    person_ids: list[int],
    on: dt.date,
    *,
    include_private: bool = False,
    stored_status: bool = False,
) -> list[PersonRow]:
    """Rows for the given people, in the given order.

    Two queries of plain columns (no ORM objects), built once: this runs for every page of
    the list. ``stored_status``: take the status from the stored current status (``on`` must
    be today and :func:`listkeys.refresh_expired` must have run in this transaction, as
    :func:`list_people` does); otherwise it is derived from the events on ``on``."""
    if not person_ids:
        return []
    dialect = dialect_of(session)
    people_stmt, names_stmt = _describe_statements(include_private, dialect)
    params = {"ids": list(person_ids)}
    conn = session.connection()  # plain Core: no ORM bookkeeping per statement
    people = {row.id: row for row in conn.execute(people_stmt, params)}
    names: dict[int, list[str]] = {}
    for pid, text in conn.execute(names_stmt, params):
        names.setdefault(pid, []).append(text)
    if stored_status:
        status = {pid: row.stored_status for pid, row in people.items()}
    else:
        latest = latest_custody_events(
            on,
            include_private=include_private,
            person_ids=list(person_ids),
            dialect=dialect,
        )
        status = {
            pid: status_after(kind)
            for pid, kind in session.execute(select(latest.c.person_id, latest.c.kind))
        }
    out = []
    for pid in person_ids:
        p = people.get(pid)
        if p is None:
            continue
        pn = names.get(pid, [])
        fd = p.first_detained
        out.append(
            PersonRow(
                id=pid,
                name=pn[0] if pn else f"#{pid}",
                other_names=pn[1:],
                region=p.region,
                gender=p.gender,
                birth_date=p.birth_date,
                status=status.get(pid) or "unknown",
                first_detained=fd.isoformat()
                if isinstance(fd, dt.date)
                else (str(fd) if fd else None),
                facility=p.facility,
                articles=p.articles,
                sentence=p.sentence,
            )
        )
    return out


# -- one person ------------------------------------------------------------------------------


@dataclass
class SourceView:
    id: int
    url: str | None
    title: str | None
    publisher: str | None
    published: str | None
    quote: str | None


@dataclass
class NameView:
    id: int
    text: str
    script: str
    language: str | None
    kind: str
    is_primary: bool
    visibility: str
    sources: list[SourceView] = field(default_factory=list)


@dataclass
class EventView:
    id: int
    kind: str
    date: str
    date_start: dt.date
    organisation: str | None
    destination_country: str | None
    facility: str | None
    note: str | None
    visibility: str
    deal_id: int | None
    sources: list[SourceView] = field(default_factory=list)


@dataclass
class CaseView:
    id: int
    articles: str | None
    court: str | None
    judge: str | None
    prosecutor: str | None
    sentence: str | None
    sentence_months: int | None
    facility: str | None
    facility_address: str | None
    visibility: str
    sources: list[SourceView] = field(default_factory=list)


@dataclass
class PersonView:
    id: int
    primary_name: str
    names: list[NameView]
    events: list[EventView]
    cases: list[CaseView]
    identifiers: list[tuple[str, str]]
    birth_date: str | None
    gender: str | None
    region: str | None
    nationality: str | None
    public_notes: str | None
    synthetic: bool
    status: str
    status_since: str | None
    days_in_custody: int
    current_facility: str | None
    current_facility_address: str | None
    on: dt.date
    # present only when include_private
    relatives_contact: str | None = None
    internal_notes: str | None = None

    def as_dict(self) -> dict[str, Any]:
        import dataclasses

        d = dataclasses.asdict(self)
        d["on"] = self.on.isoformat()
        for e in d["events"]:
            e["date_start"] = e["date_start"].isoformat()
        return d


def _sources_for(
    session: Session, subject_type: str, ids: list[int], include_private: bool
) -> dict[int, list[SourceView]]:
    if not ids:
        return {}
    conds = [Citation.subject_type == subject_type, Citation.subject_id.in_(ids)]
    if not include_private:
        conds.append(Source.visibility == "public")
    out: dict[int, list[SourceView]] = {}
    for cit, src in session.execute(
        select(Citation, Source).join(Source, Source.id == Citation.source_id).where(*conds)
    ):
        out.setdefault(cit.subject_id, []).append(
            SourceView(src.id, src.url, src.title, src.publisher, src.published, src.quote)
        )
    return out


def custody_days(events: list[EventView], on: dt.date) -> int:
    """Days in custody up to and including ``on``, summed over every spell."""
    total = 0
    start: dt.date | None = None
    for ev in events:
        if ev.date_start > on:
            break
        if ev.kind not in CUSTODY_KINDS:
            continue
        if is_held(ev.kind) and start is None:
            start = ev.date_start
        elif not is_held(ev.kind) and start is not None:
            total += (ev.date_start - start).days
            start = None
    if start is not None:
        total += (on - start).days + 1
    return total


def person_view(
    session: Session, person_id: int, *, include_private: bool = False, on: dt.date | None = None
) -> PersonView:
    """One person as ``include_private`` lets the reader see them. A person hidden from the
    reader (all names private: :func:`~prisonwatch.store.visibility.has_public_name`) is
    :class:`NotFound`, with the same message as a person who does not exist."""
    on = on or dt.date.today()
    p = session.get(Person, person_id)
    if p is None or not (include_private or has_public_name(n.visibility for n in p.names)):
        raise NotFound(f"no person with id {person_id}")
    name_rows = [n for n in p.names if include_private or n.visibility == "public"]
    name_rows.sort(key=lambda n: (not n.is_primary, n.id))
    name_src = _sources_for(session, "name", [n.id for n in name_rows], include_private)
    names = [
        NameView(
            n.id,
            n.full_text,
            n.script,
            n.language,
            n.kind,
            n.is_primary,
            n.visibility,
            name_src.get(n.id, []),
        )
        for n in name_rows
    ]
    ev_rows = [e for e in p.events if include_private or e.visibility == "public"]
    ev_rows.sort(key=order_key)
    orgs = {
        o.id: o.name
        for o in session.scalars(
            select(Organisation).where(
                Organisation.id.in_({e.organisation_id for e in ev_rows if e.organisation_id})
            )
        )
    }
    ev_src = _sources_for(session, "event", [e.id for e in ev_rows], include_private)
    events = [
        EventView(
            e.id,
            e.kind,
            str(PartialDate.from_parts(e.date_start, e.date_precision, e.date_approx)),
            e.date_start,
            orgs.get(e.organisation_id) if e.organisation_id else None,
            e.destination_country,
            e.facility,
            e.note,
            e.visibility,
            e.deal_id,
            ev_src.get(e.id, []),
        )
        for e in ev_rows
    ]
    case_rows = [c for c in p.cases if include_private or c.visibility == "public"]
    case_src = _sources_for(session, "case", [c.id for c in case_rows], include_private)
    cases = [
        CaseView(
            c.id,
            c.articles,
            c.court,
            c.judge,
            c.prosecutor,
            c.sentence,
            c.sentence_months,
            c.facility,
            c.facility_address,
            c.visibility,
            case_src.get(c.id, []),
        )
        for c in case_rows
    ]
    decides = deciding(ev_rows, on)
    status = status_after(decides.kind if decides else None)
    since = next((ev.date for ev in events if decides and ev.id == decides.id), None)
    facility = None
    for ev in events:
        if ev.date_start <= on and ev.facility:
            facility = ev.facility
    if facility is None and cases:
        facility = next((c.facility for c in reversed(cases) if c.facility), None)
    address = next(
        (
            c.facility_address
            for c in reversed(cases)
            if c.facility == facility and c.facility_address
        ),
        None,
    )
    view = PersonView(
        id=p.id,
        primary_name=names[0].text if names else f"#{p.id}",
        names=names,
        events=events,
        cases=cases,
        identifiers=[(i.scheme, i.value) for i in p.identifiers],
        birth_date=p.birth_date,
        gender=p.gender,
        region=p.region,
        nationality=p.nationality,
        public_notes=p.public_notes,
        synthetic=p.synthetic,
        status=status,
        status_since=since,
        days_in_custody=custody_days(events, on),
        current_facility=facility if status is Status.HELD else None,
        current_facility_address=address if status is Status.HELD else None,
        on=on,
    )
    if include_private:
        view.relatives_contact = p.relatives_contact
        view.internal_notes = p.internal_notes
    return view


@dataclass
class LatestEvent:
    id: int
    person_id: int
    person_name: str
    kind: str
    date: str
    destination_country: str | None
    organisation: str | None


def latest_events(
    session: Session,
    limit: int = 20,
    *,
    include_private: bool = False,
    until: dt.date | None = None,
) -> list[LatestEvent]:
    conds: list[Any] = list(event_visible(include_private))
    if until:
        conds.append(StatusEvent.date_start <= until)
    rows = session.execute(
        select(StatusEvent, Organisation.name)
        .outerjoin(Organisation, Organisation.id == StatusEvent.organisation_id)
        .where(and_(True, *conds))
        .order_by(StatusEvent.date_start.desc(), StatusEvent.id.desc())
        .limit(limit)
    ).all()
    pids = [e.person_id for e, _ in rows]
    names = {
        r.id: r.name
        for r in describe_people(
            session,
            list(dict.fromkeys(pids)),
            until or dt.date.today(),
            include_private=include_private,
        )
    }
    return [
        LatestEvent(
            e.id,
            e.person_id,
            names.get(e.person_id, f"#{e.person_id}"),
            e.kind,
            str(PartialDate.from_parts(e.date_start, e.date_precision, e.date_approx)),
            e.destination_country,
            org,
        )
        for e, org in rows
    ]


__all__ = [
    "STATUSES",
    "CaseView",
    "EventView",
    "LatestEvent",
    "NameView",
    "PeopleFilter",
    "PeoplePage",
    "PersonRow",
    "PersonView",
    "custody_days",
    "describe_people",
    "filtered_people",
    "latest_events",
    "list_people",
    "person_view",
]
