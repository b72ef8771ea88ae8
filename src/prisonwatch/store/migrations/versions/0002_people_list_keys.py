"""people list keys: stored sort names and current status per scope, the person tally

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00

Adds to ``person`` the derived columns of :mod:`prisonwatch.store.listkeys` (``sort_name_*``,
``status_*``, ``status_valid_until``) with the people list's indexes, fills them for the people
already in the registry, and adds the ``person_tally`` table with the triggers that keep it.

The fill is written out here (not imported from the application) so that this revision keeps
doing what it did when later revisions change the code: the same expressions as
``listkeys.sort_name_expression`` / ``status_expression`` / ``valid_until_expression`` at the
time of writing, with the custody kinds of ``model.CUSTODY_EFFECT``. ``tests/store/
test_listkeys.py`` upgrades a registry with data from 0001 and compares the result with the
derived status and the list's old order.

SQLite: a later revision that rebuilds ``person`` with ``batch_alter_table`` drops the
triggers with the old table; it must create them again (``create_tally_triggers``).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HELD_KINDS = ("detained", "re_arrested", "sentenced", "transferred", "refused_to_leave")
NOT_HELD_KINDS = (
    "released_end_of_term",
    "pardoned",
    "expelled_abroad",
    "died_in_custody",
    "released_other",
)
CUSTODY_KINDS = HELD_KINDS + NOT_HELD_KINDS

person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("region", sa.String),
    sa.column("sort_name_public", sa.String),
    sa.column("sort_name_all", sa.String),
    sa.column("status_public", sa.String),
    sa.column("status_all", sa.String),
    sa.column("status_valid_until", sa.Date),
)
name = sa.table(
    "name",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("full_text", sa.String),
    sa.column("is_primary", sa.Boolean),
    sa.column("visibility", sa.String),
)
event = sa.table(
    "status_event",
    sa.column("id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("date_start", sa.Date),
    sa.column("date_precision", sa.Integer),
    sa.column("visibility", sa.String),
)
tally = sa.table(
    "person_tally",
    sa.column("scope", sa.String),
    sa.column("status", sa.String),
    sa.column("region_key", sa.String),
    sa.column("n", sa.Integer),
)


def _sort_name(public: bool) -> sa.ColumnElement[str]:
    conds = [name.c.person_id == person.c.id]
    if public:
        conds.append(name.c.visibility == "public")
    first = (
        sa.select(name.c.full_text)
        .where(*conds)
        .order_by(name.c.is_primary.desc(), name.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.lower(first)


def _status(public: bool, today: dt.date) -> sa.ColumnElement[str]:
    conds = [
        event.c.person_id == person.c.id,
        event.c.kind.in_(CUSTODY_KINDS),
        event.c.date_start <= today,
    ]
    if public:
        conds.append(event.c.visibility == "public")
    word = sa.case(
        (event.c.kind.in_(HELD_KINDS), sa.literal("held")),
        (event.c.kind == "died_in_custody", sa.literal("died")),
        else_=sa.literal("released"),
    )
    deciding = (
        sa.select(word)
        .where(*conds)
        .order_by(event.c.date_start.desc(), event.c.date_precision.desc(), event.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.coalesce(deciding, sa.literal("unknown"))


def _valid_until(today: dt.date) -> sa.ScalarSelect[dt.date]:
    return (
        sa.select(sa.func.min(event.c.date_start))
        .where(
            event.c.person_id == person.c.id,
            event.c.kind.in_(CUSTODY_KINDS),
            event.c.date_start > today,
        )
        .scalar_subquery()
    )


# -- the tally triggers ----------------------------------------------------------------------

# The tally counts the people whose stored status has been computed (``status_<scope>`` not
# NULL): a person normally enters it when its keys are first computed (people are inserted
# without keys, so the insert trigger finds nothing to count), and rows loaded by other means
# are counted once their keys are computed. Every change is *appended* as rows (scope, status,
# region_key, n); readers sum them, and ``listkeys.compact_tally`` replaces them by their sums.

_PG_CHANGES = """
        SELECT 'public' AS scope, status_public AS status, lower(region) AS region_key,
               {sign} AS n FROM {rows} WHERE status_public IS NOT NULL
        UNION ALL
        SELECT 'all', status_all, lower(region), {sign} FROM {rows} WHERE status_all IS NOT NULL"""

PG_FUNCTION = f"""
CREATE FUNCTION person_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO person_tally (scope, status, region_key, n)
        SELECT scope, status, region_key, sum(n) FROM ({_PG_CHANGES.format(sign=1, rows="new_rows")}
        ) AS d GROUP BY scope, status, region_key;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO person_tally (scope, status, region_key, n)
        SELECT scope, status, region_key, sum(n) FROM ({_PG_CHANGES.format(sign=-1, rows="old_rows")}
        ) AS d GROUP BY scope, status, region_key;
    ELSE
        INSERT INTO person_tally (scope, status, region_key, n)
        SELECT scope, status, region_key, sum(n) FROM ({_PG_CHANGES.format(sign=-1, rows="old_rows")}
        UNION ALL{_PG_CHANGES.format(sign=1, rows="new_rows")}
        ) AS d GROUP BY scope, status, region_key HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER person_tally_insert AFTER INSERT ON person "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_tally_change()",
    "CREATE TRIGGER person_tally_update AFTER UPDATE ON person "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION person_tally_change()",
    "CREATE TRIGGER person_tally_delete AFTER DELETE ON person "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_tally_change()",
)


def _sqlite_changes(row: str, sign: int) -> str:
    return (
        f"SELECT 'public', {row}.status_public, lower({row}.region), {sign} "
        f"WHERE {row}.status_public IS NOT NULL "
        f"UNION ALL SELECT 'all', {row}.status_all, lower({row}.region), {sign} "
        f"WHERE {row}.status_all IS NOT NULL"
    )


def _sqlite_triggers() -> tuple[str, ...]:
    insert = "INSERT INTO person_tally (scope, status, region_key, n) "
    return (
        "CREATE TRIGGER person_tally_insert AFTER INSERT ON person FOR EACH ROW "
        "WHEN NEW.status_public IS NOT NULL OR NEW.status_all IS NOT NULL BEGIN "
        f"{insert}{_sqlite_changes('NEW', 1)}; END",
        "CREATE TRIGGER person_tally_delete AFTER DELETE ON person FOR EACH ROW "
        "WHEN OLD.status_public IS NOT NULL OR OLD.status_all IS NOT NULL BEGIN "
        f"{insert}{_sqlite_changes('OLD', -1)}; END",
        "CREATE TRIGGER person_tally_update AFTER UPDATE OF region, status_public, status_all "
        "ON person FOR EACH ROW WHEN OLD.region IS NOT NEW.region "
        "OR OLD.status_public IS NOT NEW.status_public OR OLD.status_all IS NOT NEW.status_all "
        f"BEGIN {insert}{_sqlite_changes('OLD', -1)} UNION ALL {_sqlite_changes('NEW', 1)}; END",
    )


def create_tally_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for stmt in PG_TRIGGERS:
            op.execute(stmt)
    else:
        for stmt in _sqlite_triggers():
            op.execute(stmt)


def drop_tally_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in ("person_tally_insert", "person_tally_update", "person_tally_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON person" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS person_tally_change()")


# -- upgrade / downgrade ---------------------------------------------------------------------


def upgrade() -> None:
    op.create_table(
        "person_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=True),
        sa.Column("region_key", sa.String(length=200), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_tally")),
    )
    op.create_index(
        "ix_person_tally_key", "person_tally", ["scope", "status", "region_key"], unique=False
    )
    op.add_column("person", sa.Column("sort_name_public", sa.String(length=500), nullable=True))
    op.add_column("person", sa.Column("sort_name_all", sa.String(length=500), nullable=True))
    op.add_column("person", sa.Column("status_public", sa.String(length=10), nullable=True))
    op.add_column("person", sa.Column("status_all", sa.String(length=10), nullable=True))
    op.add_column("person", sa.Column("status_valid_until", sa.Date(), nullable=True))

    # fill before the indexes exist (one pass instead of index maintenance per row) and before
    # the triggers (the tally is then counted once, below)
    today = dt.date.today()
    op.execute(
        person.update().values(
            sort_name_public=_sort_name(True),
            sort_name_all=_sort_name(False),
            status_public=_status(True, today),
            status_all=_status(False, today),
            status_valid_until=_valid_until(today),
        )
    )
    for scope in ("public", "all"):
        status = person.c[f"status_{scope}"]
        key = sa.func.lower(person.c.region)
        op.execute(
            tally.insert().from_select(
                ["scope", "status", "region_key", "n"],
                sa.select(sa.literal(scope), status, key, sa.func.count())
                .where(status.is_not(None))
                .group_by(status, key),
            )
        )

    op.create_index(
        "ix_person_status_valid_until",
        "person",
        ["status_valid_until"],
        unique=False,
        postgresql_where=sa.text("status_valid_until IS NOT NULL"),
        sqlite_where=sa.text("status_valid_until IS NOT NULL"),
    )
    for scope in ("public", "all"):
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
    create_tally_triggers()


def downgrade() -> None:
    drop_tally_triggers()
    for scope in ("public", "all"):
        op.drop_index(f"ix_person_region_status_{scope}", table_name="person")
        op.drop_index(f"ix_person_status_{scope}", table_name="person")
        op.drop_index(f"ix_person_sort_name_{scope}", table_name="person")
    op.drop_index("ix_person_status_valid_until", table_name="person")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("status_valid_until")
        batch_op.drop_column("status_all")
        batch_op.drop_column("status_public")
        batch_op.drop_column("sort_name_all")
        batch_op.drop_column("sort_name_public")
    op.drop_index("ix_person_tally_key", table_name="person_tally")
    op.drop_table("person_tally")
