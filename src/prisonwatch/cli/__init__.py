"""The ``prisonwatch`` command. Each area keeps its commands in its own module; this one only
assembles them."""

from __future__ import annotations

import typer

from prisonwatch.cli import changes, names, reconcile, registry, web

app = typer.Typer(
    name="prisonwatch",
    help="PrisonWatch: a registry of political prisoners — names across scripts, lists, "
    "status over time.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    # a traceback must never print local variables: they hold rows with private values
    pretty_exceptions_show_locals=False,
)

app.command("init")(registry.init_cmd)
app.command("demo")(registry.demo_cmd)
app.command("import")(registry.import_cmd)
app.command("export")(registry.export_cmd)
app.command("people")(registry.people_cmd)
app.command("status")(registry.status_cmd)
app.command("backup")(registry.backup_cmd)
app.command("restore")(registry.restore_cmd)
app.command("rebuild")(registry.rebuild_cmd)
app.add_typer(registry.person_app, name="person")
app.add_typer(registry.event_app, name="event")
app.add_typer(names.app, name="names")
app.add_typer(reconcile.app, name="reconcile")
app.add_typer(reconcile.review_app, name="review")
app.add_typer(changes.app, name="changes")
app.command("serve")(web.serve_cmd)
app.add_typer(web.user_app, name="user")


def main() -> None:
    app()
