"""OpenSanctions targets.simple.csv, on the real Ukraine War and Sanctions excerpt (sample 10:
410 records), in the current layout and in the older one without ``program_ids``."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import read_all, renamed_copy, truncated_copy

from prisonwatch.sanctions.formats import detect, opensanctions_simple_csv
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "opensanctions-ua-war-sanctions-targets.simple.csv"


@pytest.fixture
def simple(samples: Path) -> Path:
    return samples / SAMPLE


def test_counts_and_kinds(simple: Path) -> None:
    header, targets = read_all(simple)
    assert (header.format, header.authority, header.list_name) == (
        "opensanctions-simple-csv",
        "OpenSanctions",
        "Ukraine War and Sanctions",
    )
    assert header.published == dt.date(2026, 3, 13)
    assert len(targets) == 410
    kinds = [t.kind for t in targets.values()]
    assert kinds.count(TargetKind.PERSON) == 125
    assert kinds.count(TargetKind.ORGANISATION) == 109 + 74  # Company + LegalEntity
    assert kinds.count(TargetKind.VESSEL) == 102
    belarus = sorted(t.caption for t in targets.values() if "by" in t.get("country"))
    assert belarus == [
        "ANDRITSA Vladislav Sergeevich",
        "HARNASKO Alina Aleksandrovna",
        "INTEGRAL OJSC",
        "LITVINOVICH Ivan Vladimirovich",
        "LOCAL CHARITABLE FOUNDATION NAMED AFTER ALEXEY TALAI",
        "OPEN JOINT-STOCK COMPANY MINSK WHEEL TRACTOR PLANT",
        "TALAY Alexey Konstantinovich",
    ]


def test_talay_field_by_field(simple: Path) -> None:
    t = read_all(simple)[1]["NK-MBrjA38wSJyiduD4LeWBpa"]
    assert t.kind is TargetKind.PERSON
    assert t.caption == "TALAY Alexey Konstantinovich"
    assert t.get("alias") == ["ТАЛАЙ Алексей Константинович", "ТАЛАЙ Олексій Костянтинович"]
    assert t.get("birthDate") == ["1983-01-22"]
    assert t.get("country") == ["by"]
    assert t.get("idNumber") == ["773434148305"]
    assert t.get("program") == ["UA-WS-KIDNAPPERS"]
    assert t.get("notes")[0].startswith("As the head of a charitable foundation")


def test_vessel_and_a_cell_with_newlines_and_quotes(simple: Path) -> None:
    targets = read_all(simple)[1]
    ship = targets["NK-24cf2zYe7LEKhr2zFck73j"]
    assert ship.kind is TargetKind.VESSEL
    assert ship.get("alias") == ["Ceram Sea", "Gold Sun", "Nurkez"]
    assert ship.get("imoNumber") == ["IMO9253325"]
    assert ship.get("country") == ["lr", "pa", "sg", "st"]
    plant = targets["NK-28mqu8V3AzembAmAfehWPd"]
    assert plant.caption == 'JOINT-STOCK COMPANY "KRASNOZAVODSKY CHEMICAL PLANT"'
    assert plant.get("idNumber") == ["1125042006462", "5042126251"]
    (note,) = plant.get("notes")
    assert note.startswith("A russian developer of pyrotechnic products.")
    assert "It is part of the russian state corporation Rostec." in note  # after a newline


def test_layout_without_program_ids(simple: Path, tmp_path: Path) -> None:
    with simple.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    columns = [c for c in rows[0] if c != "program_ids"]
    old = tmp_path / "old.csv"
    with old.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns, quoting=csv.QUOTE_ALL, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    assert detect(old) is opensanctions_simple_csv
    header, targets = read_all(old)
    assert header.list_name == "Ukraine War and Sanctions"
    assert len(targets) == 410
    assert all(not t.get("program") for t in targets.values())
    assert targets["NK-MBrjA38wSJyiduD4LeWBpa"].get("birthDate") == ["1983-01-22"]


def test_detected_when_renamed(simple: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(simple, tmp_path, "entities.ftm.json")) is opensanctions_simple_csv


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_truncated_copy_is_refused_before_any_target(
    simple: Path, tmp_path: Path, fraction: float
) -> None:
    cut = truncated_copy(simple, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        opensanctions_simple_csv.parse(cut)  # refused at once, not halfway through
    assert err.value.path == str(cut)
    assert err.value.position.startswith("row ")
