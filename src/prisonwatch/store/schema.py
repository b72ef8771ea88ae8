"""SQLAlchemy tables of the registry. The same schema runs on SQLite and PostgreSQL.

Dates of events are stored as three columns: ``*_start`` (first day the partial date may denote,
the day the event takes effect — see :mod:`prisonwatch.dates`), ``*_precision`` (1 year, 2 month,
3 day) and ``*_approx``. Facts that may be private carry a ``visibility`` column; the private
person fields are listed in :data:`PRIVATE_PERSON_FIELDS`.

Changing this file needs a matching Alembic revision under ``store/migrations/versions``; the
test ``tests/store/test_migrations.py`` fails when the two drift apart.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Person fields that never reach public pages, the public API, exports (without an admin's
#: --include-private) or logs.
PRIVATE_PERSON_FIELDS = ("relatives_contact", "internal_notes")
#: Person columns derived from names and events for the people list
#: (:mod:`prisonwatch.store.listkeys`): not facts, so left out of audit snapshots and backups —
#: and the ``sort_*_all`` keys are made from private names too.
DERIVED_PERSON_FIELDS = (
    "sort_latin_public",
    "sort_latin_all",
    "sort_cyrillic_public",
    "sort_cyrillic_all",
    "status_public",
    "status_all",
    "status_valid_until",
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str | None] = mapped_column(String(50))  # hr_group, government, company, ...
    country: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(500))


class Source(Base):
    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    title: Mapped[str | None] = mapped_column(String(1000))
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(10))  # partial date, ISO prefix
    retrieved: Mapped[dt.date | None] = mapped_column(Date)
    quote: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Citation(Base):
    """Ties any stored fact (``subject_type``/``subject_id``) to a source."""

    __tablename__ = "citation"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "source_id", name="uq_citation_fact"),
        Index("ix_citation_subject", "subject_type", "subject_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(30))  # person, name, case, event, claim
    subject_id: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)


class Person(Base):
    """A person in the registry.

    The ``sort_name_*`` and ``status_*`` columns are derived data for the people list, never
    edited by hand and left out of audit snapshots: :mod:`prisonwatch.store.listkeys` keeps them
    current in the same transaction as every write that changes names or events. Per scope
    (``public``: computed from public names/events only; ``all``: from everything):

    * ``sort_<script>_*`` — the collation key of the name the scope's reader sees when reading
      in ``latin`` / ``cyrillic`` (:mod:`prisonwatch.names.display`; NULL when no name is
      visible), the people list's order by name;
    * ``status_*`` — held / released / died / unknown *as of the day it was computed* (the
      same rule as :mod:`prisonwatch.store.status`), with ``status_valid_until`` the first day
      of the next future-dated custody event (over all events; NULL if none), from which on
      the stored status may be outdated and is recomputed before the list reads it.
    """

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    birth_date: Mapped[str | None] = mapped_column(String(10))  # partial date, ISO prefix
    birth_start: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(10), index=True)
    region: Mapped[str | None] = mapped_column(String(200), index=True)
    nationality: Mapped[str | None] = mapped_column(String(100))
    public_notes: Mapped[str | None] = mapped_column(Text)
    # private
    relatives_contact: Mapped[str | None] = mapped_column(Text)
    internal_notes: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # derived, for the people list (see the class docstring)
    sort_latin_public: Mapped[bytes | None] = mapped_column(LargeBinary)
    sort_latin_all: Mapped[bytes | None] = mapped_column(LargeBinary)
    sort_cyrillic_public: Mapped[bytes | None] = mapped_column(LargeBinary)
    sort_cyrillic_all: Mapped[bytes | None] = mapped_column(LargeBinary)
    status_public: Mapped[str | None] = mapped_column(String(10))
    status_all: Mapped[str | None] = mapped_column(String(10))
    status_valid_until: Mapped[dt.date | None] = mapped_column(Date)

    names: Mapped[list[Name]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Name.id"
    )
    cases: Mapped[list[Case]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Case.id"
    )
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="(StatusEvent.date_start, StatusEvent.date_precision, StatusEvent.id)",
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


# The people list's indexes, per display script. (sort key, id) gives the order by name of the
# unfiltered list, for each scope. For the public scope — every anonymous and viewer page, the
# hot path — also (status, sort key, id) for the status filter in that order and
# (lower(region), status, sort key, id) for the region filter with or without a status, in that
# order, and the region-only count. An editor's filtered list walks (sort key, id) and filters
# (fast for common filters; see docs/web.md): each index costs every import (~0.2 s per 20,000
# people on SQLite), and twelve put the 100,000-people import over its minute. The id makes
# the order total, so pages are stable.
def _list_indexes(script: str, scope: str) -> None:
    sort = getattr(Person, f"sort_{script}_{scope}")
    Index(f"ix_person_sort_{script}_{scope}", sort, Person.id)
    if scope != "public":
        return
    status = getattr(Person, f"status_{scope}")
    Index(f"ix_person_status_{script}_{scope}", status, sort, Person.id)
    Index(
        f"ix_person_region_status_{script}_{scope}",
        func.lower(Person.region),
        status,
        sort,
        Person.id,
    )


for _script in ("latin", "cyrillic"):
    for _scope in ("public", "all"):
        _list_indexes(_script, _scope)
# The few people with a future-dated custody event, for the list's look-up of stale statuses.
# Partial: most people have none, and their rows never enter this index.
Index(
    "ix_person_status_valid_until",
    Person.status_valid_until,
    postgresql_where=Person.status_valid_until.is_not(None),
    sqlite_where=Person.status_valid_until.is_not(None),
)
# The people whose keys were never computed (loaded by other means), for the same look-up
# (``status_valid_until <= today OR status_all IS NULL``): partial, normally empty. Without it
# that OR read the whole table on every page (90 ms at 1,000,000 people, PostgreSQL).
Index(
    "ix_person_unkeyed",
    Person.id,
    postgresql_where=Person.status_all.is_(None),
    sqlite_where=Person.status_all.is_(None),
)


class PersonTally(Base):
    """Derived data: how many people have each stored status (per scope) and region, so the
    people list counts "everyone", "held", "held in Minsk" without counting a million rows.

    The number of people with ``person.status_<scope> = status`` (not NULL: people whose keys
    were never computed are not counted) and ``lower(person.region) = region_key`` is
    ``SUM(n)`` over the key's rows. Database triggers on ``person`` keep it (created by
    migration ``0002``; see :mod:`prisonwatch.store.listkeys`): every change *appends* rows
    with its net change per key (no row is updated, so concurrent writers never wait for each
    other), and the rows are summed up from time to time."""

    __tablename__ = "person_tally"
    __table_args__ = (Index("ix_person_tally_key", "scope", "status", "region_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(10))
    region_key: Mapped[str | None] = mapped_column(String(200))
    n: Mapped[int] = mapped_column(Integer)


class Identifier(Base):
    """An id a list or organisation uses for the person (the ``id`` column of an import)."""

    __tablename__ = "identifier"
    __table_args__ = (UniqueConstraint("scheme", "value", name="uq_identifier_scheme_value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(200))
    person: Mapped[Person] = relationship(back_populates="identifiers")


class Name(Base):
    __tablename__ = "name"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    full_text: Mapped[str] = mapped_column(String(500))
    script: Mapped[str] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="official")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    person: Mapped[Person] = relationship(back_populates="names")


class Case(Base):
    __tablename__ = "case_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    articles: Mapped[str | None] = mapped_column(String(500))  # "342; 361-1"
    court: Mapped[str | None] = mapped_column(String(300))
    judge: Mapped[str | None] = mapped_column(String(300))
    prosecutor: Mapped[str | None] = mapped_column(String(300))
    sentence: Mapped[str | None] = mapped_column(String(300))  # as written
    sentence_months: Mapped[int | None] = mapped_column(Integer)
    facility: Mapped[str | None] = mapped_column(String(300), index=True)
    facility_address: Mapped[str | None] = mapped_column(String(500))
    # the facility record (migration 0009_letters; the free-text columns above stay, as history)
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facility.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    person: Mapped[Person] = relationship(back_populates="cases")


class CaseArticle(Base):
    """One criminal-code article of a case, for filtering and statistics."""

    __tablename__ = "case_article"
    __table_args__ = (Index("ix_case_article_article", "article", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    article: Mapped[str] = mapped_column(String(30))


class Deal(Base):
    __tablename__ = "deal"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[int | None] = mapped_column(SmallInteger)
    parties: Mapped[str | None] = mapped_column(String(500))
    brokers: Mapped[str | None] = mapped_column(String(500))
    concessions: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    # added by migration 0006 (see store/schema_deals.py)
    date_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow
    )


class StatusEvent(Base):
    __tablename__ = "status_event"
    __table_args__ = (
        Index("ix_status_event_person_date", "person_id", "date_start"),
        Index("ix_status_event_kind_date", "kind", "date_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    date_start: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[int] = mapped_column(SmallInteger, default=3)
    date_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    destination_country: Mapped[str | None] = mapped_column(String(100))
    facility: Mapped[str | None] = mapped_column(String(300))
    # the facility record (migration 0009_letters; ``facility`` above stays, as history)
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facility.id", ondelete="SET NULL"), index=True
    )
    # the deal a release was part of (indexed by migration 0006: a deal's people)
    deal_id: Mapped[int | None] = mapped_column(
        ForeignKey("deal.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    person: Mapped[Person] = relationship(back_populates="events")
    organisation: Mapped[Organisation | None] = relationship()


class CustodyChange(Base):
    """Derived data, never edited by hand: one row per change of a person's custody state or
    recognition, computed from the status events by :mod:`prisonwatch.store.custody` and
    refreshed by every write path. ``scope`` ``public`` rows are computed over public events
    only, ``all`` rows over all events, so a public figure never reveals a private report.

    ``delta_held`` is +1 (inflow) / -1 (outflow) / 0 (a recognition row); ``delta_recognised``
    the change of ``organisation_id``'s own recognition (NULL organisation = none given) and
    ``delta_recognised_any`` the change of "recognised by at least one organisation"."""

    __tablename__ = "custody_change"
    __table_args__ = (
        # (scope, date_start) first; the trailing columns make it covering for the statistics
        # aggregations (no table look-ups on SQLite, index-only scans on PostgreSQL).
        Index(
            "ix_custody_change_scope_date",
            "scope",
            "date_start",
            "kind",
            "delta_held",
            "delta_recognised_any",
        ),
        Index("ix_custody_change_person", "person_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # public / all
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(Integer)
    date_start: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(30))
    delta_held: Mapped[int] = mapped_column(SmallInteger, default=0)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    delta_recognised: Mapped[int] = mapped_column(SmallInteger, default=0)
    delta_recognised_any: Mapped[int] = mapped_column(SmallInteger, default=0)
    # the event's deal, for marking deals on the timeline (cleared with the deal, as there)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deal.id", ondelete="SET NULL"))


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempt(Base):
    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_user_at", "username", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """Who changed what, when, with the values before and after (JSON objects)."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_person", "person_id", "at"),
        Index("ix_audit_entry_actor", "actor", "at"),
        # the filter by kind, and the web search's look-up of the newest restore
        Index("ix_audit_entry_entity", "entity_type", "entity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, withdraw
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    context: Mapped[str | None] = mapped_column(String(500))


class NameList(Base):
    """A list as received (demanded, released, a group's own list), each row kept verbatim."""

    __tablename__ = "name_list"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str | None] = mapped_column(String(500))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    columns: Mapped[list[str] | None] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    entries: Mapped[list[ListEntry]] = relationship(
        back_populates="name_list", cascade="all, delete-orphan", order_by="ListEntry.row_number"
    )


class ListEntry(Base):
    __tablename__ = "list_entry"
    __table_args__ = (UniqueConstraint("list_id", "row_number", name="uq_list_entry_row"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("name_list.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    ext_id: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    raw: Mapped[dict[str, object]] = mapped_column(JSON)
    name_list: Mapped[NameList] = relationship(back_populates="entries")


class ListLink(Base):
    """A link found by a reconciliation run between a list row and a registry person."""

    __tablename__ = "list_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("list_entry.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float | None] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(20))
    why: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(50))
    run_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Judgement(Base):
    """A reviewer's decision that two records are the same person, different, or unsure.

    Records are referred to by stable keys (``person:12``, ``entry:34``, or a key the
    reconciliation derives for rows of files that are not stored). A withdrawn judgement stays
    in the table with ``withdrawn_at`` set.
    """

    __tablename__ = "judgement"
    __table_args__ = (Index("ix_judgement_pair", "left_key", "right_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    left_key: Mapped[str] = mapped_column(String(300))
    right_key: Mapped[str] = mapped_column(String(300))
    left_name: Mapped[str | None] = mapped_column(String(500))
    right_name: Mapped[str | None] = mapped_column(String(500))
    decision: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    user: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))


class ReviewItem(Base):
    """A pair waiting for a human decision (the review queue)."""

    __tablename__ = "review_item"
    __table_args__ = (UniqueConstraint("left_key", "right_key", name="uq_review_item_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    left_key: Mapped[str] = mapped_column(String(300))
    right_key: Mapped[str] = mapped_column(String(300))
    left_name: Mapped[str] = mapped_column(String(500))
    right_name: Mapped[str] = mapped_column(String(500))
    score: Mapped[float] = mapped_column(Float)
    why: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(String(300))  # which run / list
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    judgement_id: Mapped[int | None] = mapped_column(
        ForeignKey("judgement.id", ondelete="SET NULL")
    )


class Claim(Base):
    """A statement from outside (news, a group's monthly count), kept beside the registry's own
    figures and never overwriting them. ``kind`` e.g. ``count_held``, ``count_released``."""

    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_kind_date", "kind", "as_of"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    wording: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))
    review_state: Mapped[str] = mapped_column(String(20), default="pending")
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


from prisonwatch.store import schema_auth as _schema_auth  # noqa: E402,F401  (web sign-in tables)
from prisonwatch.store import schema_deals as _schema_deals  # noqa: E402, F401  (deal tables)
from prisonwatch.store import schema_letters as _schema_letters  # noqa: E402,F401  (letters)
from prisonwatch.store import schema_news as _schema_news  # noqa: E402,F401  (news tables)
from prisonwatch.store import schema_officials as _schema_officials  # noqa: E402,F401
from prisonwatch.store import schema_sanctions as _schema_sanctions  # noqa: E402,F401
