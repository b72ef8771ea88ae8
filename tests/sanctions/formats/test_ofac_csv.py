"""OFAC SDN legacy CSV set (samples 1 and 2 of the sanctions-samples README)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from prisonwatch.sanctions import formats
from prisonwatch.sanctions.formats import ofac_csv
from prisonwatch.sanctions.model import SanctionsFormatError, Target, TargetKind

MOOV = "ofac-sdn-csv-excerpt-moov-ofactest"
SAMPLE_2021 = "ofac-sdn-csv-2021-07-sample"


def _read(path: Path) -> tuple[dict[str, Target], list[str]]:
    parsed = ofac_csv.parse(path)
    targets = {t.id: t for t in parsed.targets}
    assert parsed.header.format == "ofac-sdn-csv"
    assert parsed.header.authority == "US OFAC"
    assert parsed.header.list_name == "SDN"
    assert parsed.header.published is None  # the CSV set has no date
    return targets, parsed.warnings


@pytest.mark.parametrize(
    ("folder", "counts"),
    [
        (MOOV, {"organisation": 7, "person": 4, "vessel": 4, "aircraft": 2}),
        (SAMPLE_2021, {"organisation": 125, "person": 108, "aircraft": 4, "vessel": 3}),
    ],
)
def test_counts_per_kind(samples: Path, folder: str, counts: dict[str, int]) -> None:
    targets, _warnings = _read(samples / folder)
    assert Counter(t.kind.value for t in targets.values()) == counts


def test_alias_and_address_rows_are_all_attached(samples: Path) -> None:
    targets, warnings = _read(samples / SAMPLE_2021)
    assert warnings == []
    aliases = sum(len(t.get("alias")) + len(t.get("previousName")) for t in targets.values())
    assert aliases == 501 - _duplicates(samples / SAMPLE_2021 / "alt.csv")
    # the last row, just before the trailing 0x1A byte, is read
    assert targets["32277"].caption == "TSERTSEL, Ivan Stanislavavich"
    assert targets["32277"].get("gender") == ["male"]


def _duplicates(alt: Path) -> int:
    """alt.csv rows repeating an (ent_num, name) pair: a set keeps them once."""
    rows = [ln.split(",", 2) for ln in alt.read_bytes().decode().splitlines() if "," in ln]
    pairs = Counter((r[0], r[2].split('","')[-1]) for r in rows)
    return sum(n - 1 for n in pairs.values())


def test_orphan_rows_are_warnings_with_their_position(samples: Path) -> None:
    _targets, warnings = _read(samples / MOOV)
    alt = [w for w in warnings if "alt.csv" in w]
    add = [w for w in warnings if "add.csv" in w]
    assert len(alt) == 5 and len(add) == 4
    assert any("alt.csv: line 1: ent_num 10416 not in sdn.csv" in w for w in alt)
    assert all(": line " in w for w in warnings)


def test_lukashenka(samples: Path) -> None:
    targets, _ = _read(samples / SAMPLE_2021)
    t = targets["9760"]
    assert t.kind is TargetKind.PERSON
    assert t.caption == "LUKASHENKA, Alyaksandr Hryhoryavich"
    assert t.get("lastName") == ["LUKASHENKA"]
    assert t.get("firstName") == ["Alyaksandr Hryhoryavich"]
    assert t.get("birthDate") == ["1954-08-30"]
    assert t.get("birthPlace") == ["Kopys, Vitebsk oblast, Belarus"]
    assert t.get("program") == ["BELARUS"]
    assert t.get("title") == ["President"]
    assert len(t.get("alias")) == 31
    assert "LUKASHENKO, Alexander Grigorievich" in t.get("alias")


def test_belarus_eo14038_and_remarks_facts(samples: Path) -> None:
    targets, _ = _read(samples / MOOV)
    steel = targets["44525"]
    assert steel.caption == "BEL-KAP-STEEL LLC"
    assert steel.kind is TargetKind.ORGANISATION
    assert steel.get("program") == ["BELARUS-EO14038"]
    assert steel.get("registrationNumber") == ["0582030", "M99000000961"]
    assert steel.get("idNumber") == ["52-2083095"]
    assert targets["11195"].get("program") == ["IFSR", "IRAN-CON-ARMS-EO", "NPWMD"]

    person = targets["48603"]
    assert person.get("birthDate") == ["1993-04-17"]
    assert person.get("nationality") == ["ru"] and person.get("citizenship") == ["ru"]
    assert person.get("gender") == ["male"]
    assert person.get("passportNumber") == ["2006801524", "2018278055"]
    assert person.get("weakAlias") == ["LOCKBITSUPP"]
    assert person.get("birthPlace") == ["Russian Federation"]

    vessel = targets["47371"]
    assert vessel.kind is TargetKind.VESSEL
    assert vessel.get("imoNumber") == ["IMO9339301"]
    assert vessel.get("mmsi") == ["636013272"]
    assert vessel.get("callSign") == ["A8LU7"]
    assert vessel.get("flag") == ["ga"]
    assert targets["40716"].get("imoNumber") == ["IMO9486910"]
    assert targets["20540"].kind is TargetKind.AIRCRAFT
    assert targets["10278"].get("weakAlias") == ["BURTON BURGESS"]
    assert targets["10278"].get("passportNumber") == ["P0017003"]


def test_cut_remarks_continue_in_sdn_comments_without_separator(samples: Path) -> None:
    targets, _ = _read(samples / MOOV)
    t = targets["33151"]
    (notes,) = t.get("notes")
    assert "XBT 1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi; Digital Currency" in notes
    assert notes.endswith("a.k.a. 'SUCCESSFUL EXCHANGE'.")
    # facts only in the continuation are read
    assert t.get("weakAlias") == ["SUCCESSFUL EXCHANGE"]
    assert "07486049" in t.get("registrationNumber")


@pytest.mark.parametrize(
    ("remarks", "prop", "expected"),
    [
        ("DOB 28 Jul 1963", "birthDate", ["1963-07-28"]),
        ("DOB 1962", "birthDate", ["1962"]),
        ("DOB circa 1976", "birthDate", ["1976"]),
        ("DOB 1944 to 1946", "birthDate", ["1944", "1946"]),
        ("DOB 01 Jan 1948 to 31 Dec 1948", "birthDate", ["1948"]),
        ("DOB 12 Oct 1972; alt. DOB 13 Oct 1972.", "birthDate", ["1972-10-12", "1972-10-13"]),
        ("POB Toledo District, Belize.", "birthPlace", ["Toledo District, Belize"]),
        ("nationality Belarus; alt. nationality Russia", "nationality", ["by", "ru"]),
        ("citizen Iran.", "citizenship", ["ir"]),
        ("Gender Female.", "gender", ["female"]),
        ("Passport MP2345678 (Belarus) issued 2015", "passportNumber", ["MP2345678"]),
        ("National ID No. 3010175A001PB5 (Belarus)", "idNumber", ["3010175A001PB5"]),
        ("a.k.a. 'BNC'; f.k.a. 'OLD'", "weakAlias", ["BNC", "OLD"]),
        ("Vessel Registration Identification IMO 9263643", "imoNumber", ["IMO9263643"]),
    ],
)
def test_remarks(remarks: str, prop: str, expected: list[str]) -> None:
    target = Target(id="1", kind=TargetKind.PERSON, caption="X")
    ofac_csv.parse_remarks(target, remarks)
    assert target.get(prop) == expected
    assert target.get("notes") == [remarks]


def test_folder_or_sdn_csv_path_give_the_same(samples: Path) -> None:
    by_folder, _ = _read(samples / MOOV)
    by_file, _ = _read(samples / MOOV / "sdn.csv")
    assert {k: set(v.statements()) for k, v in by_folder.items()} == {
        k: set(v.statements()) for k, v in by_file.items()
    }


@pytest.mark.parametrize("folder", [MOOV, SAMPLE_2021])
def test_detected_by_content_when_renamed(samples: Path, tmp_path: Path, folder: str) -> None:
    copy = tmp_path / "download"
    shutil.copytree(samples / folder, copy)
    main = copy / "sdn.csv"
    renamed = copy / "list-2021.txt"
    main.rename(renamed)
    assert formats.detect(renamed) is ofac_csv
    original, _ = _read(samples / folder)
    again = {t.id: t for t in formats.parse(renamed).targets}
    assert {k: set(v.statements()) for k, v in again.items()} == {
        k: set(v.statements()) for k, v in original.items()
    }
    # and the folder (with an sdn.csv) is detected too
    assert formats.detect(samples / folder) is ofac_csv


def _cut_inside_row(data: bytes, fraction: float) -> int:
    """A cut near ``fraction`` that falls inside a row (not just after its end)."""
    pos = int(len(data) * fraction)
    while data[pos - 1 : pos + 1] in (b"\r\n", b'"\r') or data[pos - 1 : pos] in (b"\n", b"\r"):
        pos -= 3
    return pos


@pytest.mark.parametrize("name", ["sdn.csv", "alt.csv", "add.csv"])
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_files_are_refused_naming_file_and_line(
    samples: Path, tmp_path: Path, name: str, fraction: float
) -> None:
    copy = tmp_path / "set"
    shutil.copytree(samples / SAMPLE_2021, copy)
    data = (copy / name).read_bytes()
    pos = _cut_inside_row(data, fraction)
    (copy / name).chmod(0o644)
    (copy / name).write_bytes(data[:pos])
    line = data[:pos].count(b"\n") + 1
    with pytest.raises(SanctionsFormatError) as info:
        ofac_csv.parse(copy)
    assert info.value.path == str(copy / name)
    assert info.value.position == f"line {line}"


def test_duplicate_ent_num_is_refused(tmp_path: Path) -> None:
    row = '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    (tmp_path / "sdn.csv").write_text(row + row, newline="")
    with pytest.raises(SanctionsFormatError, match="ent_num 36 appears twice") as info:
        ofac_csv.parse(tmp_path)
    assert info.value.position == "line 2"


def test_unknown_sdn_type_is_refused(tmp_path: Path) -> None:
    row = '36,"X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    bad = '37,"Y","spaceship","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    (tmp_path / "sdn.csv").write_text(row + bad, newline="")
    with pytest.raises(SanctionsFormatError, match="unknown SDN_Type") as info:
        ofac_csv.parse(tmp_path)
    assert info.value.position == "line 2"


def test_other_csv_is_not_sniffed_as_ofac(samples: Path) -> None:
    other = samples / "uk-ofsi-conlist-2016-03-23-sample.csv"
    assert not ofac_csv.sniff(other, other.read_bytes()[:65536])


def test_consolidated_csv_set_by_its_main_file(samples: Path, tmp_path: Path) -> None:
    """cons_prim.csv + cons_alt.csv + cons_add.csv + cons_comments.csv: the same reading,
    list name Consolidated (non-SDN)."""
    names = {
        "sdn.csv": "cons_prim.csv",
        "alt.csv": "cons_alt.csv",
        "add.csv": "cons_add.csv",
        "sdn_comments.csv": "cons_comments.csv",
    }
    for old, new in names.items():
        shutil.copyfile(samples / MOOV / old, tmp_path / new)
    parsed = formats.parse(tmp_path / "cons_prim.csv")
    assert parsed.header.list_name == "Consolidated (non-SDN)"
    assert formats.detect(tmp_path) is ofac_csv  # the folder too
    assert formats.parse(tmp_path).header.list_name == "Consolidated (non-SDN)"
    targets = {t.id: t for t in parsed.targets}
    original, _ = _read(samples / MOOV)
    assert {k: set(v.statements()) for k, v in targets.items()} == {
        k: set(v.statements()) for k, v in original.items()
    }
    assert len(parsed.warnings) == 9  # the orphans, now named in cons_alt.csv / cons_add.csv
    assert all("cons_" in w for w in parsed.warnings)
