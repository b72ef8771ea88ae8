"""Tables of news articles and the claims proposed from them (issue 15); written only by
:mod:`prisonwatch.store.news`.

An :class:`Article` is one version of a news article: its text is stored under its content
hash (sha256), so the same URL with a changed text is a new row, and the claims of the older
version go back to review. A :class:`NewsClaim` keeps the proposal exactly as extracted
(``proposal``, the JSON object of ``prisonwatch news extract``) and the reviewer's changes
beside it (``edit``: only the fields changed); what accepting it created is recorded in
``result_type`` / ``result_id`` (a ``status_event`` or an outside figure ``claim``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, utcnow


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (Index("ix_article_url", "url", "current"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(2000))
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str | None] = mapped_column(String(1000))
    lang: Mapped[str] = mapped_column(String(5))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    #: the latest version of this URL
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    extractor_version: Mapped[str] = mapped_column(String(50))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NewsClaim(Base):
    __tablename__ = "news_claim"
    __table_args__ = (Index("ix_news_claim_state", "state", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON)
    edit: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: pending / accepted / rejected
    state: Mapped[str] = mapped_column(String(10), default="pending")
    extractor_version: Mapped[str] = mapped_column(String(50))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    link_score: Mapped[float | None] = mapped_column(Float)
    #: why the claim is back in review (e.g. the article's text changed)
    review_reason: Mapped[str | None] = mapped_column(String(300))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_note: Mapped[str | None] = mapped_column(Text)
    result_type: Mapped[str | None] = mapped_column(String(30))
    result_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
