"""UK OFSI Consolidated List CSV: the real 2016 sample (sample 7) and the 2022+ layout, for
which no real CSV exists: that file is built from the FCDO sample's real designations in the
2022+ column layout (see ``sanctionshelpers.ofsi_2022_rows_from_fcdo``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import (
    OFSI_2022_HEADER,
    ofsi_2022_rows_from_fcdo,
    read_all,
    renamed_copy,
    truncated_copy,
    write_csv,
)

from prisonwatch.sanctions.formats import detect, uk_ofsi_csv
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "uk-ofsi-conlist-2016-03-23-sample.csv"
FCDO = "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"


@pytest.fixture
def conlist(samples: Path) -> Path:
    return samples / SAMPLE


def test_2016_sample_header_and_counts(conlist: Path) -> None:
    header, targets = read_all(conlist)
    assert (header.format, header.authority, header.list_name) == (
        "uk-ofsi-csv",
        "UK OFSI",
        "Consolidated List",
    )
    assert header.published == dt.date(2016, 3, 23)
    assert len(targets) == 61  # 229 rows in 61 Group IDs
    persons = [t for t in targets.values() if t.kind is TargetKind.PERSON]
    orgs = [t for t in targets.values() if t.kind is TargetKind.ORGANISATION]
    assert len(persons) + len(orgs) == 61
    assert (len(persons), len(orgs)) == (38, 23)
    belarus = sorted(tid for tid, t in targets.items() if t.get("program") == ["Belarus"])
    assert belarus == ["11723", "8904", "8905", "8906"]


@pytest.mark.parametrize(
    ("group", "caption", "aliases", "birth"),
    [
        (
            "8904",
            "Viktar Uladzimiravich SHEIMAN",
            [
                "Viktar Uladzimiravich SHEYMAN",
                "Viktor Vladimirovich SHEIMAN",
                "Viktor Vladimirovich SHEYMAN",
            ],
            ["1958-05-26"],
        ),
        (
            "8905",
            "Dzmitry Valerievich PAULICHENKA",
            ["Dmitri Valerievich PAVLICHENKO", "Dmitriy Valeriyevich PAVLICHENKO"],
            ["1966"],  # 00/00/1966
        ),
        (
            "8906",
            "Uladzimir Uladzimiravich NAVUMAU",  # padding spaces gone
            ["Vladimir Vladimirovich NAUMOV"],
            ["1956-02-07"],
        ),
        (
            "11723",
            "Iury Leanidavich SIVAKAU",
            [
                "Iury Leonidovich SIVAKOV",
                "Yuri Leonidovich SIVAKOV",
                "Yurij Leonidovich SIVAKOV",
                "Yury Leanidavich SIVAKAU",
            ],
            ["1946-08-05"],
        ),
    ],
)
def test_belarus_groups_with_every_spelling(
    conlist: Path, group: str, caption: str, aliases: list[str], birth: list[str]
) -> None:
    t = read_all(conlist)[1][group]
    assert t.kind is TargetKind.PERSON
    assert t.caption == caption
    assert t.get("name") == [caption]
    assert t.get("alias") == aliases
    assert t.get("birthDate") == birth
    assert t.get("program") == ["Belarus"]


def test_sheiman_field_by_field_and_windows_1252(conlist: Path) -> None:
    targets = read_all(conlist)[1]
    t = targets["8904"]
    assert t.get("listingDate") == ["2006-05-22"]
    assert t.get("birthPlace") == ["Hrodna region"]
    # 0x92 in the file: a right single quotation mark, read as Windows-1252
    assert t.get("position") == [
        "Head of the Management Department of the President’s Administration."
    ]
    assert t.get("notes") == ["Former Secretary of the Security Council."]
    assert t.get("lastName") == ["SHEIMAN", "SHEYMAN"]
    assert t.get("firstName") == ["Viktar", "Viktor"]
    navumau = targets["8906"]
    assert navumau.get("birthPlace") == ["Smolensk, Russia"]


def test_names_times_birth_dates_fold_into_one_group(conlist: Path) -> None:
    t = read_all(conlist)[1]["6894"]  # 7 names x 2 dates of birth = 14 rows
    assert t.caption == "Mohamad Iqbal ABDURRAHMAN"
    assert len(t.names) == 7
    assert t.get("birthDate") == ["1957-08-17", "1958-08-17"]
    assert t.get("nationality") == ["id"]  # "Indonesian"
    assert t.get("idNumber") == ["no 3603251708570001"]
    assert t.get("notes") == ["UN Ref QI.A.86.03."]
    assert t.get("address") == [
        "Jalan Nakula, Komplek Witana Harja III Blok C 106-107, Tangerang, Indonesia"
    ]
    entity = read_all(conlist)[1]["13188"]
    assert entity.kind is TargetKind.ORGANISATION
    assert "ANSAR AL SHARIA" in entity.get("alias")  # ' ANSAR AL SHARIA' padded in the file


def test_2022_layout(samples: Path, tmp_path: Path) -> None:
    rows = ofsi_2022_rows_from_fcdo(samples / FCDO)
    path = write_csv(
        tmp_path / "conlist2022.csv",
        [["Last Updated", "14/08/2026"], OFSI_2022_HEADER, *rows],
        encoding="utf-8-sig",
    )
    header, targets = read_all(path)
    assert header.published == dt.date(2026, 8, 14)
    assert sorted(targets) == ["11050", "14211", "7270"]
    afg = targets["7270"]
    assert afg.caption == "ABDUL LATIF MANSUR"
    assert afg.get("name") == ["ABDUL LATIF MANSUR", "عبد اللطيف منصور"]
    assert afg.get("passportNumber") == ["D0009720", "D0010442"]
    assert afg.get("birthDate") == ["1967-11-12", "1968"]
    assert afg.get("listingDate") == ["2001-01-31"]
    aqd = targets["11050"]
    assert aqd.get("weakAlias") == ["Abu Akram", "Abu Jarrah"]  # Alias Quality "Low"
    assert aqd.get("idNumber") == ["0075258"]
    ktj = targets["14211"]
    assert ktj.kind is TargetKind.ORGANISATION
    assert "Катиба ат-Таухид валь-Джихад" in ktj.get("name")


def test_detected_when_renamed(conlist: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(conlist, tmp_path, "sdn.xml")) is uk_ofsi_csv


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.8])
def test_truncated_copy_is_refused(conlist: Path, tmp_path: Path, fraction: float) -> None:
    cut = truncated_copy(conlist, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        read_all(cut)
    assert err.value.path == str(cut)
    assert err.value.position.startswith("row ")


def test_row_without_group_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Last Updated,01/01/2020\r\nName 6,Name 1,Group Type,Alias Type,Group ID\r\n"
        "ACME,,Entity,Prime Alias,1\r\nOTHER,,Entity,AKA,\r\n",
        encoding="utf-8",
    )
    with pytest.raises(SanctionsFormatError, match="no Group ID") as err:
        read_all(path)
    assert err.value.position == "row 4"


def test_shuffled_and_reencoded_copy_gives_the_same_statements(
    conlist: Path, tmp_path: Path
) -> None:
    import random

    lines = conlist.read_bytes().decode("cp1252").split("\r\n")
    body = lines[2:]
    random.Random(7).shuffle(body)
    copy = tmp_path / "shuffled.csv"
    copy.write_text("\n".join(lines[:2] + body) + "\n", encoding="utf-8-sig")
    original, shuffled = read_all(conlist)[1], read_all(copy)[1]
    assert {k: set(t.statements()) for k, t in shuffled.items()} == {
        k: set(t.statements()) for k, t in original.items()
    }
