"""The ``prisonwatch`` command. Each area keeps its commands in its own module; this one only
assembles them."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import typer
import typer.main
from typer import _click as click  # the click Typer ships and builds its commands with
from typer.core import TyperCommand, TyperGroup


def _flags_without_a_type() -> None:
    """Typer's help shows ``<bool>`` beside on/off flags (``--private <bool>``), as if they
    took a value; a flag takes none, so its help shows no type."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "_prisonwatch", False):
        return

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich._prisonwatch = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]


_flags_without_a_type()


@dataclass(frozen=True, slots=True)
class Lazy:
    """A command whose module is imported only when it runs (or its own help is asked for):
    ``prisonwatch --help`` and ``prisonwatch names compare`` no longer import the registry,
    statistics and reconciliation code with SQLAlchemy, SciPy and the rest."""

    module: str
    attribute: str
    help: str  # the first paragraph of the command's help (a test keeps it in step)
    group: bool = False

    def load(self, name: str) -> click.Command:
        target = getattr(importlib.import_module(f"prisonwatch.cli.{self.module}"), self.attribute)
        wrapper = typer.Typer()
        if self.group:  # kept a group even with one command (``event add``)
            wrapper.add_typer(target, name=name)
        else:
            wrapper.command(name)(target)
            wrapper.command("-")(lambda: None)  # two commands: get_command gives the group
        group = typer.main.get_command(wrapper)
        assert isinstance(group, TyperGroup)
        command = group.commands[name]
        command.name = name
        return command


COMMANDS: dict[str, Lazy] = {
    "init": Lazy(
        "registry",
        "init_cmd",
        "Create the registry (or upgrade its schema) at the configured database.",
    ),
    "demo": Lazy(
        "registry",
        "demo_cmd",
        "Build a synthetic demo registry (clearly marked synthetic; no real people's facts).",
    ),
    "import": Lazy(
        "registry",
        "import_cmd",
        "Import people from a spreadsheet, all or nothing; re-importing updates by id.",
    ),
    "export": Lazy(
        "registry",
        "export_cmd",
        "Export the registry (public fields only, unless an admin asks for private ones).",
    ),
    "people": Lazy("registry", "people_cmd", "List people, with filters."),
    "search": Lazy(
        "search", "search_cmd", "Find people by name across scripts and spellings, best first."
    ),
    "status": Lazy(
        "registry",
        "status_cmd",
        "How many people in the registry were held on a date, with a breakdown.",
    ),
    "backup": Lazy(
        "registry",
        "backup_cmd",
        "Back up the registry: SQLite online backup, or a logical dump for PostgreSQL.",
    ),
    "restore": Lazy(
        "registry",
        "restore_cmd",
        "Restore a backup (SQLite: replaces the registry; dump: into an empty registry). "
        "Accounts and API tokens are not restored unless --with-credentials.",
    ),
    "rebuild": Lazy(
        "registry",
        "rebuild_cmd",
        "Recompute what the registry derives from its "
        "people, names and events (the statistics' custody changes, the people "
        "list's keys and tally) — after loading rows by other means than "
        "PrisonWatch, such as SQL COPY or a restore from another tool.",
    ),
    "serve": Lazy(
        "web",
        "serve_cmd",
        "Serve the registry at http://HOST:PORT (secret key: $PRISONWATCH_SECRET_KEY).",
    ),
    "person": Lazy("registry", "person_app", "Add, show and edit one person.", group=True),
    "event": Lazy(
        "registry", "event_app", "Record status events (detained, released, ...).", group=True
    ),
    "names": Lazy("names", "app", "Compare person names across scripts and spellings.", group=True),
    "reconcile": Lazy(
        "reconcile",
        "app",
        "Reconcile a list of names against another list or the registry.",
        group=True,
    ),
    "review": Lazy(
        "reconcile",
        "review_app",
        "The review queue: pairs waiting for a person's decision, and the judgements.",
        group=True,
    ),
    "changes": Lazy(
        "changes",
        "app",
        "Has anything changed? Held over time, inflow and outflow, periods compared, charts.",
        group=True,
    ),
    "user": Lazy("web", "user_app", "Accounts of the web app (viewer, editor, admin).", group=True),
    "sanctions": Lazy(
        "sanctions",
        "app",
        "Sanctions lists: import versions, compare them, show targets over time.",
        group=True,
    ),
    "deal": Lazy(
        "deals",
        "app",
        "Deals: the concessions given for a release and the people released.",
        group=True,
    ),
    "officials": Lazy(
        "officials",
        "app",
        "Officials: judges, prosecutors and investigators, screened against sanctions lists.",
        group=True,
    ),
    "news": Lazy("news", "app", "News articles → claims for review.", group=True),
    "letters": Lazy(
        "letters",
        "app",
        "Letters to prisoners: who to write to and where, birthdays, the letters log.",
        group=True,
    ),
    "claims": Lazy(
        "news", "claims_app", "Review the claims proposed from news articles.", group=True
    ),
}


class LazyGroup(TyperGroup):
    """The top-level group: lists :data:`COMMANDS` from their help text alone and imports a
    command's module only to run it."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=lazy.help)
        command = lazy.load(cmd_name)
        self.add_command(command, cmd_name)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="prisonwatch",
    cls=LazyGroup,
    help="PrisonWatch: a registry of political prisoners — names across scripts, lists, "
    "status over time.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    # a traceback must never print local variables: they hold rows with private values
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _root() -> None:
    """PrisonWatch: a registry of political prisoners — names across scripts, lists, status
    over time."""


def main() -> None:
    try:
        app(standalone_mode=True)
    except Exception as exc:  # Typer re-raises what a command did not handle
        from prisonwatch.store.busy import is_busy

        if not is_busy(exc):
            raise
        sys.stderr.write(
            "error: the registry is busy with another change (another import or "
            "writer holds it): nothing was written; try again shortly\n"
        )
        raise SystemExit(75) from None  # EX_TEMPFAIL
