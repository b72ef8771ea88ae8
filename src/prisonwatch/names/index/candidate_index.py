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

import gc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from prisonwatch import forkpool
from prisonwatch.names.base import Matcher, MatchResult, verdict_for
from prisonwatch.names.features import TokenFeatures, warm_up
from prisonwatch.names.index import storage
from prisonwatch.names.index.arrays import (
    EMPTY,
    EMPTY_U8,
    POPCOUNT,
    IntArray,
    U64Array,
    Work,
    borrowed_work,
    distinct_rows,
)
from prisonwatch.names.index.estimate import STRONG_SIM, estimate, word_sims
from prisonwatch.names.index.hashing import (
    HashTable,
    full_hashes,
    query_hashes,
    variant_hashes,
)
from prisonwatch.names.index.wordfeatures import compute_word_features
from prisonwatch.names.matcher import WEIGHTS, SlavicNameMatcher, parsed
from prisonwatch.names.parse import Role, split_words
from prisonwatch.names.similarity import stems
from prisonwatch.names.translit import Lang, detect_language

Key = int | str

MAX_TOKENS = 6
#: A query word reaching at most this many names brings all of them into the pool.
RARE_POSTINGS = 200
#: Pools bigger than this (or than ``PRUNE_PER_RESULT`` × the limit) are cut down to it before
#: the estimate, by how well the query's words reach each row (:meth:`CandidateIndex._prune`).
PRUNE_POOL = 5_000
PRUNE_PER_RESULT = 20
#: The longest postings list of a query is searched (binary search), not read, when the others
#: together are at least this many times shorter.
LOOKUP_RATIO = 8
#: Above this many hits, the distinct rows are found by a scatter, not a sort.
DENSE_ROWS = 50_000
#: Query words whose reach is remembered (given names and patronymics recur in most queries).
HITS_CACHE_MAX = 4_096
#: ... unless that would keep more postings than this in memory (int32 entries).
#: (Counted as entries kept: each list, its sorted copy and its one-word names.)
HITS_CACHE_POSTINGS = 40_000_000


class _WordHits(NamedTuple):
    reached: IntArray  # vocabulary ids the word reaches
    posts: IntArray  # the rows containing them, each once
    strong: IntArray  # the ids among them sharing a name group or a stem with the word
    post_sim: npt.NDArray[np.uint8]  # per row: its best word's estimated similarity, × 250
    ordered: IntArray  # ``posts`` sorted (to look rows up in a long list without reading it)
    singles: IntArray  # the rows of ``posts`` whose name has one full word, in posts' order


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
        self._var_table = HashTable(self._var_hash)
        self._var_vid: IntArray = EMPTY
        self._extra_var: dict[int, list[int]] = {}
        self._post_offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._post_ids: IntArray = EMPTY
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
            hashes, owner = variant_hashes(fresh)
            for h, o in zip(hashes.tolist(), owner.tolist(), strict=True):
                self._extra_var.setdefault(h, []).append(first + o)
        return out

    def _word_vids(self, words: Sequence[tuple[str, Lang]]) -> list[TokenFeatures]:
        """Register new distinct words (features computed once, in bulk)."""
        new = [w for w in dict.fromkeys(words) if w not in self._word_id]
        feats = compute_word_features(new) if new else []
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
        hashes, owner = variant_hashes(self._vocab_list)
        order = np.argsort(hashes, kind="stable")
        self._var_hash = hashes[order]
        self._var_vid = owner[order].astype(np.int32)
        self._var_table = HashTable(self._var_hash)
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
        sims = word_sims([skel], vids, self._vocab_list, self._vocab_len)[0]
        sims = np.where(np.isin(vids, strong), np.maximum(sims, STRONG_SIM), sims)
        with borrowed_work() as work:
            posts, post_sim = distinct_rows(
                *self._postings(vids, np.round(sims * 250).astype(np.uint8)),
                len(self._keys),
                work,
            )
        ordered = np.sort(posts)
        singles = posts[self._full(posts) <= 1]
        size = 2 * len(posts) + len(singles)
        if len(self._hits) >= HITS_CACHE_MAX or self._hits_size + size > HITS_CACHE_POSTINGS:
            self._forget_hits()
        hit = _WordHits(reached, posts, strong, post_sim, ordered, singles)
        for arr in hit:
            arr.flags.writeable = False  # shared between queries: never to be changed
        self._hits[key] = hit
        self._hits_size += size
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
        hashes = full_hashes(sorted(mine))
        near = set(self._var_vid[self._var_table.positions(hashes)].tolist())
        for h in hashes.tolist():
            near.update(self._extra_var.get(h, ()))
        vocab = self._vocab_list
        inflected = [v for v in near if v < len(vocab) and stems(vocab[v]) & mine]
        if inflected:
            parts.append(np.asarray(inflected, dtype=np.int32))
        if not parts:
            return EMPTY
        return np.unique(np.concatenate(parts))

    def _reach(self, skel: str, groups: frozenset[str]) -> IntArray:
        """Vocabulary ids a query word reaches: deletion neighbourhood of its stems, groups."""
        hashes = query_hashes(skel)
        parts = [self._var_vid[self._var_table.positions(hashes)]]
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
            return EMPTY
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
            return EMPTY, EMPTY_U8
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
        return self.estimated_search(query).top(limit)

    def estimated_search(self, query: str) -> EstimatedSearch:
        """:meth:`estimated` for one query, asked again with a higher limit (a common name whose
        first candidates are all namesakes): the pool and its estimates are kept, so a wider
        answer does not start the search again."""
        return EstimatedSearch(self, query)

    def _candidate_rows(self, query: str, limit: int) -> list[tuple[int, float]]:
        return EstimatedSearch(self, query).top_rows(limit)

    def _query_words(self, query: str) -> tuple[list[Any], list[_WordHits]]:
        """The query's words the index looks up (no initials, at most 8), and what each reaches
        (nothing when no word reaches anything)."""
        qtoks = [
            t
            for t in parsed(query).tokens
            if t.role is not Role.INITIAL and len(t.feat.skeleton) > 1
        ][:8]
        if not qtoks or not self._keys:
            return [], []
        hits = [self._word_hits(t.feat.skeleton, t.feat.groups) for t in qtoks]
        if not sum(len(h.posts) for h in hits):
            return [], []
        return qtoks, hits

    def _estimated_pool(
        self, qtoks: Sequence[Any], hits: Sequence[_WordHits], cap: int, work: Work
    ) -> tuple[IntArray, npt.NDArray[np.float64], bool]:
        """The query's pool (cut to its ``cap`` best-reached rows when bigger), the estimate of
        each row's score, and whether the pool was cut."""
        k = len(qtoks)
        posts = [h.posts for h in hits]
        if k == 1:
            pool, pool_hit = posts[0], np.ones(len(posts[0]), dtype=np.int64)
        else:
            pool, pool_hit = self._pool(
                posts, work, [h.ordered for h in hits], [h.singles for h in hits]
            )
        if self._deleted:
            alive = ~np.isin(pool, np.fromiter(self._deleted, dtype=np.int32))
            pool, pool_hit = pool[alive], pool_hit[alive]
        if not len(pool):
            return EMPTY, np.zeros(0, dtype=np.float64), False
        cut = len(pool) > cap
        if cut:
            pool = self._prune(qtoks, hits, pool, pool_hit, cap, work)
        toks, full = self._rows_toks(pool)
        score = estimate(
            qtoks, [h.strong for h in hits], toks, full, self._vocab_list, self._vocab_len, work
        )
        return pool, score, cut

    def _full(self, rows: IntArray) -> npt.NDArray[Any]:
        """How many full words (not initials) the names of ``rows`` have."""
        if self._extra_rows:
            return self._rows_toks(rows)[1]
        return self._name_full[rows]

    def _pool(
        self,
        posts: Sequence[IntArray],
        work: Work,
        ordered: Sequence[IntArray] | None = None,
        singles: Sequence[IntArray] | None = None,
    ) -> tuple[IntArray, npt.NDArray[np.int64]]:
        """The rows reached by two of the query's words, or by one if the name has a single
        word or the query word is rare (≤ ``RARE_POSTINGS`` names), each once, with how many
        query words reach it. The longest postings list (a common given name: a tenth of the
        registry) is never written, and not even read when the others are much shorter (a
        surname and a given name): given each list sorted (``ordered``) and its one-word names
        (``singles``), the other words' rows are looked up in it, and of its own rows only the
        one-word names that no other word reaches are kept."""
        n = len(self._keys)
        big = max(range(len(posts)), key=lambda t: len(posts[t]))
        others = [t for t in range(len(posts)) if t != big]
        rare = sum(1 << t for t, p in enumerate(posts) if len(p) <= RARE_POSTINGS)
        bits = work.zeros_u8("row_bits", n)  # which query words reach each row: a bit each
        for t in others:
            bits[posts[t]] |= np.uint8(1 << t)
        longest = posts[big]
        big_bit = np.uint8(1 << big)
        touched = np.concatenate([posts[t] for t in others])
        if (
            ordered is not None
            and singles is not None
            and not rare >> big & 1
            and len(touched) * LOOKUP_RATIO < len(longest)
        ):
            in_sorted = ordered[big]
            at = np.minimum(np.searchsorted(in_sorted, touched), len(in_sorted) - 1)
            tb = bits[touched] | np.where(in_sorted[at] == touched, big_bit, np.uint8(0))
            alone = singles[big][bits[singles[big]] == 0]
        else:
            if singles is not None and not rare >> big & 1:
                alone = singles[big][bits[singles[big]] == 0]
            elsewhere = bits[longest] != 0
            bits[longest[elsewhere]] |= big_bit
            tb = bits[touched]
            if singles is None or rare >> big & 1:
                alone = longest[~elsewhere]
                if not rare >> big & 1:
                    alone = alone[self._full(alone) <= 1]
        bits[touched] = 0  # every row set above is in ``touched``
        n_hit = POPCOUNT[tb]
        keep = (n_hit >= 2) | ((tb & np.uint8(rare)) != 0)
        if singles is None:
            keep |= self._full(touched) <= 1
        else:  # a touched row has one word iff it is among the one-word rows of its lists
            one_word = np.concatenate([singles[t] for t in others])
            if len(one_word):
                keep |= np.isin(touched, one_word)
        kept = np.concatenate([touched[keep], alone])
        kept_hit = np.concatenate([n_hit[keep], np.ones(len(alone), dtype=np.int64)])
        if len(kept) > DENSE_ROWS:  # without sorting a long list (a row's hits are equal)
            return distinct_rows(kept, kept_hit, n, work)
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
        work: Work,
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
        n_workers = forkpool.worker_count(workers, len(queries), PARALLEL_QUERIES)
        size = _CHUNK if n_workers > 1 else _PROGRESS_EVERY
        chunks = [(i, min(i + size, len(queries))) for i in range(0, len(queries), size)]
        state = (self, queries, limit, matcher, min_score)
        results: list[list[tuple[Key, MatchResult]]] = []
        found = forkpool.fork_imap(_search_chunk, chunks, n_workers, state, before_fork=warm_up)
        for (_a, b), part in zip(chunks, found, strict=True):
            results.extend(part)
            if progress is not None:
                progress(b)
        return results

    # ---------------------------------------------------------------- storage
    def save(self, path: str | Path) -> None:
        """Write the index to one ``.npz`` file (no pickle; safe to load)."""
        storage.save(self, path)

    @classmethod
    def load(cls, path: str | Path) -> CandidateIndex:
        idx = storage.load(cls, path)
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


def _prune_cap(limit: int) -> int:
    return max(PRUNE_POOL, PRUNE_PER_RESULT * limit)


class EstimatedSearch:
    """One query's candidates, best estimate first, asked for by a growing limit
    (:meth:`CandidateIndex.estimated_search`). The pool and its estimates are computed once;
    asking for more only partitions them again — unless the pool was cut to the first limit's
    size (``PRUNE_PER_RESULT`` × limit), in which case the wider limit cuts it again, as a fresh
    query would. Valid while the index does not change."""

    __slots__ = ("_cap", "_cut", "_hits", "_index", "_pool", "_qtoks", "_score")

    def __init__(self, index: CandidateIndex, query: str) -> None:
        self._index = index
        self._qtoks, self._hits = index._query_words(query)
        self._pool: IntArray | None = None
        self._score: npt.NDArray[np.float64] | None = None
        self._cap = 0
        self._cut = False

    def top(self, limit: int) -> list[tuple[Key, float]]:
        """The best ``limit`` candidates' keys and estimates, best first."""
        keys = self._index._keys
        return [(keys[i], e) for i, e in self.top_rows(limit)]

    def top_rows(self, limit: int) -> list[tuple[int, float]]:
        if not self._qtoks or limit <= 0:
            return []
        cap = _prune_cap(limit)
        if self._pool is None or (self._cut and cap != self._cap):
            with borrowed_work() as work:
                self._pool, self._score, self._cut = self._index._estimated_pool(
                    self._qtoks, self._hits, cap, work
                )
            self._cap = cap
        pool, score = self._pool, self._score
        assert score is not None
        if len(pool) > limit:
            top = np.argpartition(-score, limit - 1)[:limit]
            pool, score = pool[top], score[top]
        best = np.argsort(-score, kind="stable")
        return list(zip(pool[best].tolist(), score[best].tolist(), strict=True))


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
_PROGRESS_EVERY = 250


def _search_chunk(bounds: tuple[int, int]) -> list[list[tuple[Key, MatchResult]]]:
    idx, queries, limit, matcher, min_score = forkpool.shared()
    return [idx.search(queries[i], limit, matcher, min_score) for i in range(*bounds)]


def _default() -> SlavicNameMatcher:
    if not _DEFAULT:
        _DEFAULT.append(SlavicNameMatcher())
    return _DEFAULT[0]


__all__ = ["CandidateIndex", "EstimatedSearch", "Key"]
