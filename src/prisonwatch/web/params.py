"""Turning query strings into library filters, with errors that name the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.store.people import PeopleFilter
from prisonwatch.store.people_filter import (
    FilterError,
    parse_people_filter,
    parse_script,
    parse_sort,
)
from prisonwatch.web.errors import ApiError

MAX_PER_PAGE = 200


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
    """The people filter of the query string (store/people_filter.py: the CLI's parser too)."""
    try:
        return parse_people_filter(params)
    except FilterError as exc:
        raise invalid(exc.field, exc.message) from None


def wants_private(params: Mapping[str, str]) -> bool:
    """``private=1`` (or ``true``, ``yes``): the reader asks for private facts too."""
    return opt_str(params, "private", 5) in ("1", "true", "yes")


def people_sort(params: Mapping[str, str]) -> str:
    try:
        return parse_sort(params.get("sort"))
    except FilterError as exc:
        raise invalid(exc.field, exc.message) from None


def people_script(params: Mapping[str, str]) -> str:
    try:
        return parse_script(params.get("script"))
    except FilterError as exc:
        raise invalid(exc.field, exc.message) from None


def filter_query(params: Mapping[str, str], *, drop: tuple[str, ...] = ("page",)) -> str:
    """The current filter as a query string (for pagination links and the CSV link)."""
    from urllib.parse import urlencode

    keep = {k: v for k, v in params.items() if k not in drop and v}
    return urlencode(keep)
