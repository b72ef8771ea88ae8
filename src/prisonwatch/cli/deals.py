"""``prisonwatch deal add|show|list|link|edit|unlink``: deals — what was given for whose release.

The commands only parse arguments, call :mod:`prisonwatch.store.deals` (writes, audited) and
:mod:`prisonwatch.store.deal_views` (reads), and print. Each command is one transaction: a bad
value anywhere writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.model import ConcessionKind, LinkCertainty
from prisonwatch.reconcile.deal_lists import link_deal_list
from prisonwatch.reconcile.errors import InputError
from prisonwatch.store.deal_views import DealView, deal_view, list_deals
from prisonwatch.store.deals import ConcessionInput, DealInput, Deals
from prisonwatch.store.registry import (
    NotFound,
    Registry,
    RegistryValidationError,
    SourceInput,
)

app = typer.Typer(
    help="Deals: the concessions given for a release and the people released.",
    no_args_is_help=True,
)

FormatOption = Annotated[str, typer.Option("--format", help="text or json.")]
SourceUrl = Annotated[str | None, typer.Option(help="Source: the URL where this is stated.")]
SourceTitle = Annotated[str | None, typer.Option(help="Source: its title (when no URL).")]
SourcePublisher = Annotated[str | None, typer.Option(help="Source: who published it.")]
SourceDate = Annotated[str | None, typer.Option(help="Source: publication date (partial).")]


def _source_ids(
    reg: Registry, url: str | None, title: str | None, publisher: str | None, date: str | None
) -> list[int]:
    if not (url or title or publisher or date):
        return []
    if url and not (title or publisher or date):
        return [reg.source_for_url(url).id]
    data = SourceInput(url=url, title=title or publisher, publisher=publisher, published=date)
    return [reg.add_source(data).id]


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        fail(f"--format: use text or json, not {fmt!r}")


@app.command("add")
def deal_add(
    title: Annotated[str, typer.Argument(help="A short title of the deal.")],
    date: Annotated[
        str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD ('~' approximate).")
    ] = None,
    party: Annotated[
        list[str] | None, typer.Option("--party", help="A party (repeat): Belarus, USA, ...")
    ] = None,
    intermediary: Annotated[
        list[str] | None, typer.Option("--intermediary", help="Who brokered it (repeat).")
    ] = None,
    summary: Annotated[str | None, typer.Option(help="One line: what was given.")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    private: Annotated[bool, typer.Option("--private", help="Keep the deal private.")] = False,
    source_url: SourceUrl = None,
    source_title: SourceTitle = None,
    source_publisher: SourcePublisher = None,
    source_date: SourceDate = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Record a deal (then attach people and concessions with ``deal link``)."""
    database = open_db(db)
    try:
        with database.session() as s:
            actor = acting_user(as_)
            reg = Registry(s, actor, context="deal add")
            sources = _source_ids(reg, source_url, source_title, source_publisher, source_date)
            deal = Deals(s, actor, context="deal add").add_deal(
                DealInput(
                    title=title,
                    date=date,
                    parties="; ".join(party or []) or None,
                    intermediaries="; ".join(intermediary or []) or None,
                    summary=summary,
                    description=description,
                    visibility="private" if private else "public",
                ),
                sources,
            )
            deal_id = deal.id
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Added deal {deal_id}.")


@app.command("list")
def deal_list(
    private: Annotated[bool, typer.Option("--private", help="Include private deals.")] = False,
    fmt: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Every deal: date, title, parties, people released and what was given."""
    _check_format(fmt)
    with open_db(db).session() as s:
        deals = list_deals(s, include_private=private)
    if fmt == "json":
        print(json.dumps([d.as_dict() for d in deals], ensure_ascii=False, indent=2))
        return
    t = Table("id", "date", "title", "parties", "released", "concessions", title="Deals")
    for d in deals:
        t.add_row(
            str(d.id),
            d.date or "",
            escape(d.title) + (" (private)" if d.visibility == "private" else ""),
            escape("; ".join(d.parties)),
            str(d.released),
            ", ".join(d.concession_kinds),
        )
    console.print(t)


def _print_deal(v: DealView) -> None:
    console.print(f"[bold]{escape(v.title)}[/]  (deal {v.id})")
    for label, value in (
        ("Date", v.date),
        ("Parties", "; ".join(v.parties)),
        ("Intermediaries", "; ".join(v.intermediaries)),
        ("Summary", v.summary),
        ("Visibility", v.visibility if v.visibility != "public" else None),
    ):
        if value:
            console.print(f"{label}: {escape(value)}")
    if v.description:
        console.print(escape(v.description))
    for src in v.sources:
        console.print(
            f"Source: {escape(_source_text(src.url, src.title, src.publisher, src.published))}"
        )
    t = Table(
        "id", "kind", "authority", "target", "date", "certainty", "sources", title="Concessions"
    )
    for c in v.concessions:
        target = " ".join(x for x in (c.target_authority, c.target_ref, c.target_name) if x)
        t.add_row(
            str(c.id),
            c.kind + (" (private)" if c.visibility == "private" else ""),
            escape(c.authority or ""),
            escape(target),
            c.date or "",
            c.certainty,
            escape(
                "; ".join(_source_text(x.url, x.title, x.publisher, x.published) for x in c.sources)
            ),
        )
    console.print(t)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(v.by_kind.items()))
    t = Table(
        "person",
        "name",
        "event",
        "date",
        "destination",
        title=f"People released ({len(v.released)}{': ' + kinds if kinds else ''})",
    )
    for r in v.released:
        t.add_row(
            str(r.person_id),
            escape(r.name),
            r.kind + (" (not public)" if r.visibility != "public" else ""),
            r.date,
            escape(r.destination_country or ""),
        )
    console.print(t)
    if v.not_public:
        verb = "is" if v.not_public == 1 else "are"
        console.print(f"{v.not_public} of them {verb} not shown on public pages.")


def _source_text(
    url: str | None, title: str | None, publisher: str | None, published: str | None
) -> str:
    return ", ".join(
        x for x in (publisher, title if title != publisher else None, published, url) if x
    )


@app.command("show")
def deal_show(
    deal_id: Annotated[int, typer.Argument()],
    private: Annotated[bool, typer.Option("--private", help="Show private facts too.")] = False,
    fmt: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """A deal: what was given (concessions with sources and certainty) and for whom."""
    _check_format(fmt)
    try:
        with open_db(db).session() as s:
            v = deal_view(s, deal_id, include_private=private)
    except NotFound as exc:
        fail(str(exc))
    if fmt == "json":
        print(json.dumps(v.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_deal(v)


@app.command("link")
def deal_link(
    deal_id: Annotated[int, typer.Argument()],
    person: Annotated[
        list[int] | None,
        typer.Option(
            "--person",
            help="A released person's id (repeat); their release event "
            "nearest the deal's date is linked.",
        ),
    ] = None,
    event: Annotated[
        list[int] | None, typer.Option("--event", help="A release event's id (repeat).")
    ] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="A CSV/XLSX list of released people's names, matched "
            "across scripts to people with a release event near the deal's date.",
        ),
    ] = None,
    name_column: Annotated[str, typer.Option(help="The list's name column.")] = "name",
    concession: Annotated[
        str | None,
        typer.Option("--concession", help=", ".join(k.value for k in ConcessionKind)),
    ] = None,
    certainty: Annotated[
        str | None, typer.Option(help=", ".join(c.value for c in LinkCertainty))
    ] = None,
    authority: Annotated[str | None, typer.Option(help="Who gave it, e.g. 'US OFAC'.")] = None,
    target_name: Annotated[
        str | None, typer.Option(help="The sanctions target, as the list writes it.")
    ] = None,
    target_ref: Annotated[
        str | None, typer.Option(help="The publisher's reference id of the target.")
    ] = None,
    target_authority: Annotated[
        str | None, typer.Option(help="Whose list the target is on (default: --authority).")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date of the concession.")] = None,
    description: Annotated[str | None, typer.Option(help="The concession in words.")] = None,
    private: Annotated[
        bool, typer.Option("--private", help="Keep the concession private.")
    ] = False,
    source_url: SourceUrl = None,
    source_title: SourceTitle = None,
    source_publisher: SourcePublisher = None,
    source_date: SourceDate = None,
    fmt: FormatOption = "text",
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Attach released people (by id, event or a list of names) and a concession to a deal."""
    _check_format(fmt)
    if not (person or event or names or concession):
        fail("nothing to link: give --person, --event, --names or --concession")
    if concession and not certainty:
        fail("--concession needs --certainty (stated_officially, reported or inferred)")
    report: dict[str, Any] = {"deal_id": deal_id, "linked_events": [], "concession_id": None}
    try:
        with open_db(db).session() as s:
            actor = acting_user(as_)
            deals = Deals(s, actor, context="deal link")
            for pid in person or []:
                ev, changed = deals.link_person(deal_id, pid)
                if changed:
                    report["linked_events"].append({"person_id": pid, "event_id": ev.id})
            for eid in event or []:
                linked = deals.link_event(deal_id, eid)
                if linked is not None:
                    report["linked_events"].append(
                        {"person_id": linked.person_id, "event_id": linked.id}
                    )
            if names is not None:
                report["names"] = link_deal_list(
                    deals, deal_id, names, name_col=name_column
                ).as_dict()
            if concession:
                reg = Registry(s, actor, context="deal link")
                sources = _source_ids(reg, source_url, source_title, source_publisher, source_date)
                conc = deals.add_concession(
                    deal_id,
                    ConcessionInput(
                        kind=concession,
                        certainty=certainty or "",
                        authority=authority,
                        target_authority=target_authority,
                        target_ref=target_ref,
                        target_name=target_name,
                        date=on,
                        description=description,
                        visibility="private" if private else "public",
                    ),
                    sources,
                )
                report["concession_id"] = conc.id
    except (NotFound, RegistryValidationError, InputError) as exc:
        fail(str(exc))
    if fmt == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    n = len(report["linked_events"]) + len(report.get("names", {}).get("linked", []))
    console.print(f"Deal {deal_id}: {n} release event(s) linked.")
    if "names" in report:
        got = report["names"]
        console.print(
            f"List {escape(str(names))}: {len(got['linked'])} linked, "
            f"{len(got['already_linked'])} already linked, {len(got['review'])} to review "
            f"({got['queued_for_review']} queued: prisonwatch review list), "
            f"{len(got['unmatched'])} without a match."
        )
        for row in got["review"]:
            console.print(
                f"  review: row {row['row']} {escape(row['name'])} → person "
                f"{row['candidate_person_id']} (score {row['score']:.2f})"
            )
        for row in got["unmatched"]:
            console.print(f"  no match: row {row['row']} {escape(row['name'])}")
    if report["concession_id"]:
        console.print(f"Added concession {report['concession_id']}.")


@app.command("edit")
def deal_edit(
    deal_id: Annotated[int, typer.Argument()],
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    date: Annotated[
        str | None,
        typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD ('~' approximate); '' clears it."),
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option("--party", help="Replace the parties (repeat for each)."),
    ] = None,
    intermediary: Annotated[
        list[str] | None,
        typer.Option("--intermediary", help="Replace the intermediaries (repeat for each)."),
    ] = None,
    summary: Annotated[str | None, typer.Option(help="One line: what was given.")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    visibility: Annotated[
        str | None, typer.Option("--visibility", help="public or private.")
    ] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Change a deal's title, date, parties, intermediaries, summary, notes or visibility."""
    changes: dict[str, Any] = {}
    for key, value in (
        ("title", title),
        ("date", date),
        ("summary", summary),
        ("description", description),
        ("visibility", visibility),
    ):
        if value is not None:
            changes[key] = value
    if party is not None:
        changes["parties"] = "; ".join(party) or None
    if intermediary is not None:
        changes["intermediaries"] = "; ".join(intermediary) or None
    if not changes:
        fail(
            "nothing to change: give --title, --date, --party, --intermediary, --summary, "
            "--description or --visibility"
        )
    try:
        with open_db(db).session() as s:
            Deals(s, acting_user(as_), context="deal edit").edit_deal(deal_id, changes)
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(f"Deal {deal_id}: changed {', '.join(sorted(changes))}.")


@app.command("unlink")
def deal_unlink(
    deal_id: Annotated[int, typer.Argument()],
    person: Annotated[
        list[int] | None,
        typer.Option("--person", help="A person id (repeat): their events naming the deal."),
    ] = None,
    event: Annotated[
        list[int] | None, typer.Option("--event", help="A release event's id (repeat).")
    ] = None,
    concession: Annotated[
        list[int] | None,
        typer.Option("--concession", help="A concession id of this deal to delete (repeat)."),
    ] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Take released people off a deal (their events stay) or delete its concessions."""
    if not (person or event or concession):
        fail("nothing to unlink: give --person, --event or --concession")
    unlinked: list[int] = []
    try:
        with open_db(db).session() as s:
            deals = Deals(s, acting_user(as_), context="deal unlink")
            for pid in person or []:
                unlinked += [ev.id for ev in deals.unlink_person(deal_id, pid)]
            for eid in event or []:
                unlinked.append(deals.unlink_event(eid, deal_id).id)
            for cid in concession or []:
                deals.remove_concession(cid, deal_id)
    except (NotFound, RegistryValidationError) as exc:
        fail(str(exc))
    console.print(
        f"Deal {deal_id}: {len(unlinked)} release event(s) unlinked, "
        f"{len(concession or [])} concession(s) deleted."
    )
