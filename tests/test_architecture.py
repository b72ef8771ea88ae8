"""The one write path (docs/architecture.md, "Writing the registry"): only ``store/`` writes
tables. An AST scan of every module of ``src/prisonwatch`` outside ``store/`` fails on

* SQLAlchemy's ``insert``/``update``/``delete`` (imported, or ``Table.insert()`` on a mapped
  class or ``__table__``), and the dialects' ``insert``;
* a session's ``add``/``add_all``/``delete``/``merge``/``bulk_*`` (a receiver named like a
  session: ``s``, ``session``, ``self.session``, ``db_session`` …);
* ``execute`` of SQL text that writes (``INSERT``, ``UPDATE``, ``DELETE``, ``TRUNCATE``, DDL);
* constructing a row of a mapped class imported from ``store.schema*`` (a new row is written
  by a store writer, which audits it);
* the store's write helpers used directly: ``audit.record`` and ``store.bulk.bulk_insert``.

Allowed by design: ``store/`` itself (its migrations included) and ``io/backup.py`` (a restore
replaces whole tables). Reading stays open to every package.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "prisonwatch"
ALLOWED = ("store/", "io/backup.py")
WRITE_FUNCS = {"insert", "update", "delete"}
SESSION_WRITES = {
    "add",
    "add_all",
    "delete",
    "merge",
    "bulk_save_objects",
    "bulk_insert_mappings",
    "bulk_update_mappings",
}
SESSION_NAME = re.compile(r"^(s|sess|session|db_session|\w+_session)$")
WRITE_SQL = re.compile(
    r"^\s*(insert|update|delete|truncate|create|drop|alter|merge|copy)\b", re.IGNORECASE
)
SCHEMA_MODULE = re.compile(r"^prisonwatch\.store\.schema(_\w+)?$")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _receiver(node: ast.expr) -> str:
    """The last name of a call's receiver: ``self.session.add`` → ``session``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` as text (empty for anything else)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _sql_text(node: ast.expr) -> str:
    """The leading literal text of an ``execute`` argument (``text("…")``, a string, an
    f-string)."""
    if isinstance(node, ast.Call) and node.args and _receiver(node.func) == "text":
        return _sql_text(node.args[0])
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return ""


def scan_source(source: str, path: str) -> list[Violation]:
    tree = ast.parse(source)
    sa_writes: set[str] = set()  # local names bound to sqlalchemy insert/update/delete
    mapped: set[str] = set()  # classes imported from store.schema*
    helpers: set[str] = set()  # bulk_insert, record
    audit_modules: set[str] = set()
    schema_modules: set[str] = set()  # store.schema* imported as a module
    bulk_modules: set[str] = set()
    out: list[Violation] = []

    def flag(node: ast.AST, what: str) -> None:
        out.append(Violation(path, getattr(node, "lineno", 0), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module
            for alias in node.names:
                local = alias.asname or alias.name
                if (mod == "sqlalchemy" or mod.startswith("sqlalchemy.")) and (
                    alias.name in WRITE_FUNCS
                ):
                    sa_writes.add(local)
                    flag(node, f"imports sqlalchemy's {alias.name} (writes belong in store/)")
                elif SCHEMA_MODULE.match(mod) and alias.name[:1].isupper():
                    mapped.add(local)
                elif mod == "prisonwatch.store.bulk" and alias.name == "bulk_insert":
                    helpers.add(local)
                    flag(node, "imports store.bulk.bulk_insert (a store writer's helper)")
                elif mod == "prisonwatch.store.audit" and alias.name == "record":
                    helpers.add(local)
                    flag(node, "imports store.audit.record (writers in store/ audit)")
                elif mod == "prisonwatch.store" and alias.name == "audit":
                    audit_modules.add(local)
                elif mod == "prisonwatch.store" and SCHEMA_MODULE.match(f"{mod}.{alias.name}"):
                    schema_modules.add(local)
                elif mod == "prisonwatch.store" and alias.name == "bulk":
                    bulk_modules.add(local)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "prisonwatch.store.audit":
                    audit_modules.add(alias.asname or alias.name)
                elif SCHEMA_MODULE.match(alias.name):
                    schema_modules.add(alias.asname or alias.name)
                elif alias.name == "prisonwatch.store.bulk":
                    bulk_modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in sa_writes:
                flag(node, f"calls {func.id}() on a table")
            elif func.id in mapped:
                flag(node, f"creates a {func.id} row (use a writer in store/)")
            elif func.id in helpers:
                flag(node, f"calls {func.id}() outside store/")
            continue
        if not isinstance(func, ast.Attribute):
            continue
        recv = func.value
        name = func.attr
        if name in WRITE_FUNCS and (
            (isinstance(recv, ast.Name) and recv.id in mapped)
            or (isinstance(recv, ast.Attribute) and recv.attr == "__table__")
            or (isinstance(recv, ast.Name) and recv.id == "sqlalchemy")
        ):
            flag(node, f"calls .{name}() on a table")
        elif name in SESSION_WRITES and SESSION_NAME.match(_receiver(recv)):
            flag(node, f"session.{name}() outside store/")
        elif name in ("execute", "exec_driver_sql") and node.args:
            sql = _sql_text(node.args[0])
            if WRITE_SQL.match(sql):
                flag(node, f"executes writing SQL ({sql.split()[0].upper()})")
        elif name == "record" and _dotted(recv) in audit_modules:
            flag(node, "writes an audit entry outside store/ (audit.record)")
        elif name[:1].isupper() and _dotted(recv) in schema_modules:
            flag(node, f"creates a {name} row (use a writer in store/)")
        elif name == "bulk_insert" and _dotted(recv) in bulk_modules:
            flag(node, "calls bulk_insert() outside store/")
    return out


def _modules(root: Path = SRC) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith(ALLOWED):
            yield rel, path


def find_violations(root: Path = SRC) -> list[Violation]:
    """Every write outside the allow-list, in the package tree at ``root``."""
    return [v for rel, p in _modules(root) for v in scan_source(p.read_text("utf-8"), rel)]


def test_only_store_writes_tables() -> None:
    found = find_violations()
    assert not found, "writes outside store/:\n" + "\n".join(map(str, found))


def test_the_scan_sees_the_modules() -> None:
    rels = {rel for rel, _ in _modules()}
    assert "io/importer.py" in rels and "cli/registry.py" in rels
    assert not any(r.startswith("store/") for r in rels) and "io/backup.py" not in rels


PLANTED = [
    ("from sqlalchemy import insert\nsession.execute(insert(T).values(a=1))\n", "insert"),
    ("from sqlalchemy import update as up\ns.execute(up(T))\n", "update"),
    ("from sqlalchemy.dialects.postgresql import insert\n", "insert"),
    ("from prisonwatch.store.schema import Person\nx = Person(region='x')\n", "Person row"),
    ("from prisonwatch.store.schema_news import Claim\nClaim.__table__.insert()\n", ".insert()"),
    ("from prisonwatch.store.schema import Source\ns.execute(Source.delete())\n", ".delete()"),
    ("def f(session):\n    session.add(obj)\n", "session.add"),
    ("def f(self):\n    self.session.add_all([a, b])\n", "session.add_all"),
    ("def f(s):\n    s.delete(row)\n", "session.delete"),
    ("def f(db_session):\n    db_session.merge(row)\n", "session.merge"),
    ("from sqlalchemy import text\ns.execute(text('DELETE FROM person'))\n", "DELETE"),
    ("s.execute(text(f'update {t} set x = 1'))\n", "UPDATE"),
    ("conn.exec_driver_sql('  INSERT INTO audit_entry VALUES (1)')\n", "INSERT"),
    ("from prisonwatch.store import audit\naudit.record(s, actor='x', action='y')\n", "audit"),
    ("from prisonwatch.store.bulk import bulk_insert\nbulk_insert(s, t, rows)\n", "bulk_insert"),
    ("from prisonwatch.store import bulk\nbulk.bulk_insert(s, t, rows)\n", "bulk_insert"),
    ("from prisonwatch.store import schema\nrow = schema.Source(url='u')\n", "Source row"),
    ("import prisonwatch.store.schema_news as sn\nsn.Claim(kind='k')\n", "Claim row"),
    ("import prisonwatch.store.audit\nprisonwatch.store.audit.record(s, actor='a')\n", "audit"),
]


@pytest.mark.parametrize(("source", "expected"), PLANTED)
def test_a_planted_write_is_caught(source: str, expected: str) -> None:
    found = scan_source(textwrap.dedent(source), "planted.py")
    assert found, f"the scan missed: {source!r}"
    assert any(expected in v.what for v in found), [str(v) for v in found]


READS = [
    "from prisonwatch.store.schema import Person\nsession.execute(select(Person.id))\n",
    "from sqlalchemy import text\ns.execute(text('SELECT 1'))\n",
    "seen = set()\nseen.add(1)\nd = {}\nd.update(a=1)\nxs = []\nxs.insert(0, 1)\n",
    "from prisonwatch.store.schema import utcnow\nnow = utcnow()\n",
    "from prisonwatch.store.registry import Registry\nRegistry(s, 'a').add_person(p)\n",
]


@pytest.mark.parametrize("source", READS)
def test_reads_and_other_adds_pass(source: str) -> None:
    assert scan_source(source, "reads.py") == []


def test_the_planted_module_fails_the_rule(tmp_path: Path) -> None:
    """The same check the suite runs, on a tree with one planted violation (and the same
    write inside store/, which is allowed)."""
    for rel in ("stats/sneaky.py", "store/fine.py", "io/backup.py"):
        path = tmp_path / rel
        path.parent.mkdir(exist_ok=True)
        path.write_text("def f(session, c):\n    session.add(c)\n", encoding="utf-8")
    found = find_violations(tmp_path)
    assert [str(v) for v in found] == ["stats/sneaky.py:2: session.add() outside store/"]
