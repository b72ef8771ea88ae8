"""The review of claims proposed from news (``/claims``, ``/claims/{id}``) and their JSON API
(``/api/v1/claims``). Only translates requests into :mod:`prisonwatch.store.news` calls.

Who sees what: editors see every claim; logged-in viewers every claim except the pending ones
of people with no public name; anonymous readers of a ``--public`` site accepted claims only
(and not those of such people). Only editors edit, accept and reject (forms carry the CSRF
token; API writes follow the API's CSRF rule).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.model import ConcessionKind
from prisonwatch.store.deal_views import list_deals
from prisonwatch.store.news import (
    CONCESSION_OF_CHANGE,
    EDITABLE,
    STATES,
    ClaimConflict,
    ClaimNotFound,
    NewsError,
    accept_claim,
    edit_claim,
    effective,
    get_claim,
    list_claims,
    reject_claim,
    visible,
)
from prisonwatch.store.schema import Person
from prisonwatch.store.schema_deals import Concession
from prisonwatch.store.schema_news import Article, NewsClaim
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError
from prisonwatch.web.params import opt_int, opt_str
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, checked_form, db_session, editor, reader

router = APIRouter()
NAV = ("/claims", "Claims")
KINDS = ("count", "person_status", "sanction_change", "statement")


def N_(message: str) -> str:
    return message


#: Words the claim pages translate from data (kinds, states, statuses, field names).
VOCABULARY = (
    N_("Claims"),
    N_("count"),
    N_("person_status"),
    N_("sanction_change"),
    N_("statement"),
    N_("pending"),
    N_("accepted"),
    N_("rejected"),
    N_("expelled"),
    N_("moved_abroad"),
    N_("returned_to_prison"),
    N_("charged"),
    N_("house_arrest"),
    N_("recognised_political_prisoner"),
    N_("value"),
    N_("hedge"),
    N_("status"),
    N_("person"),
    N_("subject"),
    N_("date"),
    N_("destination_country"),
    N_("organisation"),
)
ClaimId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CONTEXT_CHARS = 300


def _scope(r: Reader) -> dict[str, bool]:
    return {"include_private": r.include_private, "public_only": r.account is None}


def _visible_claim(s: Session, claim_id: int, r: Reader) -> NewsClaim:
    try:
        claim = get_claim(s, claim_id)
    except NewsError as exc:
        raise ApiError(404, f"no claim with id {claim_id}") from exc
    if not visible(s, claim, **_scope(r)):
        raise ApiError(404, f"no claim with id {claim_id}")
    return claim


def claim_json(s: Session, c: NewsClaim) -> dict[str, Any]:
    article = s.get(Article, c.article_id)
    return {
        "id": c.id,
        "kind": c.kind,
        "state": c.state,
        "proposal": c.proposal,
        "edit": c.edit,
        "effective": effective(c),
        "extractor_version": c.extractor_version,
        "person_id": c.person_id,
        "link_score": c.link_score,
        "review_reason": c.review_reason,
        "reviewed_by": c.reviewed_by,
        "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
        "result": {"type": c.result_type, "id": c.result_id} if c.result_type else None,
        "article": {
            "id": article.id,
            "url": article.url,
            "publisher": article.publisher,
            "published": article.published,
            "current": article.current,
        }
        if article
        else None,
    }


def _filters(params: Any) -> tuple[str | None, str | None]:
    state = opt_str(params, "state", 10)
    kind = opt_str(params, "kind", 20)
    if state and state not in STATES:
        raise ApiError(422, f"state: use one of {', '.join(STATES)}", code="invalid")
    if kind and kind not in KINDS:
        raise ApiError(422, f"kind: use one of {', '.join(KINDS)}", code="invalid")
    return state, kind


# -- pages ------------------------------------------------------------------------------------


@router.get("/claims")
def claims_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    state, kind = _filters(request.query_params)
    if state is None and "state" not in request.query_params and r.account is not None:
        state = "pending"
    page = opt_int(request.query_params, "page", 1, 1_000_000) or 1
    per_page = 50
    rows = list_claims(
        s, state=state, kind=kind, limit=per_page + 1, offset=(page - 1) * per_page, **_scope(r)
    )
    items = [(c, effective(c)) for c in rows[:per_page]]
    return render(
        request,
        "claims.html",
        items=items,
        state=state or "",
        kind=kind or "",
        states=STATES,
        kinds=KINDS,
        page=page,
        has_next=len(rows) > per_page,
    )


def _detail(
    request: Request,
    s: Session,
    claim: NewsClaim,
    r: Reader,
    error: str | None = None,
    status: int = 200,
) -> Response:
    article = s.get(Article, claim.article_id)
    assert article is not None
    start, end = int(claim.proposal["start"]), int(claim.proposal["end"])
    before = article.text[max(0, start - CONTEXT_CHARS) : start]
    after = article.text[end : end + CONTEXT_CHARS]
    person = s.get(Person, claim.person_id) if claim.person_id and r.account else None
    fields = [f for f in ("value", "hedge", "status", "person", "subject", "date")]
    # a sanction change may become a concession of a deal: editors choose the deal
    deals = (
        list_deals(s, include_private=True)
        if claim.kind == "sanction_change" and r.can_edit and claim.state != "accepted"
        else []
    )
    concession = s.get(Concession, claim.result_id) if claim.result_type == "concession" else None
    return render(
        request,
        "claim.html",
        status,
        claim=claim,
        c=effective(claim),
        article=article,
        before=before,
        quote=article.text[start:end],
        after=after,
        fields=fields,
        editable=EDITABLE,
        error=error,
        linked=person,
        deals=deals,
        concession_kinds=[k.value for k in ConcessionKind],
        default_concession=CONCESSION_OF_CHANGE.get(str(effective(claim).get("value") or "")),
        concession=concession,
        head_cut=start > CONTEXT_CHARS,
        tail_cut=end + CONTEXT_CHARS < len(article.text),
    )


@router.get("/claims/{claim_id:row_id}")
def claim_page(
    request: Request, claim_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    return _detail(request, s, _visible_claim(s, claim_id, r), r)


def _form_text(form: FormData, key: str) -> str | None:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else None


def _act(request: Request, claim_id: int, r: Reader, action: str, form: FormData) -> Response:
    note = _form_text(form, "note") or None
    try:
        with ctx(request).db.session() as s:
            if action == "accept":
                raw_deal = _form_text(form, "deal_id")
                if raw_deal and not raw_deal.isdigit():
                    raise NewsError(f"deal: {raw_deal!r} is not a deal id")
                accept_claim(
                    s,
                    claim_id,
                    actor=r.actor,
                    note=note,
                    deal_id=int(raw_deal) if raw_deal else None,
                    concession=_form_text(form, "concession") if raw_deal else None,
                )
            elif action == "reject":
                reject_claim(s, claim_id, actor=r.actor, note=note)
            else:
                changes = {k: _form_text(form, k) for k in EDITABLE if k in form}
                raw_person = _form_text(form, "person_id")
                if raw_person and not raw_person.isdigit():
                    raise NewsError(f"person_id: {raw_person!r} is not a person id")
                edit_claim(
                    s,
                    claim_id,
                    changes,
                    actor=r.actor,
                    person_id=int(raw_person) if raw_person else None,
                )
    except NewsError as exc:
        with ctx(request).db.session() as s:
            try:
                claim = get_claim(s, claim_id)
            except NewsError:
                raise ApiError(404, f"no claim with id {claim_id}") from exc
            return _detail(request, s, claim, r, error=str(exc), status=422)
    return RedirectResponse(f"/claims/{claim_id}", 303)


@router.post("/claims/{claim_id:row_id}/accept")
def accept_form(
    request: Request,
    claim_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    return _act(request, claim_id, r, "accept", form)


@router.post("/claims/{claim_id:row_id}/reject")
def reject_form(
    request: Request,
    claim_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    return _act(request, claim_id, r, "reject", form)


@router.post("/claims/{claim_id:row_id}/edit")
def edit_form(
    request: Request,
    claim_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    return _act(request, claim_id, r, "edit", form)


# -- API --------------------------------------------------------------------------------------


class ReviewIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class AcceptIn(ReviewIn):
    deal_id: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="A sanction_change claim: make it a concession of this deal",
    )
    concession: str | None = Field(
        default=None, max_length=30, description="The concession kind (with deal_id)"
    )


class EditIn(BaseModel):
    changes: dict[str, str | None] = Field(default_factory=dict, description=", ".join(EDITABLE))
    person_id: int | None = Field(default=None, ge=1)


@router.get("/api/v1/claims", tags=["api"], summary="Claims proposed from news")
def api_claims(
    request: Request,
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=200),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    state, kind = _filters(request.query_params)
    rows = list_claims(
        s, state=state, kind=kind, limit=per_page + 1, offset=(page - 1) * per_page, **_scope(r)
    )
    return {
        "items": [claim_json(s, c) for c in rows[:per_page]],
        "page": page,
        "per_page": per_page,
        "has_next": len(rows) > per_page,
    }


@router.get("/api/v1/claims/{claim_id}", tags=["api"], summary="One claim")
def api_claim(
    claim_id: ClaimId, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return claim_json(s, _visible_claim(s, claim_id, r))


def _api_act(request: Request, claim_id: int, r: Reader, fn: Any, **kw: Any) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            claim = fn(s, claim_id, actor=r.actor, **kw)
            return claim_json(s, claim)
    except NewsError as exc:
        status = (
            404
            if isinstance(exc, ClaimNotFound)
            else 409
            if isinstance(exc, ClaimConflict)
            else 422
        )
        raise ApiError(status, str(exc)) from exc


@router.post("/api/v1/claims/{claim_id}/accept", tags=["api"], summary="Accept (editors)")
def api_accept(
    request: Request, claim_id: ClaimId, body: AcceptIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    return _api_act(
        request,
        claim_id,
        r,
        accept_claim,
        note=body.note,
        deal_id=body.deal_id,
        concession=body.concession,
    )


@router.post("/api/v1/claims/{claim_id}/reject", tags=["api"], summary="Reject (editors)")
def api_reject(
    request: Request, claim_id: ClaimId, body: ReviewIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    return _api_act(request, claim_id, r, reject_claim, note=body.note)


@router.post("/api/v1/claims/{claim_id}/edit", tags=["api"], summary="Edit (editors)")
def api_edit(
    request: Request, claim_id: ClaimId, body: EditIn, r: Reader = Depends(editor)
) -> dict[str, Any]:
    return _api_act(
        request, claim_id, r, edit_claim, changes=body.changes, person_id=body.person_id
    )
