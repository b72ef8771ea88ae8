"""Candidate index: find the registry names that could match a query without scoring them all.

Each registry name is broken into word skeletons (see :mod:`prisonwatch.names.phonetic`). The
index keeps, per distinct skeleton, the sorted list of names that contain it (a CSR posting
array in numpy), and three ways to reach a skeleton from a query word:

* the same skeleton, or one reachable by deleting one letter on either side (a symmetric
  deletion neighbourhood, kept as sorted 64-bit hashes: covers one substitution, insertion or
  deletion, and case endings through the stems of inflected forms);
* a shared Wikidata name group (``Alexander`` reaches ``Aliaksandr``, ``Nicholas``
  ``Мікалай``).

The *pool* of a query is every name with at least two of its words reached (one if either
side has only one full word) — the matcher cannot score a match with fewer — plus every name
reached through a rare query word (≤ ``RARE_POSTINGS`` names), whose other words may be two or
more edits away. The pool is ranked by a vectorised estimate of the matcher's score: the
rapidfuzz OSA distance (the matcher's: a swap of two neighbours is one edit) of every query word
to every distinct word skeleton in the pool (``rapidfuzz.process.cdist``), mapped like
:func:`~prisonwatch.names.similarity.token_similarity` and combined like the matcher
(weighted geometric mean, conflicts, one-sided words, caps).
:meth:`candidates` returns the best ``limit``; :meth:`search` scores the best
``max(2 × limit, 20)`` with the real matcher.

Everything per word is computed once per *distinct* word (a million names have a few hundred
thousand), in two processes for large builds, and stored in the file: a loaded index primes
the feature cache, so scoring candidates never transliterates a registry word again.

``add``/``remove`` keep the index current without a rebuild: additions go to a small
overlay, removals to a tombstone set; ``save`` folds both in.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from prisonwatch.names.base import Matcher, MatchResult, verdict_for
from prisonwatch.names.features import (
    TokenFeatures,
    compute_features,
    intern_set,
    remember,
    warm_up,
)
from prisonwatch.names.matcher import PAIR_MIN, PARTIAL_CAP, WEIGHTS, SlavicNameMatcher, parsed
from prisonwatch.names.parse import Role, split_words
from prisonwatch.names.similarity import stems
from prisonwatch.names.translit import Lang, detect_language

Key = int | str
IntArray = npt.NDArray[np.int32]
U64Array = npt.NDArray[np.uint64]

MAX_TOKENS = 6
MIN_FUZZY_LEN = 4
#: Words this long are also reached two deletions away (on either side).
MIN_TWO_EDIT_LEN = 8
#: A query word reaching at most this many names brings all of them into the pool.
RARE_POSTINGS = 200
#: More pool rows than this are cut to the ones sharing the most (and rarest) words first.
#: Pools bigger than this (or than ``PRUNE_PER_RESULT`` × the limit) are cut down to it before
#: the estimate, by how well the query's words reach each row (:meth:`CandidateIndex._prune`).
PRUNE_POOL = 5_000
PRUNE_PER_RESULT = 20
#: Above this many hits, the distinct rows are found by a scatter, not a sort.
DENSE_ROWS = 50_000
#: The similarity given to a word sharing a name group or a stem with the query word.
STRONG_SIM = 0.92
#: Builds with more distinct words than this compute word features in two processes.
PARALLEL_WORDS = 40_000
FORMAT = "prisonwatch-names-index/2"
_EMPTY = np.zeros(0, dtype=np.int32)
_EMPTY_U8 = np.zeros(0, dtype=np.uint8)


class _WordHits(NamedTuple):
    reached: IntArray  # vocabulary ids the word reaches
    posts: IntArray  # the rows containing them, each once
    strong: IntArray  # the ids among them sharing a name group or a stem with the word
    post_sim: npt.NDArray[np.uint8]  # per row: its best word's estimated similarity, × 250


class _Work:
    """Work arrays as long as the index (one entry per name row or per vocabulary word), kept
    between queries: a fresh zeroed array of 2,000,000 rows per query cost more in page faults
    than the query's own work. ``zeros`` arrays are handed back all zero: each user clears what
    it set. A query that fails drops its ``_Work`` instead of returning it (see :func:`_work`).
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


_FREE_WORK: list[_Work] = []
_FREE_WORK_LOCK = threading.Lock()


@contextlib.contextmanager
def _work() -> Iterator[_Work]:
    """A :class:`_Work` for one query: as many exist as queries ever ran at once (one per
    worker in the web app, whose searches take turns)."""
    with _FREE_WORK_LOCK:
        work = _FREE_WORK.pop() if _FREE_WORK else _Work()
    yield work  # not reached on an exception: its arrays may not be clean
    with _FREE_WORK_LOCK:
        _FREE_WORK.append(work)


def _unique_inverse(
    ids: IntArray, n_ids: int, work: _Work
) -> tuple[IntArray, npt.NDArray[np.intp]]:
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


def _distinct_rows(
    rows: IntArray, vals: npt.NDArray[Any], n_rows: int, work: _Work
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


_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)
#: Query words whose reach is remembered (given names and patronymics recur in most queries).
HITS_CACHE_MAX = 4_096
#: ... unless that would keep more postings than this in memory (int32 entries).
HITS_CACHE_POSTINGS = 25_000_000
_LANGS = list(Lang)
_LANG_CODE = {lang: i for i, lang in enumerate(_LANGS)}


# --------------------------------------------------------------------------- hashing
# Polynomial hash mod 2**64 of a byte string, Σ c_j·P**j, then mixed with the length. The hash
# of the string with letter i deleted follows from prefix sums, so the whole deletion
# neighbourhood of a vocabulary is hashed with a few numpy operations.
_P = np.uint64(0x100000001B3)
_PINV = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _word_sims(
    qs: Sequence[str], vids: IntArray, vocab: Sequence[str], vocab_len: npt.NDArray[np.int16]
) -> npt.NDArray[np.float64]:
    """``len(qs) × len(vids)`` similarities of query skeletons to vocabulary words, mapped from
    the rapidfuzz OSA distance (an adjacent transposition is one edit, as in the matcher) like
    :func:`~prisonwatch.names.similarity.token_similarity` (name groups and stems, which it
    scores higher, are the caller's: ``STRONG_SIM``)."""
    if not len(vids):
        return np.zeros((len(qs), 0), dtype=np.float64)
    wl = vids.tolist()
    choices = list(itemgetter(*wl)(vocab)) if len(wl) > 1 else [vocab[wl[0]]]
    dist = cdist(qs, choices, scorer=OSA.distance, dtype=np.int32)
    qlen = np.array([len(q) for q in qs], dtype=np.float64)[:, None]
    wlen = vocab_len[vids].astype(np.float64)[None, :]
    longest = np.maximum(qlen, wlen)
    ratio = 1.0 - dist / np.maximum(longest, 1.0)
    s = np.where(dist == 0, 0.98, (ratio**2) * 0.85)
    s = np.where((dist == 1) & (longest >= 5), 0.9, s)
    out: npt.NDArray[np.float64] = np.where((dist == 2) & (longest >= 8), 0.8, s)
    return out


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


def _neighbourhood(strings: Sequence[str]) -> tuple[U64Array, npt.NDArray[np.int64]]:
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


def _full_hashes(strings: Sequence[str]) -> U64Array:
    """The hash of each string (the same as :func:`_neighbourhood` gives it)."""
    mat, lengths = _matrix(strings)
    powers = np.ones(mat.shape[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(1, mat.shape[1]):
            powers[j] = powers[j - 1] * _P
        total = (mat * powers).sum(axis=1, dtype=np.uint64)
    return _finish_hash(total, lengths)


def _query_hashes(skel: str) -> U64Array:
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
    return _full_hashes(sorted(out))


# --------------------------------------------------------------------------- word features
def _feature_chunk(words: list[tuple[str, int]]) -> list[tuple[str, str, list[str], list[str]]]:
    out = []
    for low, code in words:
        f = compute_features(low, _LANGS[code])
        out.append((f.ascii, f.skeleton, sorted(f.rules), sorted(f.groups)))
    return out


def _compute_word_features(words: list[tuple[str, Lang]]) -> list[TokenFeatures]:
    todo = [(w, _LANG_CODE[lang]) for w, lang in words]
    workers = min(2, os.cpu_count() or 1)
    if (
        len(todo) < PARALLEL_WORDS
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        rows = _feature_chunk(todo)
    else:
        size = 5_000
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            rows = [r for part in pool.map(_feature_chunk, chunks) for r in part]
    feats = []
    for (low, lang), (asc, skel, rules, groups) in zip(words, rows, strict=True):
        f = TokenFeatures(
            lang=lang,
            ascii=asc,
            skeleton=skel,
            rules=intern_set(frozenset(rules)),
            groups=intern_set(frozenset(groups)),
        )
        remember(low, lang, f)
        feats.append(f)
    return feats


def _is_full(word: str, skel: str) -> bool:
    """Indexed words: not an initial, and a skeleton of more than one letter."""
    return len(word) > 1 and len(skel) > 1


class CandidateIndex:
    """Blocking index over person names; see the module docstring."""

    def __init__(self) -> None:
        self._keys: list[Key] = []
        self._names: list[str] = []
        # distinct words (lowercase, language) and their features
        self._word_id: dict[tuple[str, Lang], int] = {}
        self._word_list: list[tuple[str, Lang]] = []
        self._word_feat: list[TokenFeatures] = []
        # distinct skeletons ("vocabulary")
        self._vocab_list: list[str] = []
        self._vocab: dict[str, int] | None = {}
        self._vocab_len: npt.NDArray[np.int16] = np.zeros(0, dtype=np.int16)
        self._group_vids: dict[str, list[int]] = {}
        self._var_hash: U64Array = np.zeros(0, dtype=np.uint64)
        self._var_vid: IntArray = _EMPTY
        self._extra_var: dict[int, list[int]] = {}
        self._post_offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._post_ids: IntArray = _EMPTY
        self._name_toks: IntArray = np.full((0, MAX_TOKENS), -1, dtype=np.int32)
        self._name_full: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        self._base_n = 0
        # overlay for add(); tombstones for remove()
        self._extra_post: dict[int, list[int]] = {}
        self._extra_rows: list[tuple[list[int], int]] = []
        self._deleted: set[int] = set()
        self._by_key: dict[Key, list[int]] | None = None
        # query word (skeleton, groups) -> (vocabulary ids reached, their postings)
        self._hits: dict[tuple[str, frozenset[str]], _WordHits] = {}
        self._hits_size = 0

    # ----------------------------------------------------------------- vocabulary
    def _vocab_map(self) -> dict[str, int]:
        if self._vocab is None:
            self._vocab = {s: i for i, s in enumerate(self._vocab_list)}
        return self._vocab

    def _new_vids(self, skels: Sequence[str], overlay: bool = True) -> list[int]:
        """Vocabulary ids of ``skels``; new skeletons are added (hashes go to the overlay)."""
        vocab = self._vocab_map()
        out: list[int] = []
        fresh: list[str] = []
        for s in skels:
            vid = vocab.get(s)
            if vid is None:
                vid = len(self._vocab_list)
                vocab[s] = vid
                self._vocab_list.append(s)
                fresh.append(s)
            out.append(vid)
        if fresh and overlay:
            first = len(self._vocab_list) - len(fresh)
            self._vocab_len = np.concatenate(
                [self._vocab_len, np.array([len(s) for s in fresh], dtype=np.int16)]
            )
            hashes, owner = self._variant_hashes(fresh)
            for h, o in zip(hashes.tolist(), owner.tolist(), strict=True):
                self._extra_var.setdefault(h, []).append(first + o)
        return out

    @staticmethod
    def _variant_hashes(skels: Sequence[str]) -> tuple[U64Array, npt.NDArray[np.int64]]:
        """Deletion-neighbourhood hashes of the stems of each skeleton, and their owner."""
        stem_list: list[str] = []
        stem_owner: list[int] = []
        for i, s in enumerate(skels):
            for st in stems(s):
                stem_list.append(st)
                stem_owner.append(i)
        hashes, owner = _neighbourhood(stem_list)
        return hashes, np.asarray(stem_owner, dtype=np.int64)[owner]

    def _word_vids(self, words: Sequence[tuple[str, Lang]]) -> list[TokenFeatures]:
        """Register new distinct words (features computed once, in bulk)."""
        new = [w for w in dict.fromkeys(words) if w not in self._word_id]
        feats = _compute_word_features(new) if new else []
        for w, f in zip(new, feats, strict=True):
            self._word_id[w] = len(self._word_list)
            self._word_list.append(w)
            self._word_feat.append(f)
        return feats

    def _groups_of(self, vids: Sequence[int], feats: Sequence[TokenFeatures]) -> None:
        for vid, f in zip(vids, feats, strict=True):
            for g in f.groups:
                known = self._group_vids.setdefault(g, [])
                if vid not in known:
                    known.append(vid)

    # ----------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        items: Iterable[tuple[Key, str]],
        progress: Callable[[int], None] | None = None,
    ) -> CandidateIndex:
        """Index ``(key, name)`` pairs. ``progress(n)`` is called every 10,000 names."""
        idx = cls()
        word_id: dict[tuple[str, Lang], int] = {}
        flat: list[int] = []
        counts: list[int] = []
        for n, (key, name) in enumerate(items, 1):
            lang = detect_language(name)
            head, tail = split_words(name)
            c = 0
            for w in head + tail:
                if len(w) < 2:
                    continue
                k = (w.lower(), lang)
                wid = word_id.get(k)
                if wid is None:
                    wid = word_id[k] = len(word_id)
                flat.append(wid)
                c += 1
            counts.append(c)
            idx._keys.append(key)
            idx._names.append(name)
            if progress is not None and n % 10_000 == 0:
                progress(n)
        words = list(word_id)
        del word_id
        feats = idx._word_vids(words)
        skels = [f.skeleton for f in feats]
        vids = np.asarray(idx._new_vids(skels, overlay=False), dtype=np.int32)
        idx._groups_of(vids.tolist(), feats)
        full = np.fromiter(
            (_is_full(w, s) for (w, _l), s in zip(words, skels, strict=True)),
            dtype=bool,
            count=len(words),
        )
        flat_arr = np.asarray(flat, dtype=np.int64)
        row_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        keep = full[flat_arr] if len(flat_arr) else np.zeros(0, dtype=bool)
        idx._finish_arrays(vids[flat_arr[keep]], row_of[keep], len(counts))
        idx._rehash()
        _settle(len(idx._keys))
        return idx

    def _rehash(self) -> None:
        """Recompute the sorted deletion-neighbourhood hashes of the whole vocabulary."""
        hashes, owner = self._variant_hashes(self._vocab_list)
        order = np.argsort(hashes, kind="stable")
        self._var_hash = hashes[order]
        self._var_vid = owner[order].astype(np.int32)
        self._extra_var = {}
        self._vocab_len = np.array([len(s) for s in self._vocab_list], dtype=np.int16)
        self._forget_hits()

    def _finish_arrays(self, vids: npt.NDArray[Any], rows: npt.NDArray[Any], n: int) -> None:
        """Token matrix (first ``MAX_TOKENS`` full words per name) and postings from
        ``(vid, row)`` pairs given in row order."""
        vids = vids.astype(np.int32)
        rows = rows.astype(np.int64)
        full = np.bincount(rows, minlength=n) if len(rows) else np.zeros(n, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(full)[:-1]]) if n else np.zeros(0, np.int64)
        pos = np.arange(len(rows), dtype=np.int64) - starts[rows] if len(rows) else rows
        toks = np.full((n, MAX_TOKENS), -1, dtype=np.int32)
        sel = pos < MAX_TOKENS
        toks[rows[sel], pos[sel]] = vids[sel]
        self._name_toks = toks
        self._name_full = np.minimum(full, 255).astype(np.uint8)
        self._base_n = n
        flat = toks.ravel()
        mask = flat >= 0
        pv = flat[mask]
        ids = np.repeat(np.arange(n, dtype=np.int32), MAX_TOKENS)[mask]
        order = np.lexsort((ids, pv))
        pv, ids = pv[order], ids[order]
        # one posting per (vid, name) even if a name repeats a word
        keep = np.ones(len(pv), dtype=bool)
        keep[1:] = (pv[1:] != pv[:-1]) | (ids[1:] != ids[:-1])
        pv, ids = pv[keep], ids[keep]
        counts = np.bincount(pv, minlength=len(self._vocab_list))
        self._post_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._post_ids = ids.astype(np.int32)

    def __len__(self) -> int:
        return len(self._keys) - len(self._deleted)

    def _tokens_of(self, name: str) -> tuple[list[int], int]:
        lang = detect_language(name)
        head, tail = split_words(name)
        words = [(w.lower(), lang) for w in head + tail if len(w) > 1]
        self._word_vids(words)
        feats = [self._word_feat[self._word_id[w]] for w in words]
        pairs = [(w, f) for (w, _l), f in zip(words, feats, strict=True) if _is_full(w, f.skeleton)]
        vids = self._new_vids([f.skeleton for _w, f in pairs])
        self._groups_of(vids, [f for _w, f in pairs])
        return vids[:MAX_TOKENS], len(vids)

    def add(self, key: Key, name: str) -> None:
        """Add one name (cheap: goes to an overlay until the next save)."""
        i = len(self._keys)
        self._forget_hits()
        vids, nfull = self._tokens_of(name)
        self._keys.append(key)
        self._names.append(name)
        if self._by_key is not None:
            self._by_key.setdefault(key, []).append(i)
        self._extra_rows.append((vids, nfull))
        for v in set(vids):
            self._extra_post.setdefault(v, []).append(i)

    def remove(self, key: Key) -> None:
        """Remove every name stored under ``key``."""
        if self._by_key is None:
            by_key: dict[Key, list[int]] = {}
            for i, k in enumerate(self._keys):
                by_key.setdefault(k, []).append(i)
            self._by_key = by_key
        for i in self._by_key.pop(key, []):
            self._deleted.add(i)
        self._forget_hits()

    # ---------------------------------------------------------------- querying
    def _forget_hits(self) -> None:
        self._hits = {}
        self._hits_size = 0

    def _word_hits(self, skel: str, groups: frozenset[str]) -> _WordHits:
        """Vocabulary ids a query word reaches, the rows containing them, and the ids it reaches
        *strongly* — through a shared name group or a shared stem, which the matcher scores
        like a variant whatever the edit distance (remembered until the index changes)."""
        key = (skel, groups)
        hit = self._hits.get(key)
        if hit is not None:
            return hit
        reached = self._reach(skel, groups)
        strong = self._strong(skel, groups)
        vids = reached[reached < len(self._vocab_list)]
        sims = _word_sims([skel], vids, self._vocab_list, self._vocab_len)[0]
        sims = np.where(np.isin(vids, strong), np.maximum(sims, STRONG_SIM), sims)
        with _work() as work:
            posts, post_sim = _distinct_rows(
                *self._postings(vids, np.round(sims * 250).astype(np.uint8)),
                len(self._keys),
                work,
            )
        if len(self._hits) >= HITS_CACHE_MAX or self._hits_size + len(posts) > HITS_CACHE_POSTINGS:
            self._forget_hits()
        for arr in (reached, posts, strong, post_sim):
            arr.flags.writeable = False  # shared between queries: never to be changed
        hit = _WordHits(reached, posts, strong, post_sim)
        self._hits[key] = hit
        self._hits_size += len(posts)
        return hit

    def _strong(self, skel: str, groups: frozenset[str]) -> IntArray:
        """The ids of ``reached`` that share a name group or a stem with the query word. The
        rest were reached through deleted letters only (up to four edits apart for long words)
        and are estimated by their edit distance, as the matcher scores them."""
        parts: list[IntArray] = []
        for g in groups:
            hit = self._group_vids.get(g)
            if hit:
                parts.append(np.asarray(hit, dtype=np.int32))
        # words with a stem equal to one of the query word's: among those whose variant hashes
        # include the hash of a query stem (their stems, or one or two letters off them)
        mine = stems(skel)
        hashes = _full_hashes(sorted(mine))
        lo = np.searchsorted(self._var_hash, hashes, side="left")
        hi = np.searchsorted(self._var_hash, hashes, side="right")
        near: set[int] = set()
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            near.update(self._var_vid[a:b].tolist())
        for h in hashes.tolist():
            near.update(self._extra_var.get(h, ()))
        vocab = self._vocab_list
        inflected = [v for v in near if v < len(vocab) and stems(vocab[v]) & mine]
        if inflected:
            parts.append(np.asarray(inflected, dtype=np.int32))
        if not parts:
            return _EMPTY
        return np.unique(np.concatenate(parts))

    def _reach(self, skel: str, groups: frozenset[str]) -> IntArray:
        """Vocabulary ids a query word reaches: deletion neighbourhood of its stems, groups."""
        hashes = _query_hashes(skel)
        lo = np.searchsorted(self._var_hash, hashes, side="left")
        hi = np.searchsorted(self._var_hash, hashes, side="right")
        parts = [self._var_vid[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if self._extra_var:
            for h in hashes.tolist():
                hit = self._extra_var.get(h)
                if hit:
                    parts.append(np.asarray(hit, dtype=np.int32))
        for g in groups:
            hit = self._group_vids.get(g)
            if hit:
                parts.append(np.asarray(hit, dtype=np.int32))
        if not parts:
            return _EMPTY
        return np.unique(np.concatenate(parts))

    def _postings(
        self, vids: IntArray, values: npt.NDArray[np.uint8]
    ) -> tuple[IntArray, npt.NDArray[np.uint8]]:
        """The rows containing ``vids``, and for each the ``values`` entry of its vid."""
        offs = self._post_offsets
        inbase = vids < len(offs) - 1
        base = vids[inbase]
        starts = offs[base]
        lens = offs[base + 1] - starts
        total = int(lens.sum())
        parts: list[IntArray] = []
        vals: list[npt.NDArray[np.uint8]] = []
        if total:
            # positions of every posting of every vid, without a Python loop over the vids
            shift = np.repeat(starts - (np.cumsum(lens) - lens), lens)
            parts.append(self._post_ids[shift + np.arange(total, dtype=np.int64)])
            vals.append(np.repeat(values[inbase], lens))
        if self._extra_post:
            for v, val in zip(vids.tolist(), values.tolist(), strict=True):
                extra = self._extra_post.get(v)
                if extra:
                    parts.append(np.asarray(extra, dtype=np.int32))
                    vals.append(np.full(len(extra), val, dtype=np.uint8))
        if not parts:
            return _EMPTY, _EMPTY_U8
        if len(parts) == 1:
            return parts[0], vals[0]
        return np.concatenate(parts), np.concatenate(vals)

    def _rows_toks(self, rows: IntArray) -> tuple[IntArray, npt.NDArray[np.int64]]:
        base = rows < self._base_n
        if base.all():
            return self._name_toks[rows], self._name_full[rows].astype(np.int64)
        toks = np.full((len(rows), MAX_TOKENS), -1, dtype=np.int32)
        full = np.zeros(len(rows), dtype=np.int64)
        toks[base] = self._name_toks[rows[base]]
        full[base] = self._name_full[rows[base]]
        for j in np.nonzero(~base)[0].tolist():
            vids, nfull = self._extra_rows[int(rows[j]) - self._base_n]
            toks[j, : len(vids)] = vids
            full[j] = nfull
        return toks, full

    def candidates(self, query: str, limit: int = 50) -> list[Key]:
        """Keys of the names most likely to match ``query``, best first, without scoring."""
        return [self._keys[i] for i, _e in self._candidate_rows(query, limit)]

    def estimated(self, query: str, limit: int = 50) -> list[tuple[Key, float]]:
        """:meth:`candidates` with the index's estimate of each one's score (a vectorised copy
        of the default matcher's: callers may skip scoring those estimated far below their
        threshold)."""
        return [(self._keys[i], e) for i, e in self._candidate_rows(query, limit)]

    def _candidate_rows(self, query: str, limit: int) -> list[tuple[int, float]]:
        qtoks = [
            t
            for t in parsed(query).tokens
            if t.role is not Role.INITIAL and len(t.feat.skeleton) > 1
        ][:8]
        if not qtoks or not self._keys or limit <= 0:
            return []
        hits = [self._word_hits(t.feat.skeleton, t.feat.groups) for t in qtoks]
        if not sum(len(h.posts) for h in hits):
            return []
        with _work() as work:
            return self._rank_rows(qtoks, hits, limit, work)

    def _rank_rows(
        self, qtoks: Sequence[Any], hits: Sequence[_WordHits], limit: int, work: _Work
    ) -> list[tuple[int, float]]:
        k = len(qtoks)
        posts = [h.posts for h in hits]
        if k == 1:
            pool, pool_hit = posts[0], np.ones(len(posts[0]), dtype=np.int64)
        else:
            pool, pool_hit = self._pool(posts, work)
        if self._deleted:
            alive = ~np.isin(pool, np.fromiter(self._deleted, dtype=np.int32))
            pool, pool_hit = pool[alive], pool_hit[alive]
        if not len(pool):
            return []
        cap = max(PRUNE_POOL, PRUNE_PER_RESULT * limit)
        if len(pool) > cap:
            pool = self._prune(qtoks, hits, pool, pool_hit, cap, work)
        score = self._estimate(qtoks, [h.strong for h in hits], pool, work)
        if len(pool) > limit:
            top = np.argpartition(-score, limit - 1)[:limit]
            pool, score = pool[top], score[top]
        best = np.argsort(-score, kind="stable")
        return list(zip(pool[best].tolist(), score[best].tolist(), strict=True))

    def _full(self, rows: IntArray) -> npt.NDArray[Any]:
        """How many full words (not initials) the names of ``rows`` have."""
        if self._extra_rows:
            return self._rows_toks(rows)[1]
        return self._name_full[rows]

    def _pool(
        self, posts: Sequence[IntArray], work: _Work
    ) -> tuple[IntArray, npt.NDArray[np.int64]]:
        """The rows reached by two of the query's words, or by one if the name has a single
        word or the query word is rare (≤ ``RARE_POSTINGS`` names), each once, with how many
        query words reach it. The longest postings list (a common given name: a tenth of the
        registry) is only read, never written: its rows that no other word reaches are kept
        only for a one-word name."""
        n = len(self._keys)
        big = max(range(len(posts)), key=lambda t: len(posts[t]))
        others = [t for t in range(len(posts)) if t != big]
        rare = sum(1 << t for t, p in enumerate(posts) if len(p) <= RARE_POSTINGS)
        bits = work.zeros_u8("row_bits", n)  # which query words reach each row: a bit each
        for t in others:
            bits[posts[t]] |= np.uint8(1 << t)
        longest = posts[big]
        elsewhere = bits[longest] != 0
        bits[longest[elsewhere]] |= np.uint8(1 << big)
        touched = np.concatenate([posts[t] for t in others])
        tb = bits[touched]
        bits[touched] = 0  # every row set above is in ``touched``
        n_hit = _POPCOUNT[tb]
        keep = (n_hit >= 2) | (self._full(touched) <= 1) | ((tb & np.uint8(rare)) != 0)
        alone = longest[~elsewhere]
        if not rare >> big & 1:
            alone = alone[self._full(alone) <= 1]
        kept = np.concatenate([touched[keep], alone])
        kept_hit = np.concatenate([n_hit[keep], np.ones(len(alone), dtype=np.int64)])
        if len(kept) > DENSE_ROWS:  # without sorting a long list (a row's hits are equal)
            return _distinct_rows(kept, kept_hit, n, work)
        _u, first_at = np.unique(kept, return_index=True)
        first_at.sort()  # the rows in the order they were reached, as the scatter keeps them
        return kept[first_at], kept_hit[first_at]

    def _prune(
        self,
        qtoks: Sequence[Any],
        hits: Sequence[_WordHits],
        pool: IntArray,
        n_hit: npt.NDArray[np.int64],
        cap: int,
        work: _Work,
    ) -> IntArray:
        """The ``cap`` rows of a big pool (a common name, or one short word) that the query's
        words reach best: per row, the role-weighted sum of each query word's best similarity
        to a word of the row (from the postings, without looking at the rows' other words),
        less a little per word of the row that no query word reached."""
        pre = np.zeros(len(pool), dtype=np.float64)
        best = work.zeros_u8("row_best", len(self._keys))
        for t, h in zip(qtoks, hits, strict=True):
            best[h.posts] = h.post_sim  # each row once
            pre += WEIGHTS[t.role] * best[pool].astype(np.float64) / 250.0
            best[h.posts] = 0
        if self._extra_rows:
            _toks, full = self._rows_toks(pool)
        else:
            full = self._name_full[pool].astype(np.int64)
        pre -= 0.01 * np.maximum(full - n_hit, 0)
        top = np.argpartition(-pre, cap - 1)[:cap]
        return pool[np.sort(top)]

    def _estimate(
        self, qtoks: Sequence[Any], strong: list[IntArray], pool: IntArray, work: _Work
    ) -> Any:
        """Vectorised estimate of the matcher's score for each pool row (``strong[t]``: the
        vocabulary ids query word ``t`` shares a name group or a stem with)."""
        toks, full = self._rows_toks(pool)
        uniq, inv = _unique_inverse(toks.ravel(), len(self._vocab_list), work)
        inv = inv.reshape(toks.shape)
        has = uniq >= 0
        words = uniq[has]
        k = len(qtoks)
        sims = np.zeros((k, len(uniq)), dtype=np.float64)
        if len(words):
            s = _word_sims(
                [t.feat.skeleton for t in qtoks], words, self._vocab_list, self._vocab_len
            )
            for t in range(k):
                s[t] = np.where(np.isin(words, strong[t]), np.maximum(s[t], STRONG_SIM), s[t])
            sims[:, has] = s
        best = np.stack([sims[t][inv].max(axis=1) for t in range(k)], axis=1)  # rows × k
        w = np.array([WEIGHTS[t.role] for t in qtoks], dtype=np.float64)[None, :]
        matched = best >= PAIR_MIN
        n_match = matched.sum(axis=1)
        row_left = (full - n_match) > 0
        conflict = ~matched & row_left[:, None]
        logb = np.log(np.maximum(best, 0.02))
        num = (np.where(matched | conflict, w * logb, 0.0)).sum(axis=1)
        den = (np.where(matched | conflict, w, 0.0)).sum(axis=1)
        one_sided = (~matched & ~row_left[:, None]).sum(axis=1) + np.maximum(
            full - n_match - (k - n_match), 0
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(den > 0, np.exp(num / np.maximum(den, 1e-9)), 0.0)
        score = score * (0.97**one_sided)
        score = np.where(
            (n_match == 1) & (np.maximum(full, k) >= 2), np.minimum(score, PARTIAL_CAP), score
        )
        # among rows the caps make equal (a one-word query: every name with that surname or a
        # variant of it is capped at 0.7), the closer spelling first
        score = score + 0.001 * best.mean(axis=1)
        return np.where(n_match == 0, 0.0, score)

    def search(
        self,
        query: str,
        limit: int = 10,
        matcher: Matcher | None = None,
        min_score: float | None = None,
    ) -> list[tuple[Key, MatchResult]]:
        """Candidates scored with ``matcher`` (default: the default matcher), best first.

        Only results with score >= ``min_score`` (default: the matcher's review threshold).
        """
        return [(k, r) for k, _name, r in self.search_names(query, limit, matcher, min_score)]

    def search_names(
        self,
        query: str,
        limit: int = 10,
        matcher: Matcher | None = None,
        min_score: float | None = None,
        *,
        candidates: int | None = None,
        explain: bool = True,
    ) -> list[tuple[Key, str, MatchResult]]:
        """:meth:`search`, with the indexed spelling of each name found.

        ``candidates``: how many of the best-estimated names are scored (default
        ``max(2 × limit, 20)``). ``explain=False`` leaves ``why`` and ``parts`` empty (for
        callers that explain only the results they keep)."""
        m = matcher if matcher is not None else _default()
        floor = m.review_threshold if min_score is None else min_score
        rows = [r for r, _e in self._candidate_rows(query, candidates or max(limit * 2, 20))]
        scored: list[tuple[float, int]] = []
        for r in rows:
            s = m.score(query, self._names[r])
            if s >= floor:
                scored.append((s, r))
        scored.sort(key=lambda t: -t[0])
        if not explain:
            return [
                (
                    self._keys[r],
                    self._names[r],
                    MatchResult(s, verdict_for(s, m.match_threshold, m.review_threshold), ""),
                )
                for s, r in scored[:limit]
            ]
        return [
            (self._keys[r], self._names[r], m.compare(query, self._names[r]))
            for _s, r in scored[:limit]
        ]

    def search_many(
        self,
        queries: Sequence[str],
        limit: int = 10,
        matcher: Matcher | None = None,
        min_score: float | None = None,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[list[tuple[Key, MatchResult]]]:
        """:meth:`search` for every query, in order; a batch of at least
        ``PARALLEL_QUERIES`` runs in ``workers`` forked processes (default: 2 on a multi-core
        machine) that share this index copy-on-write. ``progress(n)`` gets the number done."""
        global _SHARED
        n_workers = _query_workers(workers, len(queries))
        if n_workers <= 1:
            out = []
            for i, q in enumerate(queries, 1):
                out.append(self.search(q, limit, matcher, min_score))
                if progress is not None and i % _CHUNK == 0:
                    progress(i)
            if progress is not None:
                progress(len(queries))
            return out
        chunks = [(i, min(i + _CHUNK, len(queries))) for i in range(0, len(queries), _CHUNK)]
        _SHARED = (self, queries, limit, matcher, min_score)
        warm_up()  # once here, not once per worker
        # Objects the workers only read stay shared: keep the collector from touching them
        # (they stay frozen afterwards, as after a load: they live as long as the index).
        gc.freeze()
        try:
            results: list[list[tuple[Key, MatchResult]]] = []
            with multiprocessing.get_context("fork").Pool(n_workers) as pool:
                for (_a, b), part in zip(chunks, pool.imap(_search_chunk, chunks), strict=True):
                    results.extend(part)
                    if progress is not None:
                        progress(b)
            return results
        finally:
            _SHARED = None

    # ---------------------------------------------------------------- storage
    def save(self, path: str | Path) -> None:
        """Write the index to one ``.npz`` file (no pickle; safe to load)."""
        word_vid = np.array(self._new_vids([f.skeleton for f in self._word_feat]), np.int32)
        self._compact()
        keys_int = all(type(k) is int for k in self._keys)
        groups = sorted(self._group_vids)
        rule_names = sorted({r for f in self._word_feat for r in f.rules})
        rule_bit = {r: 1 << i for i, r in enumerate(rule_names)}
        group_ix = {
            g: i for i, g in enumerate(sorted({g for f in self._word_feat for g in f.groups}))
        }
        wg_off = np.zeros(len(self._word_feat) + 1, dtype=np.int64)
        wg_ids: list[int] = []
        for i, f in enumerate(self._word_feat):
            wg_ids.extend(sorted(group_ix[g] for g in f.groups))
            wg_off[i + 1] = len(wg_ids)
        meta = {
            "format": FORMAT,
            "groups": groups,
            "word_groups": sorted(group_ix, key=group_ix.__getitem__),
            "rules": rule_names,
            "keys_int": keys_int,
        }
        gv = [(gi, v) for gi, g in enumerate(groups) for v in self._group_vids[g]]
        if keys_int:
            keys = np.asarray(self._keys, dtype=np.int64)
        else:
            keys = np.frombuffer(json.dumps(self._keys, ensure_ascii=False).encode(), np.uint8)

        def blob(items: Iterable[str]) -> npt.NDArray[np.uint8]:
            return np.frombuffer("\x1f".join(items).encode(), dtype=np.uint8)

        np.savez(
            Path(path),
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            keys=keys,
            names=blob(self._names),
            vocab=blob(self._vocab_list),
            words=blob(w for w, _l in self._word_list),
            word_lang=np.array([_LANG_CODE[lang] for _w, lang in self._word_list], np.uint8),
            word_ascii=blob(f.ascii for f in self._word_feat),
            word_vid=word_vid,
            word_rules=np.array(
                [sum(rule_bit[r] for r in f.rules) for f in self._word_feat], np.int64
            ),
            word_group_offsets=wg_off,
            word_group_ids=np.asarray(wg_ids, dtype=np.int32),
            group_pairs=np.asarray(gv, dtype=np.int32).reshape(-1, 2),
            var_hash=self._var_hash,
            var_vid=self._var_vid,
            post_offsets=self._post_offsets,
            post_ids=self._post_ids,
            name_toks=self._name_toks,
            name_full=self._name_full,
        )

    @classmethod
    def load(cls, path: str | Path) -> CandidateIndex:
        with np.load(Path(path), allow_pickle=False) as data:
            meta: dict[str, Any] = json.loads(data["meta"].tobytes().decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"{path}: not a {FORMAT} file")

            def unblob(name: str) -> list[str]:
                text = data[name].tobytes().decode()
                return text.split("\x1f") if text else []

            idx = cls()
            if meta["keys_int"]:
                idx._keys = data["keys"].tolist()
            else:
                idx._keys = json.loads(data["keys"].tobytes().decode())
            idx._names = unblob("names") if idx._keys else []
            idx._vocab_list = unblob("vocab")
            idx._vocab = None
            words = unblob("words")
            langs = data["word_lang"].tolist()
            asciis = unblob("word_ascii") if words else []
            word_vid = data["word_vid"].tolist()
            word_rules = data["word_rules"].tolist()
            wg_off = data["word_group_offsets"].tolist()
            wg_ids = data["word_group_ids"].tolist()
            for name in ("var_hash", "var_vid", "post_offsets", "post_ids", "name_toks"):
                setattr(idx, "_" + name, data[name])
            idx._name_full = data["name_full"]
            pairs = data["group_pairs"].tolist()
        for gi, v in pairs:
            idx._group_vids.setdefault(meta["groups"][gi], []).append(v)
        rules: list[str] = meta["rules"]
        wgroups: list[str] = meta["word_groups"]
        rule_sets: dict[int, frozenset[str]] = {}
        group_sets: dict[tuple[int, ...], frozenset[str]] = {}
        vocab = idx._vocab_list
        for i, (w, code, asc, vid, rb) in enumerate(
            zip(words, langs, asciis, word_vid, word_rules, strict=True)
        ):
            rs = rule_sets.get(rb)
            if rs is None:
                rs = rule_sets[rb] = intern_set(
                    frozenset(r for j, r in enumerate(rules) if rb >> j & 1)
                )
            gkey = tuple(wg_ids[wg_off[i] : wg_off[i + 1]])
            gs = group_sets.get(gkey)
            if gs is None:
                gs = group_sets[gkey] = intern_set(frozenset(wgroups[g] for g in gkey))
            lang = _LANGS[code]
            f = TokenFeatures(lang=lang, ascii=asc, skeleton=vocab[vid], rules=rs, groups=gs)
            idx._word_id[(w, lang)] = i
            idx._word_list.append((w, lang))
            idx._word_feat.append(f)
            remember(w, lang, f)
        idx._vocab_len = np.array([len(s) for s in vocab], dtype=np.int16)
        idx._base_n = len(idx._keys)
        warm_up()
        _settle(len(idx._keys))
        return idx

    def _compact(self) -> None:
        """Fold the add/remove overlay into the arrays (a rebuild of the arrays only)."""
        if not self._extra_rows and not self._deleted and not self._extra_var:
            return
        live = np.array([i for i in range(len(self._keys)) if i not in self._deleted], np.int32)
        toks, full = self._rows_toks(live)
        self._keys = [self._keys[i] for i in live.tolist()]
        self._names = [self._names[i] for i in live.tolist()]
        self._by_key = None
        self._extra_post = {}
        self._extra_rows = []
        self._deleted = set()
        mask = toks >= 0
        rows = np.nonzero(mask)[0]
        self._finish_arrays(toks[mask], rows, len(live))
        # names with more than MAX_TOKENS full words keep their count
        self._name_full = np.minimum(full, 255).astype(np.uint8)
        self._rehash()


_DEFAULT: list[SlavicNameMatcher] = []


def _settle(n: int) -> None:
    """Move every object alive now (the index's millions of strings and features among them) to
    the collector's permanent generation: otherwise each full collection walks them all again,
    a pause of a second or two every few thousand queries. They are still freed by reference
    counting when the index is dropped; small indexes (tests, short lists) are left alone."""
    if n >= SETTLE_MIN_NAMES:
        gc.collect()
        gc.freeze()


#: Indexes at least this big move their objects out of the collector's way (see ``_settle``).
SETTLE_MIN_NAMES = 50_000
#: Batches at least this big are searched in forked workers.
PARALLEL_QUERIES = 2_000
_CHUNK = 250
#: Set in the parent just before forking the workers of :meth:`CandidateIndex.search_many`.
_SHARED: tuple[CandidateIndex, Sequence[str], int, Matcher | None, float | None] | None = None


def _query_workers(workers: int | None, n: int) -> int:
    if workers is not None:
        wanted = max(1, workers)
    elif n < PARALLEL_QUERIES:
        wanted = 1
    else:
        wanted = min(2, os.cpu_count() or 1)
    if wanted > 1 and "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def _search_chunk(bounds: tuple[int, int]) -> list[list[tuple[Key, MatchResult]]]:
    assert _SHARED is not None
    idx, queries, limit, matcher, min_score = _SHARED
    return [idx.search(queries[i], limit, matcher, min_score) for i in range(*bounds)]


def _default() -> SlavicNameMatcher:
    if not _DEFAULT:
        _DEFAULT.append(SlavicNameMatcher())
    return _DEFAULT[0]


__all__ = ["CandidateIndex", "Key"]
