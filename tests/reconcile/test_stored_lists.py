"""A list against the registry: list, rows and links stored in one audited transaction."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prisonwatch.reconcile import InputError
from prisonwatch.reconcile.review import judge, pending
from prisonwatch.reconcile.stored_lists import reconcile_with_registry
from prisonwatch.store.db import Database
from prisonwatch.store.schema import (
    AuditEntry,
    ListEntry,
    ListLink,
    Name,
    NameList,
    Person,
    ReviewItem,
    Source,
)


def add_people(db: Database) -> dict[str, int]:
    people = {
        "statkevich": (["Статкевіч Мікалай Віктаравіч", "Mikalai Statkevich"], "1956", "male"),
        "losik": (["Лосік Ігар Мікалаевіч"], "1992", "male"),
        "kalesnikava": (["Калеснікава Марыя Аляксандраўна"], "1982", "female"),
        "pachobut": (["Анджей Почобут"], None, None),
        "hidden": ([], None, None),
    }
    ids = {}
    with db.session() as s:
        for tag, (names, born, gender) in people.items():
            p = Person(birth_date=born, gender=gender)
            p.names = [
                Name(full_text=n, script="cyrillic", is_primary=i == 0) for i, n in enumerate(names)
            ]
            if tag == "hidden":
                p.names = [
                    Name(full_text="Віктар Бабарыка", script="cyrillic", visibility="private")
                ]
            s.add(p)
            s.flush()
            ids[tag] = p.id
    return ids


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_list_is_stored_and_linked(db: Database, tmp_path: Path) -> None:
    ids = add_people(db)
    f = write(
        tmp_path / "letters.csv",
        ["id", "name", "born", "note"],
        [
            ["L1", "Mikola STATKEVICH", "1956", "cell 3"],
            ["L2", "Ihar Losik", "1992", ""],
            ["L3", "Maria Kalesnikava", "1961", ""],  # another birth year: review
            ["L4", "Andrei Pachobut", "", ""],  # Polish given name: review
            ["L5", "Viktar Babaryka", "", ""],  # only a private name: not used
            ["L6", "Ales Bialiatski", "", ""],  # not in the registry
        ],
    )
    result = reconcile_with_registry(
        db, f, actor="ana", title="Letters, March", source_url="https://example.org/letters"
    )
    got = {p.left.id: (p.verdict, p.right.id if p.right else None) for p in result.pairs}
    assert got == {
        "L1": ("match", str(ids["statkevich"])),
        "L2": ("match", str(ids["losik"])),
        "L3": ("review", str(ids["kalesnikava"])),
        "L4": ("review", str(ids["pachobut"])),
        "L5": ("unmatched", None),
        "L6": ("unmatched", None),
    }
    assert "born in different years (1961 vs 1982)" in result.pairs[2].why
    with db.session() as s:
        (nl,) = s.scalars(select(NameList))
        assert result.list_id == nl.id
        assert (nl.title, nl.filename, nl.imported_by, nl.row_count) == (
            "Letters, March",
            "letters.csv",
            "ana",
            6,
        )
        assert nl.columns == ["id", "name", "born", "note"]
        src = s.get(Source, nl.source_id)
        assert src is not None and src.url == "https://example.org/letters"
        entries = list(s.scalars(select(ListEntry).order_by(ListEntry.row_number)))
        assert [e.row_number for e in entries] == [2, 3, 4, 5, 6, 7]
        assert entries[0].raw == {
            "id": "L1",
            "name": "Mikola STATKEVICH",
            "born": "1956",
            "note": "cell 3",
        }
        links = {
            e.ext_id: s.scalar(select(ListLink).where(ListLink.entry_id == e.id)) for e in entries
        }
        assert links["L1"] is not None and links["L1"].person_id == ids["statkevich"]
        assert links["L1"].method == "slavic-v1" and links["L1"].verdict == "match"
        assert links["L6"] is not None and links["L6"].person_id is None
        assert sorted(i.left_key for i in pending(s)) == [
            "list:letters-march:id:L3",
            "list:letters-march:id:L4",
        ]
        audit = [(a.entity_type, a.action, a.actor) for a in s.scalars(select(AuditEntry))]
    assert ("name_list", "create", "ana") in audit and ("source", "create", "ana") in audit


def test_earlier_judgements_apply_to_a_new_import(db: Database, tmp_path: Path) -> None:
    ids = add_people(db)
    with db.session() as s:
        judge(s, "list:letters:id:L4", f"person:{ids['pachobut']}", "same", "ana")
        judge(s, "list:letters:id:L2", f"person:{ids['losik']}", "different", "ben")
    f = write(
        tmp_path / "letters.csv", ["id", "name"], [["L2", "Ihar Losik"], ["L4", "Andrei Pachobut"]]
    )
    result = reconcile_with_registry(db, f, actor="ana")
    a, b = result.pairs
    assert (a.verdict, a.right) == ("unmatched", None)
    assert (b.verdict, b.judged) == ("match", "same")
    assert count(db, ReviewItem) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,fullname\n1,Ihar Losik\n", "no name column 'name'"),
        (b"", "the file is empty"),
        (b"%PDF-1.4\n", "not a CSV or XLSX file"),
    ],
)
def test_bad_input_stores_nothing(
    db: Database, tmp_path: Path, content: bytes, message: str
) -> None:
    add_people(db)
    before = count(db, AuditEntry)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message):
        reconcile_with_registry(db, bad, actor="ana", source_url="https://example.org")
    for model in (NameList, ListEntry, ListLink, ReviewItem, Source):
        assert count(db, model) == 0
    assert count(db, AuditEntry) == before


def test_cli_registry(db: Database, tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from prisonwatch.cli.reconcile import app

    root = typer.Typer()
    root.add_typer(app, name="reconcile")
    ids = add_people(db)
    f = write(tmp_path / "held.csv", ["nr", "full name"], [["7", "Ihar Losik"]])
    out = tmp_path / "links.csv"
    result = CliRunner().invoke(
        root,
        [
            "reconcile",
            str(f),
            "--registry",
            "--left-id",
            "nr",
            "--left-name",
            "full name",
            "-o",
            str(out),
            "--db",
            db.url,
            "--as",
            "ana",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "stored list" in result.output
    assert f"7,Ihar Losik,{ids['losik']},Лосік Ігар Мікалаевіч" in out.read_text(encoding="utf-8")
    with db.session() as s:
        (nl,) = s.scalars(select(NameList))
        assert nl.imported_by == "ana"
