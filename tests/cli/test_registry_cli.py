"""The registry commands end to end on a real SQLite file, as a user would type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prisonwatch.cli import app
from prisonwatch.store.db import Database
from prisonwatch.store.status import held_on
from prisonwatch.store.users import create_user

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PRISONWATCH_DB", url)
    monkeypatch.setenv("PRISONWATCH_USER", "tester")
    monkeypatch.chdir(tmp_path)
    return url


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_commands_refuse_an_uninitialised_database(env: str) -> None:
    code, out = run("people")
    assert code == 1
    assert "prisonwatch init" in out


def test_person_event_show_edit(env: str) -> None:
    assert run("init")[0] == 0
    code, out = run(
        "person",
        "add",
        "Статкевіч Мікалай",
        "Mikalai Statkevich",
        "--birth-date",
        "1956",
        "--internal-note",
        "SECRET-NOTE",
    )
    assert code == 0, out
    assert "Added person 1" in out
    code, out = run(
        "event", "add", "1", "detained", "2020-05-31", "--source-url", "https://example.org/x"
    )
    assert code == 0, out
    code, out = run("event", "add", "1", "escaped", "2021")
    assert code == 1 and "unknown status 'escaped'" in out
    code, out = run("person", "edit", "1", "--set", "region=Minsk")
    assert code == 0, out
    code, out = run("person", "show", "1", "--on", "2021-01-01", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["status"] == "held"
    assert data["region"] == "Minsk"
    assert data["internal_notes"] is None  # private fields only with --private
    assert [e["kind"] for e in data["events"]] == ["detained"]
    assert data["events"][0]["sources"][0]["url"] == "https://example.org/x"
    code, out = run("person", "show", "1", "--private")
    assert "SECRET-NOTE" in out


def test_demo_status_people_export(env: str, tmp_path: Path) -> None:
    code, out = run("demo", "--people", "120", "--seed", "7")
    assert code == 0, out
    code, out = run("status", "--on", "2025-09-12", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    db = Database(env)
    with db.session() as s:
        expected = held_on(s, __import__("datetime").date(2025, 9, 12))
    assert data["date"] == "2025-09-12"
    assert data["held"] == expected.held > 0
    assert sum(data["breakdown"]["region"].values()) == data["held"]
    code, out = run(
        "people", "--status", "held", "--on", "2025-09-12", "--format", "json", "--limit", "1000"
    )
    assert code == 0
    assert json.loads(out)["total"] == data["held"]
    code, out = run("status", "--on", "2025-13-01")
    assert code == 1 and "month 13" in out

    code, out = run("export", str(tmp_path / "out.csv"))
    assert code == 0, out
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 121
    code, out = run("export", str(tmp_path / "out.ftm.json"), "--format", "ftm")
    assert code == 0, out
    first = json.loads((tmp_path / "out.ftm.json").read_text(encoding="utf-8").splitlines()[0])
    assert first["schema"] == "Person"
    assert first["properties"]["name"]


def test_include_private_needs_an_admin(env: str, tmp_path: Path) -> None:
    run("init")
    run("person", "add", "Тэст Асоба", "--relatives-contact", "+375-29-PRIVATE")
    code, out = run("export", str(tmp_path / "p.jsonl"), "--format", "jsonl")
    assert code == 0
    assert "PRIVATE" not in (tmp_path / "p.jsonl").read_text(encoding="utf-8")
    code, out = run("export", str(tmp_path / "q.jsonl"), "--format", "jsonl", "--include-private")
    assert code == 1 and "needs an admin" in out
    assert not (tmp_path / "q.jsonl").exists()
    db = Database(env)
    with db.session() as s:
        create_user(s, "root-admin", "a-long-enough-passphrase", "admin", actor="test")
    code, out = run(
        "export",
        str(tmp_path / "q.jsonl"),
        "--format",
        "jsonl",
        "--include-private",
        "--as",
        "root-admin",
    )
    assert code == 0, out
    assert "+375-29-PRIVATE" in (tmp_path / "q.jsonl").read_text(encoding="utf-8")


def test_import_error_is_reported_and_nothing_written(env: str, tmp_path: Path) -> None:
    run("init")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,detained_on\n1,Іваноў Іван,2021-02-30\n2,,2021\n", encoding="utf-8")
    code, out = run("import", str(bad))
    assert code == 1
    assert "nothing was written" in out
    assert "bad.csv, row 2, column 'detained_on'" in out
    assert "bad.csv, row 3, column 'name'" in out
    code, out = run("people", "--format", "json")
    assert json.loads(out)["total"] == 0
    good = tmp_path / "good.csv"
    good.write_text("ФИО,id\nІваноў Іван,1\n", encoding="utf-8")
    code, out = run("import", str(good), "--map", "ФИО=name")
    assert code == 0, out
    assert "1 added" in out


def test_backup_restore_cli(env: str, tmp_path: Path) -> None:
    run("init")
    run("person", "add", "Першы Чалавек")
    assert run("backup", str(tmp_path / "b.db"))[0] == 0
    run("person", "add", "Другі Чалавек")
    code, out = run("restore", str(tmp_path / "b.db"), "--yes")
    assert code == 0, out
    code, out = run("people", "--format", "json")
    assert [p["name"] for p in json.loads(out)["people"]] == ["Першы Чалавек"]


def test_rebuild_restores_the_derived_tables_after_rows_loaded_by_other_means(env: str) -> None:
    from collections import Counter

    from sqlalchemy import text

    assert run("demo", "--people", "80", "--seed", "3")[0] == 0
    db = Database(env)
    changes = (
        "SELECT scope, person_id, event_id, date_start, date_precision, kind, delta_held, "
        "organisation_id, delta_recognised, delta_recognised_any, deal_id FROM custody_change"
    )
    keys = (
        "sort_latin_public, sort_latin_all, sort_cyrillic_public, sort_cyrillic_all, "
        "status_public, status_all, status_valid_until"
    )

    def snapshot() -> tuple[Counter[tuple[object, ...]], list[tuple[object, ...]], Counter[object]]:
        with db.session() as s:
            custody = Counter(tuple(r) for r in s.execute(text(changes)))
            people = [tuple(r) for r in s.execute(text(f"SELECT id, {keys} FROM person"))]
            tally: Counter[object] = Counter()  # summed per key: compaction may differ
            for scope, status, region, n in s.execute(
                text("SELECT scope, status, region_key, n FROM person_tally")
            ):
                tally[(scope, status, region)] += n
        return custody, sorted(people), +tally

    before = snapshot()
    assert all(before)
    with db.session() as s:  # as after a COPY or a restore by another tool
        s.execute(text("DELETE FROM custody_change"))
        s.execute(text("DELETE FROM person_tally"))
        s.execute(text("UPDATE person SET " + ", ".join(f"{k} = NULL" for k in keys.split(", "))))
    assert snapshot() != before
    code, out = run("rebuild")
    assert code == 0, out
    assert "custody changes" in out and "80 people" in out
    assert snapshot() == before


def test_help_shows_no_type_for_flags() -> None:
    result = runner.invoke(app, ["event", "add", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "--private" in result.output and "<bool>" not in result.output
    assert "<int>" in result.output or "PERSON_ID" in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("person", "add", "Іваноў\u202eІван"),
            "name: contains the invisible or control character U+202E",
        ),
        (
            ("person", "add", "Іваноў Іван", "--region", "x" * 5000),
            "region: longer than 200 characters",
        ),
        (("person", "add", "Іваноў Іван", "--internal-note", "a\x00b"), "internal_notes: contains"),
        (("person", "edit", "1", "--set", "region=Minsk\u2066"), "region: contains"),
        (
            ("event", "add", "1", "detained", "2024-01-02", "--source-url", "javascript:alert(1)"),
            "source_url: javascript: URLs are not accepted",
        ),
        (
            ("event", "add", "1", "detained", "2024-01-02", "--source-url", "data:text/html,x"),
            "source_url: data: URLs are not accepted",
        ),
    ],
)
def test_cli_options_follow_the_input_rule(env: str, args: tuple[str, ...], fragment: str) -> None:
    assert run("init")[0] == 0
    assert run("person", "add", "Статкевіч Мікалай")[0] == 0
    code, out = run(*args)
    assert code == 1, out
    assert fragment in " ".join(out.split())
    assert "Traceback" not in out


def test_a_source_first_used_by_a_private_event_is_private(env: str) -> None:
    """`event add … --private --source-url URL`: the new source is private too (its URL ties
    the unverified report to where it came from); an existing public source stays public."""
    from sqlalchemy import select

    from prisonwatch.store.schema import Source

    assert run("init")[0] == 0
    assert run("person", "add", "Статкевіч Мікалай")[0] == 0
    private_url = "https://example.org/informant"
    public_url = "https://example.org/public-report"
    assert run("event", "add", "1", "detained", "2020-05-31", "--source-url", public_url)[0] == 0
    for url in (private_url, public_url):
        code, out = run(
            "event", "add", "1", "detained", "2026-03-01", "--private", "--source-url", url
        )
        assert code == 0, out
    with Database(env).session() as s:
        vis = dict(s.execute(select(Source.url, Source.visibility)).tuples().all())
    assert vis == {private_url: "private", public_url: "public"}


def test_restore_keeps_accounts_unless_asked_and_then_warns(env: str, tmp_path: Path) -> None:
    assert run("init")[0] == 0
    assert run("backup", str(tmp_path / "b.db"))[0] == 0
    code, out = run("restore", str(tmp_path / "b.db"), "--yes")
    assert code == 0 and "accounts and tokens kept" in out, out
    code, out = run("restore", str(tmp_path / "b.db"), "--yes", "--with-credentials")
    assert code == 0 and "warning" in out and "revoked" in out, out


def test_people_sorted_and_shown_as_displayed_in_the_chosen_script(env: str) -> None:
    assert run("init")[0] == 0
    for names in (["Ігар Бонд"], ["Зубаў Ян", "Zubau Jan"], ["Ёжык Шчэрбіч"]):
        assert run("person", "add", *names)[0] == 0

    def table(script: str) -> list[str]:
        result = runner.invoke(app, ["people", "--script", script], env={"COLUMNS": "200"})
        code, out = result.exit_code, result.output  # wide: no name wraps in the table
        assert code == 0, out
        cells = [line.split("│") for line in out.splitlines() if line.startswith("│")]
        return [row[2].strip() for row in cells if row[1].strip().isdigit()]

    assert table("latin") == ["Ihar Bond", "Yozhyk Shcherbich", "Zubau Jan"]
    assert table("cyrillic") == ["Ёжык Шчэрбіч", "Зубаў Ян", "Ігар Бонд"]
    code, out = run("people", "--script", "greek")
    assert code == 1 and "--script" in out
