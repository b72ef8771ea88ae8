"""Work arrays and scatter helpers of the candidate index's queries (numpy, no sorting where a
table as long as the index will do)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int32]
U64Array = npt.NDArray[np.uint64]
EMPTY = np.zeros(0, dtype=np.int32)
EMPTY_U8 = np.zeros(0, dtype=np.uint8)
#: Bits set in each byte value.
POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


class Work:
    """Work arrays as long as the index (one entry per name row or per vocabulary word), kept
    between queries: a fresh zeroed array of 2,000,000 rows per query cost more in page faults
    than the query's own work. ``zeros`` arrays are handed back all zero: each user clears what
    it set. A query that fails drops its ``Work`` instead of returning it (see
    :func:`borrowed_work`).
    """

    __slots__ = ("_arrays",)

    def __init__(self) -> None:
        self._arrays: dict[str, npt.NDArray[Any]] = {}

    def _get(self, slot: str, n: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
        arr = self._arrays.get(slot)
        if arr is None or len(arr) < n:
            arr = np.zeros(n + n // 8 + 1024, dtype=dtype)  # room for names added later
            self._arrays[slot] = arr
        return arr

    def zeros_u8(self, slot: str, n: int) -> npt.NDArray[np.uint8]:
        """All zero on the way in; must be all zero again when the query ends."""
        return self._get(slot, n, np.uint8)

    def scratch_i32(self, slot: str, n: int) -> IntArray:
        """Any content: read only where the caller wrote."""
        return self._get(slot, n, np.int32)


_FREE_WORK: list[Work] = []
_FREE_WORK_LOCK = threading.Lock()


@contextlib.contextmanager
def borrowed_work() -> Iterator[Work]:
    """A :class:`Work` for one query: as many exist as queries ever ran at once (one per
    worker in the web app, whose searches take turns)."""
    with _FREE_WORK_LOCK:
        work = _FREE_WORK.pop() if _FREE_WORK else Work()
    yield work  # not reached on an exception: its arrays may not be clean
    with _FREE_WORK_LOCK:
        _FREE_WORK.append(work)


def unique_inverse(ids: IntArray, n_ids: int, work: Work) -> tuple[IntArray, npt.NDArray[np.intp]]:
    """``np.unique(ids, return_inverse=True)`` for ids in ``[-1, n_ids)``; with many ids it
    marks them in a table of ``n_ids`` entries instead of sorting them (the sort was a third of
    the estimate's time)."""
    if len(ids) * 16 < n_ids:
        uniq, inv = np.unique(ids, return_inverse=True)
        return uniq, inv
    shifted = ids.astype(np.intp) + 1  # -1 (no word) is entry 0
    seen = work.zeros_u8("vocab_seen", n_ids + 1)
    seen[shifted] = 1
    present = np.flatnonzero(seen[: n_ids + 1])
    seen[present] = 0
    slot = work.scratch_i32("vocab_slot", n_ids + 1)
    slot[present] = np.arange(len(present), dtype=np.int32)
    return (present - 1).astype(np.int32), slot[shifted].astype(np.intp)


def distinct_rows(
    rows: IntArray, vals: npt.NDArray[Any], n_rows: int, work: Work
) -> tuple[IntArray, npt.NDArray[Any]]:
    """Each row once, with the highest of its values (a name holding two spellings of one
    query word). Found by a scatter, without sorting: the first occurrence is kept whichever
    write a repeated row's scatter kept, and the repeats, rare, are folded in by maximum."""
    if len(rows) < 2:
        return rows, vals
    pos = work.scratch_i32("row_pos", n_rows)  # read only where written
    at = np.arange(len(rows), dtype=np.int32)
    pos[rows] = at
    once = pos[rows] == at
    if once.all():
        return rows, vals
    keep_rows, best = rows[once], vals[once]
    pos[keep_rows] = np.arange(len(keep_rows), dtype=np.int32)
    np.maximum.at(best, pos[rows[~once]], vals[~once])
    return keep_rows, best


__all__ = [
    "EMPTY",
    "EMPTY_U8",
    "POPCOUNT",
    "IntArray",
    "U64Array",
    "Work",
    "borrowed_work",
    "distinct_rows",
    "unique_inverse",
]
