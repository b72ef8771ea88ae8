"""Candidate index: find the registry names that could match a query without scoring them all.

Each registry name is broken into word skeletons (see :mod:`prisonwatch.names.phonetic`). The
index keeps, per distinct skeleton, the sorted list of names that contain it (a CSR posting
array in numpy), and three ways to reach a skeleton from a query word:

* the same skeleton, or one reachable by deleting one letter on either side (a symmetric
  deletion neighbourhood: covers one substitution, insertion or deletion, and case endings
  through the stems of inflected forms);
* a shared Wikidata name group (``Alexander`` reaches ``Aliaksandr``, ``Nicholas``
  ``Мікалай``).

A name is a candidate when at least two of its words are reached (one if either side has only
one full word): the matcher cannot score a match with fewer. Candidates are ranked by the
rarity (idf) of the words they share and the best ``limit`` are returned; :meth:`search` then
scores them with the matcher.

``add``/``remove`` keep the index current without a rebuild: additions go to a small
overlay, removals to a tombstone set. Rebuild (``build``) once the overlay grows large.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from prisonwatch.names.base import Matcher, MatchResult
from prisonwatch.names.matcher import SlavicNameMatcher, parsed
from prisonwatch.names.parse import ParsedName, Role, parse_name
from prisonwatch.names.similarity import stems

Key = int | str
IntArray = npt.NDArray[np.int32]

MAX_TOKENS = 6
MIN_FUZZY_LEN = 4
FORMAT = "prisonwatch-names-index/1"
_EMPTY = np.zeros(0, dtype=np.int32)


class _Scorer(Protocol):
    def score(self, left: str, right: str) -> float: ...


def _deletions(skel: str) -> set[str]:
    out = {skel}
    if len(skel) >= MIN_FUZZY_LEN:
        out.update(skel[:i] + skel[i + 1 :] for i in range(len(skel)))
    return out


def _variants(skel: str) -> set[str]:
    out: set[str] = set()
    for stem in stems(skel):
        out |= _deletions(stem)
    return out


def _full_tokens(p: ParsedName) -> list[tuple[str, frozenset[str]]]:
    return [
        (t.feat.skeleton, t.feat.groups)
        for t in p.tokens
        if t.role is not Role.INITIAL and len(t.feat.skeleton) > 1
    ]


class CandidateIndex:
    """Blocking index over person names; see the module docstring."""

    def __init__(self) -> None:
        self._keys: list[Key] = []
        self._names: list[str] = []
        self._vocab: dict[str, int] = {}
        self._vocab_list: list[str] = []
        self._group_vids: dict[str, list[int]] = defaultdict(list)
        self._vid_groups: list[list[str]] = []
        self._variant_vids: dict[str, list[int]] = defaultdict(list)
        self._post_offsets: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._post_ids: IntArray = _EMPTY
        self._name_toks: IntArray = np.full((0, MAX_TOKENS), -1, dtype=np.int32)
        self._name_full: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        self._base_n = 0
        # overlay for add(); tombstones for remove()
        self._extra_post: dict[int, list[int]] = defaultdict(list)
        self._extra_toks: dict[int, tuple[list[int], int]] = {}
        self._deleted: set[int] = set()
        self._by_key: dict[Key, list[int]] = defaultdict(list)

    # ----------------------------------------------------------------- building
    def _vid(self, skel: str, groups: Iterable[str]) -> int:
        vid = self._vocab.get(skel)
        if vid is None:
            vid = len(self._vocab_list)
            self._vocab[skel] = vid
            self._vocab_list.append(skel)
            self._vid_groups.append([])
            for var in _variants(skel):
                self._variant_vids[var].append(vid)
        known = self._vid_groups[vid]
        for g in groups:
            if g not in known:
                known.append(g)
                self._group_vids[g].append(vid)
        return vid

    def _tokens_of(self, name: str) -> tuple[list[int], int]:
        toks = _full_tokens(parse_name(name))
        vids = [self._vid(skel, groups) for skel, groups in toks]
        return vids[:MAX_TOKENS], len(toks)

    @classmethod
    def build(
        cls,
        items: Iterable[tuple[Key, str]],
        progress: Callable[[int], None] | None = None,
    ) -> CandidateIndex:
        """Index ``(key, name)`` pairs. ``progress(n)`` is called every 10,000 names."""
        idx = cls()
        rows: list[list[int]] = []
        full: list[int] = []
        for n, (key, name) in enumerate(items, 1):
            vids, nfull = idx._tokens_of(name)
            idx._by_key[key].append(len(idx._keys))
            idx._keys.append(key)
            idx._names.append(name)
            rows.append(vids)
            full.append(nfull)
            if progress is not None and n % 10_000 == 0:
                progress(n)
        idx._finish(rows, full)
        return idx

    def _finish(self, rows: list[list[int]], full: list[int]) -> None:
        n = len(rows)
        toks = np.full((n, MAX_TOKENS), -1, dtype=np.int32)
        for i, r in enumerate(rows):
            toks[i, : len(r)] = r
        self._name_toks = toks
        self._name_full = np.minimum(np.asarray(full, dtype=np.int64), 255).astype(np.uint8)
        self._base_n = n
        flat = toks.ravel()
        mask = flat >= 0
        vids = flat[mask]
        ids = np.repeat(np.arange(n, dtype=np.int32), MAX_TOKENS)[mask]
        order = np.lexsort((ids, vids))
        vids, ids = vids[order], ids[order]
        # one posting per (vid, name) even if a name repeats a word
        keep = np.ones(len(vids), dtype=bool)
        keep[1:] = (vids[1:] != vids[:-1]) | (ids[1:] != ids[:-1])
        vids, ids = vids[keep], ids[keep]
        counts = np.bincount(vids, minlength=len(self._vocab_list))
        self._post_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._post_ids = ids.astype(np.int32)

    def __len__(self) -> int:
        return len(self._keys) - len(self._deleted)

    def add(self, key: Key, name: str) -> None:
        """Add one name (cheap: goes to an overlay until the next build)."""
        i = len(self._keys)
        vids, nfull = self._tokens_of(name)
        self._keys.append(key)
        self._names.append(name)
        self._by_key[key].append(i)
        self._extra_toks[i] = (vids, nfull)
        for v in set(vids):
            self._extra_post[v].append(i)

    def remove(self, key: Key) -> None:
        """Remove every name stored under ``key``."""
        for i in self._by_key.pop(key, []):
            self._deleted.add(i)

    # ---------------------------------------------------------------- querying
    def _postings(self, vid: int) -> IntArray:
        if vid < len(self._post_offsets) - 1:
            a, b = self._post_offsets[vid], self._post_offsets[vid + 1]
            base = self._post_ids[a:b]
        else:
            base = _EMPTY
        extra = self._extra_post.get(vid)
        if extra:
            return np.concatenate([base, np.asarray(extra, dtype=np.int32)])
        return base

    def _posting_size(self, vid: int) -> int:
        size = 0
        if vid < len(self._post_offsets) - 1:
            size = int(self._post_offsets[vid + 1] - self._post_offsets[vid])
        return size + len(self._extra_post.get(vid, ()))

    def _expand(self, skel: str, groups: frozenset[str]) -> set[int]:
        vids: set[int] = set()
        for var in _variants(skel):
            hit = self._variant_vids.get(var)
            if hit:
                vids.update(hit)
        for g in groups:
            hit = self._group_vids.get(g)
            if hit:
                vids.update(hit)
        return vids

    def _tokens_for(self, i: int) -> tuple[list[int], int]:
        if i < self._base_n:
            row = self._name_toks[i]
            return [int(v) for v in row if v >= 0], int(self._name_full[i])
        return self._extra_toks[i]

    def candidates(self, query: str, limit: int = 50) -> list[Key]:
        """Keys of the names most likely to match ``query``, best first, without scoring."""
        return [self._keys[i] for i in self._candidate_rows(query, limit)]

    def _candidate_rows(self, query: str, limit: int) -> list[int]:
        qtoks = _full_tokens(parsed(query))
        if not qtoks or not self._keys:
            return []
        expanded = [np.fromiter(self._expand(s, g), dtype=np.int32) for s, g in qtoks]
        sizes = [sum(self._posting_size(int(v)) for v in e) for e in expanded]
        total = max(len(self._keys), 1)
        idf = [math.log(1.0 + total / (1 + s)) for s in sizes]
        k = len(qtoks)
        order = sorted(range(k), key=lambda t: sizes[t])
        seed_tokens = order[: max(1, k - 1)]
        pieces = [self._postings(int(v)) for t in seed_tokens for v in expanded[t]]
        pieces = [p for p in pieces if len(p)]
        if not pieces:
            return []
        cand = np.unique(np.concatenate(pieces))
        if self._deleted:
            cand = cand[~np.isin(cand, np.fromiter(self._deleted, dtype=np.int32))]
        base = cand[cand < self._base_n]
        extra = cand[cand >= self._base_n]
        rows, weight, hits, full = self._hits(base, expanded, idf)
        for i in extra.tolist():
            vids, nfull = self._extra_toks[i]
            h = [bool(set(vids) & set(e.tolist())) for e in expanded]
            rows = np.append(rows, i)
            weight = np.append(weight, sum(w for w, x in zip(idf, h, strict=True) if x))
            hits = np.append(hits, sum(h))
            full = np.append(full, nfull)
        need = np.minimum(np.minimum(2, k), np.maximum(full, 1))
        ok = hits >= need
        rows, weight = rows[ok], weight[ok]
        if len(rows) > limit:
            top = np.argpartition(-weight, limit - 1)[:limit]
            rows, weight = rows[top], weight[top]
        best = np.argsort(-weight, kind="stable")
        return [int(r) for r in rows[best]]

    def _hits(
        self, rows: IntArray, expanded: list[IntArray], idf: list[float]
    ) -> tuple[IntArray, npt.NDArray[np.float64], IntArray, IntArray]:
        toks = self._name_toks[rows]
        weight = np.zeros(len(rows), dtype=np.float64)
        hits = np.zeros(len(rows), dtype=np.int32)
        for e, w in zip(expanded, idf, strict=True):
            h = np.isin(toks, e).any(axis=1)
            weight += h * w
            hits += h
        return rows, weight, hits, self._name_full[rows].astype(np.int32)

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
        m = matcher if matcher is not None else _default()
        floor = m.review_threshold if min_score is None else min_score
        rows = self._candidate_rows(query, max(limit * 3, 20))
        fast: _Scorer | None = m if hasattr(m, "score") else None  # type: ignore[assignment]
        scored: list[tuple[float, int]] = []
        for r in rows:
            name = self._names[r]
            s = fast.score(query, name) if fast is not None else m.compare(query, name).score
            if s >= floor:
                scored.append((s, r))
        scored.sort(key=lambda t: -t[0])
        return [(self._keys[r], m.compare(query, self._names[r])) for _s, r in scored[:limit]]

    # ---------------------------------------------------------------- storage
    def save(self, path: str | Path) -> None:
        """Write the index to one ``.npz`` file (no pickle; safe to load)."""
        self._compact()
        keys_json = json.dumps(self._keys, ensure_ascii=False).encode()
        meta = {
            "format": FORMAT,
            "vid_groups": self._vid_groups,
        }
        np.savez(
            Path(path),
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            keys=np.frombuffer(keys_json, dtype=np.uint8),
            names=np.frombuffer("\x1f".join(self._names).encode(), dtype=np.uint8),
            vocab=np.frombuffer("\x1f".join(self._vocab_list).encode(), dtype=np.uint8),
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
            idx = cls()
            idx._keys = json.loads(data["keys"].tobytes().decode())
            names_blob = data["names"].tobytes().decode()
            idx._names = names_blob.split("\x1f") if idx._keys else []
            vocab_blob = data["vocab"].tobytes().decode()
            vocab = vocab_blob.split("\x1f") if vocab_blob else []
            idx._post_offsets = data["post_offsets"]
            idx._post_ids = data["post_ids"]
            idx._name_toks = data["name_toks"]
            idx._name_full = data["name_full"]
        for skel, groups in zip(vocab, meta["vid_groups"], strict=True):
            idx._vid(skel, groups)
        for i, key in enumerate(idx._keys):
            idx._by_key[key].append(i)
        idx._base_n = len(idx._keys)
        return idx

    def _compact(self) -> None:
        """Fold the add/remove overlay into the arrays (a rebuild of the arrays only)."""
        if not self._extra_toks and not self._deleted:
            return
        live = [i for i in range(len(self._keys)) if i not in self._deleted]
        rows: list[list[int]] = []
        full: list[int] = []
        for i in live:
            vids, nfull = self._tokens_for(i)
            rows.append(vids)
            full.append(nfull)
        self._keys = [self._keys[i] for i in live]
        self._names = [self._names[i] for i in live]
        self._by_key = defaultdict(list)
        for i, key in enumerate(self._keys):
            self._by_key[key].append(i)
        self._extra_post = defaultdict(list)
        self._extra_toks = {}
        self._deleted = set()
        self._finish(rows, full)


_DEFAULT: list[SlavicNameMatcher] = []


def _default() -> SlavicNameMatcher:
    if not _DEFAULT:
        _DEFAULT.append(SlavicNameMatcher())
    return _DEFAULT[0]


__all__ = ["CandidateIndex", "Key"]
