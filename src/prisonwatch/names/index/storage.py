"""Saving a candidate index to one ``.npz`` file and loading it back (no pickle: safe to load).

A loaded index primes the feature cache with every word's features, so scoring its candidates
never transliterates a registry word again."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from prisonwatch.names.features import TokenFeatures, intern_set, remember, warm_up
from prisonwatch.names.index.hashing import HashTable
from prisonwatch.names.index.wordfeatures import LANG_CODE, LANGS

if TYPE_CHECKING:
    from prisonwatch.names.index.candidate_index import CandidateIndex

FORMAT = "prisonwatch-names-index/2"


def save(self: CandidateIndex, path: str | Path) -> None:
    """Write the index to one ``.npz`` file (no pickle; safe to load)."""
    word_vid = np.array(self._new_vids([f.skeleton for f in self._word_feat]), np.int32)
    self._compact()
    keys_int = all(type(k) is int for k in self._keys)
    groups = sorted(self._group_vids)
    rule_names = sorted({r for f in self._word_feat for r in f.rules})
    rule_bit = {r: 1 << i for i, r in enumerate(rule_names)}
    group_ix = {g: i for i, g in enumerate(sorted({g for f in self._word_feat for g in f.groups}))}
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
        word_lang=np.array([LANG_CODE[lang] for _w, lang in self._word_list], np.uint8),
        word_ascii=blob(f.ascii for f in self._word_feat),
        word_vid=word_vid,
        word_rules=np.array([sum(rule_bit[r] for r in f.rules) for f in self._word_feat], np.int64),
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


def load(cls: type[CandidateIndex], path: str | Path) -> CandidateIndex:
    """The index saved at ``path``. No cyclic garbage collection meanwhile: the features of a
    few hundred thousand words are made here, and each automatic collection walked all those
    made so far again (the caller freezes them afterwards, see ``candidate_index._settle``)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(cls, path)
    finally:
        if was_enabled:
            gc.enable()


def _load(cls: type[CandidateIndex], path: str | Path) -> CandidateIndex:
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
        idx._var_table = HashTable(idx._var_hash)
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
        lang = LANGS[code]
        f = TokenFeatures(lang=lang, ascii=asc, skeleton=vocab[vid], rules=rs, groups=gs)
        idx._word_id[(w, lang)] = i
        idx._word_list.append((w, lang))
        idx._word_feat.append(f)
        remember(w, lang, f)
    idx._vocab_len = np.array([len(s) for s in vocab], dtype=np.int16)
    idx._base_n = len(idx._keys)
    warm_up()
    return idx


__all__ = ["FORMAT", "load", "save"]
