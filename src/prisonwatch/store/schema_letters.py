"""Tables of letters to prisoners (issue 17): facilities as records, the flags that keep a
person out of every public letter list, and the log of letters people say they sent.

* ``facility`` — a prison, colony, remand centre with its postal address in the forms a letter
  needs. ``status_event.facility_id`` and ``case_file.facility_id`` point at it (added by
  migration ``0009_letters``); their free-text ``facility`` columns stay, as history.
* ``person_flag`` — incommunicado, address unknown, no publicity: set by an editor with a
  reason, never deleted (cleared by ``cleared_at``), so the history of a flag is kept.
* ``letter_log`` — one row per "I sent a letter" (``count_delta`` 1) or per editor's
  correction (any ``count_delta``, ``correction`` true). Nothing about who sent it is stored.
* ``letter_throttle`` — the rate limit of logging letters: keyed hashes of the client (the key
  changes every day and never leaves the process), deleted once their window is over.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from prisonwatch.store.schema import Base, utcnow

#: Kinds of facilities.
FACILITY_KINDS = ("penal_colony", "prison", "sizo", "remand", "other")
#: Flags an editor sets on a person; any of them keeps the person out of public letter lists.
FLAGS = ("incommunicado", "address_unknown", "no_publicity")


class Facility(Base):
    """A place of detention and its postal address.

    ``name`` is the name as the registry shows it (any language); ``name_be`` / ``name_ru``
    the name as written on an envelope in Belarusian / Russian. ``recipient_format`` says how
    the recipient line is written for this facility, with the placeholders ``{name}``
    (Surname Given Patronymic), ``{surname}``, ``{given}``, ``{patronymic}`` and
    ``{birth_year}`` (see :mod:`prisonwatch.letters.eligibility`). ``verified_on`` and
    ``verified_source_id``: when the address last proved right, and by which source."""

    __tablename__ = "facility"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_be: Mapped[str | None] = mapped_column(String(300))
    name_ru: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    region: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    locality: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), default="BY")
    recipient_format: Mapped[str | None] = mapped_column(String(200))
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PersonFlag(Base):
    """A flag on a person (see :data:`FLAGS`); active while ``cleared_at`` is NULL."""

    __tablename__ = "person_flag"
    __table_args__ = (Index("ix_person_flag_person", "person_id", "flag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    flag: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cleared_by: Mapped[str | None] = mapped_column(String(100))


class LetterLog(Base):
    """A letter logged as sent (``count_delta`` 1), or an editor's correction of the count."""

    __tablename__ = "letter_log"
    __table_args__ = (Index("ix_letter_log_sent", "sent_on", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    sent_on: Mapped[dt.date] = mapped_column(Date)
    logged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    count_delta: Mapped[int] = mapped_column(Integer, default=1)
    correction: Mapped[bool] = mapped_column(Boolean, default=False)


class LetterThrottle(Base):
    """How many letters a client (a keyed hash, see :mod:`prisonwatch.letters.log`) logged in
    the current window; rows of ended windows are deleted."""

    __tablename__ = "letter_throttle"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
