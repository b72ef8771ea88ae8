"""Errors of the reconciliation package. Each message names what a person must fix."""

from __future__ import annotations


class InputError(ValueError):
    """A list file cannot be used: missing column, empty file, not CSV/XLSX, bad value.

    The message names the file, and where it applies the row and the column.
    """


class ReviewError(ValueError):
    """A review-queue action cannot be done (unknown item, already decided, bad decision)."""
