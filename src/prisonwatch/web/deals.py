"""Deals in the web app: ``/deals`` (the list), ``/deals/{id}`` (what was given, for whom, the
sources and how sure each link is), editor forms, and the JSON API under ``/api/v1/deals``.

Only translates requests into :mod:`prisonwatch.store.deals` (writes, audited) and
:mod:`prisonwatch.store.deal_views` (reads, with the visibility rules) and renders.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.model import ConcessionKind, LinkCertainty
from prisonwatch.store.deal_views import (
    DealView,
    concessions_for_target,
    deal_view,
    list_deals,
)
from prisonwatch.store.deals import ConcessionInput, DealInput, Deals
from prisonwatch.store.registry import NotFound, RegistryValidationError
from prisonwatch.store.shown_names import names_in_script
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, checked_form, db_session, editor, reader

router = APIRouter()
NAV = ("/deals", "Deals")

ID_MAX = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=ID_MAX)]
CONCESSION_KINDS = [k.value for k in ConcessionKind]
CERTAINTIES = [c.value for c in LinkCertainty]
#: The fields of the deal form, as :meth:`Deals.edit_deal` names them.
DEAL_FORM_FIELDS = (
    "title",
    "date",
    "parties",
    "intermediaries",
    "summary",
    "description",
    "visibility",
)


def _invalid(exc: RegistryValidationError) -> ApiError:
    return ApiError(
        422, str(exc), code="invalid", details=[{"field": exc.field, "message": exc.message}]
    )


def _view(s: Session, deal_id: int, r: Reader) -> DealView:
    try:
        return deal_view(s, deal_id, include_private=r.include_private)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc


# -- pages ------------------------------------------------------------------------------------


@router.get("/deals", include_in_schema=False)
def deals_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    deals = list_deals(s, include_private=r.include_private)
    return render(request, "deals/index.html", deals=deals)


@router.get("/deals/{deal_id:row_id}", include_in_schema=False)
def deal_page(
    request: Request, deal_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    view = _view(s, deal_id, r)
    shown = names_in_script(
        s,
        (p.person_id for p in view.released),
        locale_of(request).script,
        include_private=r.include_private,
    )
    return render(
        request,
        "deals/show.html",
        d=view,
        shown=shown,
        concession_kinds=CONCESSION_KINDS,
        certainties=CERTAINTIES,
        error=None,
        form={},
    )


def _f(form: FormData, key: str) -> str | None:
    value = form.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _form_source_ids(form: FormData) -> list[int]:
    ids = []
    for part in (_f(form, "source_ids") or "").replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= ID_MAX:
            raise RegistryValidationError("source_ids", f"{part!r} is not a source id")
        ids.append(int(part))
    return ids


@router.get("/deals/new", include_in_schema=False)
def new_deal_form(request: Request, r: Reader = Depends(editor)) -> Response:
    return render(request, "deals/edit.html", error=None, form={})


@router.post("/deals/new", include_in_schema=False)
def new_deal(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(editor)
) -> Response:
    data = DealInput(
        title=_f(form, "title") or "",
        date=_f(form, "date"),
        parties=_f(form, "parties"),
        intermediaries=_f(form, "intermediaries"),
        summary=_f(form, "summary"),
        description=_f(form, "description"),
        visibility=_f(form, "visibility") or "public",
    )
    try:
        with ctx(request).db.session() as s:
            deal_id = Deals(s, r.actor, context="web").add_deal(data, _form_source_ids(form)).id
    except (NotFound, RegistryValidationError) as exc:
        return render(request, "deals/edit.html", 422, error=str(exc), form=form)
    return RedirectResponse(f"/deals/{deal_id}", 303)


def _deal_form_error(
    request: Request, deal_id: int, r: Reader, message: str, form: FormData
) -> Response:
    with ctx(request).db.session() as s:
        view = _view(s, deal_id, r)
        shown = names_in_script(
            s, (p.person_id for p in view.released), locale_of(request).script, include_private=True
        )
    return render(
        request,
        "deals/show.html",
        422,
        d=view,
        shown=shown,
        concession_kinds=CONCESSION_KINDS,
        certainties=CERTAINTIES,
        error=message,
        form=form,
    )


@router.post("/deals/{deal_id:row_id}/people", include_in_schema=False)
def link_people_form(
    request: Request,
    deal_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    raw = _f(form, "person_id") or ""
    try:
        if not raw.isdigit() or not 1 <= int(raw) <= ID_MAX:
            raise RegistryValidationError("person_id", f"{raw!r} is not a person id")
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="web").link_person(deal_id, int(raw))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _deal_form_error(request, deal_id, r, str(exc), form)
    return RedirectResponse(f"/deals/{deal_id}", 303)


@router.post("/deals/{deal_id:row_id}/concessions", include_in_schema=False)
def add_concession_form(
    request: Request,
    deal_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    data = ConcessionInput(
        kind=_f(form, "kind") or "",
        certainty=_f(form, "certainty") or "",
        authority=_f(form, "authority"),
        target_authority=_f(form, "target_authority"),
        target_ref=_f(form, "target_ref"),
        target_name=_f(form, "target_name"),
        date=_f(form, "date"),
        description=_f(form, "description"),
        visibility=_f(form, "visibility") or "public",
    )
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="web").add_concession(deal_id, data, _form_source_ids(form))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _deal_form_error(request, deal_id, r, str(exc), form)
    return RedirectResponse(f"/deals/{deal_id}#concessions", 303)


def _edit_form_of(view: DealView) -> dict[str, str]:
    return {
        "title": view.title,
        "date": view.date or "",
        "parties": "; ".join(view.parties),
        "intermediaries": "; ".join(view.intermediaries),
        "summary": view.summary or "",
        "description": view.description or "",
        "visibility": view.visibility,
    }


@router.get("/deals/{deal_id:row_id}/edit", include_in_schema=False)
def edit_deal_form(
    request: Request, deal_id: int, r: Reader = Depends(editor), s: Session = Depends(db_session)
) -> Response:
    form = _edit_form_of(_view(s, deal_id, r))
    return render(request, "deals/edit.html", error=None, form=form, deal_id=deal_id)


@router.post("/deals/{deal_id:row_id}/edit", include_in_schema=False)
def edit_deal(
    request: Request,
    deal_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    changes = {key: _f(form, key) for key in DEAL_FORM_FIELDS}
    changes["title"] = changes["title"] or ""
    changes["visibility"] = changes["visibility"] or "public"
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="web").edit_deal(deal_id, changes)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return render(request, "deals/edit.html", 422, error=str(exc), form=form, deal_id=deal_id)
    return RedirectResponse(f"/deals/{deal_id}", 303)


@router.post("/deals/{deal_id:row_id}/events/{event_id:row_id}/unlink", include_in_schema=False)
def unlink_event_form(
    request: Request,
    deal_id: int,
    event_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="web").unlink_event(event_id, deal_id)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _deal_form_error(request, deal_id, r, str(exc), form)
    return RedirectResponse(f"/deals/{deal_id}#released", 303)


@router.post(
    "/deals/{deal_id:row_id}/concessions/{concession_id:row_id}/delete", include_in_schema=False
)
def delete_concession_form(
    request: Request,
    deal_id: int,
    concession_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="web").remove_concession(concession_id, deal_id)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    return RedirectResponse(f"/deals/{deal_id}#concessions", 303)


# -- JSON API ---------------------------------------------------------------------------------


class DealIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    date: str | None = Field(default=None, max_length=20)
    parties: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    intermediaries: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    summary: str | None = Field(default=None, max_length=2000)
    description: str | None = Field(default=None, max_length=10000)
    visibility: str = Field(default="public", max_length=10)
    source_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        default_factory=list, max_length=50
    )


class ConcessionIn(BaseModel):
    kind: str = Field(max_length=30, description=", ".join(CONCESSION_KINDS))
    certainty: str = Field(max_length=20, description=", ".join(CERTAINTIES))
    authority: str | None = Field(default=None, max_length=200)
    target_authority: str | None = Field(default=None, max_length=200)
    target_ref: str | None = Field(default=None, max_length=200)
    target_name: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None, max_length=10000)
    visibility: str = Field(default="public", max_length=10)
    source_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        default_factory=list, max_length=50
    )


class PersonLinkIn(BaseModel):
    person_id: int = Field(ge=1, le=ID_MAX)
    event_id: int | None = Field(default=None, ge=1, le=ID_MAX)


@router.get("/api/v1/deals", tags=["deals"], summary="Deals: what was given, people released")
def api_deals(r: Reader = Depends(reader), s: Session = Depends(db_session)) -> dict[str, Any]:
    return {"items": [d.as_dict() for d in list_deals(s, include_private=r.include_private)]}


@router.get(
    "/api/v1/deals/{deal_id}",
    tags=["deals"],
    summary="One deal: concessions with sources and certainty, the people released",
)
def api_deal(
    deal_id: RowId, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return _view(s, deal_id, r).as_dict()


@router.post("/api/v1/deals", tags=["deals"], status_code=201, summary="Add a deal (editors)")
def api_add_deal(request: Request, body: DealIn, r: Reader = Depends(editor)) -> dict[str, int]:
    data = DealInput(
        title=body.title,
        date=body.date,
        parties="; ".join(body.parties) or None,
        intermediaries="; ".join(body.intermediaries) or None,
        summary=body.summary,
        description=body.description,
        visibility=body.visibility,
    )
    try:
        with ctx(request).db.session() as s:
            return {"id": Deals(s, r.actor, context="api").add_deal(data, body.source_ids).id}
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise _invalid(exc) from exc


@router.post(
    "/api/v1/deals/{deal_id}/concessions",
    tags=["deals"],
    status_code=201,
    summary="Add a concession to a deal (editors)",
)
def api_add_concession(
    request: Request, deal_id: RowId, body: ConcessionIn, r: Reader = Depends(editor)
) -> dict[str, int]:
    data = ConcessionInput(
        kind=body.kind,
        certainty=body.certainty,
        authority=body.authority,
        target_authority=body.target_authority,
        target_ref=body.target_ref,
        target_name=body.target_name,
        date=body.date,
        description=body.description,
        visibility=body.visibility,
    )
    try:
        with ctx(request).db.session() as s:
            conc = Deals(s, r.actor, context="api").add_concession(deal_id, data, body.source_ids)
            return {"id": conc.id}
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise _invalid(exc) from exc


@router.post(
    "/api/v1/deals/{deal_id}/people",
    tags=["deals"],
    summary="Link a released person to a deal through their release event (editors)",
)
def api_link_person(
    request: Request, deal_id: RowId, body: PersonLinkIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            ev, changed = Deals(s, r.actor, context="api").link_person(
                deal_id, body.person_id, body.event_id
            )
            return {"event_id": ev.id, "changed": changed}
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise _invalid(exc) from exc


class DealPatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    date: str | None = Field(default=None, max_length=20)
    parties: list[Annotated[str, Field(max_length=200)]] | None = Field(default=None, max_length=20)
    intermediaries: list[Annotated[str, Field(max_length=200)]] | None = Field(
        default=None, max_length=20
    )
    summary: str | None = Field(default=None, max_length=2000)
    description: str | None = Field(default=None, max_length=10000)
    visibility: str | None = Field(default=None, max_length=10)


@router.patch("/api/v1/deals/{deal_id}", tags=["deals"], summary="Change a deal (editors)")
def api_edit_deal(
    request: Request, deal_id: RowId, body: DealPatch, r: Reader = Depends(editor)
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in body.model_dump(exclude_unset=True).items():
        if key in ("parties", "intermediaries"):
            value = "; ".join(value or []) or None
        changes[key] = value
    if not changes:
        raise ApiError(422, "nothing to change", code="invalid")
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="api").edit_deal(deal_id, changes)
            view = deal_view(s, deal_id, include_private=r.include_private)
            return view.as_dict()
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise _invalid(exc) from exc


@router.delete(
    "/api/v1/deals/{deal_id}/events/{event_id}",
    tags=["deals"],
    summary="Take a release event off a deal; the event stays (editors)",
)
def api_unlink_event(
    request: Request, deal_id: RowId, event_id: RowId, r: Reader = Depends(editor)
) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            ev = Deals(s, r.actor, context="api").unlink_event(event_id, deal_id)
            return {"event_id": ev.id, "deal_id": None}
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise _invalid(exc) from exc


@router.delete(
    "/api/v1/deals/{deal_id}/concessions/{concession_id}",
    tags=["deals"],
    status_code=204,
    summary="Delete a concession of a deal (editors)",
)
def api_delete_concession(
    request: Request, deal_id: RowId, concession_id: RowId, r: Reader = Depends(editor)
) -> Response:
    try:
        with ctx(request).db.session() as s:
            Deals(s, r.actor, context="api").remove_concession(concession_id, deal_id)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    return Response(status_code=204)


@router.get(
    "/api/v1/concessions",
    tags=["deals"],
    summary="Concessions naming a sanctions target (authority + reference id)",
)
def api_target_concessions(
    authority: str = Query(min_length=1, max_length=200),
    ref: str = Query(min_length=1, max_length=200),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    found = concessions_for_target(s, authority, ref, include_private=r.include_private)
    return {
        "items": [
            {"deal_id": deal_id, "deal_title": title, **vars(c)}
            | {"sources": [vars(x) for x in c.sources]}
            for deal_id, title, c in found
        ]
    }


__all__ = ["NAV", "router"]
