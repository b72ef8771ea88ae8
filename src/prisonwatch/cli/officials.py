"""``prisonwatch officials list|show|add|name|link|screen``: judges, prosecutors and
investigators named in cases, and their screening against the sanctions lists.

The commands only parse arguments, call :mod:`prisonwatch.store.officials` (writes, audited),
:mod:`prisonwatch.store.officials_query` and :mod:`prisonwatch.screening` (reads, the run),
and print. Each command is one transaction: a bad value anywhere writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, err_console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.screening.report import (
    STATUSES,
    Report,
    render_csv,
    render_html,
    screening_report,
)
from prisonwatch.screening.run import screen_officials
from prisonwatch.store.officials import (
    ROLES,
    OfficialInput,
    OfficialNameInput,
    Officials,
    parse_role,
)
from prisonwatch.store.officials_query import official_rows, official_view
from prisonwatch.store.registry import NotFound, RegistryValidationError

app = typer.Typer(
    help="Officials: judges, prosecutors and investigators, screened against sanctions lists.",
    no_args_is_help=True,
)

PrivateOption = Annotated[
    bool,
    typer.Option(
        "--private",
        help="Include officials linked to no public case, and private names (editors).",
    ),
]
RoleOption = Annotated[
    str | None, typer.Option("--role", help=f"Only this role: {', '.join(ROLES)}.")
]


def _role(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_role(value)
    except RegistryValidationError as exc:
        fail(f"--role: {exc.message}")


@app.command("list")
def officials_list(
    role: RoleOption = None,
    q: Annotated[str | None, typer.Option("--name", help="A part of a name.")] = None,
    private: PrivateOption = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Officials with their role, court and number of cases."""
    if fmt not in ("table", "json"):
        fail(f"--format: use table or json, not {fmt!r}")
    with open_db(db).session() as s:
        rows = official_rows(s, include_private=private, role=_role(role), q=q)
    if fmt == "json":
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    t = Table("id", "role", "name", "court", "cases", title=f"Officials ({len(rows)})")
    for r in rows:
        t.add_row(str(r.id), r.role, escape(r.name), escape(r.court or ""), str(r.cases))
    console.print(t)


@app.command("show")
def officials_show(
    official_id: Annotated[int, typer.Argument(help="The official's id.")],
    private: PrivateOption = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    db: DbOption = None,
) -> None:
    """One official: names in every script, cases, and the latest screening's hits."""
    if fmt not in ("text", "json"):
        fail(f"--format: use text or json, not {fmt!r}")
    with open_db(db).session() as s:
        try:
            v = official_view(s, official_id, include_private=private)
        except NotFound as exc:
            fail(str(exc))
        report = screening_report(s, include_private=private)
    row = next((r for r in report.rows if r.official.id == official_id), None)
    if fmt == "json":
        out = {
            **v.official.as_json(),
            "public_notes": v.public_notes,
            "names": [vars(n) for n in v.name_rows],
            "cases": [c.as_json() for c in v.cases],
            "screening": row.as_json() if row else None,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    o = v.official
    console.print(f"[bold]{escape(o.name)}[/]  ({o.role}, official {o.id})")
    if o.court:
        console.print(f"Court / office: {escape(o.court)}")
    if v.public_notes:
        console.print(escape(v.public_notes))
    for n in v.name_rows:
        tag = " (private)" if n.visibility != "public" else ""
        console.print(f"  name: {escape(n.text)}  [{n.script}, {n.kind}]{tag}")
    for c in v.cases:
        console.print(
            f"  case {c.case_id} ({c.role}): person {c.person_id} "
            f"{escape(c.person_name or '')} — {escape(c.court or '')} {escape(c.articles or '')}"
        )
    if row is not None:
        console.print(f"Screening: {row.status}")
        for h in row.hits:
            if h.verdict != "rejected":
                console.print(
                    f"  {escape(h.authority)} {escape(h.list_name)} {escape(h.ref)}: "
                    f"{escape(h.target_name)} ({h.score:.2f}, {h.verdict})"
                )


@app.command("add")
def officials_add(
    name: Annotated[str, typer.Argument(help="The official's name as written.")],
    role: Annotated[str, typer.Option("--role", help=f"{', '.join(ROLES)}.")],
    name_alt: Annotated[
        list[str] | None,
        typer.Option("--name-alt", help="Another spelling or script (repeat)."),
    ] = None,
    court: Annotated[str | None, typer.Option(help="The court or office.")] = None,
    notes: Annotated[str | None, typer.Option(help="Public notes.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Add an official (names from cases' free text are added automatically)."""
    names = [OfficialNameInput(name)] + [
        OfficialNameInput(a, kind="transliteration") for a in name_alt or []
    ]
    try:
        with open_db(db).session() as s:
            off = Officials(s, acting_user(as_), context="officials add").add(
                OfficialInput(role=role, names=names, court=court, public_notes=notes)
            )
            oid = off.id
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Added official {oid}.")


@app.command("name")
def officials_name(
    official_id: Annotated[int, typer.Argument(help="The official's id.")],
    text: Annotated[str, typer.Argument(help="The name in another script or spelling.")],
    kind: Annotated[str, typer.Option(help="official, transliteration, alias, ...")] = (
        "transliteration"
    ),
    primary: Annotated[bool, typer.Option("--primary", help="Make it the main name.")] = False,
    private: Annotated[bool, typer.Option("--private", help="Keep the name private.")] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Add a name to an official (every name is screened)."""
    data = OfficialNameInput(text, kind, "private" if private else "public", primary)
    try:
        with open_db(db).session() as s:
            n = Officials(s, acting_user(as_), context="officials name").add_name(official_id, data)
            nid = n.id
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Added name {nid} to official {official_id}.")


@app.command("link")
def officials_link(
    official_id: Annotated[int, typer.Argument(help="The official's id.")],
    case_id: Annotated[int, typer.Argument(help="The case's id (see person show).")],
    role: RoleOption = None,
    unlink: Annotated[bool, typer.Option("--unlink", help="Remove the link instead.")] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Link an official to a case they decided, prosecuted or investigated."""
    try:
        with open_db(db).session() as s:
            w = Officials(s, acting_user(as_), context="officials link")
            if unlink:
                n = w.unlink_case(official_id, case_id, role)
                message = f"Removed {n} link(s)."
            else:
                link = w.link_case(official_id, case_id, role)
                message = "Already linked." if link is None else f"Linked (link {link.id})."
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(message)


def _print_table(report: Report) -> None:
    when = f"{report.screened_at:%Y-%m-%d %H:%M}" if report.screened_at else "never"
    t = Table(
        "id",
        "role",
        "name",
        "court",
        "cases",
        "status",
        "sanctioned by",
        "uncertain",
        "listings",
        title=f"Officials screened ({len(report.rows)}; screened {when}, "
        f"{report.lists_screened} list(s))",
    )
    for r in report.rows:
        o = r.official
        listings = "\n".join(
            f"{h.authority} {h.list_name} {h.ref}: {h.target_name} ({h.score:.2f}, {h.verdict})"
            for h in r.hits
            if h.verdict != "rejected"
        )
        t.add_row(
            str(o.id),
            o.role,
            escape(o.name),
            escape(o.court or ""),
            str(o.cases),
            r.status,
            escape(", ".join(r.sanctioned_by)),
            escape(", ".join(r.uncertain_by)),
            escape(listings),
        )
    console.print(t)


@app.command("screen")
def officials_screen(
    sanctioned_by: Annotated[
        list[str] | None,
        typer.Option(
            "--sanctioned-by",
            "--authority",
            help="Only officials matched on a list of this authority (repeat: all of them). "
            "EU, US (= US OFAC), UK (= UK FCDO, UK OFSI), or the authority's full name.",
        ),
    ] = None,
    not_sanctioned_by: Annotated[
        list[str] | None,
        typer.Option(
            "--not-sanctioned-by",
            "--not-authority",
            help="Only officials matched on no list of this authority (repeat: none of them).",
        ),
    ] = None,
    role: RoleOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"Only: {', '.join(STATUSES)}.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, html or json.")] = "table",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the report to this file.")
    ] = None,
    stored: Annotated[
        bool,
        typer.Option("--stored", help="Report the last screening without running it again."),
    ] = False,
    private: PrivateOption = False,
    workers: Annotated[
        int | None, typer.Option(help="Processes for large lists (default: 2 when large).")
    ] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Screen every official's names against every imported sanctions list (latest version),
    then report who is sanctioned by which authorities, who is uncertain and who by none.

    Uncertain pairs go to the review queue (prisonwatch review list); judgements made there are
    kept for every later run. Example — judges sanctioned by the EU but not by the US:
    prisonwatch officials screen --role judge --sanctioned-by EU --not-sanctioned-by US
    """
    if fmt not in ("table", "csv", "html", "json"):
        fail(f"--format: use table, csv, html or json, not {fmt!r}")
    if status is not None and status not in STATUSES:
        fail(f"--status: use {', '.join(STATUSES)}, not {status!r}")
    role_key = _role(role)
    database = open_db(db)
    if not stored:
        with database.session() as s:
            outcome = screen_officials(
                s, acting_user(as_), workers=workers, progress=lambda m: err_console.print(m)
            )
        err_console.print(
            f"Screened {outcome.names:,} names of {outcome.officials:,} officials against "
            f"{outcome.target_names:,} names on {outcome.lists} list(s) in {outcome.seconds} s: "
            f"{outcome.matches} match(es), {outcome.uncertain} uncertain, "
            f"{outcome.queued} newly queued for review."
        )
    with database.session() as s:
        report = screening_report(
            s,
            include_private=private,
            role=role_key,
            sanctioned_by=sanctioned_by or [],
            not_sanctioned_by=not_sanctioned_by or [],
            status=status,
        )
    if fmt == "table" and output is None:
        _print_table(report)
        return
    if fmt == "json":
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = render_csv(report)
    elif fmt == "html":
        text = render_html(report)
    else:
        fail("--format table prints to the terminal; use csv, html or json with -o")
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"Wrote {len(report.rows)} official(s) to {output}.")


__all__ = ["app"]
