"""What the letter pages hand out to print or to other programs: the sheet of address labels
(``/letters/labels``), the iCalendar feed of birthdays (``/letters/birthdays.ics``) and the
CSV of people to write to (``/letters.csv``).

The feed and the CSV are public-only for every reader, staff included: they are made to be
passed on (a calendar subscription carries no login). Flagged people are never in them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from prisonwatch.io import csvsafe
from prisonwatch.io.ical import DayEvent, calendar
from prisonwatch.letters.birthdays import birthdays
from prisonwatch.letters.eligibility import eligible_recipients, recipients_for
from prisonwatch.letters.model import Birthday, Recipient
from prisonwatch.store.shown_names import names_in_script
from prisonwatch.web.convertors import ID_MAX
from prisonwatch.web.errors import ApiError
from prisonwatch.web.letters_shared import ADDRESS_FORMS, address_in, today
from prisonwatch.web.params import invalid
from prisonwatch.web.render import locale_of, render
from prisonwatch.web.security import Reader, db_session, reader

router = APIRouter(include_in_schema=False)

MAX_LABELS = 24 * 10  # ten sheets
#: the feed covers the birthdays of the next twelve months, one event per birthday
FEED_MONTHS = 12
CSV_COLUMNS = (
    "person_id",
    "name",
    "recipient_line",
    "facility",
    "region",
    "address_ru",
    "address_be",
    "address_abroad",
    "address_verified_on",
    "birth_date",
    "letters_90d",
)


def _person_ids(request: Request) -> list[int]:
    ids: list[int] = []
    for raw in request.query_params.getlist("person"):
        if not raw.isdigit() or not 1 <= int(raw) <= ID_MAX:
            raise invalid("person", "not a person id")
        ids.append(int(raw))
    if len(ids) > MAX_LABELS:
        raise invalid("person", f"at most {MAX_LABELS} labels at a time")
    return list(dict.fromkeys(ids))


@router.get("/letters/labels")
def labels(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    """A4 sheets of labels for the chosen people (``person`` repeated; ``form``: ru, be or
    abroad). Only people the public may write to today, with an address, are printed."""
    ids = _person_ids(request)
    form = request.query_params.get("form", "ru")
    if form not in ADDRESS_FORMS:
        raise invalid("form", "use ru, be or abroad")
    by_id = {x.person_id: x for x in recipients_for(s, today(), ids)}  # public scope
    printed = [address_in(by_id[i], form) for i in ids if i in by_id]
    printed = [lines for lines in printed if lines]
    return render(
        request,
        "letters/labels.html",
        labels=printed,
        skipped=len(ids) - len(printed),
        form=form,
    )


def _event(b: Birthday, name: str, _: Callable[[str], str], page: str) -> DayEvent:
    summary = _("Birthday: %(name)s") % {"name": name}
    if b.age is not None:
        summary += f" ({b.age})"
    lines = []
    if b.facility is not None:
        lines.append(b.facility.name)
        addr = b.facility.address_ru or b.facility.address_be
        if addr is not None:
            lines += addr.lines
    lines.append(f"{_('Write a letter')}: {page}")
    return DayEvent(
        uid=f"birthday-{b.person_id}-{b.day.year}@prisonwatch",
        day=b.day,
        summary=summary,
        description="\n".join(lines),
    )


@router.get("/letters/birthdays.ics")
def birthdays_ics(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    """Birthdays of the next twelve months, one all-day event each (not a yearly rule: a
    person released drops out of the feed at its next refresh)."""
    loc = locale_of(request)
    found = birthdays(s, today(), months=FEED_MONTHS, include_private=False)
    shown = names_in_script(s, (b.person_id for b in found), loc.script, include_private=False)
    page = f"{request.base_url}letters"
    text = calendar(
        [_event(b, shown.get(b.person_id, b.display_name), loc.gettext, page) for b in found],
        name=loc.gettext("Birthdays of political prisoners"),
        prodid="-//PrisonWatch//Letters//EN",
        stamp=dt.datetime.now(dt.UTC),
        refresh=dt.timedelta(days=1),
    )
    return Response(
        text.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="birthdays.ics"'},
    )


def _row(x: Recipient) -> list[object]:
    f = x.facility
    return [
        x.person_id,
        x.display_name,
        x.recipient_line,
        f.name if f else "",
        (f.region or "") if f else "",
        "\n".join(address_in(x, "ru")[1:]) if f and f.address_ru else "",
        "\n".join(address_in(x, "be")[1:]) if f and f.address_be else "",
        "\n".join(address_in(x, "abroad")[1:]) if f and f.has_address else "",
        f.verified_on.isoformat() if f and f.verified_on else "",
        x.birth_date or "",
        x.letters_90d,
    ]


@router.get("/letters.csv")
def letters_csv(r: Reader = Depends(reader), s: Session = Depends(db_session)) -> Response:
    """Everyone one may write to today, public facts only, formula-like cells neutralised."""
    buf = io.StringIO()
    writer = csvsafe.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for x in eligible_recipients(s, today(), include_private=False):
        if x.flags:  # never set for a public reader; kept as a guard
            raise ApiError(500, "a flagged person in a public list")
        writer.writerow(_row(x))
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="letters.csv"'},
    )
