"""The `names` Typer sub-app: compare and score."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from prisonwatch.cli.names import app

runner = CliRunner()


def test_compare_prints_score_verdict_and_parts() -> None:
    res = runner.invoke(app, ["compare", "Аляксандр Лукашэнка", "LUKASHENKO Alexander"])
    assert res.exit_code == 0, res.output
    assert "verdict match" in res.output
    assert "a/o vowel reduction" in res.output
    score = float(res.output.split("score")[1].split()[0])
    assert 0.8 <= score <= 1.0


def test_compare_non_match() -> None:
    res = runner.invoke(app, ["compare", "Фабричный Сергей Юрьевич", "Бидонько Сергей Юрьевич"])
    assert res.exit_code == 0
    assert "verdict no-match" in res.output


def test_score_csv_keeps_columns_and_adds_three(tmp_path: Path) -> None:
    src = tmp_path / "pairs.csv"
    src.write_text(
        "id,left,right,note\n"
        "1,Мікалай Статкевіч,STATKEVICH Nikolai,a\n"
        "2,Фабричный Сергей Юрьевич,Бидонько Сергей Юрьевич,b\n"
        "3,A. Lukashenka,Aliaksandr Lukashenka,c\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["score", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "left", "right", "note", "score", "verdict", "why"]
    assert [r["verdict"] for r in rows] == ["match", "no-match", "review"]
    assert [r["note"] for r in rows] == ["a", "b", "c"]
    assert "surname" in rows[0]["why"]


def test_score_csv_requires_left_and_right(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("a,b\nx,y\n", encoding="utf-8")
    res = runner.invoke(app, ["score", str(src), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
