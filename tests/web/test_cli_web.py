"""`prisonwatch user …` on both backends (the web CLI module's sub-app, with --db)."""

from __future__ import annotations

from typer.testing import CliRunner

from prisonwatch.cli.web import user_app
from prisonwatch.store.db import Database
from prisonwatch.store.users import account_for_token, login

runner = CliRunner()


def test_user_add_list_disable_and_token(db: Database) -> None:
    url = db.url
    res = runner.invoke(user_app, ["add", "anna", "--role", "editor", "--password",
                                   "a long password", "--db", url, "--as", "cli:test"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(user_app, ["add", "anna", "--password", "a long password",
                                   "--db", url])
    assert res.exit_code == 1 and "already exists" in res.output
    res = runner.invoke(user_app, ["add", "boris", "--role", "king", "--password",
                                   "a long password", "--db", url])
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
