"""``prisonwatch reconcile`` (a list against a list, or against the registry) and
``prisonwatch review`` (the review queue). Only argument parsing and printing: the logic is in
:mod:`prisonwatch.reconcile`."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, err_console, fail, open_db
from prisonwatch.config import DEFAULT_DB_URL, acting_user, database_url
from prisonwatch.reconcile import InputError, ReconcileOptions, ReconcileResult, ReviewError
from prisonwatch.reconcile.atomic import temp_path_for
from prisonwatch.reconcile.engine import AMBIGUITY_MARGIN
from prisonwatch.reconcile.report import write_csv, write_html, write_right_unmatched, write_xlsx
from prisonwatch.reconcile.review import (
    decide,
    judge,
    judgements,
    pending,
    pending_count,
    withdraw,
)
from prisonwatch.reconcile.stored_lists import reconcile_with_registry
from prisonwatch.reconcile.usecase import ListFile, reconcile_lists
from prisonwatch.store.db import Database
from prisonwatch.validation import FieldError

app = typer.Typer(
    help="Reconcile a list of names against another list or the registry.",
    rich_markup_mode="rich",
    # one command as the group's callback: let options follow the file arguments
    context_settings={"allow_interspersed_args": True},
)
review_app = typer.Typer(
    help="The review queue: pairs waiting for a person's decision, and the judgements.",
    no_args_is_help=True,
)

_STAGES = {"index": "indexing the right side", "match": "matching", "assign": "assigning"}


class RichProgress:
    """Adapts :data:`prisonwatch.reconcile.Progress` to a Rich progress display."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            disable=not err_console.is_terminal,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.progress.add_task(
                _STAGES.get(stage, stage), total=total
            )
        self.progress.update(task, completed=done, total=total)


def _options(
    match_threshold: float | None,
    review_threshold: float | None,
    candidates: int,
    evidence: bool,
    index_cache: Path | None,
    ambiguity_margin: float,
) -> ReconcileOptions:
    return ReconcileOptions(
        match_threshold=match_threshold,
        review_threshold=review_threshold,
        candidates=candidates,
        use_evidence=evidence,
        index_cache=index_cache,
        ambiguity_margin=ambiguity_margin,
    )


def _registry_for_judgements(db: str | None, no_db: bool) -> Database | None:
    """The database whose judgements a list-to-list run honours, or ``None`` to run without.

    Without ``--db`` / ``$PRISONWATCH_DB`` and no ``prisonwatch.db`` here, the run is
    standalone (nothing to honour, nowhere to queue)."""
    if no_db:
        return None
    url = database_url(db)
    if (
        db is None
        and "PRISONWATCH_DB" not in os.environ
        and url == DEFAULT_DB_URL
        and not Path(url.removeprefix("sqlite:///")).exists()
    ):
        err_console.print(
            "no registry (prisonwatch.db) here: earlier judgements are not used and review "
            "pairs are not queued; pass --db to use one",
            style="dim",
        )
        return None
    return open_db(db)


def _write_outputs(
    result: ReconcileResult,
    *,
    output: Path | None,
    html: Path | None,
    xlsx: Path | None,
    right_unmatched: Path | None,
    title: str,
    left_label: str,
    right_label: str,
) -> None:
    """Write every requested file, or none of them."""
    with ExitStack() as stack:
        if output is not None:
            write_csv(result, stack.enter_context(temp_path_for(output)))
        if right_unmatched is not None:
            write_right_unmatched(result, stack.enter_context(temp_path_for(right_unmatched)))
        if html is not None:
            write_html(
                result,
                stack.enter_context(temp_path_for(html)),
                title,
                left_label=left_label,
                right_label=right_label,
            )
        if xlsx is not None:
            write_xlsx(
                result,
                stack.enter_context(temp_path_for(xlsx)),
                title=title,
                left_label=left_label,
                right_label=right_label,
            )


def _print_counts(result: ReconcileResult, left_label: str, right_label: str) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("on both lists (match)", str(result.counts["matched"]))
    table.add_row("to review", str(result.counts["review"]))
    table.add_row(f"only on {left_label}", str(result.counts["left_only"]))
    table.add_row(f"only on {right_label}", str(result.counts["right_only"]))
    console.print(table)


@app.callback(invoke_without_command=True)
def reconcile_cmd(
    left: Annotated[Path, typer.Argument(help="The list to reconcile (CSV or XLSX).")],
    right: Annotated[
        Path | None, typer.Argument(help="The list to compare it with (omit with --registry).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="CSV: one row per left row, with verdict and why."),
    ] = None,
    registry: Annotated[
        bool, typer.Option("--registry", help="Link LEFT to registry people; store list + links.")
    ] = False,
    left_id: Annotated[str, typer.Option(help="Id column of LEFT ('' for none).")] = "id",
    left_name: Annotated[str, typer.Option(help="Name column of LEFT.")] = "name",
    right_id: Annotated[str, typer.Option(help="Id column of RIGHT ('' for none).")] = "id",
    right_name: Annotated[str, typer.Option(help="Name column of RIGHT.")] = "name",
    left_key: Annotated[
        str | None, typer.Option(help="Name of LEFT for judgement keys (default: file name).")
    ] = None,
    right_key: Annotated[
        str | None, typer.Option(help="Name of RIGHT for judgement keys (default: file name).")
    ] = None,
    html: Annotated[Path | None, typer.Option(help="Write a readable HTML report.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write the report as an XLSX workbook.")] = None,
    right_unmatched: Annotated[
        Path | None, typer.Option(help="CSV of the RIGHT rows nothing matched.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Report title / stored list title.")] = None,
    source_url: Annotated[
        str | None, typer.Option(help="Where the list comes from (stored with --registry).")
    ] = None,
    match_threshold: Annotated[
        float | None, typer.Option(help="Score for 'match' (default: the matcher's).")
    ] = None,
    review_threshold: Annotated[
        float | None, typer.Option(help="Score for 'review' (default: the matcher's).")
    ] = None,
    candidates: Annotated[int, typer.Option(help="Candidates per left row.", min=1)] = 20,
    ambiguity_margin: Annotated[
        float,
        typer.Option(
            help="A rival scoring within this of a match makes it 'review' (namesakes).",
            min=0.0,
            max=1.0,
        ),
    ] = AMBIGUITY_MARGIN,
    evidence: Annotated[
        bool, typer.Option(help="Use birth date, gender and region columns when both have them.")
    ] = True,
    index_cache: Annotated[
        Path | None,
        typer.Option(help="Keep the right side's candidate index here; reuse it next time."),
    ] = None,
    no_db: Annotated[
        bool, typer.Option("--no-db", help="Do not use the registry's judgements or queue.")
    ] = False,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Reconcile LEFT with RIGHT (or, with --registry, with the registry).

    Matching is one-to-one and global. Earlier judgements in the registry database are honoured
    and new review pairs are queued for `prisonwatch review`.
    """
    opts = _options(
        match_threshold, review_threshold, candidates, evidence, index_cache, ambiguity_margin
    )
    actor = acting_user(as_)
    if registry:
        if right is not None:
            fail("give either RIGHT or --registry, not both", 2)
        database = open_db(db)
        label = title or left.stem
        try:
            with RichProgress() as bar:
                result = reconcile_with_registry(
                    database,
                    left,
                    actor=actor,
                    title=title,
                    source_url=source_url,
                    id_col=left_id or None,
                    name_col=left_name,
                    options=opts,
                    progress=bar,
                )
        except InputError as exc:
            fail(str(exc), 2)
        _write_outputs(
            result,
            output=output,
            html=html,
            xlsx=xlsx,
            right_unmatched=None,
            title=label,
            left_label=label,
            right_label="the registry",
        )
        console.print(f"stored list {result.list_id} ({label}): {len(result.pairs)} rows")
        _print_counts(result, label, "the registry")
        return
    if right is None:
        fail("RIGHT is missing (or use --registry)", 2)
    if output is None and html is None and xlsx is None:
        fail("say where to write: -o OUT.csv, --html or --xlsx", 2)
    store = _registry_for_judgements(db, no_db)
    try:
        with RichProgress() as bar:
            done = reconcile_lists(
                ListFile(left, left_id or None, left_name, list_key=left_key),
                ListFile(right, right_id or None, right_name, list_key=right_key),
                registry=store,
                options=opts,
                progress=bar,
            )
    except InputError as exc:
        fail(str(exc), 2)
    _write_outputs(
        done.result,
        output=output,
        html=html,
        xlsx=xlsx,
        right_unmatched=right_unmatched,
        title=title or done.title,
        left_label=done.left_label,
        right_label=done.right_label,
    )
    _print_counts(done.result, done.left_label, done.right_label)
    if done.queued:
        console.print(f"{done.queued} new pair(s) queued: see `prisonwatch review list`")


@review_app.command("list")
def review_list(
    limit: Annotated[int, typer.Option(help="How many items.", min=1)] = 20,
    offset: Annotated[int, typer.Option(help="Skip this many.", min=0)] = 0,
    db: DbOption = None,
) -> None:
    """Pairs waiting for a decision, oldest first."""
    database = open_db(db)
    with database.session() as s:
        items = pending(s, limit=limit, offset=offset)
        total = pending_count(s)
    table = Table("item", "left", "right", "score", "why", "from", title=f"{total} pending")
    for it in items:
        table.add_row(
            str(it.id),
            f"{it.left_name}\n[dim]{it.left_key}[/]",
            f"{it.right_name}\n[dim]{it.right_key}[/]",
            f"{it.score:.3f}",
            it.why or "",
            it.context or "",
        )
    console.print(table)


@review_app.command("decide")
def review_decide(
    item: Annotated[int, typer.Argument(help="Review item id (see `review list`).")],
    decision: Annotated[str, typer.Argument(help="same, different or unsure.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the judgement).")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Decide a queued pair."""
    database = open_db(db)
    try:
        with database.session() as s:
            j = decide(s, item, decision, acting_user(as_), note)
    except (ReviewError, FieldError) as exc:
        fail(str(exc), 2)
    console.print(f"judgement {j.id}: {j.left_name} / {j.right_name} → {j.decision} ({j.user})")


@review_app.command("judge")
def review_judge(
    left_key: Annotated[str, typer.Argument(help="Key of one record, e.g. person:12.")],
    right_key: Annotated[str, typer.Argument(help="Key of the other record.")],
    decision: Annotated[str, typer.Argument(help="same, different or unsure.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the judgement).")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Record a decision on two records that are not in the queue."""
    database = open_db(db)
    try:
        with database.session() as s:
            j = judge(s, left_key, right_key, decision, acting_user(as_), note=note)
    except (ReviewError, FieldError) as exc:
        fail(str(exc), 2)
    console.print(f"judgement {j.id}: {left_key} / {right_key} → {j.decision} ({j.user})")


@review_app.command("withdraw")
def review_withdraw(
    judgement: Annotated[int, typer.Argument(help="Judgement id (see `review history`).")],
    note: Annotated[str | None, typer.Option(help="Why it is withdrawn.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Withdraw a judgement: kept in the history, no longer honoured, its pair queued again."""
    database = open_db(db)
    try:
        with database.session() as s:
            j = withdraw(s, judgement, acting_user(as_), note)
    except (ReviewError, FieldError) as exc:
        fail(str(exc), 2)
    console.print(f"judgement {j.id} withdrawn by {j.withdrawn_by}")


@review_app.command("history")
def review_history(
    current: Annotated[bool, typer.Option(help="Only judgements not withdrawn.")] = False,
    limit: Annotated[int, typer.Option(help="How many, newest first.", min=1)] = 50,
    db: DbOption = None,
) -> None:
    """The judgements, newest first, withdrawn ones included unless --current."""
    database = open_db(db)
    with database.session() as s:
        rows = judgements(s, include_withdrawn=not current)[:limit]
    table = Table("id", "left", "right", "decision", "by", "at", "withdrawn", "note")
    for j in rows:
        withdrawn = f"{j.withdrawn_at:%Y-%m-%d} {j.withdrawn_by}" if j.withdrawn_at else ""
        table.add_row(
            str(j.id),
            j.left_name or j.left_key,
            j.right_name or j.right_key,
            j.decision,
            j.user,
            f"{j.at:%Y-%m-%d %H:%M}",
            withdrawn,
            j.note or "",
        )
    console.print(table)
