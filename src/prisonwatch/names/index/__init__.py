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

Modules: :mod:`.candidate_index` (building, querying, add/remove), :mod:`.hashing` (deletion
neighbourhoods), :mod:`.estimate` (the numpy copy of the matcher's scoring), :mod:`.arrays`
(work arrays and scatters), :mod:`.wordfeatures` (features of the distinct words),
:mod:`.storage` (save/load).
"""

from __future__ import annotations

from prisonwatch.names.index.candidate_index import CandidateIndex, Key

__all__ = ["CandidateIndex", "Key"]
