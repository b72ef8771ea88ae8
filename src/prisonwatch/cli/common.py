"""Helpers shared by the CLI commands: opening the database, printing errors."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console

from prisonwatch.store.db import Database, DatabaseError

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $PRISONWATCH_DB or sqlite:///prisonwatch.db).",
        show_default=False,
    ),
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Who is acting, for the audit trail (default: $PRISONWATCH_USER or cli:<login>).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def open_db(url: str | None, *, ready: bool = True) -> Database:
    db = Database(url)
    if ready:
        try:
            db.check_ready()
        except DatabaseError as exc:
            fail(str(exc))
    return db
