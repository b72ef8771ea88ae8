"""``prisonwatch sanctions``: import official sanctions lists as versions, compare two versions
(files, folders or stored versions), show a target's listings over time, a list's history and
what each list holds. Translation only: the work is in :mod:`prisonwatch.store.sanctions`,
:mod:`prisonwatch.store.sanctions_query` and :mod:`prisonwatch.sanctions`.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from prisonwatch.cli.common import AsOption, DbOption, console, err_console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.model import Role
from prisonwatch.sanctions.diff import ListDiff, Statements, TargetRef, diff_statements
from prisonwatch.sanctions.model import SanctionsFormatError
from prisonwatch.store.db import Database
from prisonwatch.store.sanctions import (
    ImportResult,
    SanctionsImportError,
    facts_of,
    import_list,
    read_list,
)
from prisonwatch.store.sanctions_query import (
    VERSION_SPEC,
    SanctionsNotFound,
    TargetView,
    find_list,
    find_targets,
    lists_overview,
    resolve_version,
    target_view,
    version_date,
    version_facts,
    version_json,
    versions,
)
from prisonwatch.store.schema import User

app = typer.Typer(
    help="Sanctions lists: import versions, compare them, show targets over time.",
    no_args_is_help=True,
)


class Out(StrEnum):
    TABLE = "table"
    JSON = "json"


class DiffOut(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[Out, typer.Option("--format", help="table or json.")]
KINDS = ("persons", "organisations", "vessels", "aircraft")


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _require_editor(database: Database, actor: str) -> None:
    """An actor that names a registry account must be an active editor or admin; viewers
    read only. Other actors (``cli:<login>``) are people with direct access to the database."""
    with database.session() as s:
        user = s.scalar(select(User).where(User.username == actor))
    if user is not None and (user.disabled or not Role(user.role).can_edit()):
        fail(f"{actor!r} may not import sanctions lists: only active editors and admins can")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} targets"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def import_cmd(
    path: Annotated[Path, typer.Argument(help="The list file, or the folder of an OFAC CSV set.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The date the list was in force (YYYY-MM-DD), if known."),
    ] = None,
    fmt: FormatOption = Out.TABLE,
    accept_mass_removal: Annotated[
        bool,
        typer.Option(
            "--accept-mass-removal",
            help="Import even if the version removes more than a tenth of the list.",
        ),
    ] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Import a sanctions list file as a new version of its list (format read from the
    content; all or nothing; re-importing the same file changes nothing)."""
    day = None
    if as_of is not None:
        try:
            day = parse_day(as_of)
        except PartialDateError as exc:
            fail(f"--as-of: {exc}")
    if not path.exists():
        fail(f"{path}: no such file or folder")
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor)
    try:
        with _progress() as prog:
            task = prog.add_task(f"reading {path.name}", total=None)
            result = import_list(
                database,
                path,
                actor=actor,
                as_of=day,
                accept_mass_removal=accept_mass_removal,
                progress=lambda n: prog.update(task, completed=n),
                phase=lambda text: prog.update(task, description=text),
            )
    except (SanctionsFormatError, SanctionsImportError) as exc:
        fail(f"{escape(str(exc))} — nothing was imported")
    if result.status == "imported" and result.statements > 50_000:
        database.analyze()
    if fmt is Out.JSON:
        _print_json(result.as_json())
        return
    _print_import(result)


def _print_import(r: ImportResult) -> None:
    if r.status == "already imported":
        console.print(
            f"{escape(r.file)}: already imported as version {r.list_id}:{r.number} of "
            f"{escape(r.authority)} {escape(r.list_name)} — nothing changed."
        )
        return
    t = Table(title=f"{r.authority} — {r.list_name}: version {r.list_id}:{r.number}")
    t.add_column("")
    t.add_column("")
    rows = [
        ("file", r.file),
        ("format", f"{r.format} (parser {r.parser} {r.parser_version})"),
        ("published", r.published.isoformat() if r.published else "not stated in the file"),
        ("as of", r.as_of.isoformat() if r.as_of else "—"),
        ("targets", f"{r.counts.targets:,}"),
        *((k, f"{getattr(r.counts, k):,}") for k in KINDS),
        ("facts", f"{r.statements:,}"),
        (
            "against",
            f"version {r.list_id}:{r.previous_number}" if r.previous_number else "first version",
        ),
        ("added / removed / changed", f"{r.added:,} / {r.removed:,} / {r.changed:,}"),
        ("cause", r.cause),
    ]
    for k, v in rows:
        t.add_row(k, escape(v))
    console.print(t)
    for w in r.warnings[:20]:
        console.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
    if len(r.warnings) > 20:
        console.print(f"… and {len(r.warnings) - 20} more warnings")


# -- diff -------------------------------------------------------------------------------------

Facts = dict[str, tuple[TargetRef, Statements]]


def _facts(spec: str, database: Database | None) -> tuple[Facts, str]:
    """Facts of a file/folder, or of a stored version ``LIST:N``."""
    path = Path(spec)
    if path.exists():
        read = read_list(path)
        return facts_of(read.targets), f"{path.name} ({read.header.format})"
    if VERSION_SPEC.match(spec.strip()) is None:
        fail(f"{spec}: no such file or folder, and not a stored version (LIST:N, LIST:latest)")
    if database is None:
        fail("stored versions need a registry (--db)")
    with database.session() as s:
        v = resolve_version(s, spec)
        return version_facts(s, v), f"version {v.list_id}:{v.number} ({version_date(v)})"


def diff_cmd(
    old: Annotated[str, typer.Argument(help="Older file or folder, or stored version LIST:N.")],
    new: Annotated[str, typer.Argument(help="Newer file or folder, or stored version LIST:N.")],
    fmt: Annotated[DiffOut, typer.Option("--format", help="table, json or csv.")] = DiffOut.TABLE,
    db: DbOption = None,
) -> None:
    """What changed between two versions of a list: targets added, removed and changed (with
    the fields that changed). Files are compared directly, without a registry."""
    database = None
    if not (Path(old).exists() and Path(new).exists()):
        database = open_db(db)
    try:
        before, old_label = _facts(old, database)
        after, new_label = _facts(new, database)
    except SanctionsFormatError as exc:
        fail(escape(str(exc)))
    except SanctionsNotFound as exc:
        fail(escape(str(exc)))
    d = diff_statements(before, after)
    if fmt is DiffOut.JSON:
        _print_json(d.as_json())
    elif fmt is DiffOut.CSV:
        _write_csv(d)
    else:
        _print_diff(d, old_label, new_label)


def _write_csv(d: ListDiff) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["change", "id", "name", "kind", "field", "values_added", "values_removed"])
    for r in d.added:
        w.writerow(["added", r.id, r.name, r.kind, "", "", ""])
    for r in d.removed:
        w.writerow(["removed", r.id, r.name, r.kind, "", "", ""])
    for c in d.changed:
        for prop, vals in c.fields.items():
            w.writerow(
                [
                    "changed",
                    c.id,
                    c.name,
                    c.kind,
                    prop,
                    "; ".join(vals["added"]),
                    "; ".join(vals["removed"]),
                ]
            )


def _print_diff(d: ListDiff, old_label: str, new_label: str) -> None:
    console.print(
        f"{escape(old_label)} → {escape(new_label)}: [green]{len(d.added):,} added[/], "
        f"[red]{len(d.removed):,} removed[/], [yellow]{len(d.changed):,} changed[/]"
    )
    if d.empty:
        console.print("No difference.")
        return
    t = Table()
    for col in ("change", "id", "name", "kind", "what changed"):
        t.add_column(col)
    for r in d.added:
        t.add_row("[green]added[/]", escape(r.id), escape(r.name), r.kind, "")
    for r in d.removed:
        t.add_row("[red]removed[/]", escape(r.id), escape(r.name), r.kind, "")
    for c in d.changed:
        parts = []
        for prop, vals in c.fields.items():
            bits = [f"+{v}" for v in vals["added"]] + [f"−{v}" for v in vals["removed"]]
            parts.append(f"{prop}: " + ", ".join(bits))
        t.add_row(
            "[yellow]changed[/]", escape(c.id), escape(c.name), c.kind, escape("\n".join(parts))
        )
    console.print(t)


# -- show, history, lists ---------------------------------------------------------------------


def show_cmd(
    target: Annotated[
        str, typer.Argument(help="A publisher reference id (ent_num, uid, …) or a name.")
    ],
    fmt: FormatOption = Out.TABLE,
    limit: Annotated[int, typer.Option(help="Show at most this many targets.")] = 3,
    db: DbOption = None,
) -> None:
    """A target with its names, facts, and listings and delistings over time across
    authorities — found by publisher reference, or by name across scripts and spellings."""
    database = open_db(db)
    with database.session() as s:
        hits = find_targets(s, target, limit=max(limit, 1) * 3)
        views = [target_view(s, h.target.id) for h in hits[:limit]]
    if fmt is Out.JSON:
        _print_json(
            {
                "query": target,
                "matches": [h.as_json() for h in hits],
                "targets": [v.as_json() for v in views],
            }
        )
        return
    if not hits:
        fail(f"no sanctions target with reference or name {target!r}")
    if len(hits) > 1:
        t = Table(title=f"Targets matching {target!r}")
        for col in ("id", "authority", "reference", "kind", "caption", "matched", "score"):
            t.add_column(col)
        for h in hits:
            t.add_row(
                str(h.target.id),
                escape(h.target.authority),
                escape(h.target.ref),
                h.target.kind,
                escape(h.target.caption),
                escape(h.matched),
                f"{h.score:.2f}",
            )
        console.print(t)
    for v in views:
        _print_target(v)


def _print_target(v: TargetView) -> None:
    t = v.target
    state = "[red]listed[/]" if v.listed_now else "[green]not listed now[/]"
    console.print(
        f"\n[bold]{escape(t.caption)}[/] — {t.kind}, {escape(t.authority)} reference "
        f"{escape(t.ref)} (target {t.id}): {state}"
    )
    table = Table(title="Listings")
    for col in ("authority", "list", "listed", "delisted"):
        table.add_column(col)
    for li in v.listings:
        table.add_row(
            escape(li.authority),
            escape(li.list_name),
            f"{li.listed.date} (version {li.listed.list_id}:{li.listed.number})",
            f"{li.delisted.date} (version {li.delisted.list_id}:{li.delisted.number})"
            if li.delisted
            else "—",
        )
    console.print(table)
    names = Table(title="Names")
    for col in ("name", "kind", "script", "current"):
        names.add_column(col)
    for name, prop, script, current in v.names:
        names.add_row(escape(name), prop, script, "yes" if current else "no (removed)")
    console.print(names)
    facts = Table(title="Facts")
    for col in ("property", "value", "since", "until"):
        facts.add_column(col)
    for f in v.properties:
        facts.add_row(
            f.prop, escape(f.value), str(f.since.date), str(f.until.date) if f.until else ""
        )
    console.print(facts)


def history_cmd(
    list_: Annotated[str, typer.Argument(metavar="LIST", help="List id or name (e.g. SDN).")],
    fmt: FormatOption = Out.TABLE,
    db: DbOption = None,
) -> None:
    """A list's versions, newest first: dates, parser, counts and changes."""
    database = open_db(db)
    with database.session() as s:
        try:
            lst = find_list(s, list_)
        except SanctionsNotFound as exc:
            fail(escape(str(exc)))
        found = versions(s, lst.id)
    if fmt is Out.JSON:
        _print_json(
            {
                "id": lst.id,
                "authority": lst.authority,
                "name": lst.name,
                "versions": [version_json(v) for v in found],
            }
        )
        return
    t = Table(title=f"{lst.authority} — {lst.name} (list {lst.id})")
    for col in (
        "version",
        "published",
        "as of",
        "imported",
        "by",
        "parser",
        "targets",
        "added",
        "removed",
        "changed",
        "cause",
    ):
        t.add_column(col)
    for v in found:
        t.add_row(
            f"{v.list_id}:{v.number}",
            str(v.published or "—"),
            str(v.as_of or "—"),
            v.imported_at.strftime("%Y-%m-%d %H:%M"),
            escape(v.imported_by),
            f"{v.parser} {v.parser_version}",
            f"{v.targets:,}",
            f"{v.added:,}",
            f"{v.removed:,}",
            f"{v.changed:,}",
            v.cause,
        )
    console.print(t)


def lists_cmd(fmt: FormatOption = Out.TABLE, db: DbOption = None) -> None:
    """What each list holds: counts by kind in its latest version, and its dates."""
    database = open_db(db)
    with database.session() as s:
        summaries = lists_overview(s)
    if fmt is Out.JSON:
        _print_json({"lists": [x.as_json() for x in summaries]})
        return
    if not summaries:
        console.print("No sanctions lists imported yet: `prisonwatch sanctions import FILE`.")
        return
    t = Table(title="Sanctions lists")
    for col in ("id", "authority", "list", "versions", "latest", "published", "targets", *KINDS):
        t.add_column(col)
    for x in summaries:
        v = x.latest
        t.add_row(
            str(x.list.id),
            escape(x.list.authority),
            escape(x.list.name),
            str(x.versions),
            f"{v.list_id}:{v.number}" if v else "—",
            str(v.published or "—") if v else "—",
            f"{v.targets:,}" if v else "0",
            *((f"{getattr(v, k):,}" if v else "0") for k in KINDS),
        )
    console.print(t)


app.command("import")(import_cmd)
app.command("diff")(diff_cmd)
app.command("show")(show_cmd)
app.command("history")(history_cmd)
app.command("lists")(lists_cmd)
