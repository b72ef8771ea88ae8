"""Flags: set and cleared with a reason, audited, the audit entries private (editors see them
redacted, viewers not at all), history kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from prisonwatch.letters.flags import FlagError, clear_flag, flags_of, set_flag
from prisonwatch.store.auditlog import AuditFilter, query_audit
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry
from prisonwatch.validation import FieldError


def test_set_and_clear_keep_the_history(db: Database, build: type) -> None:
    with db.session() as s:
        pid = build(s).person("Асоба", [("detained", "2024-01-10")])
        set_flag(s, pid, "No publicity", reason="the family asked", actor="ed1")
        with pytest.raises(FlagError):
            set_flag(s, pid, "no_publicity", reason="again", actor="ed1")
        clear_flag(s, pid, "no_publicity", reason="the family agreed", actor="ed2")
        with pytest.raises(FlagError):
            clear_flag(s, pid, "no_publicity", reason="again", actor="ed2")
        set_flag(s, pid, "no_publicity", reason="asked again", actor="ed1")
        rows = flags_of(s, pid)
        assert [(r.flag, r.set_by, r.cleared_by) for r in rows] == [
            ("no_publicity", "ed1", "ed2"),
            ("no_publicity", "ed1", None),
        ]
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type == "person_flag")
                .order_by(AuditEntry.id)
            )
        )
        assert [(e.actor, e.action) for e in entries] == [
            ("ed1", "create"),
            ("ed2", "update"),
            ("ed1", "create"),
        ]
        assert entries[1].after is not None
        assert entries[1].after["reason_cleared"] == "the family agreed"


@pytest.mark.parametrize(
    ("flag", "reason", "error"),
    [
        ("famous", "why", FieldError),
        ("incommunicado", "", FieldError),
        ("incommunicado", "   ", FieldError),
    ],
)
def test_refused(db: Database, build: type, flag: str, reason: str, error: type) -> None:
    with db.session() as s:
        pid = build(s).person("Асоба", [("detained", "2024-01-10")])
        with pytest.raises(error):
            set_flag(s, pid, flag, reason=reason, actor="ed")
        with pytest.raises(FlagError):
            set_flag(s, 999_999, "incommunicado", reason="x", actor="ed")


def test_flag_entries_are_private_in_the_audit_log(db: Database, build: type) -> None:
    with db.session() as s:
        pid = build(s).person("Асоба", [("detained", "2024-01-10")])
        set_flag(s, pid, "no_publicity", reason="threats to the family", actor="ed")
    flt = AuditFilter(entity_type="person_flag")
    with db.session() as s:
        viewer = query_audit(s, flt, include_private=False, private_entries=False)
        editor = query_audit(s, flt, include_private=False, private_entries=True)
        admin = query_audit(s, flt, include_private=True, private_entries=True)
    assert viewer.rows == []
    assert len(editor.rows) == 1 and "threats" not in str(editor.rows[0].after)
    assert "threats to the family" in str(admin.rows[0].after)
