"""Import: every kind of bad row rejected with file/row/column, nothing written; re-import is
idempotent; an edited file updates by id; import → export → import is identical; audited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from prisonwatch.io.exporter import export
from prisonwatch.io.importer import ImportFailed, import_file
from prisonwatch.names.collation import sort_key
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import SORT_COLUMNS, rebuild_list_keys
from prisonwatch.store.people import PeopleFilter, list_people
from prisonwatch.store.schema import (
    DERIVED_PERSON_FIELDS,
    AuditEntry,
    Identifier,
    Name,
    Person,
    StatusEvent,
)

HEADER = "id,name,name_alt,birth_date,gender,region,detained_on,articles,court,judge,sentence,facility,facility_address,status,status_date,source_url"
GOOD_ROWS = [
    'v-1,Статкевіч Мікалай Віктаравіч,Mikalai Statkevich; Статкевич Николай Викторович,1956-08-12,male,Minsk,2020-05-31,293; 342,Homiel Regional Court,Judge A.,14 years,Prison No. 4 Mahilioŭ,"PO box 4, Mahilioŭ",sentenced,2021-12-14,https://example.org/a',
    "v-2,Калеснікава Марыя Аляксандраўна,Maria Kolesnikova,1982,female,Minsk,2020-09,361-1,Minsk Regional Court,,11 years,Penal colony No. 4 Homiel,,recognised,2020-09,https://example.org/b",
    "v-3,Іваноў Іван,,,m,Brest Region,2021,342,,,2 years,,,released_end_of_term,2023,",
]


def write(tmp: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    p = tmp / name
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def good_file(tmp: Path) -> Path:
    rows = [
        GOOD_ROWS[0],
        GOOD_ROWS[1].replace(",recognised,2020-09,", ",recognised,2020-09,"),
        GOOD_ROWS[2],
    ]
    text = [HEADER + ",recognised_by", rows[0] + ",", rows[1] + ",Viasna", rows[2] + ","]
    return write(tmp, "list.csv", text)


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(Name)) or 0,
            s.scalar(select(func.count()).select_from(StatusEvent)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_import_then_reimport_changes_nothing(db: Database, tmp_path: Path) -> None:
    f = good_file(tmp_path)
    s1 = import_file(db, f, actor="alice")
    assert (s1.added, s1.updated, s1.unchanged) == (3, 0, 0)
    before = counts(db)
    assert before[:3] == (3, 6, 6)
    s2 = import_file(db, f, actor="alice")
    assert (s2.added, s2.updated, s2.unchanged) == (0, 0, 3)
    assert counts(db) == before


def test_edited_file_updates_by_id(db: Database, tmp_path: Path) -> None:
    import_file(db, good_file(tmp_path), actor="alice")
    edited = write(
        tmp_path,
        "list2.csv",
        [
            HEADER + ",recognised_by",
            GOOD_ROWS[2]
            .replace("Brest Region", "Hrodna Region")
            .replace(",released_end_of_term,2023,", ",re_arrested,2024-02-03,")
            + ",",
        ],
    )
    s = import_file(db, edited, actor="bob")
    assert (s.added, s.updated, s.unchanged) == (0, 1, 0)
    with db.session() as ses:
        assert ses.scalar(select(func.count()).select_from(Person)) == 3
        entry = ses.scalars(
            select(AuditEntry).where(AuditEntry.actor == "bob", AuditEntry.action == "update")
        ).one()
        assert entry.before is not None and entry.after is not None
        assert entry.before["region"] == "Brest Region"
        assert entry.after["region"] == "Hrodna Region"
        assert entry.after["status"] == "re_arrested 2024-02-03"
        assert entry.context is not None and "row 2" in entry.context


def test_import_is_audited_row_by_row(db: Database, tmp_path: Path) -> None:
    import_file(db, good_file(tmp_path), actor="alice")
    with db.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "person").order_by(AuditEntry.id)
        ).all()
        assert [e.action for e in entries] == ["create"] * 3
        assert {e.actor for e in entries} == {"alice"}
        assert [e.context for e in entries] == [
            "import list.csv row 2",
            "import list.csv row 3",
            "import list.csv row 4",
        ]
        assert (
            entries[0].after is not None
            and entries[0].after["name"] == "Статкевіч Мікалай Віктаравіч"
        )


def _export_csv(db: Database) -> str:
    buf = io.StringIO()
    export(db, buf, "csv")
    return buf.getvalue()


def test_round_trip_import_export_import(db: Database, tmp_path: Path) -> None:
    import_file(db, good_file(tmp_path), actor="alice")
    first = _export_csv(db)
    exported = tmp_path / "exported.csv"
    exported.write_text(first, encoding="utf-8")
    # importing the export into the same registry changes nothing
    s = import_file(db, exported, actor="alice")
    assert (s.added, s.updated) == (0, 0)
    # and into a fresh registry gives the same export
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.migrate()
    import_file(fresh, exported, actor="alice")
    assert _export_csv(fresh) == first
    rows = list(csv.DictReader(io.StringIO(first)))
    assert rows[0]["name_alt"] == "Mikalai Statkevich; Статкевич Николай Викторович"
    assert rows[1]["recognised_by"] == "Viasna"


def test_xlsx_import(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ФИО", "id", "detained_on"])
    ws.append(["Лявонаў Пётр", 101, "2022-03-04"])
    ws.append(["Гурская Ганна", 102, "2022-05"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    s = import_file(db, path, actor="alice", mapping={"ФИО": "name"})
    assert s.added == 2
    with db.session() as ses:
        assert set(ses.scalars(select(Name.full_text))) == {"Лявонаў Пётр", "Гурская Ганна"}


# -- bad input: (file lines, expected (row, column, reason fragment) for every problem) --------
BAD: list[tuple[str, list[str], list[tuple[int, str, str]]]] = [
    (
        "missing name",
        [HEADER, GOOD_ROWS[0], "v-9,,,,,,2021,,,,,,,,,"],
        [(3, "name", "a name is required")],
    ),
    (
        "impossible date",
        [HEADER, GOOD_ROWS[0].replace("1956-08-12", "1956-02-30")],
        [(2, "birth_date", "day 30 does not exist")],
    ),
    (
        "month 13",
        [HEADER, GOOD_ROWS[2].replace(",2021,342", ",2021-13,342")],
        [(2, "detained_on", "month 13")],
    ),
    (
        "unknown status",
        [HEADER, GOOD_ROWS[2].replace("released_end_of_term", "escaped")],
        [(2, "status", "unknown status 'escaped'")],
    ),
    (
        "duplicate id",
        [HEADER, GOOD_ROWS[0], GOOD_ROWS[2].replace("v-3", "v-1")],
        [(3, "id", "duplicate id: row 2")],
    ),
    (
        "several bad rows all reported",
        [
            HEADER,
            GOOD_ROWS[2].replace("v-3,Іваноў Іван", "v-3,"),
            GOOD_ROWS[0],
            GOOD_ROWS[2].replace("v-3", "v-4").replace(",m,", ",q,"),
        ],
        [(2, "name", "a name is required"), (4, "gender", "unknown gender")],
    ),
    (
        "future date",
        [HEADER, GOOD_ROWS[2].replace(",2021,342", ",2099-01-01,342")],
        [(2, "detained_on", "in the future")],
    ),
    (
        "future status other than a release at the end of term",
        [HEADER, GOOD_ROWS[2].replace(",released_end_of_term,2023,", ",pardoned,2099-03-01,")],
        [(2, "status_date", "only released_end_of_term may be recorded ahead")],
    ),
    (
        "future birth date",
        [HEADER, GOOD_ROWS[2].replace(",,m,", ",2099,m,")],
        [(2, "birth_date", "in the future"), (2, "detained_on", "detained before being born")],
    ),
    (
        "status without date",
        [HEADER, GOOD_ROWS[2].replace(",released_end_of_term,2023,", ",released_end_of_term,,")],
        [(2, "status_date", "needs a status_date")],
    ),
    (
        "control and bidi characters",
        [
            HEADER,
            GOOD_ROWS[2].replace("Іваноў Іван", "Іваноў\u202eІван"),
            GOOD_ROWS[2].replace("v-3", "v-4").replace("Brest Region", "Brest\u200bRegion"),
        ],
        [(2, "name", "U+202E"), (3, "region", "U+200B")],
    ),
    (
        "NUL in any cell, named by row and column",
        [HEADER, GOOD_ROWS[2].replace("2 years", "2 ye\x00ars")],
        [(2, "sentence", "U+0000")],
    ),
    (
        "the same length limit as the web form and the API",
        [HEADER, GOOD_ROWS[2].replace("Brest Region", "x" * 5000)],
        [(2, "region", "longer than 200 characters")],
    ),
    (
        "javascript and data URLs",
        [
            HEADER,
            GOOD_ROWS[2].replace("2023,", "2023,javascript:alert(1)"),
            GOOD_ROWS[2].replace("v-3", "v-4").replace("2023,", "2023,data:image/svg+xml;base64"),
        ],
        [(2, "source_url", "javascript: URLs"), (3, "source_url", "data: URLs")],
    ),
    (
        "an unclosed quote swallowing the following rows",
        [
            HEADER,
            GOOD_ROWS[2].replace("v-3,Іваноў Іван", 'v-3,"Іваноў Іван'),
            GOOD_ROWS[2].replace("v-3", "v-4"),
            GOOD_ROWS[2].replace("v-3", "v-5"),
        ],
        [(2, "name", "a quote opens here and is never closed")],
    ),
    (
        "a quote closed rows later leaves a line break in a name",
        [
            HEADER,
            GOOD_ROWS[2].replace("v-3,Іваноў Іван", 'v-3,"Іваноў Іван'),
            GOOD_ROWS[2].replace("v-3", "v-4").replace("Іваноў Іван", 'Іваноў Іван"'),
        ],
        [(2, "name", "line break")],
    ),
    (
        "a name longer than a name can be",
        [HEADER, GOOD_ROWS[2].replace("Іваноў Іван", "Іваноў " * 200)],
        [(2, "name", "longer than 500 characters")],
    ),
]


@pytest.mark.parametrize(("label", "lines", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_rows_rejected_nothing_written(
    db: Database, tmp_path: Path, label: str, lines: list[str], expected: list[tuple[int, str, str]]
) -> None:
    f = write(tmp_path, "bad.csv", lines)
    with pytest.raises(ImportFailed) as info:
        import_file(db, f, actor="alice")
    issues = info.value.issues
    assert [(i.row, i.column) for i in issues] == [(r, c) for r, c, _ in expected]
    for issue, (_, _, fragment) in zip(issues, expected, strict=True):
        assert issue.file == "bad.csv"
        assert fragment in issue.reason
        assert "bad.csv, row" in str(issue)
    assert counts(db) == (0, 0, 0, 0)


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "cp1251.csv",
        ["id,name", "1,Іваноў Іван", "2,Статкевич Николай"],
        encoding="cp1251",
    )
    with pytest.raises(ImportFailed) as info:
        import_file(db, f, actor="alice")
    (issue,) = info.value.issues
    assert issue.row == 2
    assert "not UTF-8" in issue.reason
    assert counts(db) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"id,name,birth_date\n", "header but no rows"),
        (b"name,birth_date\nX Y,2020\n", "missing column 'id'"),
    ],
    ids=["empty file", "blank lines", "only a header", "missing id column"],
)
def test_empty_and_header_only(db: Database, tmp_path: Path, content: bytes, fragment: str) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        import_file(db, f, actor="alice")
    assert fragment in str(info.value)
    assert "x.csv" in str(info.value)
    assert counts(db) == (0, 0, 0, 0)


def test_not_a_table(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "list.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFailed, match="not a CSV or XLSX"):
        import_file(db, f, actor="alice")


def test_import_keeps_the_list_keys_and_counts_current(db: Database, tmp_path: Path) -> None:
    """The batch path (bulk insert / COPY) and the update path both refresh the stored sort
    names and status, and the tally counts what they wrote."""
    import_file(db, good_file(tmp_path), actor="alice")
    with db.session() as s:
        keys = {
            ext: (status, name)
            for ext, status, name in s.execute(
                select(Identifier.value, Person.status_public, Person.sort_cyrillic_public).join(
                    Person
                )
            )
        }
        assert {ext: status for ext, (status, _) in keys.items()} == {
            "v-1": "held",
            "v-2": "held",
            "v-3": "released",
        }
        assert keys["v-1"][1] == sort_key("Статкевіч Мікалай Віктаравіч")
        # the keys the import inserted with its new people (from the names and events in
        # hand) are those the set-based rebuild computes from the stored rows
        stored = list(s.execute(select(Person).order_by(Person.id)).scalars())
        before = [[getattr(p, c) for c in DERIVED_PERSON_FIELDS] for p in stored]
        rebuild_list_keys(s)
        stored = list(s.execute(select(Person).order_by(Person.id)).scalars())
        assert [[getattr(p, c) for c in DERIVED_PERSON_FIELDS] for p in stored] == before
        assert all(None not in keys[: len(SORT_COLUMNS)] for keys in before)
        assert list_people(s, PeopleFilter(status="held", region="minsk")).total == 2
    edited = write(
        tmp_path,
        "list2.csv",
        [
            HEADER + ",recognised_by",
            GOOD_ROWS[2]
            .replace("Іваноў Іван,", "Aaronau Ivan,")
            .replace("Brest Region", "Minsk")
            .replace(",released_end_of_term,2023,", ",re_arrested,2024-02-03,")
            + ",",
        ],
    )
    import_file(db, edited, actor="bob")
    with db.session() as s:
        v3 = s.scalars(select(Person).join(Identifier).where(Identifier.value == "v-3")).one()
        assert (v3.sort_latin_public, v3.status_public) == (sort_key("Aaronau Ivan"), "held")
        assert list_people(s, PeopleFilter(status="held", region="minsk")).total == 3
        assert list_people(s, PeopleFilter(status="released")).total == 0
        assert list_people(s).rows[0].name == "Aaronau Ivan"


def _seed_by_hand(db: Database) -> None:
    """People as editors add them (no list ids, so the export names them ``pw-N``), with
    private facts that the public export leaves out and values a spreadsheet would run."""
    from prisonwatch.store.registry import (
        CaseInput,
        EventInput,
        NameInput,
        PersonInput,
        Registry,
    )

    with db.session() as s:
        reg = Registry(s, "test:seed")
        a = reg.add_person(
            PersonInput(
                names=[NameInput("Статкевіч Мікалай"), NameInput("Mikalai Statkevich")],
                birth_date="1956-08-12",
                gender="male",
                region="Minsk",
            )
        )
        src = reg.source_for_url("https://example.org/a").id
        reg.add_event(a.id, EventInput("detained", "2020-05-31"), [src])
        reg.add_case(a.id, CaseInput(articles="293", court="Homiel Regional Court"))
        reg.add_event(a.id, EventInput("sentenced", "2021-12-14"), [src])
        b = reg.add_person(PersonInput(names=[NameInput('=HYPERLINK("http://evil","Click")')]))
        reg.add_event(b.id, EventInput("detained", "2022-03"))
        c = reg.add_person(
            PersonInput(names=[NameInput("Калеснікава Марыя"), NameInput("-Alias @x")])
        )
        # private facts first: the public export must not be "corrected" by them on re-import
        reg.add_case(c.id, CaseInput(court="SECRET COURT", visibility="private"))
        reg.add_event(c.id, EventInput("detained", "2020-01-01", visibility="private"))
        reg.add_name(c.id, NameInput("Zzyzx Private", visibility="private"))
        reg.add_event(c.id, EventInput("detained", "2020-09-07"))
        reg.add_case(c.id, CaseInput(articles="361-1", court="Minsk Regional Court"))
        reg.add_event(c.id, EventInput("recognised", "2020-09", organisation="Viasna"))


def _snapshot(db: Database) -> tuple[tuple[int, int, int, int], str]:
    return counts(db), _export_csv(db)


def test_export_then_import_into_the_same_registry_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    _seed_by_hand(db)
    before_counts, first = _snapshot(db)
    assert "pw-1," in first and "'=HYPERLINK" in first and "'-Alias @x" in first
    exported = tmp_path / "x.csv"
    exported.write_text(first, encoding="utf-8")
    s = import_file(db, exported, actor="alice")
    assert (s.added, s.updated, s.unchanged) == (0, 0, 3)
    assert _snapshot(db) == (before_counts, first)
    with db.session() as ses:
        assert ses.scalar(select(func.count()).select_from(Identifier)) == 0


def test_export_imports_into_an_empty_registry_and_back(db: Database, tmp_path: Path) -> None:
    source = Database(f"sqlite:///{tmp_path / 'source.db'}")
    source.migrate()
    _seed_by_hand(source)
    first = _export_csv(source)
    exported = tmp_path / "x.csv"
    exported.write_text(first, encoding="utf-8")
    s = import_file(db, exported, actor="alice")
    assert (s.added, s.updated) == (3, 0)
    assert _export_csv(db) == first
    with db.session() as ses:
        names = set(ses.scalars(select(Name.full_text)))
    assert '=HYPERLINK("http://evil","Click")' in names and "-Alias @x" in names
    again = import_file(db, exported, actor="alice")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert _export_csv(db) == first


def test_a_pw_id_of_another_person_is_refused(db: Database, tmp_path: Path) -> None:
    """``pw-N`` is this registry's person N: a row whose name is not one of N's names (another
    registry's export) is refused rather than merged into the wrong person."""
    _seed_by_hand(db)
    before = counts(db)
    f = write(tmp_path, "other.csv", ["id,name", "pw-1,Іваноў Іван"])
    with pytest.raises(ImportFailed) as info:
        import_file(db, f, actor="alice")
    assert [(i.row, i.column) for i in info.value.issues] == [(2, "id")]
    assert "person 1 of this registry" in info.value.issues[0].reason
    assert counts(db) == before


def test_a_value_the_database_refuses_is_named_by_row_and_column_not_quoted(
    db: Database, tmp_path: Path
) -> None:
    """PostgreSQL quotes the refused value (``COPY person, line 2, column region: "…"``) and
    SQLAlchemy the bound parameters: the import error names the file row and the column only.
    (SQLite does not limit lengths: there the file simply imports.)"""
    secret = "SECRETREGION"
    region = "x" * 60 + secret + "x" * 200  # beyond what an error may show of a value
    f = write(
        tmp_path,
        "long.csv",
        ["id,name,region", "1,Ales Bialiatski,Minsk", f"2,Maria Kalesnikava,{region}"],
    )
    if db.backend != "postgresql":
        pytest.skip("SQLite stores the long value")
    with pytest.raises(ImportFailed) as failed:
        import_file(db, f, actor="alice")
    message = str(failed.value)
    assert secret not in message and "[parameters" not in message
    assert "row 3" in message and "region" in message, message
    assert counts(db) == (0, 0, 0, 0)


def test_a_scheduled_release_is_imported_and_counts_from_its_day(
    db: Database, tmp_path: Path
) -> None:
    """The one event rule (store/registry.py check_event): a release at the end of term may be
    dated ahead, as Registry.add_event accepts it; the person stays held until that day."""
    import datetime as dt

    ahead = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    row = GOOD_ROWS[2].replace(",released_end_of_term,2023,", f",released_end_of_term,{ahead},")
    f = write(tmp_path, "ahead.csv", [HEADER, row])
    summary = import_file(db, f, actor="alice")
    assert summary.added == 1
    with db.session() as s:
        events = s.scalars(select(StatusEvent).order_by(StatusEvent.date_start)).all()
        assert [(e.kind, e.date_start.isoformat()) for e in events] == [
            ("detained", "2021-01-01"),
            ("released_end_of_term", ahead),
        ]
        person = s.scalars(select(Person)).one()
        assert person.status_all == "held"
        assert person.status_valid_until == dt.date.fromisoformat(ahead)
