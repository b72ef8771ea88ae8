"""The JSON API of letters (``/api/v1/letters/...``): recipients (with search), birthdays, the
fewest letters, a pick, logging a letter, the figures.

Only translates requests into :mod:`prisonwatch.letters` calls. Like the pages, it answers
every reader with what the public sees: public facts only, never a flagged or hidden person.
Editors' counts and corrections are in :mod:`prisonwatch.web.letters_editors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from prisonwatch.letters.birthdays import birthdays
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.figures import letter_figures
from prisonwatch.letters.log import fewest_letters, log_letter, pick
from prisonwatch.web.context import ctx
from prisonwatch.web.convertors import ID_MAX
from prisonwatch.web.letters_errors import log_error
from prisonwatch.web.letters_shared import (
    birthday_dict,
    client_key,
    recipient_dict,
    rng,
    today,
)
from prisonwatch.web.security import Reader, db_session, reader

router = APIRouter(prefix="/api/v1/letters", tags=["letters"])

MAX_LIMIT = 200


@router.get("/recipients", summary="People one may write to today, with their addresses")
def api_recipients(
    q: str | None = Query(None, max_length=200, description="a name or any part of the address"),
    limit: int = Query(MAX_LIMIT, ge=1, le=10_000),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    found = eligible_recipients(s, today(), query=q or None)
    return {
        "day": today().isoformat(),
        "total": len(found),
        "items": [recipient_dict(x) for x in found[:limit]],
    }


@router.get("/birthdays", summary="Birthdays of people one may write to, this month and next")
def api_birthdays(
    months: int = Query(2, ge=1, le=12),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    found = birthdays(s, today(), months=months)
    return {
        "today": today().isoformat(),
        "items": [birthday_dict(b) for b in found],
    }


@router.get(
    "/fewest",
    summary="Fewest letters logged as sent over the last 90 days (nobody counts letters received)",
)
def api_fewest(
    limit: int = Query(10, ge=1, le=MAX_LIMIT),
    r: Reader = Depends(reader),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    found = fewest_letters(s, today(), limit=limit)
    return {"items": [recipient_dict(x) for x in found]}


@router.get("/pick", summary="Someone to write to: at random, weighted towards fewer letters")
def api_pick(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    chosen = pick(s, today(), rng=rng(request))
    return {"item": recipient_dict(chosen) if chosen is not None else None}


class LogIn(BaseModel):
    person_id: int = Field(ge=1, le=ID_MAX)
    sent_on: dt.date | None = Field(
        default=None, description="the day it was posted: today (default) or up to 7 days before"
    )


@router.post("/log", status_code=201, summary="I sent a letter (anyone; limited per client)")
def api_log(request: Request, body: LogIn, r: Reader = Depends(reader)) -> dict[str, Any]:
    try:
        with ctx(request).db.session() as s:
            day = body.sent_on or today()
            log_letter(s, body.person_id, client_key=client_key(request), day=day)
    except Exception as exc:
        err = log_error(exc)
        if err is None:
            raise
        raise err from None
    return {"logged": True, "person_id": body.person_id}


@router.get("/figures", summary="Share of people with a letter in 90 days, and the Gini")
def api_figures(r: Reader = Depends(reader), s: Session = Depends(db_session)) -> dict[str, Any]:
    f = letter_figures(s, today())
    return {
        "day": today().isoformat(),
        "eligible": f.eligible,
        "with_letter_90d": f.with_letter_90d,
        "share": f.share,
        "gini": f.gini,
    }
