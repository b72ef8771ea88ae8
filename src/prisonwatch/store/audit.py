"""The audit trail: every change to the registry writes an :class:`AuditEntry` in the same
transaction as the change itself, so a change without its audit entry cannot be committed.

``snapshot`` turns a row into the JSON object stored as *before* / *after*. Private person fields
are kept in the audit trail (an admin must be able to see what changed), so the audit log is shown
only to admins in full; other readers get :func:`redact`-ed entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, inspect
from sqlalchemy.orm import Session

from prisonwatch.store.schema import (
    DERIVED_PERSON_FIELDS,
    PRIVATE_PERSON_FIELDS,
    AuditEntry,
    Base,
    utcnow,
)

# timestamps, the version counter and derived columns are not facts anyone changed
_SKIP = {"created_at", "updated_at", "version", *DERIVED_PERSON_FIELDS}
REDACTED = "[private]"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(obj: Base) -> dict[str, Any]:
    """The column values of a row as a JSON-ready dict (timestamps, version and derived columns
    left out)."""
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for col in mapper.column_attrs:
        if col.key in _SKIP:
            continue
        out[col.key] = _jsonable(getattr(obj, col.key))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    person_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    context: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        person_id=person_id,
        before=before,
        after=after,
        context=context,
    )
    session.add(entry)
    return entry


#: The audit entry of a restore (``entity_type``): the web search rebuilds its index when the
#: newest such entry changes.
RESTORE_ENTITY = "registry"


class AuditedWriter:
    """For a store writer with ``session``, ``actor`` and ``context`` (a dataclass's fields):
    ``_audit`` writes one entry in the writer's transaction under its actor and context."""

    session: Session
    actor: str
    context: str | None

    def _audit(
        self,
        action: str,
        entity_type: str,
        entity_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        person_id: int | None = None,
    ) -> None:
        record(
            self.session,
            actor=self.actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            person_id=person_id,
            before=before,
            after=after,
            context=self.context,
        )


def record_restore(conn: Connection, *, actor: str, src: str, credentials: bool) -> None:
    """Audit a restore, in the restore's transaction (Core: the restore has no ORM session)."""
    conn.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            actor=actor,
            action="restore",
            entity_type=RESTORE_ENTITY,
            after={"file": src, "credentials": credentials},
            context=f"restore {src}"[:500],
        )
    )


def redact(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Hide private values in an audit before/after object."""
    if values is None:
        return None
    out = dict(values)
    for key in (*PRIVATE_PERSON_FIELDS, "private_names"):
        if key in out and out[key] is not None:
            out[key] = REDACTED
    if out.get("visibility") == "private":
        return {
            k: (REDACTED if k not in ("id", "person_id", "visibility") else v)
            for k, v in out.items()
        }
    return out
