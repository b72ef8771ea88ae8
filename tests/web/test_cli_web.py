"""`prisonwatch user …` on both backends (the web CLI module's sub-app, with --db)."""

from __future__ import annotations

from typer.testing import CliRunner

from prisonwatch.cli.web import user_app
from prisonwatch.store.db import Database
from prisonwatch.store.users import account_for_token, login

runner = CliRunner()


def test_user_add_list_disable_and_token(db: Database) -> None:
    url = db.url
    res = runner.invoke(
        user_app,
        ["add", "anna", "--role", "editor", "--password-stdin", "--db", url, "--as", "cli:test"],
        input="a long password\n",
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        user_app, ["add", "ANNA", "--password-stdin", "--db", url], input="a long password\n"
    )
    assert res.exit_code == 1 and "already exists" in res.output  # case-insensitive
    res = runner.invoke(
        user_app,
        ["add", "boris", "--role", "king", "--password-stdin", "--db", url],
        input="a long password\n",
    )
    assert res.exit_code == 1 and "role" in res.output
    res = runner.invoke(user_app, ["token", "create", "anna", "--label", "import", "--db", url])
    assert res.exit_code == 0, res.output
    secret = res.output.strip().splitlines()[-1]
    with db.session() as s:
        assert account_for_token(s, secret) is not None
    res = runner.invoke(user_app, ["list", "--db", url])
    assert "anna" in res.output and "editor" in res.output
    res = runner.invoke(user_app, ["disable", "anna", "--db", url])
    assert res.exit_code == 0
    with db.session() as s:
        assert login(db, "anna", "a long password") is None
        assert account_for_token(s, secret) is None


def test_password_never_on_the_command_line(db: Database) -> None:
    res = runner.invoke(user_app, ["add", "anna", "--password", "a long password", "--db", db.url])
    assert res.exit_code != 0  # the option is gone: `ps` would show it
    res = runner.invoke(
        user_app, ["add", "anna", "--db", db.url], input="a long password\na long password\n"
    )
    assert res.exit_code == 0, res.output
    assert login(db, "anna", "a long password") is not None
    res = runner.invoke(
        user_app,
        ["password", "anna", "--password-stdin", "--db", db.url],
        input="another long password\n",
    )
    assert res.exit_code == 0, res.output
    assert login(db, "anna", "another long password") is not None


def test_reenabling_does_not_revive_tokens_and_token_list(db: Database) -> None:
    url = db.url
    runner.invoke(
        user_app, ["add", "anna", "--password-stdin", "--db", url], input="a long password\n"
    )
    res = runner.invoke(user_app, ["token", "create", "anna", "--label", "nightly", "--db", url])
    secret = res.output.strip().splitlines()[-1]
    assert runner.invoke(user_app, ["disable", "anna", "--db", url]).exit_code == 0
    assert runner.invoke(user_app, ["enable", "anna", "--db", url]).exit_code == 0
    with db.session() as s:
        assert account_for_token(s, secret) is None
    res = runner.invoke(user_app, ["token", "list", "--db", url])
    assert res.exit_code == 0, res.output
    assert "nightly" in res.output and "anna" in res.output and "yes" in res.output
    assert secret not in res.output
    res = runner.invoke(user_app, ["token", "list", "nobody", "--db", url])
    assert res.exit_code == 1 and "no user" in res.output
