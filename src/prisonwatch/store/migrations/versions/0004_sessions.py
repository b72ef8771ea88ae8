"""Server-side web sessions, login-throttle counters, case-insensitive unique usernames.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])
    op.create_index("ix_web_session_expires_at", "web_session", ["expires_at"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(250), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("next_allowed_at", sa.DateTime(), nullable=True),
    )
    clash = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(username) FROM app_user GROUP BY lower(username) HAVING count(*) > 1"
            )
        )
        .scalars()
        .all()
    )
    if clash:
        raise RuntimeError(
            "usernames that differ only in case must be merged or renamed before this upgrade "
            f"(usernames are now case-insensitive): {', '.join(sorted(clash))}"
        )
    op.create_index(
        "uq_app_user_username_ci", "app_user", [sa.text("lower(username)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_app_user_username_ci", "app_user")
    op.drop_table("login_throttle")
    op.drop_index("ix_web_session_expires_at", "web_session")
    op.drop_index("ix_web_session_user_id", "web_session")
    op.drop_table("web_session")
