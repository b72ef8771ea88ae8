"""Lists: upload two files → the reconciliation report → the review queue, where an editor
decides same / different / unsure."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from prisonwatch.io.limits import StopSignal
from prisonwatch.reconcile import InputError, ReviewError
from prisonwatch.reconcile.review import decide, pending, pending_count
from prisonwatch.validation import FieldError
from prisonwatch.web.context import ctx
from prisonwatch.web.errors import ApiError, review_error
from prisonwatch.web.lists import WORK_SECONDS, Upload, WebReconciliation, run
from prisonwatch.web.params import paging
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, checked_form, db_session, editor, reader

router = APIRouter(include_in_schema=False)
DECISIONS = ("same", "different", "unsure")


def _staff(r: Reader) -> None:
    if r.account is None:
        raise ApiError(403, "lists and the review queue are for logged-in staff")


@router.get("/lists")
def lists_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    _staff(r)
    waiting = pending_count(s, include_private=r.include_private)
    return render(request, "lists.html", error=None, waiting=waiting)


async def _upload(form: FormData, field: str) -> Upload:
    value = form.get(field)
    if not isinstance(value, UploadFile):
        return Upload("", b"")
    return Upload(value.filename or "", await value.read())


@router.post("/lists/reconcile")
async def reconcile_upload(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(editor)
) -> Response:
    left, right = await _upload(form, "left"), await _upload(form, "right")
    id_col = str(form.get("id_col") or "").strip() or None
    name_col = str(form.get("name_col") or "").strip() or "name"
    stop = StopSignal(seconds=WORK_SECONDS)
    try:
        outcome = await _until_stopped(
            request,
            stop,
            functools.partial(
                run, ctx(request).db, left, right, id_col=id_col, name_col=name_col, stop=stop
            ),
        )
    except InputError as exc:
        return render(request, "lists.html", 422, error=str(exc), waiting=None)
    return render(request, "report.html", outcome=outcome)


async def _until_stopped(
    request: Request, stop: StopSignal, work: Callable[[], WebReconciliation]
) -> WebReconciliation:
    """Run ``work`` in a worker thread; stop it (through ``stop``, which it checks as it goes)
    when the client goes away, or when this request is cancelled — the server shutting down
    (uvicorn's graceful-shutdown timeout) — so no thread keeps working for nobody."""
    from starlette.concurrency import run_in_threadpool

    task = asyncio.ensure_future(run_in_threadpool(work))
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.5)
            if done:
                return task.result()
            if await request.is_disconnected():
                stop.stop("the client went away")
    finally:
        stop.stop("the request ended")


@router.get("/review")
def review_queue(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    _staff(r)
    pg = paging(dict(request.query_params))
    items = pending(
        s,
        limit=pg.per_page,
        offset=(pg.page - 1) * pg.per_page,
        include_private=r.include_private,
    )
    return render(
        request,
        "review.html",
        items=items,
        total=pending_count(s, include_private=r.include_private),
        page=pg.page,
        per_page=pg.per_page,
        decisions=DECISIONS,
    )


@router.post("/review/{item_id:row_id}")
def review_decide(
    request: Request,
    item_id: int,
    form: FormData = Depends(checked_form),
    r: Reader = Depends(editor),
) -> Response:
    decision = str(form.get("decision") or "")
    if decision not in DECISIONS:
        raise ApiError(422, f"decision: use one of {', '.join(DECISIONS)}", code="invalid")
    note = str(form.get("note") or "").strip() or None
    try:
        with ctx(request).db.session() as s:
            decide(s, item_id, decision, r.actor, note)
    except FieldError as exc:
        raise ApiError(422, str(exc), code="invalid") from exc
    except ReviewError as exc:
        raise review_error(exc) from exc
    return RedirectResponse("/review", 303)
