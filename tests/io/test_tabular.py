"""The one CSV/XLSX reader: formats told by content, errors naming the file and the row."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from prisonwatch.io.tabular import TableError, iter_cells, read_table


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("a.csv", b"", "the file is empty"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel .xls"),
        ("a.csv", b"%PDF-1.7 ...", "is not a CSV or XLSX file"),
        ("a.csv", b"\x89PNG\r\n\x1a\n", "is not a CSV or XLSX file"),
        ("a.xlsx", b"id,name\n1,X\n", "named .xlsx but is not an XLSX workbook"),
        ("a.xlsx", b"PK\x03\x04not really a zip", "ZIP archive but not an XLSX workbook"),
    ],
)
def test_files_that_are_not_tables(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(TableError, match=fragment) as info:
        read_table(f, display_name="upload.bin")
    assert str(info.value).startswith("upload.bin: ")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        iter_cells(tmp_path / "nope.csv")


def test_xlsx_is_told_by_its_content_not_its_name(tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "list.xlsx", [["id", "name", None], [1, "Статкевіч Мікалай"], [2.0, "X"]])
    renamed = f.rename(tmp_path / "list.csv")
    table = read_table(renamed)
    assert table.headers == ["id", "name"]  # the trailing empty header cell is dropped
    assert table.rows == [
        (2, {"id": "1", "name": "Статкевіч Мікалай"}),
        (3, {"id": "2", "name": "X"}),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,name\n1,A B\n", ["1", "A B"]),
        ("id;name\n1;A, B\n", ["1", "A, B"]),
        ("id\tname\n1\tA; B\n", ["1", "A; B"]),
        ('\ufeffid,name\n1,"B, A"\n', ["1", "B, A"]),
    ],
    ids=["comma", "semicolon", "tab", "bom and quotes"],
)
def test_csv_delimiters(tmp_path: Path, text: str, expected: list[str]) -> None:
    f = tmp_path / "l.csv"
    f.write_text(text, encoding="utf-8")
    table = read_table(f)
    assert table.headers == ["id", "name"]
    assert [list(v.values()) for _n, v in table.rows] == [expected]


def test_not_utf8_names_the_row_even_far_into_a_big_file(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    good = "".join(f"{i},Імя {i}\n" for i in range(2, 9000)).encode()
    f.write_bytes(b"id,name\n" + good + "9000,Статкевич\n".encode("cp1251"))
    with pytest.raises(TableError, match=r"big.csv: row 9000: the text is not UTF-8 \(byte 0x"):
        list(iter_cells(f, "big.csv"))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("id,name,id\n1,A,2\n", "row 1: column 'id' appears twice"),
        ("id,name\n1,A\n\n2,B,extra\n", "row 4: 3 cells but the header has 2 columns"),
        ("\n\n", "the file is empty (no header row)"),
    ],
)
def test_bad_tables(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "l.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(TableError) as info:
        read_table(f)
    assert fragment in str(info.value)


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    f = tmp_path / "l.csv"
    f.write_text("id,name\n\n1,A\n , \n2,B\n", encoding="utf-8")
    assert [n for n, _v in read_table(f).rows] == [3, 5]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            'id,name\n1,"Іваноў Іван\n2,Пятроў Пётр\n3,Сідараў\n',
            "row 2 (line 2 of the file), column 'name': a quote opens here and is never closed",
        ),
        (
            'id,name\n1,Іваноў\n2,"Пятроў\n',
            "row 3 (line 3 of the file), column 'name': a quote opens",
        ),
        (
            "id,name\n1,Іва\x00ноў\n",
            "row 2, column 'name': contains the invisible or control character U+0000",
        ),
        (
            "id,name\n1,Іваноў\u202e\n",
            "row 2, column 'name': contains the invisible or control character U+202E",
        ),
        (
            "id,name\n1," + "x" * 10_001 + "\n",
            "row 2, column 'name': longer than 10,000 characters",
        ),
    ],
)
def test_cells_are_checked_by_the_input_rule(tmp_path: Path, text: str, fragment: str) -> None:
    p = tmp_path / "list.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(TableError) as err:
        list(iter_cells(p))
    assert fragment in str(err.value)
    assert "Іваноў" not in str(err.value)


def test_a_closed_multi_line_cell_is_data(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text('id,address\n1,"PO box 4\nMahilioŭ"\n', encoding="utf-8")
    assert list(iter_cells(p)) == [["id", "address"], ["1", "PO box 4\nMahilioŭ"]]


def test_xlsx_cells_are_checked_too(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "list.xlsx", [["id", "name"], [1, "Іва\u200bноў"]])
    with pytest.raises(TableError, match=r"row 2, column 'name': .*U\+200B"):
        list(iter_cells(p))


def test_neutralised_csv_cells_are_restored(tmp_path: Path) -> None:
    p = tmp_path / "list.csv"
    p.write_text("id,name,note\n1,'=HYPERLINK(x),'-5\n2,'@x,'''=y\n", encoding="utf-8")
    rows = list(iter_cells(p))
    assert rows[1:] == [["1", "=HYPERLINK(x)", "'-5"], ["2", "@x", "''=y"]]


# -- XLSX: formulas and bombs (the files are made here) ------------------------------------


def _rewrite_sheet(path: Path, change: Callable[[str], str]) -> Path:
    """Rewrite the first sheet's XML of a workbook (to declare sizes or add cached values)."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = change(parts[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_xlsx_formula_without_a_cached_value_is_refused_naming_the_cell(tmp_path: Path) -> None:
    # openpyxl, like other generators, writes formulas without computing them
    p = _xlsx(tmp_path / "list.xlsx", [["id", "name"], [1, "Іваноў Іван"], [2, '=CONCAT("A","B")']])
    with pytest.raises(TableError, match="cell B3: a formula without a computed value"):
        list(iter_cells(p))


def test_xlsx_formula_with_a_cached_value_gives_the_value(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "list.xlsx", [["id", "name"], [1, '=CONCAT("Іваноў ","Іван")']])
    _rewrite_sheet(
        p,
        lambda xml: xml.replace("</f>", "</f><v>Іваноў Іван</v>").replace(
            '<c r="B2"', '<c r="B2" t="str"'
        ),
    )
    assert list(iter_cells(p)) == [["id", "name"], ["1", "Іваноў Іван"]]


def test_xlsx_declaring_a_whole_sheet_is_refused_from_the_declaration(tmp_path: Path) -> None:
    """The 4.8 KB bomb: A1:XFD1048576 declared, a few cells used; openpyxl alone would pad
    every row to 16,384 cells and add a million empty rows."""
    p = _xlsx(tmp_path / "bomb.xlsx", [["id", "name"], [1, "Іваноў Іван"]])
    _rewrite_sheet(
        p, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    )
    assert p.stat().st_size < 10_000
    with pytest.raises(TableError, match="declares A1:XFD1048576: 16,384 columns"):
        list(iter_cells(p))


def test_xlsx_cells_far_away_are_refused(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "far.xlsx", [["id", "name"], [1, "Іваноў Іван"]])
    _rewrite_sheet(
        p,
        lambda xml: re.sub(r"<dimension[^>]*/>", "", xml).replace(
            "</sheetData>",
            '<row r="1048576"><c r="ZZ1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        ),
    )
    with pytest.raises(TableError, match="has 1,048,576 rows × 702 columns"):
        list(iter_cells(p))


def test_xlsx_declared_larger_than_used_reads_only_what_is_used(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "list.xlsx", [["id", "name"], [1, "Іваноў Іван"]])
    _rewrite_sheet(
        p, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:J100000"', xml)
    )
    assert list(iter_cells(p)) == [["id", "name"], ["1", "Іваноў Іван"]]


def _zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A valid workbook whose sheet unpacks to ``unpacked_mb`` MB (rows of one repeated name),
    packed to a few hundred KB."""
    import zipfile

    template = _xlsx(tmp_path_of(path) / "template.xlsx", [["id", "name"]])
    with zipfile.ZipFile(template) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    head, tail = parts["xl/worksheets/sheet1.xml"].decode().split("</sheetData>")
    head = re.sub(r"<dimension[^>]*/>", "", head)
    row = '<row><c t="inlineStr"><is><t>Іваноў Іван</t></is></c></row>'.encode()
    chunk = row * (2**20 // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, data)
        with out.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head.encode())
            for _ in range(unpacked_mb):
                fh.write(chunk)
            fh.write(("</sheetData>" + tail).encode())
    return path


def tmp_path_of(path: Path) -> Path:
    return path.parent


def test_xlsx_unpacking_past_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    p = _zip_bomb(tmp_path / "bomb.xlsx", 270)
    assert p.stat().st_size < 2 * 2**20
    with pytest.raises(TableError, match=r"unpacks to 27\d MB, more than the 256 MB read here"):
        next(iter(iter_cells(p)))


def test_xlsx_limits_are_parameters(tmp_path: Path) -> None:
    from prisonwatch.io.limits import MB, ReadLimits

    p = _zip_bomb(tmp_path / "small.xlsx", 1)
    with pytest.raises(TableError, match="more than the 1 MB read here"):
        list(iter_cells(p, limits=ReadLimits(max_unpacked=MB)))
    assert sum(1 for _ in iter_cells(p, limits=ReadLimits(max_unpacked=2 * MB))) > 10_000


def test_reading_stops_when_asked(tmp_path: Path) -> None:
    from prisonwatch.io.limits import ReadLimits, StopSignal

    p = tmp_path / "list.csv"
    p.write_text("id,name\n" + "".join(f"{i},Іваноў Іван\n" for i in range(5000)), encoding="utf-8")
    stop = StopSignal()
    stop.stop("the client went away")
    with pytest.raises(TableError, match="reading stopped: the client went away"):
        list(iter_cells(p, limits=ReadLimits(stop=stop)))
