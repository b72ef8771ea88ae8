"""``prisonwatch news`` and ``prisonwatch claims`` end to end on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prisonwatch.cli import app
from prisonwatch.news.text import JSON_KEYS

runner = CliRunner()
SEED = Path(__file__).parent.parent / "news" / "data" / "belarus-prisoners-article.txt"


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


def test_extract_jsonl_contract(tmp_path: Path) -> None:
    code, out = run(
        "news",
        "extract",
        str(SEED),
        "--lang",
        "en",
        "--published",
        "2025-09-12",
        "--format",
        "jsonl",
    )
    assert code == 0, out
    text = SEED.read_text("utf-8")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(tuple(r) == JSON_KEYS for r in rows)
    assert all(text[r["start"] : r["end"]] == r["quote"] for r in rows)
    assert {"52", "51", "1300"} <= {r["value"] for r in rows if r["kind"] == "count"}
    assert not list(tmp_path.iterdir())  # writes nothing


def test_extract_html_offsets_into_main_text(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    body = "<p>Belarus freed 14 political prisoners on Thursday, the Viasna centre said.</p>" * 1
    page.write_text(
        "<html><head><title>t</title></head><body><nav>Home | News</nav><article>"
        f"<h1>Releases</h1>{body}<p>Around 1,150 people are still held on political charges.</p>"
        "</article><footer>© 2025</footer></body></html>",
        "utf-8",
    )
    code, out = run("news", "extract", str(page), "--lang", "en", "--format", "jsonl")
    assert code == 0, out
    from prisonwatch.news.reading import read_article

    text = read_article(page)
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["value"] for r in rows} == {"14", "1150"}
    assert all(text[r["start"] : r["end"]] == r["quote"] for r in rows)


def test_extract_errors_name_the_input(tmp_path: Path) -> None:
    code, out = run("news", "extract", str(tmp_path / "none.txt"), "--lang", "en")
    assert code == 1 and "none.txt" in out
    code, out = run("news", "extract", str(SEED), "--lang", "en", "--published", "12.09.2025")
    assert code == 1 and "--published" in out
    code, out = run("news", "extract", str(SEED), "--lang", "xx")
    assert code == 2


def test_add_review_and_stats(env: str) -> None:
    assert run("init")[0] == 0
    assert run("person", "add", "Мікалай Статкевіч")[0] == 0
    code, out = run(
        "news",
        "add",
        str(SEED),
        "--url",
        "https://example.org/a",
        "--publisher",
        "LRT",
        "--published",
        "2025-09-12",
    )
    assert code == 0 and "claims proposed" in out, out
    code, out = run("claims", "list", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    status = next(r for r in rows if r["proposal"]["kind"] == "person_status")
    assert status["person_id"] == 1
    code, out = run("claims", "accept", str(status["id"]))
    assert code == 0 and "status_event" in out, out
    count = next(r for r in rows if r["proposal"]["value"] == "51")
    code, out = run("claims", "edit", str(count["id"]), "--set", "value=50")
    assert code == 0, out
    code, out = run("claims", "show", str(count["id"]))
    assert '"edit": {' in out and '"value": "50"' in out and '"value": "51"' in out
    code, out = run("claims", "reject", str(count["id"]), "--note", "not a count of releases")
    assert code == 0
    code, out = run("claims", "edit", "999", "--set", "value=1")
    assert code == 1 and "999" in out
    code, out = run("claims", "stats", "--format", "jsonl")
    stats = {json.loads(line)["kind"]: json.loads(line) for line in out.splitlines()}
    assert stats["person_status"]["accepted_as_proposed"] == 1
    assert stats["count"]["rejected"] == 1
    code, out = run(
        "news",
        "add",
        str(SEED),
        "--url",
        "https://example.org/a",
        "--publisher",
        "LRT",
        "--published",
        "2025-09-12",
    )
    assert code == 0 and "unchanged" in out


def test_a_lifting_accepted_for_a_deal_becomes_its_concession(env: str) -> None:
    assert run("init")[0] == 0
    code, out = run(
        "news", "add", str(SEED), "--url", "https://example.org/a",
        "--publisher", "LRT", "--published", "2025-09-12",
    )  # fmt: skip
    assert code == 0, out
    assert run("deal", "add", "Release of 52", "--date", "2025-09-11")[0] == 0
    code, out = run("claims", "list", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    lifting = next(r for r in rows if r["proposal"]["kind"] == "sanction_change")
    count = next(r for r in rows if r["proposal"]["kind"] == "count")
    code, out = run("claims", "accept", str(count["id"]), "--deal", "1")
    assert code == 1 and "only a sanction_change claim" in out
    code, out = run("claims", "accept", str(lifting["id"]), "--deal", "1")
    assert code == 0 and "concession" in out, out
    deal = json.loads(run("deal", "show", "1", "--format", "json")[1])
    [conc] = deal["concessions"]
    assert (conc["kind"], conc["certainty"], conc["authority"]) == ("delisting", "reported", "US")
    assert conc["target_name"] == "Belarusian state airline Belavia"
    assert conc["sources"][0]["url"] == "https://example.org/a"
