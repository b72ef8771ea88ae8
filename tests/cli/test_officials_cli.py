"""``prisonwatch officials``: add, name, link, list, show, and the report in every format."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from prisonwatch.cli import app
from prisonwatch.store.db import Database
from prisonwatch.store.registry import CaseInput, NameInput, PersonInput, Registry

runner = CliRunner()


def _run(db: Database, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", db.url])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_officials_commands(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = reg.add_person(PersonInput(names=[NameInput("Мікалай Статкевіч")])).id
        case_id = reg.add_case(pid, CaseInput(articles="293")).id
    assert "Added official 1" in _run(
        db, "officials", "add", "Іваноў Іван Іванавіч", "--role", "judge", "--court", "Minsk"
    )
    _run(db, "officials", "name", "1", "Ivanou Ivan Ivanavich")
    assert "Linked" in _run(db, "officials", "link", "1", str(case_id))
    assert "Already linked" in _run(db, "officials", "link", "1", str(case_id))
    listed = json.loads(_run(db, "officials", "list", "--format", "json"))
    assert listed == [
        {
            "id": 1,
            "role": "judge",
            "name": "Іваноў Іван Іванавіч",
            "names": ["Іваноў Іван Іванавіч", "Ivanou Ivan Ivanavich"],
            "court": "Minsk",
            "cases": 1,
            "synthetic": False,
        }
    ]
    shown = json.loads(_run(db, "officials", "show", "1", "--format", "json"))
    assert [c["case_id"] for c in shown["cases"]] == [case_id]
    # the report in each format (no lists imported: nobody is sanctioned)
    out = tmp_path / "report.html"
    _run(db, "officials", "screen", "--format", "html", "-o", str(out))
    assert "Іваноў Іван Іванавіч" in out.read_text(encoding="utf-8")
    csv_text = _run(db, "officials", "screen", "--stored", "--format", "csv")
    assert csv_text.splitlines()[1].startswith("1,judge,Іваноў Іван Іванавіч,Minsk,1,none")
    bad = runner.invoke(app, ["officials", "screen", "--status", "maybe", "--db", db.url])
    assert bad.exit_code != 0 and "--status" in bad.output
    bad = runner.invoke(app, ["officials", "add", "X Y", "--role", "clerk", "--db", db.url])
    assert bad.exit_code != 0 and "role" in bad.output
    # unlinked: a viewer of the public registry no longer sees the official
    assert "Removed 1" in _run(db, "officials", "link", "1", str(case_id), "--unlink")
    assert json.loads(_run(db, "officials", "list", "--format", "json")) == []
    assert len(json.loads(_run(db, "officials", "list", "--private", "--format", "json"))) == 1
