from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from prisonwatch.dates import PartialDate
from prisonwatch.reconcile import InputError, read_list


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_csv_rows_are_kept_verbatim_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    f = write(
        tmp_path / "demanded.csv", "id,name,note\nD1,Mikalai  STATKEVICH,leader\n\nD2,Ihar Losik,\n"
    )
    rows = read_list(f)
    assert [(r.row_number, r.id, r.name) for r in rows] == [
        (2, "D1", "Mikalai STATKEVICH"),
        (4, "D2", "Ihar Losik"),
    ]
    assert rows[0].raw == {"id": "D1", "name": "Mikalai  STATKEVICH", "note": "leader"}
    assert rows[0].key == "list:demanded:id:D1"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("id;name\n1;Статкевіч Мікалай\n", "utf-8"),
        ("id\tname\n1\tСтаткевіч Мікалай\n", "utf-8"),
        ("id,name\n1,Статкевіч Мікалай\n", "utf-8-sig"),
    ],
)
def test_csv_dialects_and_bom(tmp_path: Path, text: str, encoding: str) -> None:
    rows = read_list(write(tmp_path / "l.csv", text, encoding))
    assert [(r.id, r.name) for r in rows] == [("1", "Статкевіч Мікалай")]


def test_xlsx_first_sheet_with_typed_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["ID", "Full name", "Born", "Sex"])
    ws.append([101, "Ihar Losik", dt.datetime(1992, 5, 3), "M"])
    ws.append([102.0, "Maryia Kalesnikava", 1982, "f"])
    wb.save(tmp_path / "released.xlsx")
    rows = read_list(tmp_path / "released.xlsx", "id", "full name")
    assert [(r.id, r.name, r.birth, r.gender) for r in rows] == [
        ("101", "Ihar Losik", PartialDate(1992, 5, 3), "male"),
        ("102", "Maryia Kalesnikava", PartialDate(1982), "female"),
    ]


def test_keys_without_ids_come_from_names_and_are_numbered(tmp_path: Path) -> None:
    f = write(tmp_path / "x.csv", "name\nIhar Losik\nLOSIK Ihar\nАлесь Бяляцкі\n")
    keys = [r.key for r in read_list(f, id_col=None, list_key="Released 2025")]
    assert keys == [
        "list:released-2025:name:ihar-losik",
        "list:released-2025:name:ihar-losik#2",
        "list:released-2025:name:ales-balacki",
    ]


def test_evidence_columns_found_by_header(tmp_path: Path) -> None:
    f = write(
        tmp_path / "e.csv", "id,name,Date of birth,Пол,Region\n1,A B,~1970,ж,Гомель\n2,C D,,,\n"
    )
    a, b = read_list(f)
    assert (a.birth, a.gender, a.region) == (
        PartialDate(1970, approximate=True),
        "female",
        "Гомель",
    )
    assert (b.birth, b.gender, b.region) == (None, None, None)


def test_original_filename_names_the_list(tmp_path: Path) -> None:
    f = write(tmp_path / "upload-3f9a.tmp", "id,name\n7,A B\n")
    (row,) = read_list(f, original_filename="Demanded.csv")
    assert row.key == "list:demanded:id:7"


BAD = [
    (
        "missing name column",
        "m.csv",
        b"id,fullname\n1,A B\n",
        {},
        ["m.csv", "row 1", "'name'", "'fullname'"],
    ),
    ("missing id column", "m.csv", b"name\nA B\n", {}, ["m.csv", "id column 'id'"]),
    ("zero bytes", "e.csv", b"", {}, ["e.csv", "empty"]),
    ("header only", "h.csv", b"id,name\n", {}, ["h.csv", "no rows"]),
    ("blank header", "b.csv", b",\n1,A\n", {}, ["b.csv", "empty"]),
    ("png", "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00", {}, ["photo.csv", "not a CSV or XLSX"]),
    ("pdf", "list.pdf", b"%PDF-1.7\n...", {}, ["list.pdf", "not a CSV or XLSX"]),
    (
        "old xls",
        "old.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        {},
        ["old.xls", ".xls"],
    ),
    ("zip not xlsx", "a.xlsx", b"PK\x03\x04garbage", {}, ["a.xlsx", "not an XLSX"]),
    ("xlsx name, text", "t.xlsx", b"id,name\n1,A\n", {}, ["t.xlsx", "not an XLSX"]),
    ("cp1251", "c.csv", "id,name\n1,Статкевич\n".encode("cp1251"), {}, ["c.csv", "UTF-8"]),
    ("duplicate id", "d.csv", b"id,name\n1,A B\n1,C D\n", {}, ["d.csv", "row 3", "'id'", "row 2"]),
    ("empty name", "n.csv", b"id,name\n1,A B\n2, \n", {}, ["n.csv", "row 3", "'name'", "empty"]),
    (
        "bad birth",
        "b.csv",
        b"id,name,dob\n1,A B,31.02.1980\n",
        {},
        ["b.csv", "row 2", "'dob'", "does not exist"],
    ),
    (
        "bad gender",
        "g.csv",
        b"id,name,gender\n1,A B,q\n",
        {},
        ["g.csv", "row 2", "'gender'", "'q'"],
    ),
    ("extra cells", "x.csv", b"id,name\n1,A B,zzz\n", {}, ["x.csv", "row 2", "3 cells"]),
    (
        "explicit evidence missing",
        "v.csv",
        b"id,name\n1,A\n",
        {"region_col": "oblast"},
        ["v.csv", "'oblast'"],
    ),
]


@pytest.mark.parametrize(
    ("filename", "content", "kwargs", "expected"),
    [pytest.param(f, c, k, e, id=i) for i, f, c, k, e in BAD],
)
def test_bad_input_raises_a_clear_error(
    tmp_path: Path, filename: str, content: bytes, kwargs: dict[str, str], expected: list[str]
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_list(path, **kwargs)  # type: ignore[arg-type]
    for fragment in expected:
        assert fragment in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.csv: no such file"):
        read_list(tmp_path / "nope.csv")
