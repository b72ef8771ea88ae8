"""Tables of imported sanctions lists (written only by :mod:`prisonwatch.store.sanctions`).

* ``sanctions_list`` — a list family of an authority ("US OFAC" / "SDN").
* ``sanctions_version`` — one imported file of a list: content hash, publication date read from
  the file, the parser and its version, who imported it and when, the ``--as-of`` date, counts
  and the cause of the change against the previous version.
* ``sanctions_target`` — a listed party, keyed by the authority and the publisher's reference id
  (the key other tables refer to, e.g. deals' concessions); kind and caption as last seen.
* ``sanctions_statement`` — one row per (list, target, property, value) for as long as the fact
  stays on the list: ``from_version_id`` is the first version that has it, ``until_version_id``
  the first version that no longer has it (NULL while current). A version's facts are the rows
  whose interval holds it, so an unchanged fact costs no write when a new version comes, and two
  versions differ by a set difference.
* ``sanctions_listing`` — the same interval per (list, target): when a target was listed and
  delisted.

Version ids grow with every import, and a list's versions are imported in order, so
"version v holds a row" is ``from_version_id <= v AND (until_version_id IS NULL OR
until_version_id > v)``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, utcnow


class SanctionsList(Base):
    __tablename__ = "sanctions_list"
    __table_args__ = (UniqueConstraint("authority", "name", name="uq_sanctions_list_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SanctionsVersion(Base):
    __tablename__ = "sanctions_version"
    __table_args__ = (
        UniqueConstraint("list_id", "number", name="uq_sanctions_version_number"),
        Index("ix_sanctions_version_hash", "content_hash"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the list
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the file(s)
    statements_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the sorted facts
    file_name: Mapped[str] = mapped_column(String(300))  # base name only, never the path
    format: Mapped[str] = mapped_column(String(50))
    parser: Mapped[str] = mapped_column(String(100))  # the format module
    parser_version: Mapped[str] = mapped_column(String(30))
    published: Mapped[dt.date | None] = mapped_column(Date)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100))
    # first, publisher, parser, publisher+parser, none (same facts as the previous version)
    cause: Mapped[str] = mapped_column(String(20))
    targets: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)
    organisations: Mapped[int] = mapped_column(Integer)
    vessels: Mapped[int] = mapped_column(Integer)
    aircraft: Mapped[int] = mapped_column(Integer)
    statements: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[str | None] = mapped_column(Text)


class SanctionsTarget(Base):
    __tablename__ = "sanctions_target"
    __table_args__ = (UniqueConstraint("authority", "ref", name="uq_sanctions_target_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    authority: Mapped[str] = mapped_column(String(100))
    ref: Mapped[str] = mapped_column(String(200))  # the publisher's reference id
    kind: Mapped[str] = mapped_column(String(20))
    caption: Mapped[str] = mapped_column(String(1000))


class SanctionsStatement(Base):
    __tablename__ = "sanctions_statement"
    __table_args__ = (
        Index("ix_sanctions_statement_current", "list_id", "until_version_id"),
        Index("ix_sanctions_statement_from", "list_id", "from_version_id"),
        Index("ix_sanctions_statement_target", "target_id", "list_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("sanctions_target.id", ondelete="CASCADE"))
    prop: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    from_version_id: Mapped[int] = mapped_column(
        ForeignKey("sanctions_version.id", ondelete="CASCADE")
    )
    until_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sanctions_version.id", ondelete="CASCADE")
    )


class SanctionsListing(Base):
    __tablename__ = "sanctions_listing"
    __table_args__ = (
        Index("ix_sanctions_listing_current", "list_id", "until_version_id"),
        Index("ix_sanctions_listing_target", "target_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("sanctions_target.id", ondelete="CASCADE"))
    from_version_id: Mapped[int] = mapped_column(
        ForeignKey("sanctions_version.id", ondelete="CASCADE")
    )
    until_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sanctions_version.id", ondelete="CASCADE")
    )
    #: sha256 of the target's facts on this list while the listing is open (see
    #: ``store.sanctions.target_hash``): an import reads the facts of only the targets whose
    #: hash differs from the new file's
    facts_hash: Mapped[str] = mapped_column(String(64))
