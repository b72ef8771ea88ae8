"""Tables of deals: what was given for a release (issue 14, section 4).

A deal itself is the ``deal`` table of :mod:`prisonwatch.store.schema` (title, date, parties,
``brokers`` = the intermediaries, a free-text summary in ``concessions``); migration ``0006``
adds its approximate-date flag, visibility and timestamps. The people released are linked
through their status events (``status_event.deal_id``). Here: the structured concessions.

A concession names the sanctions target it concerns *loosely*, by the list's authority, the
publisher's reference id and the name as written (``target_authority``, ``target_ref``,
``target_name``), not by a foreign key: the link survives new versions of a list and can be
recorded before any list is imported. Sources are :class:`Citation` rows with
``subject_type = "concession"`` (and ``"deal"`` for the deal's own sources).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, utcnow


class Concession(Base):
    """One thing given for a deal: a delisting, a general licence, an embassy reopening, ..."""

    __tablename__ = "concession"
    __table_args__ = (Index("ix_concession_target", "target_authority", "target_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # see model.ConcessionKind
    authority: Mapped[str | None] = mapped_column(String(200))  # who gave it, e.g. "US OFAC"
    target_authority: Mapped[str | None] = mapped_column(String(200))
    target_ref: Mapped[str | None] = mapped_column(String(200))  # ent_num, FixedRef, uid, ...
    target_name: Mapped[str | None] = mapped_column(String(500))  # as the list writes it
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[int | None] = mapped_column(SmallInteger)
    date_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(20))  # see model.LinkCertainty
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=utcnow)
