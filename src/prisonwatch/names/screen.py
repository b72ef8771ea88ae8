"""Screening a few thousand names against a stream of millions: the small side indexed.

:class:`~prisonwatch.names.index.CandidateIndex` indexes the big side and runs one query per
name of the small side; for 5,000 officials against 1,000,000 sanctioned names that means
building an index of the million first (half a minute and ~2 GB). Screening turns it round:
:class:`ScreeningIndex` indexes the *small* side (the officials' names) and every name of the
big side is looked up once, word by word, with the same reach as the candidate index:

* a word reaches an indexed word through the symmetric deletion neighbourhood of their stems'
  phonetic skeletons (one deleted letter on either side; two for words of 8 letters or more),
  or through a shared Wikidata name group (``Alexander`` reaches ``Аляксандр``);
* everything per word is computed once per *distinct* word of the stream (a million names
  have a few hundred thousand), so a name costs a few dictionary look-ups.

A pair is scored by the real matcher when the streamed name reaches at least two words of the
indexed name (one when either has a single full word). To keep common given names and
patronymics from pairing everyone with everyone, a name's words that reach few indexed names
(its surname, usually) are the *anchors*: candidates are the indexed names an anchor reaches;
only a name with no anchor falls back to intersecting its words' sets (remembered per pair of
words). Pairs scoring at least the review threshold are returned.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from prisonwatch.names.base import Matcher
from prisonwatch.names.features import TokenFeatures, features, warm_up
from prisonwatch.names.index import Key
from prisonwatch.names.matcher import SlavicNameMatcher
from prisonwatch.names.parse import split_words
from prisonwatch.names.similarity import stems
from prisonwatch.names.translit import Lang, detect_language

MIN_FUZZY_LEN = 4
MIN_TWO_EDIT_LEN = 8
#: A streamed word reaching at most this many indexed names is an anchor.
ANCHOR_MAX = 64
#: Streams at least this long are screened in two forked processes (on a multi-core machine).
PARALLEL_NAMES = 50_000
_CHUNK = 20_000


def _variants(skel: str) -> set[str]:
    """The stems of a skeleton and their one-letter (two for long words) deletions."""
    out: set[str] = set()
    for st in stems(skel):
        out.add(st)
        if len(st) >= MIN_FUZZY_LEN:
            dels = {st[:i] + st[i + 1 :] for i in range(len(st))}
            out |= dels
            if len(st) >= MIN_TWO_EDIT_LEN:
                out |= {d[:i] + d[i + 1 :] for d in dels for i in range(len(d))}
    return out


def _stream_variants(skel: str) -> list[str]:
    """The streamed side's part of the neighbourhood: its stems and their one-letter
    deletions. The indexed side holds two-letter deletions of long words, so two edits in a
    long word are still reached when the indexed word is the longer one or both lost one."""
    out: list[str] = []
    for st in stems(skel):
        out.append(st)
        if len(st) >= MIN_FUZZY_LEN:
            out.extend(st[:i] + st[i + 1 :] for i in range(len(st)))
    return out


#: Endings of patronymics (and of many Belarusian surnames, which only costs more pairs to
#: score): a differing patronymic lowers the matcher's score little (its weight is the
#: smallest), so one such word on each side without a counterpart is not taken for a conflict.
_PATRONYMIC_ENDS = ("vich", "vic", "vych", "vna", "wicz", "vitj", "witsch", "vitch")


def _patronymic_like(f: TokenFeatures) -> bool:
    return f.ascii.endswith(_PATRONYMIC_ENDS)


def _patronymics(words: Sequence[tuple[bool, bool]]) -> list[bool]:
    """Which words are patronymics, from (patronymic-like, a given name) per word: a
    patronymic-like word right after a given name (a word with a Wikidata name group) —
    "Given Patronymic Surname", "Surname Given Patronymic", "SURNAME, Given Patronymic"."""
    return [i > 0 and like and words[i - 1][1] for i, (like, _given) in enumerate(words)]


def _full_words(name: str) -> list[tuple[str, Lang, TokenFeatures]]:
    """The words of ``name`` that are not initials (as the candidate index counts them)."""
    lang = detect_language(name)
    head, tail = split_words(name)
    out = []
    for w in head + tail:
        if len(w) < 2:
            continue
        f = features(w, lang)
        if len(f.skeleton) > 1:
            out.append((w.lower(), lang, f))
    return out


class Hit(NamedTuple):
    """An indexed name and a streamed name the matcher scores at least the review threshold."""

    key: Key  # the indexed name's key
    name: str
    other_key: Key  # the streamed name's key
    other_name: str
    score: float


@dataclass
class ScreeningStats:
    names: int = 0  # streamed names
    distinct_words: int = 0
    pairs_scored: int = 0
    hits: int = 0


class ScreeningIndex:
    """The small side's names, indexed for :meth:`screen` (see the module docstring)."""

    def __init__(self, items: Iterable[tuple[Key, str]], matcher: Matcher | None = None) -> None:
        m = matcher or SlavicNameMatcher()
        self.matcher = m
        self.floor = m.review_threshold
        self.keys: list[Key] = []
        self.names: list[str] = []
        self.n_full: list[int] = []
        #: whether the name has a patronymic (:func:`_patronymics`)
        self.has_patr: list[bool] = []
        #: skeleton variant → indexed word ids; name group → indexed word ids
        self._by_variant: dict[str, set[int]] = {}
        self._by_group: dict[str, set[int]] = {}
        #: indexed word id → the rows (indexed names) containing it
        self._rows_of_word: list[set[int]] = []
        word_id: dict[tuple[str, Lang], int] = {}
        for key, name in items:
            row = len(self.keys)
            words = _full_words(name)
            self.keys.append(key)
            self.names.append(name)
            self.n_full.append(len(words))
            self.has_patr.append(
                any(_patronymics([(_patronymic_like(f), bool(f.groups)) for _w, _l, f in words]))
            )
            for low, lang, f in words:
                wid = word_id.get((low, lang))
                if wid is None:
                    wid = word_id[(low, lang)] = len(self._rows_of_word)
                    self._rows_of_word.append(set())
                    for v in _variants(f.skeleton):
                        self._by_variant.setdefault(v, set()).add(wid)
                    for g in f.groups:
                        self._by_group.setdefault(g, set()).add(wid)
                self._rows_of_word[wid].add(row)
        #: per streamed (word, language): the indexed rows it reaches (shared frozensets)
        self._reach: dict[tuple[str, Lang], tuple[frozenset[int], bool, bool] | None] = {}
        self._pairs: dict[tuple[int, int, int], frozenset[int]] = {}
        #: indexed names of a single full word (reached by one word, they are candidates)
        self._single_rows = [r for r, n in enumerate(self.n_full) if n <= 1]
        self._single_set = frozenset(self._single_rows)
        self._empty: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.keys)

    def _word_rows(self, word: str, lang: Lang) -> tuple[frozenset[int], bool, bool] | None:
        """The indexed rows a streamed word reaches, whether it looks like a patronymic and
        whether like a given name (None: not a full word), remembered per word as written."""
        got = self._reach.get((word, lang), self)
        if got is not self:
            return got  # type: ignore[return-value]
        f = features(word, lang)
        out: tuple[frozenset[int], bool, bool] | None
        if len(f.skeleton) < 2:
            out = None
        else:
            wids: set[int] = set()
            for v in _stream_variants(f.skeleton):
                hit = self._by_variant.get(v)
                if hit:
                    wids |= hit
            for g in f.groups:
                hit = self._by_group.get(g)
                if hit:
                    wids |= hit
            acc: set[int] = set()
            for w in wids:
                acc |= self._rows_of_word[w]
            out = (frozenset(acc) if acc else self._empty, _patronymic_like(f), bool(f.groups))
        self._reach[(word, lang)] = out
        return out

    def _pair(self, a: frozenset[int], b: frozenset[int], cap: int) -> frozenset[int]:
        """Rows in both ``a`` and ``b`` with at most ``cap`` full words (remembered)."""
        ia, ib = id(a), id(b)
        key = (ia, ib, cap) if ia < ib else (ib, ia, cap)
        got = self._pairs.get(key)
        if got is None:
            both = a & b
            n_full = self.n_full
            got = frozenset(r for r in both if n_full[r] <= cap) if cap < 99 else frozenset(both)
            if len(self._pairs) > 500_000:
                self._pairs.clear()
            self._pairs[key] = got
        return got

    def candidates(self, name: str) -> set[int]:
        """The indexed rows worth scoring against ``name``: reached by enough of its words,
        and without a word on each side that has no counterpart — two different surnames or
        given names: the matcher scores such a pair far below the review threshold (a
        differing patronymic is let through: it weighs least)."""
        if not self.keys:
            return set()
        lang = detect_language(name)
        head, tail = split_words(name)
        reached: list[tuple[frozenset[int], bool, bool]] = []
        for w in head + tail:
            if len(w) < 2:
                continue
            got = self._word_rows(w, lang)
            if got is not None:
                reached.append(got)
        nw = len(reached)
        live = [x[0] for x in reached if x[0]]
        if not live:
            return set()
        patr = _patronymics([(x[1], x[2]) for x in reached])
        n_full, has_patr = self.n_full, self.has_patr
        out: set[int] = set()

        def keep(row: int) -> bool:
            k = 0
            for r in live:
                if row in r:
                    k += 1
            nf = n_full[row]
            if k < (1 if nw == 1 or nf <= 1 else 2):
                return False
            if nw - k >= 1 and nf - k >= 1:
                # a word on each side without a counterpart: a conflict, unless it is a
                # patronymic on both (its weight is the smallest)
                if nw - k != 1 or nf - k != 1 or not has_patr[row]:
                    return False
                return any(p for (r, _l, _g), p in zip(reached, patr, strict=True) if row not in r)
            return True

        anchors = [r for r in live if len(r) <= ANCHOR_MAX]
        if anchors:
            for a in anchors:
                if nw == 1:
                    out |= a
                    continue
                near = a & self._single_set
                for r in live:
                    if r is not a:
                        near |= a & r
                for row in near:
                    if row not in out and keep(row):
                        out.add(row)
            return out
        if nw == 1:
            return set(live[0])
        # no rare word: rows reached by two of the words; when a word of the name reaches
        # nothing, only rows whose words are all reached (but the patronymic) can be without
        # a conflict
        lost = [p for (r, _l, _g), p in zip(reached, patr, strict=True) if not r]
        cap = 99 if not lost else len(live) + (1 if lost == [True] else 0)
        for row in self._single_rows:
            if any(row in r for r in live):
                out.add(row)
        for i in range(len(live)):
            for j in range(i + 1, len(live)):
                for row in self._pair(live[i], live[j], cap):
                    if row not in out and keep(row):
                        out.add(row)
        return out

    def screen_one(self, other_key: Key, other_name: str) -> list[Hit]:
        hits = []
        score = getattr(self.matcher, "score", None)
        for row in self.candidates(other_name):
            name = self.names[row]
            s = score(name, other_name) if score else self.matcher.compare(name, other_name).score
            if s >= self.floor:
                hits.append(Hit(self.keys[row], name, other_key, other_name, s))
        return hits

    def screen(
        self,
        stream: Sequence[tuple[Key, str]],
        *,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
        stats: ScreeningStats | None = None,
    ) -> list[Hit]:
        """Every hit of every streamed name (in stream order); long streams in two forked
        processes that share this index."""
        global _SHARED
        st = stats if stats is not None else ScreeningStats()
        st.names += len(stream)
        n_workers = _workers(workers, len(stream))
        if n_workers <= 1 or not self.keys:
            out: list[Hit] = []
            for i, (k, n) in enumerate(stream, 1):
                out.extend(self.screen_one(k, n))
                if progress is not None and i % _CHUNK == 0:
                    progress(i)
            st.hits += len(out)
            st.distinct_words = len(self._reach)
            return out
        warm_up()
        _SHARED = (self, stream)
        bounds = [(i, min(i + _CHUNK, len(stream))) for i in range(0, len(stream), _CHUNK)]
        try:
            out = []
            with multiprocessing.get_context("fork").Pool(n_workers) as pool:
                for (_a, b), part in zip(bounds, pool.imap(_screen_chunk, bounds), strict=True):
                    out.extend(part)
                    if progress is not None:
                        progress(b)
        finally:
            _SHARED = None
        st.hits += len(out)
        return out


_SHARED: tuple[ScreeningIndex, Sequence[tuple[Key, str]]] | None = None


def _screen_chunk(bounds: tuple[int, int]) -> list[Hit]:
    assert _SHARED is not None
    idx, stream = _SHARED
    out: list[Hit] = []
    for i in range(*bounds):
        k, n = stream[i]
        out.extend(idx.screen_one(k, n))
    return out


def _workers(workers: int | None, n: int) -> int:
    if workers is not None:
        wanted = max(1, workers)
    elif n < PARALLEL_NAMES:
        wanted = 1
    else:
        wanted = min(2, os.cpu_count() or 1)
    if wanted > 1 and "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


__all__ = ["Hit", "ScreeningIndex", "ScreeningStats"]
