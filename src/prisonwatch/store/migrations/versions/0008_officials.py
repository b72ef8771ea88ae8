"""officials: judges, prosecutors and investigators as people of their own kind (issue 14 §5)

Revision ID: 0008_officials
Revises: 0007
Create Date: 2026-12-04 18:00:00

Creates ``official``, ``official_name``, ``official_case``, ``official_hit`` and
``official_screening`` (see store/schema_officials.py), then turns the free text of
``case_file.judge`` and ``case_file.prosecutor`` into officials: one official per distinct
normalised name per role (the spelling used most becomes its name), linked to every case that
names it (``origin`` ``text``). The free-text columns are kept as they are. Each official and
link created gets an audit entry by ``migration 0008_officials``.

The normalisation is written out here (a migration must not change when the code does); it is
the same as ``prisonwatch.store.officials.name_key`` and a test checks that they agree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_officials"
down_revision = "0007"
branch_labels = None
depends_on = None

ACTOR = "migration 0008_officials"
_NOT_WORD = re.compile(r"[^\w]+|_")
_CYRILLIC = re.compile(r"[\u0400-\u052F]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def name_key(text: str) -> str:
    """Case, accents of Latin letters kept apart, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _script(text: str) -> str:
    cyr, lat = bool(_CYRILLIC.search(text)), bool(_LATIN.search(text))
    if cyr and lat:
        return "mixed"
    return "cyrillic" if cyr else "latin" if lat else "other"


def _create_tables() -> None:
    op.create_table(
        "official",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name_key", sa.String(length=500), nullable=False),
        sa.Column("court", sa.String(length=300), nullable=True),
        sa.Column("public_notes", sa.Text(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_official"),
    )
    op.create_index("ix_official_role_key", "official", ["role", "name_key"])
    op.create_table(
        "official_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("full_text", sa.String(length=500), nullable=False),
        sa.Column("script", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
            name="fk_official_name_official_id_official",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_official_name"),
    )
    op.create_index("ix_official_name_official_id", "official_name", ["official_id"])
    op.create_table(
        "official_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
            name="fk_official_case_case_id_case_file",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
            name="fk_official_case_official_id_official",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_official_case"),
        sa.UniqueConstraint("official_id", "case_id", "role", name="uq_official_case_link"),
    )
    op.create_index("ix_official_case_case", "official_case", ["case_id", "role"])
    op.create_table(
        "official_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("official_name", sa.String(length=500), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("target_name", sa.String(length=1000), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
            name="fk_official_hit_official_id_official",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sanctions_target.id"],
            name="fk_official_hit_target_id_sanctions_target",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["sanctions_list.id"],
            name="fk_official_hit_list_id_sanctions_list",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sanctions_version.id"],
            name="fk_official_hit_version_id_sanctions_version",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_official_hit"),
    )
    op.create_index("ix_official_hit_official", "official_hit", ["official_id"])
    op.create_index("ix_official_hit_target_id", "official_hit", ["target_id"])
    op.create_table(
        "official_screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("officials", sa.Integer(), nullable=False),
        sa.Column("names", sa.Integer(), nullable=False),
        sa.Column("target_names", sa.Integer(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_official_screening"),
    )


def _migrate_free_text() -> None:
    conn = op.get_bind()
    case = sa.table(
        "case_file",
        sa.column("id", sa.Integer),
        sa.column("person_id", sa.Integer),
        sa.column("court", sa.String),
        sa.column("judge", sa.String),
        sa.column("prosecutor", sa.String),
        sa.column("visibility", sa.String),
    )
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("synthetic", sa.Boolean))
    official = sa.table(
        "official",
        sa.column("id", sa.Integer),
        sa.column("role", sa.String),
        sa.column("name_key", sa.String),
        sa.column("court", sa.String),
        sa.column("public_notes", sa.Text),
        sa.column("synthetic", sa.Boolean),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    oname = sa.table(
        "official_name",
        sa.column("official_id", sa.Integer),
        sa.column("full_text", sa.String),
        sa.column("script", sa.String),
        sa.column("kind", sa.String),
        sa.column("is_primary", sa.Boolean),
        sa.column("visibility", sa.String),
    )
    ocase = sa.table(
        "official_case",
        sa.column("official_id", sa.Integer),
        sa.column("case_id", sa.Integer),
        sa.column("role", sa.String),
        sa.column("origin", sa.String),
        sa.column("text", sa.String),
    )
    audit = sa.table(
        "audit_entry",
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity_type", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("person_id", sa.Integer),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("context", sa.String),
    )
    rows = conn.execute(
        sa.select(
            case.c.id,
            case.c.person_id,
            case.c.visibility,
            case.c.court,
            case.c.judge,
            case.c.prosecutor,
            person.c.synthetic,
        )
        .select_from(case.join(person, person.c.id == case.c.person_id))
        .order_by(case.c.id)
    ).all()
    # (role, key) -> spellings, courts, cases (id, text), all synthetic?
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    courts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    cases: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)
    synthetic: dict[tuple[str, str], bool] = {}
    for case_id, person_id, visibility, court, judge, prosecutor, synth in rows:
        for role, text in (("judge", judge), ("prosecutor", prosecutor)):
            if not text or not any(ch.isalpha() for ch in text):
                continue
            key = (role, name_key(text))
            spellings[key][text] += 1
            if court:
                courts[key][court] += 1
            cases[key].append((case_id, person_id, visibility, text))
            synthetic[key] = synthetic.get(key, True) and bool(synth)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    entries: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for key in sorted(spellings):
        role, nkey = key
        text = spellings[key].most_common(1)[0][0]
        court = courts[key].most_common(1)[0][0] if courts[key] else None
        values = {
            "role": role,
            "name_key": nkey,
            "court": court,
            "public_notes": None,
            "synthetic": synthetic[key],
        }
        oid = conn.execute(
            sa.insert(official)
            .values(**values, created_at=now, updated_at=now)
            .returning(official.c.id)
        ).scalar_one()
        name = {
            "official_id": oid,
            "full_text": text[:500],
            "script": _script(text),
            "kind": "official",
            "is_primary": True,
            "visibility": "public",
        }
        conn.execute(sa.insert(oname).values(**name))
        entries.append(
            {
                "entity_type": "official",
                "entity_id": oid,
                "after": {"id": oid, **values, "names": [text]},
            }
        )
        for case_id, person_id, visibility, raw in cases[key]:
            link = {
                "official_id": oid,
                "case_id": case_id,
                "role": role,
                "origin": "text",
                "text": raw[:300],
            }
            links.append(link)
            # the case's person and visibility, so the audit log hides a private case's link
            entries.append(
                {
                    "entity_type": "official_case",
                    "entity_id": None,
                    "person_id": person_id,
                    "after": {**link, "visibility": visibility},
                }
            )
    if links:
        conn.execute(sa.insert(ocase), links)
    if entries:
        conn.execute(
            sa.insert(audit),
            [
                {
                    "at": now,
                    "actor": ACTOR,
                    "action": "create",
                    "person_id": None,
                    "before": None,
                    "entity_id": None,
                    "context": "officials from the free text of case_file.judge / prosecutor",
                    **e,
                }
                for e in entries
            ],
        )


def upgrade() -> None:
    _create_tables()
    _migrate_free_text()


def downgrade() -> None:
    op.drop_table("official_screening")
    op.drop_table("official_hit")
    op.drop_table("official_case")
    op.drop_table("official_name")
    op.drop_table("official")
