"""Tables of officials: the judges, prosecutors and investigators named in cases (issue 14 §5).

Officials are people of their own kind, never rows of ``person`` (the registry's prisoners):

* ``official`` — one judge, prosecutor or investigator: role, court or office, public notes.
  ``name_key`` is the normalised primary name (:func:`prisonwatch.store.officials.name_key`),
  by which the free text of a case (``case_file.judge`` / ``prosecutor``) finds its official.
* ``official_name`` — the official's names in every script (kind and visibility as for people).
* ``official_case`` — an official's part in a case (``role``: judge, prosecutor,
  investigator). ``origin`` ``text`` marks a link derived from the case's free-text column
  (``text`` holds the value it came from, so a changed column re-links); ``manual`` one an
  editor made. The free-text columns stay as they are, for history.
* ``official_hit`` — the latest screening of officials' names against the sanctions lists:
  one row per (official, sanctions target, list) the name matcher found at or above the review
  threshold (``verdict`` ``match`` or ``review``), with the best name pair, score and why.
  Replaced by every screening run; reviewers' judgements on a pair are applied when reading.
* ``official_screening`` — one row per screening run: when, who, which list versions, counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, utcnow


class Official(Base):
    __tablename__ = "official"
    __table_args__ = (Index("ix_official_role_key", "role", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # judge, prosecutor, investigator
    name_key: Mapped[str] = mapped_column(String(500))
    court: Mapped[str | None] = mapped_column(String(300))  # court or office
    public_notes: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class OfficialName(Base):
    __tablename__ = "official_name"
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("official.id", ondelete="CASCADE"), index=True
    )
    full_text: Mapped[str] = mapped_column(String(500))
    script: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="official")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public")


class OfficialCase(Base):
    __tablename__ = "official_case"
    __table_args__ = (
        UniqueConstraint("official_id", "case_id", "role", name="uq_official_case_link"),
        Index("ix_official_case_case", "case_id", "role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(10), default="manual")  # text, manual
    text: Mapped[str | None] = mapped_column(String(300))  # the free text it came from


class OfficialHit(Base):
    __tablename__ = "official_hit"
    __table_args__ = (Index("ix_official_hit_official", "official_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="CASCADE"))
    official_name: Mapped[str] = mapped_column(String(500))
    target_id: Mapped[int] = mapped_column(
        ForeignKey("sanctions_target.id", ondelete="CASCADE"), index=True
    )
    list_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("sanctions_version.id", ondelete="CASCADE"))
    target_name: Mapped[str] = mapped_column(String(1000))
    score: Mapped[float] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(10))  # match, review (the matcher's)
    why: Mapped[str | None] = mapped_column(Text)


class OfficialScreening(Base):
    __tablename__ = "official_screening"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    versions: Mapped[list[int]] = mapped_column(JSON)  # the sanctions_version ids screened
    officials: Mapped[int] = mapped_column(Integer)
    names: Mapped[int] = mapped_column(Integer)
    target_names: Mapped[int] = mapped_column(Integer)
    matches: Mapped[int] = mapped_column(Integer)
    uncertain: Mapped[int] = mapped_column(Integer)
    queued: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
