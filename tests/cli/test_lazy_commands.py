"""The top-level command lists its commands without importing them, and the listed help is the
commands' own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prisonwatch.cli import COMMANDS, app

runner = CliRunner()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_help_is_the_commands_own(name: str) -> None:
    command = COMMANDS[name].load(name)
    own = " ".join((command.help or "").split("\n\n")[0].split())
    assert " ".join(COMMANDS[name].help.split()) == own


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_runs_its_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\nfrom prisonwatch.cli import main\nsys.argv = ['prisonwatch', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'scipy', 'icu', 'alembic', 'openpyxl', "
        "'prisonwatch.store', 'prisonwatch.names', 'prisonwatch.stats') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout
    assert "HEAVY []" in out, out[-500:]
    assert "names" in out and "changes" in out  # every command is listed
