"""Name search, the use case of the web's search page, ``/api/v1/search`` and ``prisonwatch
search``: the names package's cross-script :class:`CandidateIndex` built from the registry's
Name rows (read through :mod:`prisonwatch.store.search`), kept current as names are added.

The index is built once at start-up (in a background thread for big registries; until it is
ready, search falls back to a plain substring match in SQL and says so). A registry of at least
``CACHE_MIN_NAMES`` names has its index saved in the index cache folder
(``PRISONWATCH_INDEX_CACHE``, default ``~/.cache/prisonwatch``; ``off`` disables it), keyed by
every name id and spelling: a restart, or the second web worker, loads it in seconds instead of
building it again, and any change to the names makes a new one.

Names added later — via the web, the CLI or an import — are picked up before each search by
reading the Name rows with an id above the highest one indexed and adding them to the index's
overlay. A restore replaces the registry under the running app (ids of the restored names may
be below the highest indexed): it writes an audit entry (``entity_type`` ``registry``), and the
search rebuilds the index when the newest such entry is not the one seen at the last build
(one indexed look-up per search). Every hit is checked against the registry before it is
shown: a removed name is dropped, an edited one is scored again in its current spelling, and
a name made private is shown only to readers who may see private facts (private names are in
the index for them).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from prisonwatch.names import CandidateIndex, default_matcher
from prisonwatch.names.answer import Answer, answer
from prisonwatch.names.cache import cached_index
from prisonwatch.store import search as queries
from prisonwatch.store.db import Database
from prisonwatch.store.search import NameRef

log = logging.getLogger("prisonwatch.name_search")

#: Registries with at least this many names keep their index in the cache folder.
CACHE_MIN_NAMES = 50_000
#: After this many searches, what they left in the names package's caches (parsed names, token
#: similarities: up to ~600,000 objects) is moved out of the cycle collector's way, as the
#: index itself is when it is loaded (``gc.freeze``). Scanning those caches made the
#: collector's full passes stall every request of the worker for 0.25-0.35 s once a couple of
#: thousand distinct names had been searched. Frozen objects are still freed when nothing
#: refers to them; only reference cycles alive at that moment (a request in flight) are kept.
FREEZE_EVERY = 200


@dataclass(frozen=True, slots=True)
class SearchHit:
    person_id: int
    name_id: int
    name: str
    score: float
    verdict: str
    why: str
    private: bool
    #: how the name answers what was typed (ranks the hits; see names/answer.py)
    answer: Answer

    def as_dict(self) -> dict[str, object]:
        """The hit as ``/api/v1/search`` and ``prisonwatch search --format json`` give it."""
        return {
            "person_id": self.person_id,
            "name_id": self.name_id,
            "name": self.name,
            "score": self.score,
            "verdict": self.verdict,
            "why": self.why,
            "full_hit": self.answer.full,
            "exact": self.answer.exact,
            "typed_parts": self.answer.typed,
            "typed_parts_found": self.answer.found,
            "reason": self.answer.reason,
        }


class NameSearch:
    def __init__(self, db: Database, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where big indexes are saved (``None``: never saved)."""
        self.db = db
        self.cache_dir = cache_dir
        self._lock = threading.Lock()
        self._index: CandidateIndex | None = None
        self._max_id = 0
        self._restore_seen: tuple[object, ...] | None = None
        self._since_freeze = 0
        #: whether the last build loaded a saved index (for the log and the tests)
        self.loaded_from_cache = False

    @property
    def ready(self) -> bool:
        return self._index is not None

    def start(self, *, background: bool) -> None:
        """Build the index now, or (a server: ``background``) in a thread while serving; a
        server first builds rigour's name tagger, before it accepts requests
        (:func:`prisonwatch.names.groups.warm_up`)."""
        if background:
            from prisonwatch.names.groups import warm_up

            log.info("preparing the name tagger (once per worker, about 10-20 s)")
            warm_up()
            threading.Thread(target=self._build_logged, name="name-index", daemon=True).start()
        else:
            self.build()

    def _build_logged(self) -> None:
        try:
            self.build()
        except OSError as exc:
            log.error("name index build failed: %s: %s", type(exc).__name__, exc.filename)
        except Exception as exc:  # keep serving with the SQL fallback
            # only the type: a message could quote a name
            log.error("name index build failed: %s", type(exc).__name__)

    @contextlib.contextmanager
    def _session(self, session: Session | None) -> Iterator[Session]:
        """The caller's session (a web request's: no second connection), else a new one."""
        if session is not None:
            yield session
        else:
            with self.db.session() as s:
                yield s

    def _rows(self, above: int, session: Session | None = None) -> list[tuple[int, str]]:
        with self._session(session) as s:
            return queries.names_above(s, above)

    def _last_restore(self, session: Session | None = None) -> tuple[object, ...] | None:
        """(id, at) of the newest restore's audit entry, or None."""
        with self._session(session) as s:
            return queries.last_restore(s)

    def build(self) -> None:
        restore_seen = self._last_restore()
        rows = self._rows(0)
        index: CandidateIndex
        if self.cache_dir is not None and len(rows) >= CACHE_MIN_NAMES:
            db_key = hashlib.sha256(self.db.url.encode()).hexdigest()[:12]
            index, self.loaded_from_cache = cached_index(
                self.cache_dir, f"web-{db_key}", _digest(rows), lambda: CandidateIndex.build(rows)
            )
        else:
            index = CandidateIndex.build(rows)
            self.loaded_from_cache = False
        with self._lock:
            self._index = index
            self._max_id = rows[-1][0] if rows else 0
            self._restore_seen = restore_seen
        log.info(
            "name index %s: %d names", "loaded" if self.loaded_from_cache else "built", len(rows)
        )
        self.catch_up()

    def catch_up(self, session: Session | None = None) -> int:
        """Add names stored since the last look (a primary-key range scan); how many."""
        if self._index is None:
            return 0
        if self._last_restore(session) != self._restore_seen:
            log.info("registry restored: rebuilding the name index")
            self.build()  # the restored names replace the indexed ones
            return 0
        rows = self._rows(self._max_id, session)
        if not rows:
            return 0
        with self._lock:
            for nid, text in rows:
                if nid <= self._max_id:
                    continue  # another request added it meanwhile
                self._index.add(nid, text)
                self._max_id = nid
        return len(rows)

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        include_private: bool,
        session: Session | None = None,
    ) -> list[SearchHit]:
        """People whose names match ``text``, best first, one hit per person. ``session``: the
        caller's (a web request's), for reading new and current names."""
        text = " ".join(text.split())[:200]
        if not any(ch.isalpha() for ch in text):
            return []
        if self._index is None:
            return self._fallback(text, limit, include_private)
        self.catch_up(session)
        with self._lock:
            # twice the limit: most people have a name in each script, one hit per person is kept
            found = self._index.search_names(text, limit=limit * 2, explain=False)
        current = self._current({int(key) for key, _name, _r in found}, session)
        matcher = default_matcher()
        # every current name found, per person: (score, rank in the index's order, name,
        # name id, ref); equal scores keep the index's order (the closer spelling first)
        per_person: dict[int, list[tuple[float, int, str, int, NameRef]]] = {}
        for rank, (key, indexed, result) in enumerate(found):
            ref = current.get(int(key))
            if ref is None or (ref.private and not include_private):
                continue  # removed since it was indexed, or not for this reader
            score = result.score
            if ref.text != indexed:  # edited since it was indexed: score the current spelling
                score = matcher.compare(text, ref.text).score
                if score < matcher.review_threshold:
                    continue
            per_person.setdefault(ref.person_id, []).append((score, rank, ref.text, int(key), ref))
        self._since_freeze += 1
        if self._since_freeze >= FREEZE_EVERY:
            self._since_freeze = 0
            gc.freeze()
        # the pair scores pick the people; how each of their names answers the query picks the
        # name shown and ranks the people (a typed surname alone is fully answered by everyone
        # of that surname, the exact spelling first)
        people = sorted(per_person.values(), key=lambda c: min((-x[0], x[1]) for x in c))
        hits: list[tuple[int, SearchHit]] = []
        for candidates in people[: limit * 2]:
            best: tuple[tuple[bool, bool, int, float], int, SearchHit] | None = None
            for _score, rank, name, nid, ref in candidates:  # only these are explained
                result = matcher.compare(text, name)
                hit = SearchHit(
                    ref.person_id,
                    nid,
                    name,
                    float(result.score),
                    str(result.verdict),
                    result.why,
                    ref.private,
                    answer(result),
                )
                order = hit.answer.sort_key(hit.score)
                if best is None or (order, rank) < (best[0], best[1]):
                    best = (order, rank, hit)
            if best is not None:
                hits.append((best[1], best[2]))
        hits.sort(key=lambda rh: (*rh[1].answer.sort_key(rh[1].score), rh[0]))
        return [hit for _rank, hit in hits[:limit]]

    def _current(self, name_ids: set[int], session: Session | None) -> dict[int, NameRef]:
        if not name_ids:
            return {}
        with self._session(session) as s:
            return queries.names_now(s, name_ids)

    def _fallback(self, text: str, limit: int, include_private: bool) -> list[SearchHit]:
        """Substring match while the index is being built."""
        hits: dict[int, SearchHit] = {}
        why = "substring match (index still being built)"
        with self.db.session() as s:
            rows = queries.names_containing(s, text, limit * 3, include_private=include_private)
        for row in rows:
            hits.setdefault(
                row.person_id,
                SearchHit(
                    row.person_id,
                    row.name_id,
                    row.text,
                    1.0,
                    "match",
                    why,
                    row.private,
                    Answer(1, 1, False, why),
                ),
            )
        return list(hits.values())[:limit]


def _digest(rows: list[tuple[int, str]]) -> bytes:
    """Every name id and spelling, in order: any change gives another digest."""
    digest = hashlib.sha256()
    for chunk in _chunks(rows, 10_000):
        digest.update("\x1e".join(f"{nid}\x1f{text}" for nid, text in chunk).encode())
        digest.update(b"\x1d")
    return digest.digest()


def _chunks(rows: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def search_once(
    db: Database,
    text: str,
    *,
    limit: int = 10,
    include_private: bool,
    cache_dir: Path | None = None,
) -> list[SearchHit]:
    """One search with a fresh index (the CLI's ``prisonwatch search``): the same hits, in the
    same order, as the web app's long-lived :class:`NameSearch` gives for ``text``."""
    service = NameSearch(db, cache_dir=cache_dir)
    service.build()
    return service.search(text, limit=limit, include_private=include_private)
