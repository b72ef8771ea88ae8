"""Read-only HTML pages: home, people (with CSV export), person, search, audit log."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from prisonwatch.io import csvsafe
from prisonwatch.store import people as people_store
from prisonwatch.store.auditlog import AuditFilter, actors, query_audit
from prisonwatch.store.deal_views import deal_titles
from prisonwatch.store.registry import NotFound
from prisonwatch.store.shown_names import names_in_script
from prisonwatch.store.status import held_on
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError
from prisonwatch.web.params import (
    filter_query,
    opt_day,
    opt_int,
    opt_str,
    paging,
    people_filter,
    people_sort,
    wants_private,
)
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, db_session, reader

router = APIRouter(include_in_schema=False)

CSV_COLUMNS = (
    "id",
    "name",
    "other_names",
    "status",
    "region",
    "gender",
    "birth_date",
    "first_detained",
    "facility",
    "articles",
    "sentence",
)


@router.get("/")
def home(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    params = dict(request.query_params)
    today = dt.date.today()
    since = opt_day(params, "since") or today.replace(month=1, day=1)
    if since > today:
        raise ApiError(422, "since: the date is in the future", code="invalid")
    priv = r.include_private
    now = held_on(s, today, include_private=priv)
    month_ago = held_on(s, today - dt.timedelta(days=30), include_private=priv)
    then = held_on(s, since, include_private=priv)
    latest = people_store.latest_events(s, 15, include_private=priv, until=today)
    shown = names_in_script(
        s, (e.person_id for e in latest), locale_of(request).script, include_private=priv
    )
    return render(
        request,
        "home.html",
        now=now,
        change_30=now.held - month_ago.held,
        since=since,
        then=then,
        change_since=now.held - then.held,
        latest=latest,
        shown=shown,
        today=today,
    )


@router.get("/people")
def people(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    params = dict(request.query_params)
    flt = people_filter(params)
    sort = people_sort(params)
    pg = paging(params)
    script = locale_of(request).script
    result = people_store.list_people(
        s,
        flt,
        sort=sort,
        page=pg.page,
        per_page=pg.per_page,
        include_private=r.include_private,
        script=script,
    )
    shown = names_in_script(
        s, (row.id for row in result.rows), script, include_private=r.include_private
    )
    return render(
        request,
        "people.html",
        result=result,
        flt=flt,
        sort=sort,
        shown=shown,
        statuses=people_store.STATUSES,
        sorts=people_store.SORTS,
        query=filter_query(params),
        csv_query=_csv_query(params, r),
        csv_public_only=r.include_private and not r.may_export_private,
    )


def _csv_query(params: dict[str, str], r: Reader) -> str:
    """The people CSV link: the page's filter and sort; for admins with the private facts
    they see on the page (an editor's CSV holds public facts only: the export rule)."""
    query = filter_query(params, drop=("page", "per_page", "private"))
    if r.include_private and r.may_export_private:
        query = f"{query}&private=1" if query else "private=1"
    return query


def _csv_rows(request: Request, private: bool, params: dict[str, str]) -> Iterator[str]:
    flt = people_filter(params)
    sort = people_sort(params)
    script = locale_of(request).script  # the order of the page the reader downloads from
    buf = io.StringIO()
    writer = csvsafe.writer(buf)  # formula-like cells neutralised
    writer.writerow(CSV_COLUMNS)
    yield buf.getvalue()
    page = 1
    while True:
        with ctx(request).db.session() as s:
            chunk = people_store.list_people(
                s,
                flt,
                sort=sort,
                page=page,
                per_page=2000,
                include_private=private,
                script=script,
            )
        buf = io.StringIO()
        writer = csvsafe.writer(buf)
        for row in chunk.rows:
            writer.writerow(
                [
                    row.id,
                    row.name,
                    "; ".join(row.other_names),
                    row.status,
                    row.region or "",
                    row.gender or "",
                    row.birth_date or "",
                    row.first_detained or "",
                    row.facility or "",
                    row.articles or "",
                    row.sentence or "",
                ]
            )
        yield buf.getvalue()
        if page >= chunk.pages or not chunk.rows:
            return
        page += 1


@router.get("/people.csv")
def people_csv(request: Request, r: Reader = Depends(reader)) -> Response:
    """Every row the same filter and sort show on the people page, all pages: public facts
    only, unless an admin asks for private ones with ``private=1`` (the export rule)."""
    params = dict(request.query_params)
    private = r.export_scope(wants_private(params))
    people_filter(params)  # fail before streaming starts
    people_sort(params)
    return StreamingResponse(
        _csv_rows(request, private, params),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="people.csv"'},
    )


@router.get("/people/{person_id:row_id}")
def person(
    request: Request, person_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    try:
        view = people_store.person_view(s, person_id, include_private=r.include_private)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    shown = names_in_script(
        s, [person_id], locale_of(request).script, include_private=r.include_private
    ).get(person_id, view.primary_name)
    deals = deal_titles(s, (e.deal_id for e in view.events), include_private=r.include_private)
    return render(request, "person.html", p=view, shown=shown, deals=deals)


@router.get("/search")
def search(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    params = dict(request.query_params)
    q = opt_str(params, "q") or ""
    limit = opt_int(params, "limit", 1, 100) or 10
    service = ctx(request).search
    hits = service.search(q, limit=limit, include_private=r.include_private, session=s) if q else []
    shown = names_in_script(
        s, (h.person_id for h in hits), locale_of(request).script, include_private=r.include_private
    )
    return render(
        request, "search.html", hits=hits, search_query=q, shown=shown, index_ready=service.ready
    )


@router.get("/audit")
def audit_log(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    if r.account is None:
        raise ApiError(403, "the audit log is for logged-in staff")
    params = dict(request.query_params)
    flt = AuditFilter(
        person_id=opt_int(params, "person_id", 1, 2**31),
        actor=opt_str(params, "actor", 100),
        entity_type=opt_str(params, "entity_type", 30),
    )
    pg = paging(params)
    result = query_audit(
        s,
        flt,
        include_private=r.is_admin,
        private_entries=r.include_private,
        page=pg.page,
        per_page=pg.per_page,
    )
    return render(
        request, "audit.html", result=result, flt=flt, actors=actors(s), query=filter_query(params)
    )
