"""The one way PrisonWatch spreads a batch over both cores: forked workers that share,
copy-on-write, what the parent had built (a million-name index, the rows of a list) instead of
pickling it.

The parent hands its shared state to :func:`fork_imap`; the workers read it with :func:`shared`.
Before forking, every object alive is moved out of the garbage collector's way (``gc.freeze``):
a collection in a worker would otherwise touch, and so copy, every page of the shared state. The
objects stay frozen afterwards (they live as long as the index or list they belong to; a later
``gc.unfreeze`` would also undo the index's own freeze after a load).

Where ``fork`` is not available (or one worker is asked for) the batch runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Set in the parent just before forking, read by the workers (copy-on-write).
_SHARED: Any = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def worker_count(wanted: int | None, n_items: int, min_items: int) -> int:
    """How many workers a batch of ``n_items`` gets: ``wanted`` when given, else 2 on a
    multi-core machine for batches of at least ``min_items`` (forking costs ~0.1 s), else 1."""
    if wanted is not None:
        n = max(1, wanted)
    elif n_items < min_items:
        n = 1
    else:
        n = min(2, os.cpu_count() or 1)
    return n if n <= 1 or can_fork() else 1


def shared() -> Any:
    """What the parent passed as ``state`` to :func:`fork_imap` (in a worker)."""
    return _SHARED


def fork_imap(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    state: Any = None,
    *,
    before_fork: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``func`` over ``items``, results in order, in ``workers`` forked processes that see
    ``state`` through :func:`shared`. ``before_fork`` runs once in the parent (create what every
    worker would otherwise create for itself: transliterators, lookup tables)."""
    global _SHARED
    if workers <= 1 or not can_fork():
        previous, _SHARED = _SHARED, state
        try:
            for item in items:
                yield func(item)
        finally:
            _SHARED = previous
        return
    _SHARED = state
    if before_fork is not None:
        before_fork()
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(func, items)
    finally:
        _SHARED = None


__all__ = ["can_fork", "fork_imap", "shared", "worker_count"]
