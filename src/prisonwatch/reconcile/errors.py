"""Errors of the reconciliation package. Each message names what a person must fix; the class
says what kind of failure it is, so callers (CLI, web) choose an exit code or HTTP status by
type, never by matching the message."""

from __future__ import annotations


class InputError(ValueError):
    """A list file cannot be used: missing column, empty file, not CSV/XLSX, bad value.

    The message names the file, and where it applies the row and the column.
    """


class ReviewError(ValueError):
    """A review-queue action cannot be done. Raised only as one of the subclasses below."""


class ReviewNotFound(ReviewError):
    """No such review item or judgement (HTTP 404)."""


class ReviewConflict(ReviewError):
    """The item or judgement is not in a state that allows the action: already decided,
    already withdrawn (HTTP 409)."""


class ReviewInvalid(ReviewError):
    """The request itself is wrong: an unknown decision, a record judged against itself
    (HTTP 422)."""
