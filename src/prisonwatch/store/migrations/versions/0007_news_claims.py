"""news articles and the claims proposed from them (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("published", sa.String(length=10), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("extractor_version", sa.String(length=50), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name="fk_article_source_id_source", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_article"),
        sa.UniqueConstraint("content_hash", name="uq_article_content_hash"),
    )
    op.create_index("ix_article_url", "article", ["url", "current"])
    op.create_table(
        "news_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("edit", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("extractor_version", sa.String(length=50), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("link_score", sa.Float(), nullable=True),
        sa.Column("review_reason", sa.String(length=300), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("result_type", sa.String(length=30), nullable=True),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_news_claim_article_id_article",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_news_claim_person_id_person", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_news_claim"),
    )
    op.create_index("ix_news_claim_article_id", "news_claim", ["article_id"])
    op.create_index("ix_news_claim_person_id", "news_claim", ["person_id"])
    op.create_index("ix_news_claim_state", "news_claim", ["state", "id"])


def downgrade() -> None:
    op.drop_table("news_claim")
    op.drop_table("article")
