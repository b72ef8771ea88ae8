"""The JSON API under ``/api/v1``: the same data and actions as the pages. Errors always have
the shape ``{"error": {"code", "message", "details"}}``; lists are paginated with ``page`` and
``per_page`` and answer ``{"items", "page", "per_page", "total", "pages"}``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from prisonwatch import __version__
from prisonwatch.store import people as people_store
from prisonwatch.store.auditlog import AuditFilter, query_audit
from prisonwatch.store.registry import (
    EventInput,
    NameInput,
    NotFound,
    PersonInput,
    Registry,
    RegistryValidationError,
    SourceInput,
)
from prisonwatch.store.status import held_on
from prisonwatch.validation import LIMITS
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError, review_error
from prisonwatch.web.params import opt_day, paging, people_filter, people_script, people_sort
from prisonwatch.web.security import Reader, db_session, editor, reader

router = APIRouter(prefix="/api/v1", tags=["api"])

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "model": None}
    for code, text in (
        (401, "Not logged in"),
        (403, "Not allowed"),
        (404, "Not found"),
        (422, "Invalid input"),
    )
}

Text = Field(default=None, max_length=LIMITS["note"])
ID_MAX = 2**31 - 1
#: a row id in a path: positive and within the database's integer range
RowId = Annotated[int, Path(ge=1, le=ID_MAX)]


class NameIn(BaseModel):
    text: str = Field(min_length=1, max_length=LIMITS["name"])
    kind: str = Field(default="official", max_length=20)
    language: str | None = Field(default=None, max_length=10)
    visibility: str = Field(default="public", max_length=10)
    source_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        default_factory=list, max_length=50
    )


class PersonIn(BaseModel):
    names: list[NameIn] = Field(min_length=1, max_length=50)
    birth_date: str | None = Field(default=None, max_length=20)
    gender: str | None = Field(default=None, max_length=10)
    region: str | None = Field(default=None, max_length=LIMITS["region"])
    nationality: str | None = Field(default=None, max_length=LIMITS["nationality"])
    public_notes: str | None = Text
    relatives_contact: str | None = Text
    internal_notes: str | None = Text


class EventIn(BaseModel):
    kind: str = Field(max_length=30)
    date: str = Field(max_length=20)
    organisation: str | None = Field(default=None, max_length=LIMITS["organisation"])
    destination_country: str | None = Field(default=None, max_length=LIMITS["destination_country"])
    facility: str | None = Field(default=None, max_length=LIMITS["facility"])
    note: str | None = Text
    visibility: str = Field(default="public", max_length=10)
    source_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        default_factory=list, max_length=50
    )


class SourceIn(BaseModel):
    url: str | None = Field(default=None, max_length=LIMITS["url"])
    title: str | None = Field(default=None, max_length=LIMITS["title"])
    publisher: str | None = Field(default=None, max_length=LIMITS["publisher"])
    published: str | None = Field(default=None, max_length=20)
    quote: str | None = Text
    visibility: str = Field(default="public", max_length=10)


class Created(BaseModel):
    id: int


def _registry_error(exc: Exception) -> ApiError:
    if isinstance(exc, NotFound):
        return ApiError(404, str(exc))
    assert isinstance(exc, RegistryValidationError)
    return ApiError(
        422, str(exc), code="invalid", details=[{"field": exc.field, "message": exc.message}]
    )


def _check_ids(ids: list[int]) -> list[int]:
    for i in ids:
        if not 1 <= i <= 2**31 - 1:
            raise ApiError(422, "source_ids: ids are positive integers", code="invalid")
    return ids


@router.get("/health", summary="Is the service up and the database ready")
def health(request: Request) -> dict[str, Any]:
    db = ctx(request).db
    try:
        db.check_ready()
        database = "ok"
    except Exception as exc:  # any driver error means the database is not usable
        raise ApiError(503, "database not ready", code="unavailable") from exc
    return {
        "status": "ok",
        "version": __version__,
        "database": database,
        "backend": db.backend,
        "name_index": "ready" if ctx(request).search.ready else "building",
    }


@router.get("/me", summary="The account behind this request")
def me(r: Reader = Depends(reader)) -> dict[str, Any]:
    if r.account is None:
        return {"username": None, "role": None, "public": True}
    return {"username": r.account.username, "role": r.account.role.value, "public": False}


@router.get("/people", summary="People, filtered, sorted and paginated", responses=ERROR_RESPONSES)
def list_people(
    request: Request,
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
    status: str | None = Query(None, description="held, released, died, unknown"),
    region: str | None = None,
    article: str | None = None,
    facility: str | None = None,
    # declared for the API's documentation; every filter value is read by the one parser
    # of the people filter (store/people_filter.py), which the pages and the CLI use too
    min_sentence_months: str | None = Query(None, description="months, 0-1200"),
    max_sentence_months: str | None = Query(None, description="months, 0-1200"),
    detained_from: str | None = Query(None, description="YYYY-MM-DD"),
    detained_to: str | None = Query(None, description="YYYY-MM-DD"),
    recognised_by: str | None = None,
    gender: str | None = Query(None, description="male, female, other"),
    text: str | None = None,
    sort: str = Query("name"),
    script: str = Query(
        "latin", description="latin or cyrillic: sort by name as displayed in this script"
    ),
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    params = dict(request.query_params)
    flt = people_filter(params)
    pg = paging(params)
    result = people_store.list_people(
        s,
        flt,
        sort=people_sort(params),
        page=pg.page,
        per_page=pg.per_page,
        include_private=r.include_private,
        script=people_script(params),
    )
    return {
        "items": [row.as_dict() for row in result.rows],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": result.pages,
    }


@router.get(
    "/people/{person_id}", summary="One person: names, timeline, cases", responses=ERROR_RESPONSES
)
def get_person(
    person_id: RowId, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    try:
        view = people_store.person_view(s, person_id, include_private=r.include_private)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    data = view.as_dict()
    if not r.include_private:
        for key in ("relatives_contact", "internal_notes"):
            data.pop(key, None)
    return data


@router.post(
    "/people", status_code=201, summary="Add a person (editors)", responses=ERROR_RESPONSES
)
def add_person(request: Request, body: PersonIn, r: Reader = Depends(editor)) -> Created:
    data = PersonInput(
        names=[NameInput(n.text, n.kind, n.language, n.visibility) for n in body.names],
        birth_date=body.birth_date,
        gender=body.gender,
        region=body.region,
        nationality=body.nationality,
        public_notes=body.public_notes,
        relatives_contact=body.relatives_contact,
        internal_notes=body.internal_notes,
    )
    try:
        with ctx(request).db.session() as s:
            return Created(id=Registry(s, r.actor, context="api").add_person(data).id)
    except (NotFound, RegistryValidationError) as exc:
        raise _registry_error(exc) from exc


@router.post(
    "/people/{person_id}/names",
    status_code=201,
    summary="Add a name (editors)",
    responses=ERROR_RESPONSES,
)
def add_name(
    request: Request, person_id: RowId, body: NameIn, r: Reader = Depends(editor)
) -> Created:
    try:
        with ctx(request).db.session() as s:
            reg = Registry(s, r.actor, context="api")
            reg.get_person(person_id)
            name = reg.add_name(
                person_id,
                NameInput(body.text, body.kind, body.language, body.visibility),
                _check_ids(body.source_ids),
            )
            return Created(id=name.id)
    except (NotFound, RegistryValidationError) as exc:
        raise _registry_error(exc) from exc


@router.post(
    "/people/{person_id}/events",
    status_code=201,
    summary="Add an event (editors)",
    responses=ERROR_RESPONSES,
)
def add_event(
    request: Request, person_id: RowId, body: EventIn, r: Reader = Depends(editor)
) -> Created:
    data = EventInput(
        kind=body.kind,
        date=body.date,
        organisation=body.organisation,
        destination_country=body.destination_country,
        facility=body.facility,
        note=body.note,
        visibility=body.visibility,
    )
    try:
        with ctx(request).db.session() as s:
            ev = Registry(s, r.actor, context="api").add_event(
                person_id, data, _check_ids(body.source_ids)
            )
            return Created(id=ev.id)
    except (NotFound, RegistryValidationError) as exc:
        raise _registry_error(exc) from exc


@router.post(
    "/sources", status_code=201, summary="Add a source (editors)", responses=ERROR_RESPONSES
)
def add_source(request: Request, body: SourceIn, r: Reader = Depends(editor)) -> Created:
    data = SourceInput(
        url=body.url,
        title=body.title,
        publisher=body.publisher,
        published=body.published,
        quote=body.quote,
        visibility=body.visibility,
    )
    try:
        with ctx(request).db.session() as s:
            return Created(id=Registry(s, r.actor, context="api").add_source(data).id)
    except (NotFound, RegistryValidationError) as exc:
        raise _registry_error(exc) from exc


@router.get("/search", summary="Cross-script fuzzy name search", responses=ERROR_RESPONSES)
def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(10, ge=1, le=100),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    hits = ctx(request).search.search(q, limit=limit, include_private=r.include_private, session=s)
    return {
        "query": q,
        "items": [h.as_dict() for h in hits],
    }


@router.get(
    "/held", summary="How many were held on a date, with breakdowns", responses=ERROR_RESPONSES
)
def held(
    request: Request,
    on: str | None = Query(None, description="YYYY-MM-DD"),
    recognised_by: str | None = Query(None, max_length=300),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    day = opt_day(dict(request.query_params), "on") or dt.date.today()
    return held_on(s, day, recognised_by=recognised_by, include_private=r.include_private).as_dict()


@router.get("/events/latest", summary="The latest events", responses=ERROR_RESPONSES)
def latest(
    limit: int = Query(20, ge=1, le=200),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    rows = people_store.latest_events(
        s, limit, include_private=r.include_private, until=dt.date.today()
    )
    return {"items": [dataclasses.asdict(e) for e in rows]}


@router.get(
    "/audit",
    summary="The audit trail (staff; private values only for admins)",
    responses=ERROR_RESPONSES,
)
def audit(
    request: Request,
    person_id: int | None = Query(None, ge=1, le=2**31 - 1),
    actor: str | None = Query(None, max_length=100),
    entity_type: str | None = Query(None, max_length=30),
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=200),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    if r.account is None:
        raise ApiError(403, "the audit log is for logged-in staff")
    result = query_audit(
        s,
        AuditFilter(person_id=person_id, actor=actor or None, entity_type=entity_type or None),
        include_private=r.is_admin,
        private_entries=r.include_private,
        page=page,
        per_page=per_page,
    )
    return {
        "items": [row.as_json() for row in result.rows],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": max(1, -(-result.total // result.per_page)),
    }


# -- review queue -------------------------------------------------------------------------------


class DecisionIn(BaseModel):
    decision: str = Field(description="same, different or unsure", max_length=10)
    note: str | None = Field(default=None, max_length=2000)


@router.get("/review", summary="Pairs waiting for a decision (staff)", responses=ERROR_RESPONSES)
def review_queue(
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=200),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    from prisonwatch.reconcile.review import pending, pending_count

    if r.account is None:
        raise ApiError(403, "the review queue is for logged-in staff")
    total = pending_count(s, include_private=r.include_private)
    items = [
        {
            "id": i.id,
            "left_key": i.left_key,
            "right_key": i.right_key,
            "left_name": i.left_name,
            "right_name": i.right_name,
            "score": i.score,
            "why": i.why,
            "context": i.context,
        }
        for i in pending(
            s, limit=per_page, offset=(page - 1) * per_page, include_private=r.include_private
        )
    ]
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": max(1, -(-total // per_page)),
    }


@router.post(
    "/review/{item_id}", summary="Decide a queued pair (editors)", responses=ERROR_RESPONSES
)
def review_decide(
    request: Request, item_id: RowId, body: DecisionIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    from prisonwatch.reconcile import ReviewError
    from prisonwatch.reconcile.review import decide

    if body.decision not in ("same", "different", "unsure"):
        raise ApiError(
            422,
            "decision: use one of same, different, unsure",
            code="invalid",
            details=[{"field": "decision", "message": "same, different or unsure"}],
        )
    try:
        with ctx(request).db.session() as s:
            j = decide(s, item_id, body.decision, r.actor, body.note)
            return {"judgement_id": j.id, "decision": j.decision, "user": j.user}
    except RegistryValidationError as exc:
        raise _registry_error(exc) from exc
    except ReviewError as exc:
        raise review_error(exc) from exc
