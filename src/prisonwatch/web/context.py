"""What every request handler needs: the database, the mode, the templates and the name search,
kept on ``app.state.ctx``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.templating import Jinja2Templates

from prisonwatch.store.db import Database

if TYPE_CHECKING:
    from prisonwatch.name_search import NameSearch


@dataclass
class AppContext:
    db: Database
    public: bool
    templates: Jinja2Templates
    search: NameSearch
    extra_nav: list[tuple[str, str]]


def ctx(request: Request) -> AppContext:
    value: AppContext = request.app.state.ctx
    return value
