"""Letters for editors: ``/letters/counts`` — everyone held today (hidden and flagged people
included, marked), their letters over the last 90 days and their flags with the reasons — with
forms to correct a count and to set or clear a flag (``POST /letters/counts/{id}``,
``POST /letters/flags/{id}``), and the same in the API (``/api/v1/letters/counts``).

Only translates requests into :mod:`prisonwatch.letters` (writes audited there). Editors and
admins only: anyone else gets 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.flags import FLAGS, FlagError, clear_flag, flags_of, set_flag
from prisonwatch.letters.log import NotEligible, correct_count
from prisonwatch.store.shown_names import names_in_script
from prisonwatch.validation import FieldError
from prisonwatch.web.context import ctx
from prisonwatch.web.convertors import ID_MAX
from prisonwatch.web.errors import ApiError
from prisonwatch.web.letters_shared import recipient_dict, today
from prisonwatch.web.params import invalid, opt_str
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, checked_form, db_session, editor

router = APIRouter()


def N_(message: str) -> str:
    return message


#: the flags' labels (data words shown through ``_()``)
VOCABULARY = (N_("incommunicado"), N_("address_unknown"), N_("no_publicity"))

MAX_ROWS = 500


def _rows(s: Session, query: str | None) -> list[Any]:
    return eligible_recipients(s, today(), include_private=True, query=query)


def _reasons(s: Session, ids: list[int]) -> dict[int, list[Any]]:
    """Active flags with their reasons, for the flagged people among ``ids``."""
    return {pid: [f for f in flags_of(s, pid) if f.cleared_at is None] for pid in ids}


@router.get("/letters/counts", include_in_schema=False)
def counts_page(
    request: Request, r: Reader = Depends(editor), s: Session = Depends(db_session)
) -> Response:
    query = opt_str(dict(request.query_params), "q", 200)
    rows = _rows(s, query)
    shown = rows[:MAX_ROWS]
    script = locale_of(request).script
    ids = [x.person_id for x in shown]
    public = names_in_script(s, ids, script, include_private=False)
    return render(
        request,
        "letters/counts.html",
        rows=shown,
        total=len(rows),
        q=query or "",
        names=names_in_script(s, ids, script, include_private=True),
        hidden={pid for pid in ids if pid not in public},
        reasons=_reasons(s, [x.person_id for x in shown if x.flags]),
        flags=FLAGS,
    )


def _form_int(form: FormData, key: str, lo: int, hi: int) -> int:
    raw = str(form.get(key) or "").strip()
    try:
        value = int(raw)
    except ValueError:
        raise invalid(key, "not a whole number") from None
    if not lo <= value <= hi:
        raise invalid(key, f"must be between {lo} and {hi}")
    return value


def _refused(exc: Exception) -> ApiError:
    if isinstance(exc, FieldError):
        return invalid(exc.field, exc.message)
    return ApiError(404 if isinstance(exc, NotEligible) else 409, str(exc))


@router.post("/letters/counts/{person_id:row_id}", include_in_schema=False)
def correct_form(
    request: Request,
    person_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    delta = _form_int(form, "delta", -10_000, 10_000)
    try:
        with ctx(request).db.session() as s:
            correct_count(s, person_id, delta, actor=r.actor, reason=str(form.get("reason") or ""))
    except (FieldError, NotEligible) as exc:
        raise _refused(exc) from None
    return RedirectResponse(f"/letters/counts#p{person_id}", 303)


@router.post("/letters/flags/{person_id:row_id}", include_in_schema=False)
def flag_form(
    request: Request,
    person_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    flag = str(form.get("flag") or "")
    reason = str(form.get("reason") or "")
    action = form.get("action")
    if action not in ("set", "clear"):
        raise invalid("action", "set or clear")
    try:
        with ctx(request).db.session() as s:
            (set_flag if action == "set" else clear_flag)(
                s, person_id, flag, reason=reason, actor=r.actor
            )
    except (FieldError, FlagError) as exc:
        raise _refused(exc) from None
    return RedirectResponse(f"/letters/counts#p{person_id}", 303)


# -- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/letters/counts",
    tags=["letters"],
    summary="Everyone held today with letters over 90 days and flags (editors)",
)
def api_counts(
    q: str | None = Query(None, max_length=200),
    r: Reader = Depends(editor),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    rows = _rows(s, q)
    return {"items": [recipient_dict(x) | {"flags": list(x.flags)} for x in rows]}


class CorrectionIn(BaseModel):
    delta: int = Field(ge=-10_000, le=10_000)
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/api/v1/letters/counts/{person_id}",
    tags=["letters"],
    summary="Correct a person's letter count, with a reason (editors; audited)",
)
def api_correct(
    request: Request,
    person_id: Annotated[int, Path(ge=1, le=ID_MAX)],
    body: CorrectionIn,
    r: Reader = Depends(editor),
) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            correct_count(s, person_id, body.delta, actor=r.actor, reason=body.reason)
    except (FieldError, NotEligible) as exc:
        raise _refused(exc) from None
    return {"person_id": person_id, "delta": body.delta}


__all__ = ["router"]
