"""Features of an index's distinct words, computed once per word (in two processes for big
builds) and put in the shared feature cache."""

from __future__ import annotations

from prisonwatch import forkpool
from prisonwatch.names.features import TokenFeatures, compute_features, intern_set, remember
from prisonwatch.names.translit import Lang

#: Builds with more distinct words than this compute word features in two processes.
PARALLEL_WORDS = 40_000
LANGS = list(Lang)
LANG_CODE = {lang: i for i, lang in enumerate(LANGS)}


def _feature_chunk(words: list[tuple[str, int]]) -> list[tuple[str, str, list[str], list[str]]]:
    out = []
    for low, code in words:
        f = compute_features(low, LANGS[code])
        out.append((f.ascii, f.skeleton, sorted(f.rules), sorted(f.groups)))
    return out


def compute_word_features(words: list[tuple[str, Lang]]) -> list[TokenFeatures]:
    todo = [(w, LANG_CODE[lang]) for w, lang in words]
    workers = forkpool.worker_count(None, len(todo), PARALLEL_WORDS)
    size = 5_000
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    rows = [r for part in forkpool.fork_imap(_feature_chunk, chunks, workers) for r in part]
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


__all__ = ["LANGS", "LANG_CODE", "PARALLEL_WORDS", "compute_word_features"]
