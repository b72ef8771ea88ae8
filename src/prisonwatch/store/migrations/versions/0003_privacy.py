"""privacy: an index on the audit trail's kind of entity

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 15:40:00

``ix_audit_entry_entity`` (entity_type, entity_id): the audit log's filter by kind, and the web
name search's look-up of the newest restore (``entity_type = 'registry'``) before each search,
which without it read the whole audit trail.

A person whose names are all private is hidden — not public at all (``store.visibility``):
their public-scope derived data goes (``person.status_public`` NULL, which the tally's triggers
count out; no ``custody_change`` rows of scope ``public``). Written out in SQL here, as the
rule stood when this revision was written.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


HIDDEN = (
    "SELECT p.id FROM person p WHERE NOT EXISTS "
    "(SELECT 1 FROM name n WHERE n.person_id = p.id AND n.visibility = 'public')"
)


def upgrade() -> None:
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity_type", "entity_id"])
    op.execute(
        f"UPDATE person SET status_public = NULL "
        f"WHERE status_public IS NOT NULL AND id IN ({HIDDEN})"
    )
    op.execute(f"DELETE FROM custody_change WHERE scope = 'public' AND person_id IN ({HIDDEN})")


def downgrade() -> None:
    # the hidden people's public keys are not put back: recompute them with
    # `prisonwatch rebuild` at the older version
    op.drop_index("ix_audit_entry_entity", table_name="audit_entry")
