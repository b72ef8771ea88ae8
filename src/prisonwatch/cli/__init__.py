"""The ``prisonwatch`` command. Each area keeps its commands in its own module; this one only
assembles them."""

from __future__ import annotations

import sys

import typer

from prisonwatch.cli import changes, names, reconcile, registry, web


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

app = typer.Typer(
    name="prisonwatch",
    help="PrisonWatch: a registry of political prisoners — names across scripts, lists, "
    "status over time.",
    no_args_is_help=True,
    rich_markup_mode="rich",
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
    from prisonwatch.store.busy import is_busy

    try:
        app(standalone_mode=True)
    except Exception as exc:  # Typer re-raises what a command did not handle
        if not is_busy(exc):
            raise
        sys.stderr.write(
            "error: the registry is busy with another change (another import or "
            "writer holds it): nothing was written; try again shortly\n"
        )
        raise SystemExit(75) from None  # EX_TEMPFAIL
