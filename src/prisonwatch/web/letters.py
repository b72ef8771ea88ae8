"""The "Write a letter" pages: ``/letters`` (the pick, the fewest letters, birthdays, search,
advice), ``/letters/pick``, ``POST /letters/log`` ("I sent a letter"), and for editors
``/letters/counts`` (letters per person, corrections, flags).

Only translates requests into :mod:`prisonwatch.letters` calls and renders. Everything works
without JavaScript: the pick is a plain GET form, the log a POST form with the CSRF token, the
label selection checkboxes of one GET form.

The letter pages show every reader, staff included, what the public sees: public facts only,
never a flagged or hidden person — they are the tool one hands on. Editors see everyone, with
the flags, on ``/letters/counts``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from prisonwatch.letters.birthdays import birthdays_among
from prisonwatch.letters.eligibility import eligible_recipients, recipients_for
from prisonwatch.letters.log import fewest_among, log_letter, pick
from prisonwatch.letters.model import Recipient
from prisonwatch.store.shown_names import names_in_script
from prisonwatch.web.context import ctx
from prisonwatch.web.convertors import ID_MAX
from prisonwatch.web.letters_errors import log_error
from prisonwatch.web.letters_shared import (
    address_forms,
    client_key,
    rng,
    today,
)
from prisonwatch.web.params import invalid, opt_int, opt_str
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, checked_form, db_session, reader

router = APIRouter(include_in_schema=False)
NAV = ("/letters", "Write a letter")

FEWEST = 10
MAX_RESULTS = 100
QUERY_MAX = 200


def _shown(request: Request, s: Session, ids: list[int]) -> dict[int, str]:
    """Public names in the reader's script (the envelope keeps the form the post expects)."""
    return names_in_script(s, ids, locale_of(request).script, include_private=False)


@router.get("/letters")
def letters_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    params = dict(request.query_params)
    query = opt_str(params, "q", QUERY_MAX)
    logged = opt_int(params, "logged", 1, ID_MAX)
    day = today()
    people = eligible_recipients(s, day)  # read once: the fewest and the birthdays come from it
    fewest = fewest_among(people, day, limit=FEWEST)
    found: list[Recipient] | None = None
    if query:
        found = eligible_recipients(s, day, query=query)
    coming = birthdays_among(people, day, months=2)
    ids = [x.person_id for x in [*fewest, *(found or [])[:MAX_RESULTS]]]
    ids += [b.person_id for b in coming]
    # thanks by name only for someone the public may write to (never a flagged person's name)
    thanked = [x.person_id for x in recipients_for(s, day, [logged])] if logged else []
    shown = _shown(request, s, [*ids, *thanked])
    return render(
        request,
        "letters/index.html",
        fewest=fewest,
        found=found[:MAX_RESULTS] if found is not None else None,
        found_total=len(found) if found is not None else 0,
        q=query or "",
        this_month=[b for b in coming if b.day.month == day.month],
        next_month=[b for b in coming if b.day.month != day.month],
        shown=shown,
        forms=address_forms,
        thanks=None if logged is None else (shown.get(logged, "") if thanked else ""),
    )


@router.get("/letters/pick")
def pick_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    """Someone held today whose address is known, at random, fewer letters likelier."""
    chosen = pick(s, today(), rng=rng(request))
    shown = _shown(request, s, [chosen.person_id]) if chosen else {}
    return render(request, "letters/pick.html", chosen=chosen, shown=shown, forms=address_forms)


@router.post("/letters/log")
def log_form(
    request: Request, form: FormData = Depends(checked_form), r: Reader = Depends(reader)
) -> Response:
    """ "I sent a letter": one more letter logged as sent (nothing about the sender is stored;
    limited per client)."""
    raw = form.get("person_id")
    if not isinstance(raw, str) or not raw.isdigit() or not 1 <= int(raw) <= ID_MAX:
        raise invalid("person_id", "not a person id")
    person_id = int(raw)
    try:
        with ctx(request).db.session() as s:
            log_letter(s, person_id, client_key=client_key(request), day=today())
    except Exception as exc:
        err = log_error(exc)
        if err is None:
            raise
        raise err from None
    return RedirectResponse(f"/letters?logged={person_id}#thanks", 303)


__all__ = ["NAV", "router"]
