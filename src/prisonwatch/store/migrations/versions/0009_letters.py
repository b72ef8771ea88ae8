"""letters: facilities as records, person flags, the letters log (issue 17)

Revision ID: 0009_letters
Revises: 0008_officials
Create Date: 2026-12-04 18:00:00

Adds ``facility``, ``person_flag``, ``letter_log`` and ``letter_throttle``, and a nullable
``facility_id`` on ``case_file`` and ``status_event`` (their free-text ``facility`` columns stay,
as history). Then the free text becomes records: every distinct facility name of a case or an
event (matched by :func:`prisonwatch.store.facilities.facility_key`: case, spaces and
punctuation folded) becomes one facility — its kind guessed from the name, its address split
from a case's ``facility_address`` — each with an audit entry by ``migration 0009_letters``;
and the rows' ``facility_id`` is set. Only public cases and events create facilities (a record
is public); a private one is linked when its text names a facility that exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

from prisonwatch.store.facilities import facility_key, guess_kind, split_address

revision = "0009_letters"
down_revision = "0008_officials"
branch_labels = None
depends_on = None

ACTOR = "migration 0009_letters"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """SQLite's batch mode reflects ``person`` (the tables' foreign key) and warns that it
    cannot reflect its expression indexes; they are not touched here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        yield


def _tables() -> None:
    op.create_table(
        "facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_be", sa.String(length=300), nullable=True),
        sa.Column("name_ru", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("locality", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("recipient_format", sa.String(length=200), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_source_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["verified_source_id"],
            ["source.id"],
            name=op.f("fk_facility_verified_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
    )
    op.create_index("ix_facility_name", "facility", ["name"], unique=False)
    op.create_table(
        "person_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_flag_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_flag")),
    )
    op.create_index("ix_person_flag_person", "person_flag", ["person_id", "flag"], unique=False)
    op.create_table(
        "letter_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("count_delta", sa.Integer(), nullable=False),
        sa.Column("correction", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_letter_log_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_log")),
    )
    op.create_index("ix_letter_log_person_id", "letter_log", ["person_id"], unique=False)
    op.create_index("ix_letter_log_sent", "letter_log", ["sent_on", "person_id"], unique=False)
    op.create_table(
        "letter_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_letter_throttle")),
    )
    op.create_index(
        "ix_letter_throttle_window_start", "letter_throttle", ["window_start"], unique=False
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("case_file", "status_event"):
        if sqlite:
            # ALTER TABLE … ADD COLUMN … REFERENCES: never batch mode's copy-and-move here — with
            # foreign keys on, dropping the old ``case_file`` deletes every ``case_article``
            # (ON DELETE CASCADE), and the old ``status_event`` what hangs on it
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN facility_id INTEGER "
                f"CONSTRAINT fk_{table}_facility_id_facility "
                "REFERENCES facility (id) ON DELETE SET NULL"
            )
            op.create_index(f"ix_{table}_facility_id", table, ["facility_id"], unique=False)
            continue
        with _quiet(), op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("facility_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_facility_id_facility",
                "facility",
                ["facility_id"],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.create_index(f"ix_{table}_facility_id", ["facility_id"], unique=False)


def _free_text_to_records() -> None:
    conn = op.get_bind()
    # the tables as they stand at this revision (no reflection: it warns about the
    # expression indexes of ``person`` and costs a round trip per table)
    case = sa.table(
        "case_file",
        sa.column("id", sa.Integer),
        sa.column("facility", sa.String),
        sa.column("facility_address", sa.String),
        sa.column("facility_id", sa.Integer),
        sa.column("visibility", sa.String),
    )
    event = sa.table(
        "status_event",
        sa.column("id", sa.Integer),
        sa.column("facility", sa.String),
        sa.column("facility_id", sa.Integer),
        sa.column("visibility", sa.String),
    )
    facility = sa.table(
        "facility",
        *(
            sa.column(c, sa.String)
            for c in ("name", "kind", "street", "postal_code", "locality", "country")
        ),
        sa.column("id", sa.Integer),
        sa.column("created_at", sa.DateTime),
    )
    audit = sa.table(
        "audit_entry",
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("after", sa.JSON),
        sa.column("context", sa.String),
    )
    # name -> an address, from the cases (the first non-empty address written for it)
    addresses: dict[str, str] = {}
    for name, address in conn.execute(
        sa.select(case.c.facility, case.c.facility_address)
        .where(case.c.facility.is_not(None), case.c.visibility == "public")
        .order_by(case.c.id)
    ):
        key = facility_key(name)
        if address and key and key not in addresses:
            addresses[key] = address
    names = [
        row[0]
        for row in conn.execute(
            sa.union(
                sa.select(case.c.facility.label("f")).where(
                    case.c.facility.is_not(None), case.c.visibility == "public"
                ),
                sa.select(event.c.facility.label("f")).where(
                    event.c.facility.is_not(None), event.c.visibility == "public"
                ),
            )
        )
    ]
    ids: dict[str, int] = {}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for name in sorted(names, key=lambda n: (facility_key(n), n)):
        key = facility_key(name)
        if not key or key in ids:
            continue
        street, pc, locality = split_address(addresses.get(key))
        values = {
            "name": " ".join(name.split())[:300],
            "kind": guess_kind(name),
            "street": street,
            "postal_code": pc,
            "locality": locality,
            "country": "BY",
            "created_at": now,
        }
        fid = int(
            conn.execute(facility.insert().values(**values).returning(facility.c.id)).scalar_one()
        )
        ids[key] = fid
        after = {
            k: v for k, v in {**values, "id": fid}.items() if k != "created_at" and v is not None
        }
        conn.execute(
            audit.insert().values(
                at=now,
                actor=ACTOR,
                action="create",
                entity_type="facility",
                entity_id=fid,
                after=after,
                context="facility records from the free text of cases and events",
            )
        )
    private_names = [
        row[0]
        for row in conn.execute(
            sa.union(
                sa.select(case.c.facility.label("f")).where(
                    case.c.facility.is_not(None), case.c.visibility != "public"
                ),
                sa.select(event.c.facility.label("f")).where(
                    event.c.facility.is_not(None), event.c.visibility != "public"
                ),
            )
        )
    ]
    # one pass per table through a mapping (text as written → facility), not a scan per name:
    # status_event.facility has no index
    mapping = sa.Table(
        "pw_facility_text_0009",
        sa.MetaData(),
        sa.Column("text", sa.String(300), primary_key=True),
        sa.Column("facility_id", sa.Integer, nullable=False),
        prefixes=["TEMPORARY"],
    )
    mapping.create(conn)
    rows = [
        {"text": name, "facility_id": ids[facility_key(name)]}
        for name in set(names) | set(private_names)
        if facility_key(name) in ids
    ]
    if rows:
        conn.execute(mapping.insert(), rows)
    for table in (case, event):
        found = (
            sa.select(mapping.c.facility_id)
            .where(mapping.c.text == table.c.facility)
            .scalar_subquery()
        )
        conn.execute(
            table.update()
            .where(table.c.facility.is_not(None), table.c.facility_id.is_(None))
            .values(facility_id=found)
        )
    mapping.drop(conn)


def upgrade() -> None:
    _tables()
    _free_text_to_records()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("status_event", "case_file"):
        if sqlite:  # ALTER TABLE … DROP COLUMN (SQLite 3.35+), for the reason in _tables()
            op.drop_index(f"ix_{table}_facility_id", table_name=table)
            op.execute(f"ALTER TABLE {table} DROP COLUMN facility_id")
            continue
        with _quiet(), op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_facility_id")
            batch_op.drop_constraint(f"fk_{table}_facility_id_facility", type_="foreignkey")
            batch_op.drop_column("facility_id")
    op.drop_table("letter_throttle")
    op.drop_table("letter_log")
    op.drop_table("person_flag")
    op.drop_table("facility")
