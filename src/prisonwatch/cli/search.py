"""``prisonwatch search NAME``: the cross-script name search of the web's search page and
``/api/v1/search`` (:mod:`prisonwatch.name_search`), from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from prisonwatch.cli.common import DbOption, console, fail, open_db
from prisonwatch.config import index_cache_dir


def search_cmd(
    name: Annotated[str, typer.Argument(help="The name as you know it, in any script.")],
    limit: Annotated[int, typer.Option(help="How many people at most.", min=1, max=100)] = 10,
    private: Annotated[bool, typer.Option("--private", help="Search private names too.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Find people by name across scripts and spellings, best first."""
    from prisonwatch.name_search import search_once

    if fmt not in ("table", "json"):
        fail("--format must be one of table, json")
    if len(name) > 200:
        fail("NAME: longer than 200 characters")
    database = open_db(db)
    hits = search_once(
        database, name, limit=limit, include_private=private, cache_dir=index_cache_dir()
    )
    if fmt == "json":
        print(json.dumps({"query": name, "items": [h.as_dict() for h in hits]}, ensure_ascii=False))
        return
    table = Table("person", "name", "score", "why", title=f"{len(hits)} found")
    for h in hits:
        table.add_row(
            str(h.person_id),
            escape(h.name) + (" (private)" if h.private else ""),
            f"{h.score:.3f}",
            escape(h.why),
        )
    console.print(table)
