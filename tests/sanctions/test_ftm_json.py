"""OpenSanctions FollowTheMoney entities (JSON lines), on yente's real Zala Aero cluster
(sample 9: 91 entities, of which 14 are targets)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sanctionshelpers import read_all, renamed_copy, truncated_copy

from prisonwatch.sanctions.formats import detect, ftm_json
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "opensanctions-zala-cluster-entities.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
CST = "NK-abdzbEBkqyT29GyREbiURZ"


@pytest.fixture
def ftm(samples: Path) -> Path:
    return samples / SAMPLE


def test_targets_among_the_91_entities(ftm: Path) -> None:
    lines = ftm.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 91
    header, targets = read_all(ftm)
    assert (header.format, header.authority) == ("ftm-json", "OpenSanctions")
    assert header.list_name == "FtM entities"  # the targets share no dataset
    assert header.published == dt.date(2026, 4, 29)  # the latest last_seen
    assert len(targets) == 14  # 6 Person + 8 Company with target true
    kinds = [t.kind for t in targets.values()]
    assert kinds.count(TargetKind.PERSON) == 6
    assert kinds.count(TargetKind.ORGANISATION) == 8
    # Companies with "target": false (3 in the file) are not targets
    assert "ru-inn-5920040846" not in targets
    assert "NK-56Edov9bas9puzaChH5pBy" not in targets


def test_zakharov_with_his_sanctions_folded_in(ftm: Path) -> None:
    t = read_all(ftm)[1][ZAKHAROV]
    assert t.kind is TargetKind.PERSON
    assert t.caption == "Alexander Vyacheslavovich ZAKHAROV"
    assert "Захаров" in t.get("lastName")
    assert "Owner of LLC CST" in t.get("position")
    # 13 Sanction entities point at him: their programmes, dates and authorities
    assert "Direction Générale du Trésor" in t.get("authority")
    assert "La Principauté de Monaco" in t.get("authority")
    assert "EU-UKR" in t.get("program")
    assert (
        "(UE) 2025/389 du 24/02/2025 (UE Ukraine intégrité territoriale - R (UE) 269/2014)"
        in t.get("program")
    )
    assert "2025-02-24" in t.get("listingDate") or "2025-02-25" in t.get("listingDate")
    assert "(UE) 2025/389 du 24/02/2025" in t.get("provisions")
    assert "1927" in t.get("authorityId")


def test_llc_cst_sanctions_and_address_entities(ftm: Path) -> None:
    t = read_all(ftm)[1][CST]
    assert t.kind is TargetKind.ORGANISATION
    assert "Department of Foreign Affairs and Trade" in t.get("authority")
    assert "AU-RUSSIA" in t.get("program")
    assert "2023-02-24" in t.get("listingDate")  # the Australian Sanction's startDate
    # an Address entity referenced through one of its referents ("addr-…")
    assert "P.O. Box 9050, UR, Izhevsk, Russian Federation, 426011" in t.get("address")


def test_osetrova_every_name_in_every_script(ftm: Path) -> None:
    t = read_all(ftm)[1]["NK-2Tbri3s6GgNtAwsSXh4qpL"]
    assert t.caption == "Maria Aleksandrovna Osetrova"
    assert "Мария Александровна Осетрова" in t.get("name")
    assert "Захарова Марія Олександрівна" in t.get("name")
    assert t.get("previousName") == [
        "Maria Aleksandrovna Zakharova",
        "Мария Александровна Захарова",
    ]
    assert t.get("birthDate") == ["1988-01-07"]
    assert t.get("nationality") == ["ru"]
    assert t.get("program") == ["GB-RUS", "UA-SA1644", "US-RUSHAR"]
    assert t.get("gender") == ["female"]
    assert len(t.names) == 16


def test_passport_and_vessel_and_out_of_order_lines(tmp_path: Path) -> None:
    lines = [
        {
            "id": "s1",
            "schema": "Sanction",
            "target": False,
            "properties": {"entity": ["v-old"], "program": ["X"], "listingDate": ["2024-05"]},
        },
        {
            "id": "p1",
            "schema": "Passport",
            "target": False,
            "properties": {"holder": ["pers"], "number": ["AB123"]},
        },
        {
            "id": "vess",
            "schema": "Vessel",
            "target": True,
            "caption": "SEA",
            "referents": ["v-old"],
            "properties": {"name": ["SEA"], "imoNumber": ["IMO1234567"]},
            "datasets": ["ds"],
            "last_seen": "2025-01-02T00:00:00",
        },
        {
            "id": "pers",
            "schema": "Person",
            "target": True,
            "caption": "A B",
            "properties": {"name": ["A B"]},
            "datasets": ["ds", "other"],
        },
        {
            "id": "plane",
            "schema": "Airplane",
            "target": True,
            "caption": "RA-1",
            "properties": {"name": ["RA-1"]},
            "datasets": ["ds"],
        },
    ]
    path = tmp_path / "e.json"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    header, targets = read_all(path)
    assert header.list_name == "ds" and header.published == dt.date(2025, 1, 2)
    assert targets["vess"].kind is TargetKind.VESSEL
    assert targets["vess"].get("program") == ["X"]  # referenced through a referent
    assert targets["vess"].get("listingDate") == ["2024-05"]
    assert targets["vess"].get("imoNumber") == ["IMO1234567"]
    assert targets["pers"].get("passportNumber") == ["AB123"]
    assert targets["plane"].kind is TargetKind.AIRCRAFT


def test_detected_when_renamed(ftm: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(ftm, tmp_path, "targets.simple.csv")) is ftm_json


@pytest.mark.parametrize("fraction", [0.3, 0.55, 0.99])
def test_truncated_copy_is_refused(ftm: Path, tmp_path: Path, fraction: float) -> None:
    cut = truncated_copy(ftm, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError, match="not a JSON object") as err:
        read_all(cut)
    assert err.value.path == str(cut)
    last_line = cut.read_bytes().count(b"\n") + 1
    assert err.value.position == f"line {last_line}"


def test_line_that_is_not_an_entity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_text('{"id": "a", "schema": "Person"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(SanctionsFormatError, match="not an FtM entity") as err:
        ftm_json.parse(path)
    assert err.value.position == "line 2"
