"""Reading the audit trail: who changed what, when, with the values before and after.

Private values stay in the stored entries (an admin must see what changed). Editors get
them through :func:`prisonwatch.store.audit.redact` (an entry about a private thing entirely
redacted); readers below editor do not get entries about private things at all
(:func:`prisonwatch.store.visibility.audit_entry_private`), nor the private person fields of
the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, false, func, not_, select
from sqlalchemy.orm import Session

from prisonwatch.store.audit import redact
from prisonwatch.store.schema import AuditEntry
from prisonwatch.store.visibility import PRIVATE_AUDIT_KEYS, audit_entry_private

MAX_PER_PAGE = 200


@dataclass(frozen=True, slots=True)
class AuditFilter:
    person_id: int | None = None
    actor: str | None = None
    entity_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    person_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    context: str | None

    def changes(self) -> list[tuple[str, Any, Any]]:
        """``(field, before, after)`` for every field with a value on either side."""
        before, after = self.before or {}, self.after or {}
        keys: list[str] = []
        for side in (before, after):
            keys.extend(k for k in side if k not in keys)
        return [
            (k, before.get(k), after.get(k))
            for k in keys
            if before.get(k) is not None or after.get(k) is not None
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "person_id": self.person_id,
            "before": self.before,
            "after": self.after,
            "context": self.context,
        }


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    per_page: int


def _where(stmt: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.person_id is not None:
        stmt = stmt.where(AuditEntry.person_id == flt.person_id)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor == flt.actor)
    if flt.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == flt.entity_type)
    if flt.since is not None:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(flt.since, dt.time()))
    if flt.until is not None:
        stmt = stmt.where(
            AuditEntry.at < dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time())
        )
    return stmt


def _without_private_keys(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in PRIVATE_AUDIT_KEYS}


def query_audit(
    session: Session,
    flt: AuditFilter,
    *,
    include_private: bool,
    private_entries: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """Newest first. ``include_private=False`` redacts private values (editors);
    ``private_entries=False`` (readers below editor) leaves out the entries about private
    things and the private person fields of the others."""
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    private_expr = false() if include_private else audit_entry_private()
    count: Select[Any] = select(func.count()).select_from(AuditEntry)
    stmt = cast(Select[Any], select(AuditEntry, private_expr.label("private")))
    if not private_entries:
        count, stmt = count.where(not_(private_expr)), stmt.where(not_(private_expr))
    total = int(session.scalar(_where(count, flt)) or 0)
    stmt = _where(stmt, flt).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    entries = session.execute(stmt.offset((page - 1) * per_page).limit(per_page)).all()
    rows = []
    for entry in entries:
        e: AuditEntry = entry[0]
        about_private = bool(entry[1])
        before: dict[str, Any] | None = e.before
        after: dict[str, Any] | None = e.after
        if not private_entries:
            before, after = _without_private_keys(before), _without_private_keys(after)
        if not include_private:
            # A row that is private on either side shows nothing of it on both sides.
            private = bool(about_private) or "private" in (
                (e.before or {}).get("visibility"),
                (e.after or {}).get("visibility"),
            )
            if private:
                before = redact({**before, "visibility": "private"}) if before else None
                after = redact({**after, "visibility": "private"}) if after else None
            else:
                before, after = redact(before), redact(after)
        rows.append(
            AuditRow(
                e.id,
                e.at,
                e.actor,
                e.action,
                e.entity_type,
                e.entity_id,
                e.person_id,
                before,
                after,
                e.context,
            )
        )
    return AuditPage(rows, total, page, per_page)


def actors(session: Session) -> list[str]:
    """Everyone who appears in the audit trail, for the filter menu."""
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))
