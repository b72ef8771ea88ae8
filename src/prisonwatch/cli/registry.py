"""Registry commands: init, import, export, person, event, people, status, backup, restore, demo.

They only parse arguments, call :mod:`prisonwatch.store` / :mod:`prisonwatch.io`, and print.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, err_console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.model import EventKind
from prisonwatch.store.busy import retrying
from prisonwatch.store.db import Database
from prisonwatch.store.derived import rebuild_derived
from prisonwatch.store.people import list_people, person_view
from prisonwatch.store.registry import (
    PERSON_EDITABLE,
    CaseInput,
    EventInput,
    NameInput,
    NotFound,
    PersonInput,
    Registry,
    RegistryValidationError,
)
from prisonwatch.store.status import held_on

person_app = typer.Typer(help="Add, show and edit one person.", no_args_is_help=True)
event_app = typer.Typer(
    help="Record status events (detained, released, ...).", no_args_is_help=True
)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not sys.stderr.isatty() and not sys.stdout.isatty(),
    )


def _day(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return parse_day(value)
    except PartialDateError as exc:
        fail(f"{option}: {exc}")


def init_cmd(db: DbOption = None) -> None:
    """Create the registry (or upgrade its schema) at the configured database."""
    database = Database(db)
    try:
        database.migrate()
    except Exception as exc:
        fail(f"cannot initialise {database.describe()}: {exc}")
    console.print(
        f"Registry ready at {database.describe()} (schema {database.current_revision()})."
    )


def rebuild_cmd(db: DbOption = None) -> None:
    """Recompute what the registry derives from its people, names and events (the statistics'
    custody changes, the people list's keys and tally) — after loading rows by other means
    than PrisonWatch, such as SQL COPY or a restore from another tool."""
    database = open_db(db)
    with console.status("Rebuilding the derived tables …"):
        done = rebuild_derived(database)
    console.print(
        f"Rebuilt: {done.custody_rows:,} custody changes, list keys of {done.people:,} people."
    )


def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8) or XLSX file, one person per row.")],
    db: DbOption = None,
    as_: AsOption = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Map a header to a field, e.g. --map 'ФИО=name'. Repeatable."),
    ] = None,
    id_scheme: Annotated[
        str, typer.Option(help="Whose ids the 'id' column holds; people are matched on it.")
    ] = "list",
) -> None:
    """Import people from a spreadsheet, all or nothing; re-importing updates by id."""
    from prisonwatch.io.importer import ImportFailed, import_file, parse_mapping

    database = open_db(db)
    try:
        mapping = parse_mapping(map_ or [])
    except ValueError as exc:
        fail(str(exc))
    try:
        with _progress() as prog:
            task = prog.add_task(f"importing {file.name}", total=None)
            summary = retrying(
                lambda: import_file(
                    database,
                    file,
                    actor=acting_user(as_),
                    mapping=mapping,
                    id_scheme=id_scheme,
                    progress=lambda done, total: prog.update(task, completed=done, total=total),
                )
            )
    except ImportFailed as exc:
        console.print(
            f"[bold red]Import rejected, nothing was written.[/] {len(exc.issues)} problem(s):",
            highlight=False,
        )
        for issue in exc.issues[:200]:
            console.print(f"  {escape(str(issue))}", highlight=False)
        if len(exc.issues) > 200:
            console.print(f"  ... and {len(exc.issues) - 200} more")
        raise typer.Exit(1) from None
    if summary.added or summary.updated:
        database.analyze()
    console.print(
        f"{summary.file}: {summary.rows} rows — [green]{summary.added} added[/], "
        f"[yellow]{summary.updated} updated[/], {summary.unchanged} unchanged."
    )
    if summary.ignored_columns:
        console.print(
            "Columns not imported (map them with --map HEADER=FIELD): "
            + ", ".join(escape(c) for c in summary.ignored_columns)
        )


def _private_scope(database: Database, actor: str, private: bool) -> bool:
    """``--include-private`` under the one export rule (store/private_export.py)."""
    from prisonwatch.store.private_export import PrivateExportRefused, active_role, export_scope

    with database.session() as s:
        role = active_role(s, actor)
    try:
        return export_scope(role, repr(actor), private=private)
    except PrivateExportRefused as exc:
        fail(
            f"--include-private needs an admin: {exc} "
            "(pass --as ADMIN_USERNAME; see `prisonwatch user add --role admin`)"
        )


def export_cmd(
    output: Annotated[Path, typer.Argument(help="File to write; '-' for standard output.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or ftm.")] = "csv",
    db: DbOption = None,
    as_: AsOption = None,
    include_private: Annotated[
        bool, typer.Option(help="Also export private fields (admins only).")
    ] = False,
    id_scheme: Annotated[
        str, typer.Option(help="Identifier scheme for the csv 'id' column.")
    ] = "list",
) -> None:
    """Export the registry (public fields only, unless an admin asks for private ones)."""
    from prisonwatch.io.exporter import FORMATS, export, export_to_path

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    database = open_db(db)
    include_private = _private_scope(database, acting_user(as_), include_private)
    if str(output) == "-":
        n = export(database, sys.stdout, fmt, include_private=include_private, id_scheme=id_scheme)
        return
    with _progress() as prog:
        task = prog.add_task(f"exporting {output.name}", total=None)
        n = export_to_path(
            database,
            output,
            fmt,
            include_private=include_private,
            id_scheme=id_scheme,
            progress=lambda done, total: prog.update(task, completed=done, total=total),
        )
    console.print(
        f"Wrote {n} people to {output} ({fmt}{', with private fields' if include_private else ''})."
    )


# -- person ---------------------------------------------------------------------------------


@person_app.command("add")
def person_add(
    name: Annotated[list[str], typer.Argument(help="Name(s); the first is the primary name.")],
    birth_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    gender: Annotated[str | None, typer.Option(help="male, female or other.")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    nationality: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str | None, typer.Option(help="Public note.")] = None,
    internal_note: Annotated[str | None, typer.Option(help="Private internal note.")] = None,
    relatives_contact: Annotated[str | None, typer.Option(help="Private.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Add a person."""
    database = open_db(db)
    try:
        with database.session() as s:
            p = Registry(s, acting_user(as_)).add_person(
                PersonInput(
                    names=[NameInput(n) for n in name],
                    birth_date=birth_date,
                    gender=gender,
                    region=region,
                    nationality=nationality,
                    public_notes=note,
                    internal_notes=internal_note,
                    relatives_contact=relatives_contact,
                )
            )
            pid = p.id
    except RegistryValidationError as exc:
        fail(str(exc))
    console.print(f"Added person {pid}.")


@person_app.command("show")
def person_show(
    person_id: Annotated[int, typer.Argument()],
    on: Annotated[str | None, typer.Option(help="Status as of this date (default today).")] = None,
    private: Annotated[bool, typer.Option("--private", help="Show private fields too.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    db: DbOption = None,
) -> None:
    """Show a person: names, status, cases and the timeline of events."""
    database = open_db(db)
    day = _day(on, "--on")
    try:
        with database.session() as s:
            v = person_view(s, person_id, include_private=private, on=day)
    except NotFound as exc:
        fail(str(exc))
    if fmt == "json":
        console.print_json(json.dumps(v.as_dict(), ensure_ascii=False))
        return
    console.print(
        f"[bold]{escape(v.primary_name)}[/]  (person {v.id})"
        + ("  [dim]synthetic[/]" if v.synthetic else "")
    )
    console.print(
        f"Status on {day}: [bold]{v.status}[/]"
        + (f" since {v.status_since}" if v.status_since else "")
        + f"; {v.days_in_custody} days in custody in all"
    )
    if v.current_facility:
        console.print(
            f"Facility: {escape(v.current_facility)}"
            + (f" — {escape(v.current_facility_address)}" if v.current_facility_address else "")
        )
    for label, val in (("Born", v.birth_date), ("Gender", v.gender), ("Region", v.region)):
        if val:
            console.print(f"{label}: {escape(val)}")
    t = Table("name", "script", "kind", title="Names")
    for n in v.names:
        t.add_row(
            escape(n.text) + (" *" if n.is_primary else ""),
            n.script,
            n.kind + (" (private)" if n.visibility == "private" else ""),
        )
    console.print(t)
    if v.cases:
        t = Table("articles", "court", "judge", "sentence", "facility", title="Cases")
        for c in v.cases:
            t.add_row(
                *(escape(x or "") for x in (c.articles, c.court, c.judge, c.sentence, c.facility))
            )
        console.print(t)
    t = Table("id", "date", "event", "details", "sources", title="Timeline")
    for e in v.events:
        details = "; ".join(
            escape(x) for x in (e.organisation, e.destination_country, e.facility, e.note) if x
        )
        t.add_row(
            str(e.id),
            e.date,
            e.kind + (" (private)" if e.visibility == "private" else ""),
            details,
            " ".join(escape(s.url or s.title or "") for s in e.sources),
        )
    console.print(t)
    if private:
        if v.internal_notes:
            console.print(f"[yellow]Internal notes:[/] {escape(v.internal_notes)}")
        if v.relatives_contact:
            console.print(f"[yellow]Relatives' contact:[/] {escape(v.relatives_contact)}")


@person_app.command("edit")
def person_edit(
    person_id: Annotated[int, typer.Argument()],
    set_: Annotated[
        list[str],
        typer.Option(
            "--set", help=f"FIELD=VALUE; fields: {', '.join(PERSON_EDITABLE)}. Repeatable."
        ),
    ],
    add_name: Annotated[
        list[str] | None, typer.Option(help="Add a name (alias). Repeatable.")
    ] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Change a person's fields (audited with before and after)."""
    changes: dict[str, str] = {}
    for item in set_:
        if "=" not in item:
            fail(f"--set {item!r}: use FIELD=VALUE")
        k, v = item.split("=", 1)
        changes[k.strip()] = v
    database = open_db(db)
    try:
        with database.session() as s:
            reg = Registry(s, acting_user(as_))
            reg.edit_person(person_id, changes)
            for n in add_name or []:
                reg.add_name(person_id, NameInput(n, kind="alias"))
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Updated person {person_id}.")


@person_app.command("case")
def person_case(
    person_id: Annotated[int, typer.Argument()],
    articles: Annotated[str | None, typer.Option()] = None,
    court: Annotated[str | None, typer.Option()] = None,
    judge: Annotated[str | None, typer.Option()] = None,
    prosecutor: Annotated[str | None, typer.Option()] = None,
    sentence: Annotated[str | None, typer.Option()] = None,
    facility: Annotated[str | None, typer.Option()] = None,
    facility_address: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Add a case (criminal-code articles, court, judge, sentence, facility) to a person."""
    database = open_db(db)
    try:
        with database.session() as s:
            c = Registry(s, acting_user(as_)).add_case(
                person_id,
                CaseInput(articles, court, judge, prosecutor, sentence, facility, facility_address),
            )
            cid = c.id
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Added case {cid} to person {person_id}.")


@event_app.command("add")
def event_add(
    person_id: Annotated[int, typer.Argument()],
    kind: Annotated[str, typer.Argument(help=", ".join(k.value for k in EventKind))],
    date: Annotated[str, typer.Argument(help="YYYY, YYYY-MM or YYYY-MM-DD; '~' for approximate.")],
    organisation: Annotated[str | None, typer.Option(help="Recognising organisation.")] = None,
    destination: Annotated[str | None, typer.Option(help="Country, for expelled_abroad.")] = None,
    facility: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str | None, typer.Option()] = None,
    source_url: Annotated[str | None, typer.Option(help="Where this is reported.")] = None,
    private: Annotated[
        bool, typer.Option("--private", help="An unverified report: keep private.")
    ] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Record a status event for a person."""
    database = open_db(db)

    def write() -> int:
        with database.session() as s:
            reg = Registry(s, acting_user(as_))
            sources = [reg.source_for_url(source_url, private=private).id] if source_url else []
            ev = reg.add_event(
                person_id,
                EventInput(
                    kind,
                    date,
                    organisation,
                    destination,
                    facility,
                    note,
                    "private" if private else "public",
                ),
                sources,
            )
            return ev.id

    try:
        eid = retrying(write)
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Recorded event {eid} ({kind} {date}) for person {person_id}.")


#: the CLI's option for each field of the people filter, for its error messages
_PEOPLE_OPTIONS = {
    "text": "--name",
    "min_sentence_months": "--min-sentence",
    "max_sentence_months": "--max-sentence",
    "sort": "--sort",
}


def people_cmd(
    status: Annotated[str | None, typer.Option(help="held, released, died or unknown.")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    article: Annotated[str | None, typer.Option(help="Criminal-code article, e.g. 342.")] = None,
    facility: Annotated[str | None, typer.Option(help="Part of the facility name.")] = None,
    recognised_by: Annotated[str | None, typer.Option()] = None,
    gender: Annotated[str | None, typer.Option(help="male, female or other.")] = None,
    name: Annotated[str | None, typer.Option(help="Part of a name.")] = None,
    min_sentence: Annotated[int | None, typer.Option(help="Months.")] = None,
    max_sentence: Annotated[int | None, typer.Option(help="Months.")] = None,
    detained_from: Annotated[str | None, typer.Option()] = None,
    detained_to: Annotated[str | None, typer.Option()] = None,
    on: Annotated[str | None, typer.Option(help="Status as of this date (default today).")] = None,
    sort: Annotated[
        str, typer.Option(help="name, detained, region, id; '-' for descending.")
    ] = "name",
    script: Annotated[
        str, typer.Option(help="Sort by name as displayed in latin or cyrillic.")
    ] = "latin",
    limit: Annotated[int, typer.Option()] = 50,
    page: Annotated[int, typer.Option()] = 1,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    db: DbOption = None,
) -> None:
    """List people, with filters."""
    from prisonwatch.store.people_filter import (
        FilterError,
        parse_people_filter,
        parse_script,
        parse_sort,
    )
    from prisonwatch.store.shown_names import names_in_script

    database = open_db(db)
    given = {
        "status": status,
        "region": region,
        "article": article,
        "facility": facility,
        "recognised_by": recognised_by,
        "gender": gender,
        "text": name,
        "min_sentence_months": min_sentence,
        "max_sentence_months": max_sentence,
        "detained_from": detained_from,
        "detained_to": detained_to,
    }
    try:  # the web's parser too (store/people_filter.py)
        flt = parse_people_filter(given)
        order = parse_sort(sort)
        in_script = parse_script(script)
    except FilterError as exc:
        fail(f"{_PEOPLE_OPTIONS.get(exc.field, '--' + exc.field.replace('_', '-'))}: {exc.message}")
    day = _day(on, "--on")
    with database.session() as s:
        pg = list_people(s, flt, sort=order, page=page, per_page=limit, on=day, script=in_script)
        # the table shows each name as displayed in the script it is sorted by
        shown = names_in_script(s, (r.id for r in pg.rows), in_script, include_private=False)
    if fmt == "json":
        print(
            json.dumps(
                {"total": pg.total, "page": pg.page, "people": [r.as_dict() for r in pg.rows]},
                ensure_ascii=False,
            )
        )
        return
    if fmt == "csv":
        from prisonwatch.io.csvsafe import writer

        w = writer(sys.stdout)  # formula-like cells neutralised
        w.writerow(
            ["id", "name", "status", "region", "first_detained", "articles", "sentence", "facility"]
        )
        for r in pg.rows:
            w.writerow(
                [
                    r.id,
                    r.name,
                    r.status,
                    r.region,
                    r.first_detained,
                    r.articles,
                    r.sentence,
                    r.facility,
                ]
            )
        return
    t = Table(
        "id",
        "name",
        "status",
        "region",
        "detained",
        "articles",
        "sentence",
        "facility",
        title=f"{pg.total} people (page {pg.page} of {pg.pages})",
    )
    for r in pg.rows:
        t.add_row(
            str(r.id),
            escape(shown.get(r.id, r.name)),
            r.status,
            escape(r.region or ""),
            r.first_detained or "",
            escape(r.articles or ""),
            escape(r.sentence or ""),
            escape(r.facility or ""),
        )
    console.print(t)


def status_cmd(
    on: Annotated[str, typer.Option("--on", help="The date, YYYY-MM-DD.")],
    recognised_by: Annotated[
        str | None, typer.Option(help="Only those recognised by this organisation.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """How many people in the registry were held on a date, with a breakdown."""
    database = open_db(db)
    day = _day(on, "--on")
    with database.session() as s:
        summary = held_on(s, day, recognised_by=recognised_by)
    if fmt == "json":
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
        return
    scope = f" recognised by {escape(recognised_by)}" if recognised_by else ""
    console.print(f"[bold]{summary.held}[/] people{scope} held on {day}.")
    for title, counts in (
        ("region", summary.by_region),
        ("gender", summary.by_gender),
        ("recognised by", summary.by_recognising_organisation),
        ("last custody event", summary.by_last_event),
    ):
        if counts:
            t = Table(title, "held")
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1]):
                t.add_row(escape(k), str(n))
            console.print(t)


def backup_cmd(
    dest: Annotated[
        Path, typer.Argument(help="Backup file to create (.json or .json.gz for a logical dump).")
    ],
    db: DbOption = None,
) -> None:
    """Back up the registry: SQLite online backup, or a logical dump for PostgreSQL."""
    from prisonwatch.io.backup import BackupError, backup

    database = open_db(db)
    try:
        kind = backup(database, dest)
    except BackupError as exc:
        fail(str(exc))
    console.print(
        f"Backup written to {dest} ({'SQLite copy' if kind == 'sqlite' else 'JSON dump'})."
    )


def restore_cmd(
    src: Annotated[Path, typer.Argument(help="A backup made by `prisonwatch backup`.")],
    db: DbOption = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Don't ask before replacing a SQLite registry.")
    ] = False,
    with_credentials: Annotated[
        bool,
        typer.Option(
            "--with-credentials",
            help="Also restore the backup's accounts and API tokens (revoked tokens and "
            "disabled accounts come back as they were then). Default: keep the current ones.",
        ),
    ] = False,
    as_: AsOption = None,
) -> None:
    """Restore a backup (SQLite: replaces the registry; dump: into an empty registry).
    Accounts and API tokens are not restored unless --with-credentials."""
    from prisonwatch.io.backup import BackupError, replaces_registry, restore

    database = Database(db)
    try:
        database.migrate()
    except Exception as exc:
        fail(f"cannot open {database.describe()}: {exc}")
    if replaces_registry(database, src) and not yes:
        typer.confirm(f"Replace everything in {database.describe()} with {src}?", abort=True)
    if with_credentials:
        err_console.print(
            "[bold yellow]warning:[/] restoring the backup's accounts and API tokens: tokens "
            "revoked and accounts disabled since the backup work again; check "
            "`prisonwatch user list` afterwards.",
            highlight=False,
        )
    try:
        kind = restore(database, src, include_credentials=with_credentials, actor=acting_user(as_))
    except BackupError as exc:
        fail(str(exc))
    console.print(
        f"Restored {src} into {database.describe()} ({kind}"
        + (
            ", with the backup's accounts and tokens)."
            if with_credentials
            else "; accounts and tokens kept as they were)."
        )
    )


def demo_cmd(
    db: DbOption = None,
    people: Annotated[int, typer.Option(help="How many synthetic people.")] = 1500,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same registry).")] = 1,
) -> None:
    """Build a synthetic demo registry (clearly marked synthetic; no real people's facts)."""
    from prisonwatch.demo import DemoError, build_demo

    database = Database(db)
    database.migrate()
    try:
        with _progress() as prog:
            task = prog.add_task("building demo registry", total=people)
            stats = build_demo(
                database,
                seed=seed,
                people=people,
                actor="demo",
                progress=lambda done, total: prog.update(task, completed=done, total=total),
            )
    except DemoError as exc:
        fail(str(exc))
    database.analyze()
    console.print(
        f"Demo registry at {database.describe()}: {stats['people']} synthetic people, "
        f"{stats['events']} events. Held today: {stats['held_today']}."
    )
