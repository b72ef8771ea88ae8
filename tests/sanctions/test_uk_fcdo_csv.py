"""UK Sanctions List (FCDO) CSV. No real file was available: the test file holds the real FCDO
XML sample's four designations written in the documented 58-column layout
(``fcdo_csv_rows_from_xml``); it must give the same targets as the XML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import (
    fcdo_csv_rows_from_xml,
    read_all,
    renamed_copy,
    truncated_copy,
    write_csv,
)

from prisonwatch.sanctions.formats import detect, uk_fcdo_csv
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

FCDO_XML = "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"


@pytest.fixture
def fcdo_csv(samples: Path, tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "UK-Sanctions-List.csv",
        fcdo_csv_rows_from_xml(samples / FCDO_XML),
        encoding="utf-8-sig",
    )


def test_layout_has_58_columns() -> None:
    assert len(uk_fcdo_csv.COLUMNS) == 58
    assert uk_fcdo_csv.COLUMNS[:6] == [
        "Last Updated",
        "Unique ID",
        "OFSI Group ID",
        "UN Reference Number",
        "Name 6",
        "Name 1",
    ]


def test_same_targets_as_the_xml(fcdo_csv: Path, samples: Path) -> None:
    parsed = uk_fcdo_csv.parse(fcdo_csv)
    assert parsed.warnings == []
    header, targets = read_all(fcdo_csv)
    assert (header.format, header.authority, header.list_name) == (
        "uk-fcdo-csv",
        "UK FCDO",
        "UK Sanctions List",
    )
    assert header.published == dt.date(2026, 8, 14)  # "Report Date: 14-Aug-2026"
    from_xml = read_all(samples / FCDO_XML)[1]
    assert sorted(targets) == sorted(from_xml)
    for uid, t in from_xml.items():
        assert set(targets[uid].statements()) == set(t.statements()), uid


def test_ship_and_non_latin_name_from_rows(fcdo_csv: Path) -> None:
    targets = read_all(fcdo_csv)[1]
    assert targets["DPR0075"].kind is TargetKind.VESSEL
    assert targets["DPR0075"].get("imoNumber") == ["IMO9562233"]
    assert "عبد اللطيف منصور" in targets["AFG0011"].get("name")
    assert targets["AQD0128"].get("birthDate") == ["1958-09", "1974", "1975", "1979", "1985"]


def test_detected_when_renamed(fcdo_csv: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(fcdo_csv, tmp_path, "ConList.csv")) is uk_fcdo_csv


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_copy_is_refused(fcdo_csv: Path, tmp_path: Path, fraction: float) -> None:
    cut = truncated_copy(fcdo_csv, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        read_all(cut)
    assert err.value.path == str(cut)
    assert err.value.position.startswith("row ")


def test_unknown_column_warns_and_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [
            ["Report Date: 01/02/2026"],
            ["Unique ID", "Name 6", "Name type", "Designation Type", "Favourite colour"],
            ["RUS0001", "ACME", "Primary Name", "Spaceship", "blue"],
        ],
    )
    parsed = uk_fcdo_csv.parse(path)
    assert parsed.header.published == dt.date(2026, 2, 1)
    assert parsed.warnings == ["row 2: column 'Favourite colour' is not read"]
    with pytest.raises(SanctionsFormatError, match="Unique ID RUS0001: kind 'Spaceship'") as err:
        list(parsed.targets)
    assert err.value.position == "row 3"
