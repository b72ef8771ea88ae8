"""The numpy copy of the matcher's scoring that ranks a query's pool of candidate rows.

Word similarities come from the rapidfuzz OSA distance between skeletons (an adjacent swap is one
edit, as in :func:`~prisonwatch.names.similarity.token_similarity`), mapped as the matcher maps
them; a shared name group or stem counts as ``STRONG_SIM``. Words are combined like the matcher
(:mod:`prisonwatch.names.matcher`): role-weighted geometric mean, conflicts, one-sided words and
the cap for a single name part in common."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from prisonwatch.names.index.arrays import IntArray, Work, unique_inverse
from prisonwatch.names.matcher import PAIR_MIN, PARTIAL_CAP, WEIGHTS

#: The similarity given to a word sharing a name group or a stem with the query word.
STRONG_SIM = 0.92


def word_sims(
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


def estimate(
    qtoks: Sequence[Any],
    strong: list[IntArray],
    toks: IntArray,
    full: npt.NDArray[np.int64],
    vocab: Sequence[str],
    vocab_len: npt.NDArray[np.int16],
    work: Work,
) -> Any:
    """Vectorised estimate of the matcher's score for each row of ``toks`` (the vocabulary ids
    of its first words; ``full``: how many full words it has). ``strong[t]``: the vocabulary
    ids query word ``t`` shares a name group or a stem with."""
    uniq, inv = unique_inverse(toks.ravel(), len(vocab), work)
    inv = inv.reshape(toks.shape)
    has = uniq >= 0
    words = uniq[has]
    k = len(qtoks)
    sims = np.zeros((k, len(uniq)), dtype=np.float64)
    if len(words):
        s = word_sims([t.feat.skeleton for t in qtoks], words, vocab, vocab_len)
        mark = work.zeros_u8("strong_mark", len(vocab))  # a table, not np.isin's sort
        for t in range(k):
            mark[strong[t]] = 1
            s[t] = np.where(mark[words] != 0, np.maximum(s[t], STRONG_SIM), s[t])
            mark[strong[t]] = 0
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


__all__ = ["STRONG_SIM", "estimate", "word_sims"]
