"""Name search for the web app: the names package's cross-script :class:`CandidateIndex` built
from the registry's Name rows, kept current as names are added.

The index is built once at start-up (in a background thread for big registries; until it is
ready, search falls back to a plain substring match in SQL and says so). Names added later — via
the web, the CLI or an import — are picked up before each search by reading the Name rows with
an id above the highest one indexed and adding them to the index's overlay (names edited or
removed after the build keep their old spelling in the index until a restart; the hit is
re-checked against the registry when the page is shown). Private names are in the index, but a hit
through a private name is shown only to readers who may see private facts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import func, select

from prisonwatch.names import CandidateIndex
from prisonwatch.store.db import Database
from prisonwatch.store.schema import Name

log = logging.getLogger("prisonwatch.web.search")


@dataclass(frozen=True, slots=True)
class NameRef:
    person_id: int
    text: str
    private: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    person_id: int
    name_id: int
    name: str
    score: float
    verdict: str
    why: str
    private: bool


class NameSearch:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._index: CandidateIndex | None = None
        self._refs: dict[int, NameRef] = {}
        self._max_id = 0

    @property
    def ready(self) -> bool:
        return self._index is not None

    def start(self, *, background: bool) -> None:
        if background:
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

    def _rows(self, above: int) -> list[tuple[int, int, str, str]]:
        with self.db.session() as s:
            return [
                (nid, pid, text, vis)
                for nid, pid, text, vis in s.execute(
                    select(Name.id, Name.person_id, Name.full_text, Name.visibility)
                    .where(Name.id > above)
                    .order_by(Name.id)
                )
            ]

    def build(self) -> None:
        rows = self._rows(0)
        refs = {nid: NameRef(pid, text, vis == "private") for nid, pid, text, vis in rows}
        index = CandidateIndex.build((nid, ref.text) for nid, ref in refs.items())
        with self._lock:
            self._index, self._refs = index, refs
            self._max_id = max(refs, default=0)
        log.info("name index built: %d names", len(refs))
        self.catch_up()

    def catch_up(self) -> int:
        """Add names stored since the last look (a primary-key range scan); how many."""
        if self._index is None:
            return 0
        rows = self._rows(self._max_id)
        with self._lock:
            for nid, pid, text, vis in rows:
                if nid in self._refs:
                    continue
                self._refs[nid] = NameRef(pid, text, vis == "private")
                self._index.add(nid, text)
                self._max_id = max(self._max_id, nid)
        return len(rows)

    def search(self, text: str, *, limit: int = 10, include_private: bool) -> list[SearchHit]:
        """People whose names match ``text``, best first, one hit per person."""
        text = " ".join(text.split())[:200]
        if not any(ch.isalpha() for ch in text):
            return []
        if self._index is None:
            return self._fallback(text, limit, include_private)
        self.catch_up()
        with self._lock:
            # twice the limit: most people have a name in each script, one hit per person is kept
            found = self._index.search(text, limit=limit * 2)
            refs = self._refs
        current = self._current({int(key) for key, _ in found})
        best: dict[int, SearchHit] = {}
        for key, result in found:
            ref = refs.get(int(key))
            if ref is not None and current.get(int(key)) != ref:
                ref = None  # edited, made private or removed since it was indexed
            if ref is None or (ref.private and not include_private):
                continue
            hit = SearchHit(ref.person_id, int(key), ref.text, float(result.score),
                            str(result.verdict), result.why, ref.private)
            if ref.person_id not in best or hit.score > best[ref.person_id].score:
                best[ref.person_id] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.name))[:limit]

    def _current(self, name_ids: set[int]) -> dict[int, NameRef]:
        if not name_ids:
            return {}
        with self.db.session() as s:
            return {
                nid: NameRef(pid, text, vis == "private")
                for nid, pid, text, vis in s.execute(
                    select(Name.id, Name.person_id, Name.full_text, Name.visibility).where(
                        Name.id.in_(name_ids)
                    )
                )
            }

    def _fallback(self, text: str, limit: int, include_private: bool) -> list[SearchHit]:
        """Substring match while the index is being built."""
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        stmt = select(Name.id, Name.person_id, Name.full_text, Name.visibility).where(
            func.lower(Name.full_text).like(pattern, escape="\\")
        )
        if not include_private:
            stmt = stmt.where(Name.visibility != "private")
        hits: dict[int, SearchHit] = {}
        with self.db.session() as s:
            for nid, pid, full, vis in s.execute(stmt.order_by(Name.id).limit(limit * 3)):
                hits.setdefault(pid, SearchHit(pid, nid, full, 1.0, "match",
                                               "substring match (index still being built)",
                                               vis == "private"))
        return list(hits.values())[:limit]
