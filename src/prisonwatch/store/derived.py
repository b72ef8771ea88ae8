"""Rebuilding everything the registry derives from its people, names and events.

PrisonWatch keeps two kinds of derived data current in the same transaction as every change:
the ``custody_change`` table behind the statistics (:mod:`prisonwatch.store.custody`) and the
people list's stored keys and tally (:mod:`prisonwatch.store.listkeys`). Rows loaded by other
means (a database restored from elsewhere, SQL ``COPY``) have neither; ``prisonwatch rebuild``
recomputes both here, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from prisonwatch.store.custody import rebuild_all as rebuild_custody
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import rebuild_list_keys, rebuild_tally


@dataclass(frozen=True, slots=True)
class Rebuilt:
    custody_rows: int
    people: int


def rebuild_derived(db: Database) -> Rebuilt:
    """Recompute the custody changes, the list keys and the tally (one transaction), then
    refresh the planner's statistics (on PostgreSQL also the visibility map) of the tables
    rewritten, so that the statistics and list queries get their index-only scans at once."""
    with db.session() as s:
        custody_rows = rebuild_custody(s)
        people = rebuild_list_keys(s)
        rebuild_tally(s)
    db.dialect.vacuum_analyze(db.engine, ("custody_change", "person"))
    return Rebuilt(custody_rows, people)
