"""The letters log's refusals as the web app's errors: a person one cannot write to is 404
(whether they exist, are hidden or flagged is not told), too many letters from one client 429
with ``Retry-After``, a refused value 422 naming the field."""

from __future__ import annotations

from prisonwatch.letters.log import NotEligible, RateLimited
from prisonwatch.validation import FieldError
from prisonwatch.web.errors import ApiError


def log_error(exc: Exception) -> ApiError | None:
    """The :class:`ApiError` for an exception of :mod:`prisonwatch.letters.log`, or None for
    any other exception (to be raised as it is)."""
    if isinstance(exc, NotEligible):
        return ApiError(404, "nobody to write to with this id today")
    if isinstance(exc, RateLimited):
        seconds = int(exc.retry_after.total_seconds()) + 1
        return ApiError(429, str(exc), headers={"Retry-After": str(seconds)})
    if isinstance(exc, FieldError):
        return ApiError(
            422,
            str(exc),
            code="invalid",
            details=[{"field": exc.field, "message": exc.message}],
        )
    return None
