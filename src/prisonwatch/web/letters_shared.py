"""What the letter pages, feeds and API share: the day, the random source of the pick, the
client key of the letters log, the address forms of a recipient and their plain-data shape.

The client key is the client's address as the app sees it (the TCP peer, or what a trusted
proxy reports); the letters log stores only a keyed hash of it, and only for two days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from prisonwatch.letters.model import Address, Birthday, FacilityView, Recipient

#: the forms of an address a letter may need, in the order the pages show them
ADDRESS_FORMS = ("ru", "be", "abroad")


def today() -> dt.date:
    return dt.date.today()


def rng(request: Request) -> random.Random:
    """The pick's random source: the system's, unless a test put a seeded one on the app."""
    seeded = getattr(request.app.state, "letters_rng", None)
    return seeded if isinstance(seeded, random.Random) else random.SystemRandom()


def client_key(request: Request) -> str:
    """What tells clients apart for the letters log's limit: the client's address as the app
    sees it. The log keeps only a keyed hash of it, for two days
    (:mod:`prisonwatch.letters.log`)."""
    return request.client.host if request.client else "-"


@dataclass(frozen=True, slots=True)
class AddressForm:
    """One way of writing a recipient's address on an envelope."""

    form: str  # "ru", "be" or "abroad"
    lines: tuple[str, ...]


def address_forms(r: Recipient) -> list[AddressForm]:
    """The recipient line followed by the facility's address, in Russian, in Belarusian, and
    for mail from abroad (with the "REPUBLIC OF BELARUS" line); forms the registry lacks are
    left out."""
    f = r.facility
    if f is None:
        return []
    out = []
    for form, addr in (("ru", f.address_ru), ("be", f.address_be)):
        if addr is not None and addr.lines:
            out.append(AddressForm(form, (r.recipient_line, *addr.lines)))
    abroad = _abroad(f)
    if abroad is not None:
        out.append(AddressForm("abroad", (r.recipient_line, *abroad.lines_abroad)))
    return out


def _abroad(f: FacilityView) -> Address | None:
    for addr in (f.address_ru, f.address_be):
        if addr is not None and addr.lines_abroad:
            return addr
    return None


def address_in(r: Recipient, form: str) -> tuple[str, ...]:
    """The envelope lines in ``form``, or the first form the registry has."""
    forms = address_forms(r)
    for a in forms:
        if a.form == form:
            return a.lines
    return forms[0].lines if forms else ()


def facility_dict(f: FacilityView | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "id": f.id,
        "name": f.name,
        "kind": f.kind,
        "region": f.region,
        "address_be": _address_dict(f.address_be),
        "address_ru": _address_dict(f.address_ru),
        "verified_on": f.verified_on.isoformat() if f.verified_on else None,
        "verified_source": f.verified_source,
    }


def _address_dict(a: Address | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"lines": list(a.lines), "lines_abroad": list(a.lines_abroad), "language": a.language}


def recipient_dict(r: Recipient) -> dict[str, Any]:
    return {
        "person_id": r.person_id,
        "name": r.display_name,
        "recipient_line": r.recipient_line,
        "birth_date": r.birth_date,
        "letters_90d": r.letters_90d,
        "facility": facility_dict(r.facility),
        "envelope": {a.form: list(a.lines) for a in address_forms(r)},
    }


def birthday_dict(b: Birthday) -> dict[str, Any]:
    return {
        "person_id": b.person_id,
        "name": b.display_name,
        "day": b.day.isoformat(),
        "age": b.age,
        "facility": facility_dict(b.facility),
    }
