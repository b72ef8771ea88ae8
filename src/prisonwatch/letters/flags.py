"""Flags on people (incommunicado, address unknown, no publicity): the writer lives in
:mod:`prisonwatch.store.flags` (tables are written only in ``store/``); here for the letter use
cases' callers."""

from __future__ import annotations

from prisonwatch.store.flags import FLAGS, FlagError, clear_flag, flags_of, set_flag

__all__ = ["FLAGS", "FlagError", "clear_flag", "flags_of", "set_flag"]
