"""``prisonwatch serve`` and ``prisonwatch user …``: run the web app, manage its accounts.

``cli/__init__.py`` mounts ``serve_cmd`` as ``serve`` and ``user_app`` as ``user``
(``user add/list/disable/enable/password/role`` and ``user token create/list/revoke``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from prisonwatch.cli.common import AsOption, DbOption, console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.model import Role
from prisonwatch.store.users import (
    UserError,
    create_token,
    create_user,
    list_tokens,
    list_users,
    revoke_token,
    set_disabled,
    set_password,
    set_role,
)

user_app = typer.Typer(
    help="Accounts of the web app (viewer, editor, admin).", no_args_is_help=True
)
token_app = typer.Typer(
    help="API tokens for scripts (Authorization: Bearer …).", no_args_is_help=True
)
user_app.add_typer(token_app, name="token")


def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    public: Annotated[
        bool, typer.Option("--public", help="Let anonymous readers see public facts (read-only).")
    ] = False,
    workers: Annotated[
        int, typer.Option(help="Worker processes (each builds its own name index).")
    ] = 1,
) -> None:
    """Serve the registry at http://HOST:PORT (secret key: $PRISONWATCH_SECRET_KEY)."""
    import uvicorn

    from prisonwatch.web.app import create_app

    database = open_db(db)
    console.print(
        f"Serving {database.describe()} at [bold]http://{host}:{port}/[/]"
        + (" (public read-only view on)" if public else "")
    )
    if workers > 1:
        from prisonwatch.config import ServeSettings, secret_key
        from prisonwatch.web.workers import serve_workers

        # workers must sign sessions with one key
        settings = ServeSettings(database.url, public, secret_key())
        try:
            serve_workers(host, port, workers, settings)
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return
    web = create_app(database, public=public, build_index_in_background=True)
    # proxy headers are read by the app itself, from configured proxies only (web.proxy); on
    # SIGTERM, requests still running after 10 s are cancelled (a list upload's work stops)
    uvicorn.run(
        web,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        fail(f"role: {value!r} is not one of viewer, editor, admin")


PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input "
        "(for scripts); otherwise it is asked for. Never on the command line, where `ps` shows it.",
    ),
]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            fail("password: --password-stdin got no password on standard input")
        return line.rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "viewer",
    password_stdin: PasswordStdin = False,
    display_name: Annotated[str | None, typer.Option(help="Full name shown in pages.")] = None,
    locale: Annotated[str | None, typer.Option(help="Interface language: en or be.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Create an account (the password is asked for, or read with --password-stdin)."""
    password = _read_password(password_stdin)
    database = open_db(db)
    try:
        with database.session() as s:
            create_user(
                s,
                username,
                password,
                _role(role),
                actor=acting_user(as_),
                display_name=display_name,
                locale=locale,
            )
    except UserError as exc:
        fail(str(exc))
    console.print(f"created {username} ({role})")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List the accounts."""
    database = open_db(db)
    table = Table("username", "role", "disabled", "display name", "created")
    with database.session() as s:
        for u in list_users(s):
            table.add_row(
                u.username,
                u.role,
                "yes" if u.disabled else "",
                u.display_name or "",
                u.created_at.strftime("%Y-%m-%d"),
            )
    console.print(table)


def _set_disabled(username: str, disabled: bool, db: str | None, as_: str | None) -> None:
    database = open_db(db)
    try:
        with database.session() as s:
            set_disabled(s, username, disabled, actor=acting_user(as_))
    except UserError as exc:
        fail(str(exc))
    console.print(f"{username} {'disabled' if disabled else 'enabled'}")


@user_app.command("disable")
def user_disable(username: str, db: DbOption = None, as_: AsOption = None) -> None:
    """Disable an account: it can no longer log in, its web sessions end and its API tokens
    are revoked."""
    _set_disabled(username, True, db, as_)


@user_app.command("enable")
def user_enable(username: str, db: DbOption = None, as_: AsOption = None) -> None:
    """Enable a disabled account again (its old API tokens stay revoked)."""
    _set_disabled(username, False, db, as_)


@user_app.command("password")
def user_password(
    username: str, password_stdin: PasswordStdin = False, db: DbOption = None, as_: AsOption = None
) -> None:
    """Set a new password; the account's web sessions end."""
    password = _read_password(password_stdin)
    database = open_db(db)
    try:
        with database.session() as s:
            set_password(s, username, password, actor=acting_user(as_))
    except UserError as exc:
        fail(str(exc))
    console.print(f"new password set for {username}; its web sessions ended")


@user_app.command("role")
def user_role(username: str, role: str, db: DbOption = None, as_: AsOption = None) -> None:
    """Change an account's role."""
    database = open_db(db)
    try:
        with database.session() as s:
            set_role(s, username, _role(role), actor=acting_user(as_))
    except UserError as exc:
        fail(str(exc))
    console.print(f"{username} is now {role}")


@token_app.command("create")
def token_create(
    username: str,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    database = open_db(db)
    try:
        with database.session() as s:
            row, secret = create_token(s, username, label, actor=acting_user(as_))
            token_id = row.id
    except UserError as exc:
        fail(str(exc))
    console.print(f"token {token_id} for {username}:")
    print(secret)


@token_app.command("list")
def token_list(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    db: DbOption = None,
) -> None:
    """List API tokens (never their secrets): id, user, label, created, last used, revoked."""
    database = open_db(db)
    table = Table("id", "user", "label", "created", "last used", "revoked")
    try:
        with database.session() as s:
            tokens = list_tokens(s, username)
    except UserError as exc:
        fail(str(exc))
    for t in tokens:
        table.add_row(
            str(t.id),
            t.username,
            t.label or "",
            t.created_at.strftime("%Y-%m-%d %H:%M"),
            t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "",
            "yes" if t.revoked else "",
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int, db: DbOption = None, as_: AsOption = None) -> None:
    """Revoke an API token by its id."""
    database = open_db(db)
    try:
        with database.session() as s:
            revoke_token(s, token_id, actor=acting_user(as_))
    except UserError as exc:
        fail(str(exc))
    console.print(f"token {token_id} revoked")
