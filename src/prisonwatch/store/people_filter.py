"""The people filter as a person types it: one parser for the web's query string (the people
page, its CSV and ``/api/v1/people``) and the CLI's ``prisonwatch people`` options, into the one
:class:`~prisonwatch.store.people.PeopleFilter` that :func:`~prisonwatch.store.people.list_people`
runs.

Values arrive as text under the names of :data:`FIELDS` (the query-string names). A value
that is not usable raises :class:`FilterError` naming the field; the value itself is not
echoed (it could be anything, even a private value). Empty values mean "no filter". Text goes
through the input rule of :mod:`prisonwatch.validation` (characters, spaces, length).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.model import Gender
from prisonwatch.names.display import DISPLAY_SCRIPTS
from prisonwatch.store.people import SORTS, STATUSES, PeopleFilter
from prisonwatch.validation import FieldError, check_text

#: The filter's fields, by their query-string names.
FIELDS = (
    "status",
    "region",
    "article",
    "facility",
    "min_sentence_months",
    "max_sentence_months",
    "detained_from",
    "detained_to",
    "recognised_by",
    "gender",
    "text",
)
MAX_TEXT = 300
MAX_ARTICLE = 30
MAX_SENTENCE_MONTHS = 1200
GENDERS = tuple(g.value for g in Gender)

Raw = Mapping[str, str | int | None]


class FilterError(FieldError):
    """A filter value cannot be used; ``field`` is its query-string name."""


def _text(raw: Raw, key: str, max_len: int = MAX_TEXT) -> str | None:
    """The input rule of every text (validation.py: characters, spaces, length)."""
    value = raw.get(key)
    try:
        return check_text(key, value, limit=max_len)
    except FieldError as exc:
        raise FilterError(exc.field, exc.message) from None


def _choice(raw: Raw, key: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(raw, key, 30)
    if value is not None and value not in allowed:
        raise FilterError(key, f"use one of {', '.join(allowed)}")
    return value


def _months(raw: Raw, key: str) -> int | None:
    value = _text(raw, key)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise FilterError(key, "not a whole number") from None
    if not 0 <= number <= MAX_SENTENCE_MONTHS:
        raise FilterError(key, f"must be between 0 and {MAX_SENTENCE_MONTHS}")
    return number


def _day(raw: Raw, key: str) -> dt.date | None:
    value = _text(raw, key)
    if value is None:
        return None
    try:
        return parse_day(value)
    except PartialDateError:
        raise FilterError(key, "use a full date YYYY-MM-DD") from None


def parse_people_filter(raw: Raw) -> PeopleFilter:
    """The filter from text values named as :data:`FIELDS` (other keys are ignored)."""
    return PeopleFilter(
        status=_choice(raw, "status", STATUSES),
        region=_text(raw, "region"),
        article=_text(raw, "article", MAX_ARTICLE),
        facility=_text(raw, "facility"),
        min_sentence_months=_months(raw, "min_sentence_months"),
        max_sentence_months=_months(raw, "max_sentence_months"),
        detained_from=_day(raw, "detained_from"),
        detained_to=_day(raw, "detained_to"),
        recognised_by=_text(raw, "recognised_by"),
        gender=_choice(raw, "gender", GENDERS),
        text=_text(raw, "text"),
    )


def parse_sort(value: str | None) -> str:
    """The people list's order: one of :data:`~prisonwatch.store.people.SORTS` (default
    ``name``)."""
    sort = (value or "").strip() or "name"
    if sort not in SORTS:
        raise FilterError("sort", f"use one of {', '.join(SORTS)}")
    return sort


def parse_script(value: str | None) -> str:
    """The script whose displayed names the list sorts by: ``latin`` (default) or
    ``cyrillic``."""
    script = (value or "").strip().lower() or "latin"
    if script not in DISPLAY_SCRIPTS:
        raise FilterError("script", f"use one of {', '.join(DISPLAY_SCRIPTS)}")
    return script


__all__ = ["FIELDS", "FilterError", "parse_people_filter", "parse_script", "parse_sort"]
