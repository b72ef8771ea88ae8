"""UK Sanctions List (FCDO) XML, on the real excerpt of 2026-08-14 (sample 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import read_all, renamed_copy, truncated_copy

from prisonwatch.sanctions.formats import detect, uk_fcdo_xml
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"


@pytest.fixture
def fcdo(samples: Path) -> Path:
    return samples / SAMPLE


def test_header_and_the_four_designations(fcdo: Path) -> None:
    header, targets = read_all(fcdo)
    assert (header.format, header.authority, header.list_name) == (
        "uk-fcdo-xml",
        "UK FCDO",
        "UK Sanctions List",
    )
    assert header.published == dt.date(2026, 8, 14)
    assert {tid: t.kind for tid, t in targets.items()} == {
        "AFG0011": TargetKind.PERSON,
        "AQD0128": TargetKind.PERSON,
        "AQD0377": TargetKind.ORGANISATION,
        "DPR0075": TargetKind.VESSEL,
    }


def test_afg0011_field_by_field(fcdo: Path) -> None:
    t = read_all(fcdo)[1]["AFG0011"]
    assert t.caption == "ABDUL LATIF MANSUR"
    assert t.get("name") == ["ABDUL LATIF MANSUR", "عبد اللطيف منصور"]  # the non-Latin name too
    assert t.get("alias") == ["Abdul Latif MANSOOR", "Wali MOHAMMAD"]
    assert t.get("birthDate") == ["1967-11-12", "1968"]  # dd/mm/1968 -> year; duplicate once
    assert t.get("passportNumber") == ["D0009720", "D0010442"]  # leading space gone
    assert t.get("nationality") == ["af"]
    assert t.get("title") == ["Maulavi"]
    assert t.get("program") == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    assert t.get("listingDate") == ["2001-01-31"]
    assert t.get("authorityId") == ["7270"]  # the OFSI Group ID
    assert t.get("unscId") == ["TAi.007"]
    assert t.get("provisions") == ["Asset freeze", "Travel Ban"]
    assert t.get("address") == ["Darul Aman, Kabul, Afghanistan"]
    assert "Zurmat District, Paktia Province, Afghanistan" in t.get("birthPlace")
    assert t.get("position") == [
        "Minister of Agriculture under the previous Taliban regime (1996-2001)"
    ]
    assert any(n.startswith("Taliban Shadow Governor") for n in t.get("notes"))


def test_aqd0128_lower_case_primary_low_quality_aliases_and_id_kept_as_text(fcdo: Path) -> None:
    t = read_all(fcdo)[1]["AQD0128"]
    assert t.caption == "AKRAM TURKI HISHAN AL-MAZIDIH"  # NameType "Primary name"
    assert t.get("weakAlias") == ["Abu Akram", "Abu Jarrah"]
    assert t.get("alias") == ["Akram Turki Al-Hishan"]
    assert t.get("idNumber") == ["0075258"]
    assert t.get("birthDate") == ["1958-09", "1974", "1975", "1979", "1985"]
    assert t.get("country") == ["iq", "sy"]


def test_entity_and_ship(fcdo: Path) -> None:
    targets = read_all(fcdo)[1]
    ktj = targets["AQD0377"]
    assert ktj.get("name") == ["Khatiba al-Tawhid wal-Jihad (KTJ)", "Катиба ат-Таухид валь-Джихад"]
    assert ktj.get("alias") == ["Jama'at al-Tawhid wal-Jihad", "Jannat Oshiklari"]
    ship = targets["DPR0075"]
    assert ship.caption == "Petrel 8"
    assert ship.get("imoNumber") == ["IMO9562233"]
    assert ship.get("alias") == ["Jal Vahini", "Jal_Vahini", "Tian Tai 36"]
    assert ship.get("country") == ["km"]  # current believed flag: Comoros
    assert ship.get("authorityId") == [] and ship.get("unscId") == []
    assert ship.get("listingDate") == ["2017-10-03"]


def test_detected_when_renamed(fcdo: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(fcdo, tmp_path, "eu.xml")) is uk_fcdo_xml


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_truncated_copy_is_refused(fcdo: Path, tmp_path: Path, fraction: float) -> None:
    cut = truncated_copy(fcdo, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        read_all(cut)
    assert err.value.path == str(cut) and err.value.position.startswith("line ")


def test_designation_without_unique_id_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x"
    bad.write_text(
        "<Designations><Designation><Names><Name><Name6>X</Name6>"
        "<NameType>Primary Name</NameType></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>",
        encoding="utf-8",
    )
    with pytest.raises(SanctionsFormatError, match="without a UniqueID") as err:
        read_all(bad)
    assert err.value.position == "line 1"
