"""Reconciling a list with a list: the one use case of ``prisonwatch reconcile LEFT RIGHT``
and the web's Lists page (two uploads).

Both read the two files (all rows or an :class:`~prisonwatch.reconcile.errors.InputError`
naming file, row and column), honour the registry's judgements, match one-to-one, and queue the
new review pairs with the context ``"LEFT × RIGHT"`` (the files' names). What differs between
them is only what they are given: the CLI's options, progress bar and read limits, the web's
stop signal (the client went away, the server stops) and tighter limits for uploads.

A run without a registry (``registry=None``: the CLI's ``--no-db``, or no database here)
honours no judgements and queues nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from prisonwatch.io.limits import CLI_LIMITS, ReadLimits, StopSignal, WorkStopped
from prisonwatch.reconcile.engine import Progress, ReconcileOptions, ReconcileResult, reconcile
from prisonwatch.reconcile.errors import InputError
from prisonwatch.reconcile.list_cache import cached_read_list
from prisonwatch.reconcile.reading import ListRow, read_list
from prisonwatch.reconcile.review import enqueue, load_graph
from prisonwatch.store.db import Database


@dataclass(frozen=True, slots=True)
class ListFile:
    """One side: the file to read and how to read it."""

    path: Path
    id_col: str | None = "id"
    name_col: str = "name"
    #: the name shown in messages and used for the row keys and the queue's context, when the
    #: file at ``path`` is a copy (an upload kept in a temporary file); default: ``path``'s
    shown_name: str | None = None
    #: overrides the list part of the row keys (default: the shown name's stem)
    list_key: str | None = None

    @property
    def name(self) -> str:
        return self.shown_name or self.path.name

    @property
    def label(self) -> str:
        """How reports call the list: the file's name without its extension."""
        return Path(self.name).stem


@dataclass(frozen=True, slots=True)
class ListsReconciled:
    result: ReconcileResult
    #: review pairs added to the registry's queue (0 without a registry)
    queued: int
    left_label: str
    right_label: str

    @property
    def title(self) -> str:
        return f"{self.left_label} × {self.right_label}"


def reconcile_lists(
    left: ListFile,
    right: ListFile,
    *,
    registry: Database | None,
    options: ReconcileOptions | None = None,
    limits: ReadLimits = CLI_LIMITS,
    progress: Progress | None = None,
    stop: StopSignal | None = None,
) -> ListsReconciled:
    """Reconcile ``left`` with ``right``, honouring and feeding ``registry``'s review queue.

    ``stop`` is checked while the files are read and at every progress report of the
    matching; a stopped run raises :class:`InputError` ("the reconciliation was stopped")."""
    if stop is not None and limits.stop is None:
        limits = replace(limits, stop=stop)
    cache = options.index_cache if options is not None else None
    lrows = _read(left, limits, cache)
    rrows = _read(right, limits, cache)
    graph = None
    if registry is not None:
        with registry.session() as s:
            graph = load_graph(s)
    try:
        if stop is not None:
            stop.check()
        result = reconcile(
            lrows, rrows, options, judgements=graph, progress=_checked(progress, stop)
        )
    except WorkStopped as exc:
        raise InputError(f"the reconciliation was stopped: {exc}") from None
    queued = 0
    if registry is not None:
        with registry.session() as s:
            queued = enqueue(s, result, f"{left.name} × {right.name}")
    return ListsReconciled(result, queued, left.label, right.label)


def _read(side: ListFile, limits: ReadLimits, cache: Path | None = None) -> list[ListRow]:
    """The side's rows; with an index cache, a big file read before is loaded from there
    (:mod:`prisonwatch.reconcile.list_cache`)."""
    args: dict[str, Any] = {
        "id_col": side.id_col,
        "name_col": side.name_col,
        "original_filename": side.shown_name,
        "list_key": side.list_key,
        "limits": limits,
    }
    if cache is not None:
        return cached_read_list(cache, side.path, **args)
    return read_list(side.path, **args)


def _checked(progress: Progress | None, stop: StopSignal | None) -> Progress | None:
    """``progress``, checking ``stop`` first at every report."""
    if stop is None:
        return progress

    def report(stage: str, done: int, total: int) -> None:
        stop.check()
        if progress is not None:
            progress(stage, done, total)

    return report


__all__ = ["ListFile", "ListsReconciled", "reconcile_lists"]
