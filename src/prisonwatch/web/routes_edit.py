"""Editor forms: add a person, a name, an event, a source. Every change goes through the
registry service, which validates it and writes the audit entry in the same transaction."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from prisonwatch.model import EventKind, NameKind
from prisonwatch.store.registry import (
    EventInput,
    NameInput,
    NotFound,
    PersonInput,
    Registry,
    RegistryValidationError,
    SourceInput,
)
from prisonwatch.store.schema import Person, Source
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, checked_form, editor

router = APIRouter(include_in_schema=False)

EVENT_KINDS = [k.value for k in EventKind]
NAME_KINDS = [k.value for k in NameKind]


def _f(form: FormData, key: str) -> str | None:
    value = form.get(key)
    if value is None or not isinstance(value, str):
        return None
    return value.strip() or None


def _source_ids(form: FormData) -> list[int]:
    raw = _f(form, "source_ids") or ""
    ids = []
    for part in raw.replace(",", " ").split():
        if not part.isdigit():
            raise RegistryValidationError("source_ids", f"{part!r} is not a source id")
        ids.append(int(part))
    return ids


def _recent_sources(request: Request) -> list[Source]:
    with ctx(request).db.session() as s:
        return list(s.scalars(select(Source).order_by(Source.id.desc()).limit(20)))


def _person_exists(request: Request, person_id: int) -> None:
    with ctx(request).db.session() as s:
        if s.get(Person, person_id) is None:
            raise ApiError(404, f"no person with id {person_id}")


def _form_page(
    request: Request, template: str, error: str | None, form: Any, status: int = 200, **values: Any
) -> Response:
    return render(
        request,
        template,
        status,
        error=error,
        form=form,
        event_kinds=EVENT_KINDS,
        name_kinds=NAME_KINDS,
        sources=_recent_sources(request),
        **values,
    )


# -- person -----------------------------------------------------------------------------------


@router.get("/people/new")
def new_person_form(request: Request, r: Reader = Depends(editor)) -> Response:
    return _form_page(request, "edit_person.html", None, {})


@router.post("/people/new")
def new_person(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(editor)
) -> Response:
    names = [
        NameInput(text=t, kind="official", visibility="public")
        for t in ((_f(form, "name") or ""), (_f(form, "name_other") or ""))
        if t
    ]
    data = PersonInput(
        names=names,
        birth_date=_f(form, "birth_date"),
        gender=_f(form, "gender"),
        region=_f(form, "region"),
        nationality=_f(form, "nationality"),
        public_notes=_f(form, "public_notes"),
        relatives_contact=_f(form, "relatives_contact"),
        internal_notes=_f(form, "internal_notes"),
    )
    try:
        with ctx(request).db.session() as s:
            person_id = Registry(s, r.actor, context="web").add_person(data).id
    except RegistryValidationError as exc:
        return _form_page(request, "edit_person.html", str(exc), form, 422)
    return RedirectResponse(f"/people/{person_id}", 303)


# -- name -------------------------------------------------------------------------------------


@router.get("/people/{person_id:row_id}/names/new")
def new_name_form(request: Request, person_id: int, r: Reader = Depends(editor)) -> Response:
    _person_exists(request, person_id)
    return _form_page(request, "edit_name.html", None, {}, person_id=person_id)


@router.post("/people/{person_id:row_id}/names/new")
def new_name(
    request: Request,
    person_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    try:
        data = NameInput(
            text=_f(form, "text") or "",
            kind=_f(form, "kind") or "official",
            language=_f(form, "language"),
            visibility=_f(form, "visibility") or "public",
        )
        with ctx(request).db.session() as s:
            Registry(s, r.actor, context="web").add_name(person_id, data, _source_ids(form))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _form_page(request, "edit_name.html", str(exc), form, 422, person_id=person_id)
    return RedirectResponse(f"/people/{person_id}", 303)


# -- event ------------------------------------------------------------------------------------


@router.get("/people/{person_id:row_id}/events/new")
def new_event_form(request: Request, person_id: int, r: Reader = Depends(editor)) -> Response:
    _person_exists(request, person_id)
    return _form_page(request, "edit_event.html", None, {}, person_id=person_id)


@router.post("/people/{person_id:row_id}/events/new")
def new_event(
    request: Request,
    person_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    try:
        data = EventInput(
            kind=_f(form, "kind") or "",
            date=_f(form, "date") or "",
            organisation=_f(form, "organisation"),
            destination_country=_f(form, "destination_country"),
            facility=_f(form, "facility"),
            note=_f(form, "note"),
            visibility=_f(form, "visibility") or "public",
        )
        with ctx(request).db.session() as s:
            Registry(s, r.actor, context="web").add_event(person_id, data, _source_ids(form))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _form_page(request, "edit_event.html", str(exc), form, 422, person_id=person_id)
    return RedirectResponse(f"/people/{person_id}", 303)


# -- source -----------------------------------------------------------------------------------


@router.get("/sources/new")
def new_source_form(request: Request, r: Reader = Depends(editor)) -> Response:
    return _form_page(request, "edit_source.html", None, {}, created=None)


@router.post("/sources/new")
def new_source(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(editor)
) -> Response:
    data = SourceInput(
        url=_f(form, "url"),
        title=_f(form, "title"),
        publisher=_f(form, "publisher"),
        published=_f(form, "published"),
        quote=_f(form, "quote"),
        visibility=_f(form, "visibility") or "public",
    )
    try:
        with ctx(request).db.session() as s:
            source_id = Registry(s, r.actor, context="web").add_source(data).id
    except RegistryValidationError as exc:
        return _form_page(request, "edit_source.html", str(exc), form, 422, created=None)
    return _form_page(request, "edit_source.html", None, {}, 201, created=source_id)
