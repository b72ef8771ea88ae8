"""people list: sort by the name as displayed, per script (issue 16 §2)

Revision ID: 0010_display_sort_keys
Revises: 0009_letters
Create Date: 2026-12-04 21:00:00

"Name A–Z" sorted by ``lower()`` of the primary name, whatever its script: a reader of the
Latin page saw "Mikalai Statkevich" filed under М, and Cyrillic sorted by code point (і, ё, ў
after я). Now ``person`` has one collation key per display script and scope —
``sort_latin_public``, ``sort_latin_all``, ``sort_cyrillic_public``, ``sort_cyrillic_all`` —
of the name the reader sees (:mod:`prisonwatch.names.display`), with the list's indexes on
them (the status and region ones for the public scope only, see ``store/schema.py``);
``sort_name_public`` / ``sort_name_all`` and their indexes go.

The keys are computed here in Python with the application's pure functions (which name is
shown, its romanisation, its ICU collation key: derived data, which ``prisonwatch rebuild``
recomputes with whatever rules are current); the tables are frozen below, not imported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from prisonwatch.names.collation import sort_key
from prisonwatch.names.display import ShownName, shown_name

revision = "0010_display_sort_keys"
down_revision = "0009_letters"
branch_labels = None
depends_on = None

SCRIPTS = ("latin", "cyrillic")
SCOPES = ("public", "all")
CHUNK = 5000

person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    *(sa.column(f"sort_{script}_{scope}", sa.LargeBinary) for script in SCRIPTS for scope in SCOPES),
    sa.column("sort_name_public", sa.String),
    sa.column("sort_name_all", sa.String),
)
name = sa.table(
    "name",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("full_text", sa.String),
    sa.column("script", sa.String),
    sa.column("kind", sa.String),
    sa.column("is_primary", sa.Boolean),
    sa.column("language", sa.String),
    sa.column("visibility", sa.String),
)


def _key_rows(conn: sa.Connection, ids: list[int]) -> list[dict[str, Any]]:
    found: dict[int, list[tuple[ShownName, bool]]] = defaultdict(list)
    stmt = sa.select(
        name.c.person_id,
        name.c.id,
        name.c.full_text,
        name.c.script,
        name.c.kind,
        name.c.is_primary,
        name.c.language,
        name.c.visibility,
    ).where(name.c.person_id.in_(ids))
    for pid, nid, text, script, kind, primary, language, visibility in conn.execute(stmt):
        found[pid].append(
            (ShownName(nid, text, script, kind, bool(primary), language), visibility == "public")
        )
    rows = []
    for pid in ids:
        every = [n for n, _ in found[pid]]
        public = [n for n, is_public in found[pid] if is_public]
        row: dict[str, Any] = {"b_id": pid}
        for script in SCRIPTS:
            for scope, names in (("public", public), ("all", every)):
                shown = shown_name(names, script)
                row[f"b_sort_{script}_{scope}"] = None if shown is None else sort_key(shown)
        rows.append(row)
    return rows


def _fill(conn: sa.Connection) -> None:
    columns = [f"sort_{script}_{scope}" for script in SCRIPTS for scope in SCOPES]
    stmt = (
        person.update()
        .where(person.c.id == sa.bindparam("b_id"))
        .values({c: sa.bindparam(f"b_{c}") for c in columns})
    )
    ids = list(conn.scalars(sa.select(person.c.id).order_by(person.c.id)))
    for start in range(0, len(ids), CHUNK):
        rows = _key_rows(conn, ids[start : start + CHUNK])
        if rows:
            conn.execute(stmt, rows)


def upgrade() -> None:
    for scope in SCOPES:
        op.drop_index(f"ix_person_region_status_{scope}", table_name="person")
        op.drop_index(f"ix_person_status_{scope}", table_name="person")
        op.drop_index(f"ix_person_sort_name_{scope}", table_name="person")
        # in place: never batch mode on ``person`` (its table copy would cascade-delete the
        # people's names, cases and events on SQLite)
        op.drop_column("person", f"sort_name_{scope}")
    for script in SCRIPTS:
        for scope in SCOPES:
            op.add_column("person", sa.Column(f"sort_{script}_{scope}", sa.LargeBinary()))
    # fill before the indexes exist (one pass instead of index maintenance per row); the
    # tally's triggers are not concerned (they watch the status and region columns)
    _fill(op.get_bind())
    for script in SCRIPTS:
        for scope in SCOPES:
            sort = f"sort_{script}_{scope}"
            op.create_index(f"ix_person_{sort}", "person", [sort, "id"])
            if scope != "public":  # editors' filtered lists walk (sort key, id): see schema.py
                continue
            op.create_index(
                f"ix_person_status_{script}_{scope}", "person", [f"status_{scope}", sort, "id"]
            )
            op.create_index(
                f"ix_person_region_status_{script}_{scope}",
                "person",
                [sa.text("lower(region)"), f"status_{scope}", sort, "id"],
            )
    # the look-up of rows never keyed (``status_all IS NULL``) used the editors' status index,
    # which is gone: a partial index of its own, normally empty
    op.create_index(
        "ix_person_unkeyed",
        "person",
        ["id"],
        postgresql_where=sa.text("status_all IS NULL"),
        sqlite_where=sa.text("status_all IS NULL"),
    )


def _primary_name(public: bool) -> sa.ScalarSelect[Any]:
    conds = [name.c.person_id == person.c.id]
    if public:
        conds.append(name.c.visibility == "public")
    return (
        sa.select(name.c.full_text)
        .where(*conds)
        .order_by(name.c.is_primary.desc(), name.c.id)
        .limit(1)
        .correlate(person)
        .scalar_subquery()
    )


def downgrade() -> None:
    op.drop_index("ix_person_unkeyed", table_name="person")
    for script in SCRIPTS:
        for scope in SCOPES:
            if scope == "public":
                op.drop_index(f"ix_person_region_status_{script}_{scope}", table_name="person")
                op.drop_index(f"ix_person_status_{script}_{scope}", table_name="person")
            op.drop_index(f"ix_person_sort_{script}_{scope}", table_name="person")
            op.drop_column("person", f"sort_{script}_{scope}")
    for scope in SCOPES:
        op.add_column("person", sa.Column(f"sort_name_{scope}", sa.String(length=500)))
    op.execute(
        person.update().values(
            sort_name_public=sa.func.lower(_primary_name(True)),
            sort_name_all=sa.func.lower(_primary_name(False)),
        )
    )
    for scope in SCOPES:
        op.create_index(
            f"ix_person_sort_name_{scope}", "person", [f"sort_name_{scope}", "id"], unique=False
        )
        op.create_index(
            f"ix_person_status_{scope}",
            "person",
            [f"status_{scope}", f"sort_name_{scope}", "id"],
            unique=False,
        )
        op.create_index(
            f"ix_person_region_status_{scope}",
            "person",
            [sa.text("lower(region)"), f"status_{scope}", f"sort_name_{scope}", "id"],
            unique=False,
        )
