"""The story of issue 4, end to end through the command line with the real name matcher.

A "demanded" list of 60 names in English-style transliteration (hand-written BGN/PCGN-like
spellings, some English given names) against a "released" list of 52 in Belarusian Cyrillic
(surname first, some in capitals, some with a patronymic): 49 demanded were released, 11 were
crossed off, 3 released were not on the list. All names are synthetic.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from prisonwatch.cli.reconcile import app, review_app

#: (released, Cyrillic; demanded, Latin)
BOTH = [
    ("Статкевіч Мікалай Віктаравіч", "Mikalai Statkevich"),
    ("ЛОСІК Ігар", "Ihar Losik"),
    ("Калеснікава Марыя Аляксандраўна", "Maria Kalesnikava"),
    ("Бабарыка Віктар Дзмітрыевіч", "Viktar Babaryka"),
    ("Бабарыка Эдуард Віктаравіч", "Eduard Babaryka"),
    ("Знак Максім Валер'евіч", "Maksim Znak"),
    ("ДЗЯДОК Мікола", "Mikola Dziadok"),
    ("Афнагель Яўген", "Yauhen Afnahel"),
    ("Стэфановіч Валянцін", "Valiantsin Stefanovich"),
    ("Лабковіч Уладзімір", "Vladimir Labkovich"),
    ("Ільяш Ігар", "Igor Ilyash"),
    ("КАВАЛЁЎ Аляксандр Пятровіч", "Alexander Kavaliou"),
    ("Мельнікава Вольга", "Volha Melnikava"),
    ("Навумчык Сяргей", "Siarhei Navumchyk"),
    ("Жукоўскі Андрэй Іванавіч", "Andrei Zhukouski"),
    ("Козел Дзмітрый", "Dzmitry Kozel"),
    ("Шаўчэнка Наталля", "Natallia Shauchenka"),
    ("Сянкевіч Павел", "Pavel Siankevich"),
    ("Дубавец Юрый", "Yury Dubavets"),
    ("Бурак Алег", "Aleh Burak"),
    ("Грыб Вадзім", "Vadzim Hryb"),
    ("Ярашэвіч Раман", "Raman Yarashevich"),
    ("Мароз Ірына", "Iryna Maroz"),
    ("Сакалоўская Таццяна", "Tatsiana Sakalouskaya"),
    ("Казлоўскі Анатоль", "Anatol Kazlouski"),
    ("Ткачук Васіль", "Vasil Tkachuk"),
    ("Пашкевіч Генадзь", "Hienadz Pashkevich"),
    ("Лявонаў Леанід", "Leanid Liavonau"),
    ("Васілеўская Алена", "Alena Vasileuskaya"),
    ("Рыбак Пётр", "Piotr Rybak"),
    ("Зайцава Кацярына", "Katsiaryna Zaitsava"),
    ("Макарэвіч Канстанцін", "Kanstantsin Makarevich"),
    ("Гарбачэўскі Валерый", "Valery Harbacheuski"),
    ("СІДАРЭВІЧ Алесь", "Ales Sidarevich"),
    ("Навіцкая Святлана", "Sviatlana Navitskaya"),
    ("Курыловіч Антон", "Anton Kurylovich"),
    ("Аляхновіч Кірыл", "Kiryl Aliakhnovich"),
    ("Шымановіч Арцём", "Artsiom Shymanovich"),
    ("Хартановіч Ілля", "Illia Khartanovich"),
    ("Церашковіч Зміцер", "Zmitser Tsierashkovich"),
    ("Латушка Людміла", "Liudmila Latushka"),
    ("Кашталян Станіслаў", "Stanislau Kashtalian"),
    ("Юркевіч Ксенія", "Kseniya Yurkevich"),
    ("Гурскі Міхаіл", "Mikhail Hurski"),
    ("Чарнышова Ганна", "Hanna Charnyshova"),
    ("Філіповіч Дар'я", "Daryia Filipovich"),
    ("Дамброўскі Сяргей", "Sergei Dambrouski"),
    ("Бяляўская Марына", "Maryna Bialiauskaya"),
    ("Палякоў Мікалай", "Nikolai Paliakou"),
]
CROSSED_OFF = [
    "Yuliya Sauchuk",
    "Veranika Radzevich",
    "Aliaksandr Mikhalevich",
    "Dzmitry Vaitsiakhovich",
    "Andrei Kireeu",
    "Uladzimir Shcharbakou",
    "Tatsiana Asipovich",
    "Viktar Bandarenka",
    "Olga Matskevich",
    "Ihar Liashchenia",
    "Pavel Haidukevich",
]
NOT_DEMANDED = ["Чэрнік Раман Сяргеевіч", "Панамарова Наталля", "Драздоў Яўген"]

LEFT_HEADER = ["id", "name"]
RIGHT_HEADER = ["№", "Прозвішча, імя"]


def make_lists(folder: Path) -> tuple[Path, Path]:
    demanded = [latin for _, latin in BOTH] + CROSSED_OFF
    released = [cyr for cyr, _ in BOTH] + NOT_DEMANDED
    random.Random(4).shuffle(demanded)
    random.Random(11).shuffle(released)
    left = folder / "demanded.csv"
    with left.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(LEFT_HEADER)
        w.writerows([f"US-{i:03d}", name] for i, name in enumerate(demanded, 1))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(RIGHT_HEADER)
    for i, name in enumerate(released, 1):
        sheet.append([i, name])
    right = folder / "released.xlsx"
    book.save(right)
    return left, right


def cli() -> typer.Typer:
    """The two sub-apps mounted as ``prisonwatch`` mounts them."""
    root = typer.Typer()
    root.add_typer(app, name="reconcile")
    root.add_typer(review_app, name="review")
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli(), list(args))
    return result.exit_code, result.output


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


RIGHT_COLS = ["--right-id", "№", "--right-name", "Прозвішча, імя"]


def test_demanded_against_released(tmp_path: Path) -> None:
    left, right = make_lists(tmp_path)
    out, rest = tmp_path / "out.csv", tmp_path / "right-only.csv"
    html, xlsx = tmp_path / "report.html", tmp_path / "report.xlsx"
    code, output = run(
        "reconcile",
        str(left),
        str(right),
        *RIGHT_COLS,
        "-o",
        str(out),
        "--right-unmatched",
        str(rest),
        "--html",
        str(html),
        "--xlsx",
        str(xlsx),
        "--no-db",
    )
    assert code == 0, output

    rows = read_csv(out)
    assert len(rows) == 60
    assert list(rows[0]) == [
        "left_id",
        "left_name",
        "right_id",
        "right_name",
        "score",
        "verdict",
        "why",
    ]
    verdicts = {r["left_name"]: r["verdict"] for r in rows}
    partner = {r["left_name"]: r["right_name"] for r in rows}
    assert sum(v == "match" for v in verdicts.values()) == 49
    assert sum(v == "review" for v in verdicts.values()) == 0
    assert sorted(n for n, v in verdicts.items() if v == "unmatched") == sorted(CROSSED_OFF)
    # ... and every match is the right person
    assert {partner[latin]: latin for _, latin in BOTH} == {cyr: latin for cyr, latin in BOTH}
    assert all(r["why"] for r in rows)
    assert sorted(r["right_name"] for r in read_csv(rest)) == sorted(NOT_DEMANDED)

    for fragment in ("on both lists", "49", "only on demanded", "11", "only on released", "3"):
        assert fragment in output

    page = html.read_text(encoding="utf-8")
    assert "<b>49</b>on both lists" in page
    assert "<b>11</b>only on demanded" in page
    assert "<b>3</b>only on released" in page
    assert "Статкевіч Мікалай Віктаравіч" in page and "Mikalai Statkevich" in page
    assert "<script" not in page and "http" not in page  # self-contained

    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["Summary", "On both", "To review", "Only demanded", "Only released"]
    assert book["On both"].max_row == 50 and book["Only released"].max_row == 4
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["On both lists"] == 49 and summary["Only on demanded"] == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,fullname\n1,Ihar Losik\n", "no name column 'name'"),
        ("", "the file is empty"),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV or XLSX file"),
    ],
    ids=["missing column", "empty file", "not CSV/XLSX"],
)
def test_bad_input_writes_nothing(tmp_path: Path, content: str, message: str) -> None:
    _, right = make_lists(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode("latin-1"))
    outputs = [tmp_path / n for n in ("o.csv", "r.html", "r.xlsx", "ro.csv")]
    code, output = run(
        "reconcile",
        str(bad),
        str(right),
        *RIGHT_COLS,
        "-o",
        str(outputs[0]),
        "--html",
        str(outputs[1]),
        "--xlsx",
        str(outputs[2]),
        "--right-unmatched",
        str(outputs[3]),
        "--no-db",
    )
    assert code == 2
    assert "bad.csv" in output and message in output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.csv",
        "demanded.csv",
        "released.xlsx",
    ]


def test_the_same_story_through_the_candidate_index(tmp_path: Path) -> None:
    """Large runs take candidates from the names package's CandidateIndex: force it here."""
    from prisonwatch.reconcile import ReconcileOptions, read_list, reconcile

    left, right = make_lists(tmp_path)
    result = reconcile(
        read_list(left),
        read_list(right, "№", "Прозвішча, імя"),
        ReconcileOptions(exhaustive_pairs=0),
    )
    assert result.counts == {"matched": 49, "review": 0, "left_only": 11, "right_only": 3}
