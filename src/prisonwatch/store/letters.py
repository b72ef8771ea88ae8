"""Writing the letters log and its rate-limit counters (audited where a person acts).

The use cases (:mod:`prisonwatch.letters.log`) decide whether a letter may be logged (eligible,
under the limits) and compute the keyed hashes; this module only writes:

* :func:`add_letter` — a letter logged as sent (``count_delta`` 1), audited with the actor
  ``public`` and nothing about who logged it;
* :func:`add_correction` — an editor's correction (any non-zero ``count_delta``), audited with the
  editor and the reason;
* :func:`bump_counter` / :func:`forget_counters` — the ``letter_throttle`` counters (hashes only;
  not audited: they are not facts of the registry, and an audit entry would keep what the
  counters are meant to forget).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.schema_letters import LetterLog, LetterThrottle

#: The actor of audit entries of letters logged by the public.
PUBLIC_ACTOR = "public"


def add_letter(session: Session, person_id: int, day: dt.date) -> LetterLog:
    row = LetterLog(person_id=person_id, sent_on=day, count_delta=1, correction=False)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=PUBLIC_ACTOR,
        action="create",
        entity_type="letter_log",
        entity_id=row.id,
        person_id=person_id,
        after={"sent_on": day.isoformat(), "count_delta": 1},
    )
    return row


def add_correction(
    session: Session, person_id: int, delta: int, day: dt.date, *, actor: str, reason: str
) -> LetterLog:
    row = LetterLog(person_id=person_id, sent_on=day, count_delta=delta, correction=True)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="letter_log",
        entity_id=row.id,
        person_id=person_id,
        after={"sent_on": day.isoformat(), "count_delta": delta, "correction": True},
        context=f"letter count corrected: {reason}"[:500],
    )
    return row


def bump_counter(session: Session, key: str, now: dt.datetime) -> int:
    """Add one to the counter ``key`` (created at 0, its window starting ``now``) and return
    the new count. ``UPDATE … RETURNING``: concurrent callers get the counts one at a time."""
    dialect = session.get_bind().dialect.name
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(LetterThrottle)
    session.execute(
        ins.values(key=key, n=0, window_start=now).on_conflict_do_nothing(index_elements=["key"])
    )
    t = LetterThrottle
    return int(
        session.execute(update(t).where(t.key == key).values(n=t.n + 1).returning(t.n)).scalar_one()
    )


def forget_counters(session: Session, before: dt.datetime) -> None:
    """Delete the counters whose window started before ``before``."""
    session.execute(delete(LetterThrottle).where(LetterThrottle.window_start < before))


__all__ = ["PUBLIC_ACTOR", "add_correction", "add_letter", "bump_counter", "forget_counters"]
