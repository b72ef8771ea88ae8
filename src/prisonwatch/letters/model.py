"""What the letter use cases hand to the CLI and the web pages: plain frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Address:
    """A facility's postal address in one language (``be`` or ``ru``): ``lines`` as written
    inside Belarus, ``lines_abroad`` with the country line ("REPUBLIC OF BELARUS") added for
    mail from abroad. The recipient line is not part of it (see :class:`Recipient`)."""

    lines: tuple[str, ...]
    lines_abroad: tuple[str, ...]
    language: str


@dataclass(frozen=True, slots=True)
class FacilityView:
    id: int
    name: str
    kind: str
    region: str | None
    address_be: Address | None
    address_ru: Address | None
    verified_on: dt.date | None
    verified_source: str | None  # the source's URL or title (public sources only)

    @property
    def has_address(self) -> bool:
        return self.address_be is not None or self.address_ru is not None


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person who can be written to on the day asked about. ``flags``: the active flags
    (only ever non-empty for a reader with private access: flagged people are left out of
    every public result)."""

    person_id: int
    display_name: str
    recipient_line: str
    facility: FacilityView | None
    birth_date: str | None
    letters_90d: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Birthday:
    person_id: int
    display_name: str
    day: dt.date
    age: int | None
    facility: FacilityView | None


@dataclass(frozen=True, slots=True)
class LetterFigures:
    """``share``: eligible people with at least one letter logged in the last 90 days, of all
    eligible people (0 when nobody is eligible); ``gini``: the Gini coefficient of letters per
    eligible person over those 90 days (0 = even, towards 1 = a few get them all)."""

    eligible: int
    with_letter_90d: int
    share: float
    gini: float
