"""Candidate index: find the registry names that could match a query without scoring them all
(how it works: :mod:`.candidate_index`).

Modules: :mod:`.candidate_index` (building, querying, add/remove), :mod:`.hashing` (deletion
neighbourhoods), :mod:`.estimate` (the numpy copy of the matcher's scoring), :mod:`.arrays`
(work arrays and scatters), :mod:`.wordfeatures` (features of the distinct words),
:mod:`.storage` (save/load).
"""

from __future__ import annotations

from prisonwatch.names.index.candidate_index import CandidateIndex, Key

__all__ = ["CandidateIndex", "Key"]
