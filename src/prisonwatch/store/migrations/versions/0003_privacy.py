"""privacy: an index on the audit trail's kind of entity

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 15:40:00

``ix_audit_entry_entity`` (entity_type, entity_id): the audit log's filter by kind, and the web
name search's look-up of the newest restore (``entity_type = 'registry'``) before each search,
which without it read the whole audit trail.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity_type", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entry_entity", table_name="audit_entry")
