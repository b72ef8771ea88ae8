"""Turning query strings into library filters, with errors that name the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.store.people import SORTS, STATUSES, PeopleFilter
from prisonwatch.web.errors import ApiError

MAX_PER_PAGE = 200
PEOPLE_FIELDS = (
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


def invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422, f"{field}: {message}", code="invalid", details=[{"field": field, "message": message}]
    )


def opt_str(params: Mapping[str, str], key: str, max_len: int = 300) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    value = value.strip()
    if len(value) > max_len:
        raise invalid(key, f"longer than {max_len} characters")
    return value or None


def opt_int(params: Mapping[str, str], key: str, lo: int = 0, hi: int = 10_000_000) -> int | None:
    value = opt_str(params, key)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise invalid(key, "not a whole number") from exc
    if not lo <= number <= hi:
        raise invalid(key, f"must be between {lo} and {hi}")
    return number


def opt_day(params: Mapping[str, str], key: str) -> dt.date | None:
    value = opt_str(params, key)
    if value is None:
        return None
    try:
        return parse_day(value)
    except PartialDateError as exc:
        # the input is not echoed back: it could be anything, even a private value
        raise invalid(key, "use a full date YYYY-MM-DD") from exc


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    per_page: int


def paging(params: Mapping[str, str], default_per_page: int = 50) -> Paging:
    return Paging(
        page=opt_int(params, "page", 1, 1_000_000) or 1,
        per_page=opt_int(params, "per_page", 1, MAX_PER_PAGE) or default_per_page,
    )


def people_filter(params: Mapping[str, str]) -> PeopleFilter:
    status = opt_str(params, "status")
    if status and status not in STATUSES:
        raise invalid("status", f"use one of {', '.join(STATUSES)}")
    return PeopleFilter(
        status=status,
        region=opt_str(params, "region"),
        article=opt_str(params, "article", 30),
        facility=opt_str(params, "facility"),
        min_sentence_months=opt_int(params, "min_sentence_months", 0, 1200),
        max_sentence_months=opt_int(params, "max_sentence_months", 0, 1200),
        detained_from=opt_day(params, "detained_from"),
        detained_to=opt_day(params, "detained_to"),
        recognised_by=opt_str(params, "recognised_by"),
        gender=opt_str(params, "gender", 10),
        text=opt_str(params, "text"),
    )


def wants_private(params: Mapping[str, str]) -> bool:
    """``private=1`` (or ``true``, ``yes``): the reader asks for private facts too."""
    return opt_str(params, "private", 5) in ("1", "true", "yes")


def people_sort(params: Mapping[str, str]) -> str:
    sort = opt_str(params, "sort") or "name"
    if sort not in SORTS:
        raise invalid("sort", f"use one of {', '.join(SORTS)}")
    return sort


def filter_query(params: Mapping[str, str], *, drop: tuple[str, ...] = ("page",)) -> str:
    """The current filter as a query string (for pagination links and the CSV link)."""
    from urllib.parse import urlencode

    keep = {k: v for k, v in params.items() if k not in drop and v}
    return urlencode(keep)
