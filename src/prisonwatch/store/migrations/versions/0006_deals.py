"""deals: structured concessions, the deal's visibility and dates, a deal's people by index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:00:00

Adds the ``concession`` table (one row per thing given for a deal, with the sanctions target
named loosely by authority, reference id and name), the ``deal`` columns ``date_approx``,
``visibility``, ``created_at`` and ``updated_at``, and an index on ``status_event.deal_id``
(the people of a deal are found through their events). Existing deals become public and
exact-dated, as they were shown before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("date_approx", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("visibility", sa.String(length=10), nullable=False, server_default="public")
        )
        batch_op.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    op.create_index("ix_status_event_deal_id", "status_event", ["deal_id"], unique=False)
    op.create_table(
        "concession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("target_authority", sa.String(length=200), nullable=True),
        sa.Column("target_ref", sa.String(length=200), nullable=True),
        sa.Column("target_name", sa.String(length=500), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.SmallInteger(), nullable=True),
        sa.Column("date_approx", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("certainty", sa.String(length=20), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deal.id"], name=op.f("fk_concession_deal_id_deal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concession")),
    )
    op.create_index("ix_concession_deal_id", "concession", ["deal_id"], unique=False)
    op.create_index(
        "ix_concession_target", "concession", ["target_authority", "target_ref"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_concession_target", table_name="concession")
    op.drop_index("ix_concession_deal_id", table_name="concession")
    op.drop_table("concession")
    op.drop_index("ix_status_event_deal_id", table_name="status_event")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("created_at")
        batch_op.drop_column("visibility")
        batch_op.drop_column("date_approx")
