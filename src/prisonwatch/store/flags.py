"""Flags an editor sets on a person: incommunicado, address unknown, no publicity. A flagged
person is in no public letter list, page, feed or export (see
:mod:`prisonwatch.letters.eligibility`).

Writes are audited (``person_flag`` entries). The entries carry ``visibility: private``: a flag
and its reason (the family asked not to be named, …) are shown to editors only, redacted, and in
full to admins (:mod:`prisonwatch.store.visibility`). Callers check the role: the CLI and the web
app let only editors and admins set or clear a flag.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.schema import Person, utcnow
from prisonwatch.store.schema_letters import FLAGS, PersonFlag
from prisonwatch.validation import FieldError, check_text


class FlagError(Exception):
    """A flag that cannot be set or cleared (unknown person, already set, not set)."""


def _check(person_id: int, flag: str, session: Session) -> str:
    f = (check_text("flag", flag, limit=20) or "").lower().replace(" ", "_").replace("-", "_")
    if f not in FLAGS:
        raise FieldError("flag", f"{flag!r} is not one of {', '.join(FLAGS)}")
    if session.get(Person, person_id) is None:
        raise FlagError(f"no person with id {person_id}")
    return f


def _snapshot(row: PersonFlag) -> dict[str, object]:
    return {**audit.snapshot(row), "visibility": "private"}


def _active(session: Session, person_id: int, flag: str) -> PersonFlag | None:
    return session.scalar(
        select(PersonFlag).where(
            PersonFlag.person_id == person_id,
            PersonFlag.flag == flag,
            PersonFlag.cleared_at.is_(None),
        )
    )


def set_flag(session: Session, person_id: int, flag: str, *, reason: str, actor: str) -> PersonFlag:
    """Set ``flag`` on the person, with a reason (required)."""
    f = _check(person_id, flag, session)
    why = check_text("reason", reason, limit=2000)
    if not why:
        raise FieldError("reason", "a flag needs a reason")
    if _active(session, person_id, f) is not None:
        raise FlagError(f"person {person_id} is already flagged {f}")
    row = PersonFlag(person_id=person_id, flag=f, reason=why, set_by=actor, set_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity_type="person_flag",
        entity_id=row.id,
        person_id=person_id,
        after=_snapshot(row),
    )
    return row


def clear_flag(
    session: Session, person_id: int, flag: str, *, reason: str, actor: str
) -> PersonFlag:
    """Clear the person's ``flag`` (the row stays, with when and by whom it was cleared)."""
    f = _check(person_id, flag, session)
    why = check_text("reason", reason, limit=2000)
    if not why:
        raise FieldError("reason", "clearing a flag needs a reason")
    row = _active(session, person_id, f)
    if row is None:
        raise FlagError(f"person {person_id} is not flagged {f}")
    before = _snapshot(row)
    row.cleared_at, row.cleared_by = utcnow(), actor
    session.flush()
    b, a = audit.diff(before, _snapshot(row))
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="person_flag",
        entity_id=row.id,
        person_id=person_id,
        before={**b, "visibility": "private"},
        after={**a, "visibility": "private", "reason_cleared": why},
    )
    return row


def flags_of(session: Session, person_id: int) -> list[PersonFlag]:
    """Every flag of the person, set or cleared, oldest first (for editors)."""
    return list(
        session.scalars(
            select(PersonFlag).where(PersonFlag.person_id == person_id).order_by(PersonFlag.id)
        )
    )


__all__ = ["FLAGS", "FlagError", "clear_flag", "flags_of", "set_flag"]
