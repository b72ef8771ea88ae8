"""``prisonwatch news`` (read articles into proposed claims) and ``prisonwatch claims``
(review them). The rules are imported inside the commands, so ``prisonwatch --help`` stays
fast."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, fail, open_db

if TYPE_CHECKING:
    from prisonwatch.store.schema_news import NewsClaim

app = typer.Typer(help="News articles → claims for review.", no_args_is_help=True)
claims_app = typer.Typer(
    help="Review the claims proposed from news articles.", no_args_is_help=True
)


class Lang(StrEnum):
    en = "en"
    ru = "ru"
    be = "be"
    es = "es"


class Format(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date YYYY-MM-DD")


def _read(path: Path) -> str:
    from prisonwatch.news.reading import ReadError, read_article

    try:
        return read_article(path)
    except ReadError as exc:
        fail(str(exc))


def _print_claims(rows: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.jsonl:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("kind", "value", "hedge", "status", "person", "subject", "date", "quote")
    for r in rows:
        table.add_row(
            *(
                str(r[k] or "")
                for k in ("kind", "value", "hedge", "status", "person", "subject", "date")
            ),
            f"[{r['start']}:{r['end']}] {r['quote']}",
        )
    console.print(table)


@app.command("extract")
def extract_cmd(
    file: Annotated[
        Path, typer.Argument(help="The article: plain text, or HTML (main text taken).")
    ],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the article.")],
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication day YYYY-MM-DD, to resolve 'on Thursday'."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="jsonl: one claim a line.")
    ] = Format.table,
) -> None:
    """Print the claims found in FILE; writes nothing. Offsets (start, end) are characters of
    the text as read (for HTML: of the extracted main text)."""
    from prisonwatch.news.extract import extract_claims

    day = _date(published, "--published")
    text = _read(file)
    _print_claims([c.as_json() for c in extract_claims(text, lang.value, day)], fmt)


def _registry_names(session: Any) -> list[tuple[int, str]]:
    from sqlalchemy import select

    from prisonwatch.store.schema import Name

    return [(pid, text) for pid, text in session.execute(select(Name.person_id, Name.full_text))]


@app.command("add")
def add_cmd(
    file: Annotated[Path, typer.Argument(help="The article: plain text or HTML.")],
    url: Annotated[str, typer.Option("--url", help="The article's URL.")],
    publisher: Annotated[str, typer.Option("--publisher", help="Who published it.")],
    published: Annotated[str, typer.Option("--published", help="Publication day YYYY-MM-DD.")],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the article.")] = Lang.en,
    title: Annotated[str | None, typer.Option("--title", show_default=False)] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Store the article as a source (its text under its content hash) and the claims found
    in it as pending, people linked to the registry by the name matcher. Adding the same URL
    with a changed text puts the claims of the older text back to review."""
    from prisonwatch.config import acting_user
    from prisonwatch.news.extract import extract_claims
    from prisonwatch.news.linking import PersonLinker
    from prisonwatch.news.persons import registry_lexicon
    from prisonwatch.store.news import NewsError, add_article

    day = _date(published, "--published")
    text = _read(file)
    database = open_db(db)
    try:
        with database.session() as s:
            names = _registry_names(s)
            claims = extract_claims(text, lang.value, day, registry_lexicon(n for _, n in names))
            linker = PersonLinker(names) if names else None
            links: dict[str, tuple[int, float]] = {}
            for c in claims:
                if c.person and linker is not None and c.person not in links:
                    hit = linker.link(c.person, lang.value)
                    if hit is not None:
                        links[c.person] = (hit.person_id, hit.score)
            result = add_article(
                s,
                text=text,
                url=url,
                lang=lang.value,
                actor=acting_user(actor),
                publisher=publisher,
                published=published,
                title=title,
                proposals=[c.as_json() for c in claims],
                links=links,
            )
            article_id, n, unchanged, back = (
                result.article.id,
                len(result.claims),
                result.unchanged,
                result.back_to_review,
            )
    except NewsError as exc:
        fail(f"{file}: {exc}")
    if unchanged:
        console.print(f"article #{article_id}: text unchanged, {n} claims already stored")
    else:
        extra = f"; {back} claims of the older text back to review" if back else ""
        console.print(f"article #{article_id}: {n} claims proposed, pending review{extra}")


def _claim_row(c: NewsClaim) -> dict[str, Any]:
    from prisonwatch.store.news import effective

    return {
        "id": c.id,
        "state": c.state,
        "article_id": c.article_id,
        "extractor_version": c.extractor_version,
        "person_id": c.person_id,
        "link_score": c.link_score,
        "review_reason": c.review_reason,
        "proposal": c.proposal,
        "edit": c.edit,
        "effective": effective(c),
        "result": {"type": c.result_type, "id": c.result_id} if c.result_type else None,
    }


@claims_app.command("list")
def claims_list(
    state: Annotated[
        str | None, typer.Option("--state", help="pending / accepted / rejected.")
    ] = "pending",
    kind: Annotated[str | None, typer.Option("--kind", show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    db: DbOption = None,
) -> None:
    """Claims proposed from news (newest first)."""
    from prisonwatch.store.news import NewsError, list_claims

    database = open_db(db)
    try:
        with database.session() as s:
            rows = list_claims(s, state=state or None, kind=kind, include_private=True)
            out = [_claim_row(r) for r in rows]
    except NewsError as exc:
        fail(str(exc))
    if fmt is Format.jsonl:
        for row in out:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("id", "state", "kind", "value", "status", "person", "subject", "quote")
    for row in out:
        e = row["effective"]
        table.add_row(
            str(row["id"]),
            row["state"],
            e["kind"],
            str(e.get("value") or ""),
            str(e.get("status") or ""),
            str(e.get("person") or "") + (f" → #{row['person_id']}" if row["person_id"] else ""),
            str(e.get("subject") or ""),
            str(e.get("quote") or "")[:80],
        )
    console.print(table)


@claims_app.command("show")
def claims_show(claim_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """One claim: the proposal as extracted, the edit, the quote in its context."""
    from prisonwatch.store.news import NewsError, get_claim
    from prisonwatch.store.schema_news import Article

    database = open_db(db)
    try:
        with database.session() as s:
            c = get_claim(s, claim_id)
            row = _claim_row(c)
            article = s.get(Article, c.article_id)
            assert article is not None
            start, end = int(c.proposal["start"]), int(c.proposal["end"])
            context = (
                article.text[max(0, start - 200) : start],
                article.text[start:end],
                article.text[end : end + 200],
            )
            row["article"] = {
                "url": article.url,
                "publisher": article.publisher,
                "published": article.published,
            }
    except NewsError as exc:
        fail(str(exc))
    typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
    console.print(
        f"…{context[0]}[reverse]{context[1]}[/reverse]{context[2]}…", highlight=False, markup=True
    )


@claims_app.command("edit")
def claims_edit(
    claim_id: Annotated[int, typer.Argument()],
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="FIELD=VALUE (value, hedge, status, person, subject, date, "
            "destination_country, organisation); repeatable.",
        ),
    ] = None,
    person_id: Annotated[
        int | None, typer.Option("--person-id", help="Link to this registry person.")
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Keep a reviewer's changes beside the proposal (the proposal itself never changes)."""
    from prisonwatch.config import acting_user
    from prisonwatch.store.news import NewsError, edit_claim

    changes: dict[str, Any] = {}
    for item in field or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--set: {item!r} is not FIELD=VALUE")
        changes[key.strip()] = value
    database = open_db(db)
    try:
        with database.session() as s:
            c = edit_claim(s, claim_id, changes, actor=acting_user(actor), person_id=person_id)
            edit = c.edit
    except NewsError as exc:
        fail(str(exc))
    console.print(
        f"claim #{claim_id} edited: {json.dumps(edit, ensure_ascii=False)}", highlight=False
    )


@claims_app.command("accept")
def claims_accept(
    claim_id: Annotated[int, typer.Argument()],
    note: Annotated[str | None, typer.Option("--note", show_default=False)] = None,
    deal: Annotated[
        int | None,
        typer.Option(
            "--deal",
            help="A sanction change: make it a concession of this deal (certainty: reported).",
            show_default=False,
        ),
    ] = None,
    concession: Annotated[
        str | None,
        typer.Option(
            "--concession",
            help="With --deal: the concession kind (default: lifted → delisting, eased → "
            "general_licence).",
            show_default=False,
        ),
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Accept a claim: a person status becomes a status event (the article as source, the
    quote kept), a count an outside figure; a sanction change is kept with its subject, or
    with --deal becomes a concession of that deal."""
    from prisonwatch.config import acting_user
    from prisonwatch.store.news import NewsError, accept_claim

    database = open_db(db)
    try:
        with database.session() as s:
            c = accept_claim(
                s,
                claim_id,
                actor=acting_user(actor),
                note=note,
                deal_id=deal,
                concession=concession,
            )
            result = f" → {c.result_type} #{c.result_id}" if c.result_type else ""
    except NewsError as exc:
        fail(f"claim #{claim_id}: {exc}")
    console.print(f"claim #{claim_id} accepted{result}")


@claims_app.command("reject")
def claims_reject(
    claim_id: Annotated[int, typer.Argument()],
    note: Annotated[str | None, typer.Option("--note", show_default=False)] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Reject a claim (kept, with who rejected it)."""
    from prisonwatch.config import acting_user
    from prisonwatch.store.news import NewsError, reject_claim

    database = open_db(db)
    try:
        with database.session() as s:
            reject_claim(s, claim_id, actor=acting_user(actor), note=note)
    except NewsError as exc:
        fail(f"claim #{claim_id}: {exc}")
    console.print(f"claim #{claim_id} rejected")


@claims_app.command("stats")
def claims_stats(
    fmt: Annotated[Format, typer.Option("--format")] = Format.table, db: DbOption = None
) -> None:
    """Review outcomes per extractor version: accepted as proposed vs edited, rejected."""
    from prisonwatch.store.news import review_stats

    database = open_db(db)
    with database.session() as s:
        rows = review_stats(s)
    if fmt is Format.jsonl:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    cols = [
        "extractor_version",
        "kind",
        "proposed",
        "pending",
        "rejected",
        "accepted_as_proposed",
        "accepted_edited",
    ]
    table = Table(*cols)
    for row in rows:
        table.add_row(*(str(row[c]) for c in cols))
    console.print(table)
