"""Officials in the web app: ``/officials`` (the screening report: who is sanctioned by which
authorities, uncertain, or by none, with the advocate's filters), ``/officials/{id}`` (names in
every script, cases, listings found), editor forms (add a name, link a case, run the
screening), and the JSON API under ``/api/v1/officials``.

Who sees what (docs/officials.md): editors and admins everything; viewers and the anonymous
public view only officials linked to a case they may see (a public case of a public person),
under their public names, with the hits found under those names. A judge's or prosecutor's
name is a public-record court fact, but shown only through a public case of the registry.

Only translates requests into :mod:`prisonwatch.store.officials` (writes, audited),
:mod:`prisonwatch.store.officials_query` and :mod:`prisonwatch.screening` and renders.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.screening.report import STATUSES, Report, screening_report
from prisonwatch.screening.run import screen_officials
from prisonwatch.store.officials import ROLES, OfficialNameInput, Officials
from prisonwatch.store.officials_query import OfficialView, official_rows, official_view
from prisonwatch.store.registry import NotFound, RegistryValidationError
from prisonwatch.web import convertors
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError
from prisonwatch.web.params import invalid, opt_str
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, checked_form, db_session, editor, reader
from prisonwatch.web.vocab import N_

convertors.register()
router = APIRouter()
NAV = ("/officials", "Officials")
ID_MAX = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=ID_MAX)]

#: Data words the officials pages translate.
VOCABULARY: tuple[str, ...] = (
    N_("Officials"),
    N_("judge"),
    N_("prosecutor"),
    N_("investigator"),
    N_("screen:sanctioned"),
    N_("screen:uncertain"),
    N_("screen:none"),
    N_("verdict:match"),
    N_("verdict:review"),
)


def _filters(params: dict[str, str]) -> dict[str, Any]:
    role = opt_str(params, "role", 30)
    if role is not None and role not in ROLES:
        raise invalid("role", f"use one of {', '.join(ROLES)}")
    status = opt_str(params, "status", 30)
    if status is not None and status not in STATUSES:
        raise invalid("status", f"use one of {', '.join(STATUSES)}")
    by = opt_str(params, "sanctioned_by", 100)
    not_by = opt_str(params, "not_sanctioned_by", 100)
    return {
        "role": role,
        "status": status,
        "sanctioned_by": [a.strip() for a in (by or "").split(",") if a.strip()],
        "not_sanctioned_by": [a.strip() for a in (not_by or "").split(",") if a.strip()],
    }


def _report(s: Session, r: Reader, request: Request) -> tuple[Report, dict[str, Any]]:
    f = _filters(dict(request.query_params))
    script = locale_of(request).script if "session" in request.scope else None
    return screening_report(s, include_private=r.include_private, script=script, **f), f


def _view(s: Session, official_id: int, r: Reader) -> OfficialView:
    try:
        return official_view(s, official_id, include_private=r.include_private)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc


# -- pages ------------------------------------------------------------------------------------


@router.get("/officials", include_in_schema=False)
def officials_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    report, f = _report(s, r, request)
    return render(
        request,
        "officials/index.html",
        report=report,
        f=f,
        roles=ROLES,
        statuses=STATUSES,
        message=request.query_params.get("screened"),
    )


@router.get("/officials/{official_id:row_id}", include_in_schema=False)
def official_page(
    request: Request,
    official_id: int,
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> Response:
    return _page(request, s, official_id, r)


def _page(
    request: Request,
    s: Session,
    official_id: int,
    r: Reader,
    status: int = 200,
    error: str | None = None,
    form: FormData | dict[str, str] | None = None,
) -> Response:
    v = _view(s, official_id, r)
    report = screening_report(s, include_private=r.include_private)
    row = next((x for x in report.rows if x.official.id == official_id), None)
    return render(
        request,
        "officials/show.html",
        status,
        v=v,
        row=row,
        roles=ROLES,
        error=error,
        form=form or {},
    )


def _f(form: FormData, key: str) -> str | None:
    value = form.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _form_error(
    request: Request, official_id: int, r: Reader, exc: Exception, form: FormData
) -> Response:
    with ctx(request).db.session() as s:
        return _page(request, s, official_id, r, 422, str(exc), form)


@router.post("/officials/{official_id:row_id}/names", include_in_schema=False)
def add_name_form(
    request: Request,
    official_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    data = OfficialNameInput(
        _f(form, "text") or "",
        kind=_f(form, "kind") or "transliteration",
        visibility=_f(form, "visibility") or "public",
    )
    try:
        with ctx(request).db.session() as s:
            Officials(s, r.actor, context="web").add_name(official_id, data)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        return _form_error(request, official_id, r, exc, form)
    return RedirectResponse(f"/officials/{official_id}", 303)


@router.post("/officials/{official_id:row_id}/cases", include_in_schema=False)
def link_case_form(
    request: Request,
    official_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    raw = _f(form, "case_id") or ""
    try:
        if not raw.isdigit() or not 1 <= int(raw) <= ID_MAX:
            raise RegistryValidationError("case_id", f"{raw!r} is not a case id")
        with ctx(request).db.session() as s:
            Officials(s, r.actor, context="web").link_case(official_id, int(raw), _f(form, "role"))
    except (NotFound, RegistryValidationError) as exc:
        return _form_error(request, official_id, r, exc, form)
    return RedirectResponse(f"/officials/{official_id}#cases", 303)


@router.post("/officials/screen", include_in_schema=False)
def screen_form(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(editor)
) -> Response:
    with ctx(request).db.session() as s:
        # one process: forking a threaded web server is unsafe (large lists: use the CLI)
        outcome = screen_officials(s, r.actor, workers=1)
    return RedirectResponse(f"/officials?screened={outcome.run_id}", 303)


# -- JSON API ---------------------------------------------------------------------------------


class CaseLinkIn(BaseModel):
    case_id: int = Field(ge=1, le=ID_MAX)
    role: str | None = Field(default=None, max_length=30, description=", ".join(ROLES))


@router.get("/api/v1/officials", tags=["officials"], summary="Judges, prosecutors, investigators")
def api_officials(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    params = dict(request.query_params)
    role = _filters(params)["role"]
    q = opt_str(params, "q", 200)
    rows = official_rows(s, include_private=r.include_private, role=role, q=q)
    return {"count": len(rows), "items": [x.as_json() for x in rows]}


@router.get(
    "/api/v1/officials/screening",
    tags=["officials"],
    summary="Officials screened against the sanctions lists (filters: role, status, "
    "sanctioned_by, not_sanctioned_by — comma-separated authorities)",
)
def api_screening(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return _report(s, r, request)[0].as_json()


@router.get("/api/v1/officials/{official_id}", tags=["officials"], summary="One official")
def api_official(
    official_id: RowId, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    v = _view(s, official_id, r)
    report = screening_report(s, include_private=r.include_private)
    row = next((x for x in report.rows if x.official.id == official_id), None)
    return {
        **v.official.as_json(),
        "public_notes": v.public_notes,
        "names": [vars(n) for n in v.name_rows],
        "cases": [c.as_json() for c in v.cases],
        "screening": row.as_json() if row else None,
    }


@router.post(
    "/api/v1/officials/{official_id}/cases",
    tags=["officials"],
    summary="Link an official to a case (editors)",
)
def api_link_case(
    request: Request, official_id: RowId, body: CaseLinkIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            link = Officials(s, r.actor, context="api").link_case(
                official_id, body.case_id, body.role
            )
            return {"changed": link is not None}
    except NotFound as exc:
        raise ApiError(404, str(exc)) from exc
    except RegistryValidationError as exc:
        raise ApiError(
            422, str(exc), code="invalid", details=[{"field": exc.field, "message": exc.message}]
        ) from exc


__all__ = ["NAV", "router"]
