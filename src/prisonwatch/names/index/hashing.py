"""Hashes of word skeletons and of their deletion neighbourhoods (numpy, 64-bit).

A query word reaches a vocabulary word when a hash of one of its stems, or of that stem with one
letter deleted (two for long words), equals such a hash of the vocabulary word: this covers one
substitution, insertion, deletion or swap of neighbours on either side."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from prisonwatch.names.index.arrays import U64Array
from prisonwatch.names.similarity import stems

MIN_FUZZY_LEN = 4
#: Words this long are also reached two deletions away (on either side).
MIN_TWO_EDIT_LEN = 8

# Polynomial hash mod 2**64 of a byte string, Σ c_j·P**j, then mixed with the length. The hash
# of the string with letter i deleted follows from prefix sums, so the whole deletion
# neighbourhood of a vocabulary is hashed with a few numpy operations.
_P = np.uint64(0x100000001B3)
_PINV = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _finish_hash(h: U64Array, length: npt.NDArray[np.int64]) -> U64Array:
    with np.errstate(over="ignore"):
        h = h + length.astype(np.uint64) * _MIX
        h = h ^ (h >> np.uint64(31))
        h = h * _MIX2
        return h ^ (h >> np.uint64(29))


def _matrix(strings: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    width = max((len(s) for s in strings), default=1) or 1
    raw = np.array(strings, dtype=f"S{width}")
    mat = raw.view(np.uint8).reshape(len(strings), width).astype(np.uint64)
    lengths = np.fromiter((len(s) for s in strings), dtype=np.int64, count=len(strings))
    return mat, lengths


def neighbourhood(strings: Sequence[str]) -> tuple[U64Array, npt.NDArray[np.int64]]:
    """Hashes of each string and of its one-letter deletions (strings ≥ ``MIN_FUZZY_LEN``).

    Returns ``(hashes, owner)``: ``owner[i]`` is the index of the string ``hashes[i]`` came from.
    """
    if not strings:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    mat, lengths = _matrix(strings)
    n, width = mat.shape
    with np.errstate(over="ignore"):
        powers = np.ones(width, dtype=np.uint64)
        for j in range(1, width):
            powers[j] = powers[j - 1] * _P
        terms = mat * powers
        prefix = np.cumsum(terms, axis=1, dtype=np.uint64)
        total = prefix[:, -1]
        out = [_finish_hash(total, lengths)]
        owners = [np.arange(n, dtype=np.int64)]
        for i in range(width):
            rows = np.nonzero((lengths > i) & (lengths >= MIN_FUZZY_LEN))[0]
            if not len(rows):
                continue
            before = prefix[rows, i - 1] if i > 0 else np.zeros(len(rows), dtype=np.uint64)
            after = (total[rows] - prefix[rows, i]) * _PINV
            out.append(_finish_hash(before + after, lengths[rows] - 1))
            owners.append(rows.astype(np.int64))
        # two deletions for long words: the matcher takes 2 edits in ≥ 8 letters as a variant
        pinv2 = _PINV * _PINV
        for i in range(width):
            for j in range(i + 1, width):
                rows = np.nonzero((lengths > j) & (lengths >= MIN_TWO_EDIT_LEN))[0]
                if not len(rows):
                    continue
                pre = prefix[rows]
                before = pre[:, i - 1] if i > 0 else np.zeros(len(rows), dtype=np.uint64)
                middle = (pre[:, j - 1] - pre[:, i]) * _PINV
                after = (total[rows] - pre[:, j]) * pinv2
                out.append(_finish_hash(before + middle + after, lengths[rows] - 2))
                owners.append(rows.astype(np.int64))
    return np.concatenate(out), np.concatenate(owners)


def full_hashes(strings: Sequence[str]) -> U64Array:
    """The hash of each string (the same as :func:`neighbourhood` gives it)."""
    mat, lengths = _matrix(strings)
    powers = np.ones(mat.shape[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(1, mat.shape[1]):
            powers[j] = powers[j - 1] * _P
        total = (mat * powers).sum(axis=1, dtype=np.uint64)
    return _finish_hash(total, lengths)


def query_hashes(skel: str) -> U64Array:
    """Hashes of the strings a query word reaches the vocabulary through: its stems and
    their one-letter deletions; two-letter deletions of a long word."""
    out: set[str] = set()
    for st in stems(skel):
        out.add(st)
        if len(st) >= MIN_FUZZY_LEN:
            dels = {st[:i] + st[i + 1 :] for i in range(len(st))}
            out |= dels
            if len(st) >= MIN_TWO_EDIT_LEN:
                out |= {d[:i] + d[i + 1 :] for d in dels for i in range(len(d))}
    return full_hashes(sorted(out))


def variant_hashes(skels: Sequence[str]) -> tuple[U64Array, npt.NDArray[np.int64]]:
    """Deletion-neighbourhood hashes of the stems of each skeleton, and their owner."""
    stem_list: list[str] = []
    stem_owner: list[int] = []
    for i, s in enumerate(skels):
        for st in stems(s):
            stem_list.append(st)
            stem_owner.append(i)
    hashes, owner = neighbourhood(stem_list)
    return hashes, np.asarray(stem_owner, dtype=np.int64)[owner]


class HashTable:
    """Where given hashes occur in a sorted hash array: the array's positions are bucketed by
    the hashes' top bits (about two entries a bucket), so a lookup reads a bucket or two per
    hash instead of binary-searching millions of entries (a query word's ~65 hashes: ~20 µs,
    not ~150)."""

    __slots__ = ("_offsets", "_shift", "hashes")

    def __init__(self, hashes: U64Array) -> None:
        self.hashes = hashes  # sorted
        bits = max(1, min(26, len(hashes).bit_length() - 1))
        self._shift = np.uint64(64 - bits)
        counts = np.bincount((hashes >> self._shift).astype(np.intp), minlength=1 << bits)
        offsets = np.zeros((1 << bits) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        self._offsets = offsets.astype(np.int32) if len(hashes) < 2**31 else offsets

    def positions(self, queries: U64Array) -> npt.NDArray[np.int64]:
        """Every position of the array whose hash is one of ``queries`` (a position once per
        query hash equal to it)."""
        bucket = (queries >> self._shift).astype(np.intp)
        lo = self._offsets[bucket].astype(np.int64)
        lens = self._offsets[bucket + 1] - lo
        total = int(lens.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        pos = np.repeat(lo - (np.cumsum(lens) - lens), lens) + np.arange(total, dtype=np.int64)
        found: npt.NDArray[np.int64] = pos[self.hashes[pos] == np.repeat(queries, lens)]
        return found


__all__ = ["HashTable", "full_hashes", "neighbourhood", "query_hashes", "variant_hashes"]
