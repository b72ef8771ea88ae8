"""OFAC legacy XML (``sdnList``): samples 3 (SDN list) and 4 (Consolidated list)."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from prisonwatch.sanctions import formats
from prisonwatch.sanctions.formats import ofac_legacy_xml
from prisonwatch.sanctions.model import SanctionsFormatError, Target, TargetKind

SDN = "ofac-sdn-legacy-2020-10-29-excerpt.xml"
CONS = "ofac-consolidated-legacy-2020-03-17-sample.xml"
OLD_NS = b"http://tempuri.org/sdnList.xsd"
CURRENT_NS = b"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def _read(path: Path) -> tuple[str, date | None, dict[str, Target]]:
    parsed = ofac_legacy_xml.parse(path)
    assert parsed.header.format == "ofac-legacy-xml"
    assert parsed.header.authority == "US OFAC"
    assert parsed.header.parser_version
    return parsed.header.list_name, parsed.header.published, {t.id: t for t in parsed.targets}


def test_sdn_excerpt(samples: Path) -> None:
    list_name, published, targets = _read(samples / SDN)
    assert list_name == "SDN"
    assert published == date(2020, 10, 29)
    assert sorted(targets) == ["173", "36"]  # Record_Count says 8497: not used
    aero = targets["36"]
    assert aero.kind is TargetKind.ORGANISATION
    assert aero.caption == "AEROCARIBBEAN AIRLINES"
    assert aero.get("alias") == ["AERO-CARIBBEAN"]
    assert aero.get("program") == ["CUBA"]
    assert aero.get("address") == ["Havana, Cuba"]
    assert aero.get("country") == ["cu"]
    assert targets["173"].get("address") == [
        "Ibex House, The Minories, London, EC3N 1DY, United Kingdom"
    ]


def test_consolidated_sample(samples: Path) -> None:
    list_name, published, targets = _read(samples / CONS)
    assert list_name == "Consolidated (non-SDN)"
    assert published == date(2020, 3, 17)
    assert len(targets) == 32
    assert Counter(t.kind.value for t in targets.values()) == {"organisation": 22, "person": 10}
    haniya = targets["9639"]
    assert haniya.caption == "HANIYA, Ismail Abdul Salah"
    assert haniya.get("lastName") == ["HANIYA"]
    assert haniya.get("firstName") == ["Ismail Abdul Salah"]
    assert haniya.get("birthDate") == ["1962"]
    assert haniya.get("birthPlace") == ["Shati"]
    assert haniya.get("alias") == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert haniya.get("program") == ["NS-PLC"]
    belveb = targets["18291"]
    assert belveb.get("program") == ["UKRAINE-EO13662"]
    assert "by" in belveb.get("country")
    bektas = targets["17526"]
    assert bektas.get("birthDate") == ["1966-02-13"]
    assert bektas.get("citizenship") == ["ch"]
    assert targets["26182"].get("gender") == ["male"]
    assert targets["9659"].get("address") == ["Jabaliya, Region: Gaza"]
    # weak a.k.a. and f.k.a. keep their kind
    weak = [t for t in targets.values() if t.get("weakAlias")]
    assert len(weak) == 2
    assert sum(len(t.get("previousName")) for t in targets.values()) == 14


@pytest.mark.parametrize("namespace", [CURRENT_NS, b""])
def test_current_and_no_namespace(samples: Path, tmp_path: Path, namespace: bytes) -> None:
    data = (samples / CONS).read_bytes()
    if namespace:
        data = data.replace(OLD_NS, namespace)
    else:
        data = data.replace(b' xmlns="' + OLD_NS + b'"', b"")
    path = tmp_path / "current.xml"
    path.write_bytes(data)
    _n, _p, again = _read(path)
    _n, _p, original = _read(samples / CONS)
    assert {k: set(v.statements()) for k, v in again.items()} == {
        k: set(v.statements()) for k, v in original.items()
    }


@pytest.mark.parametrize("name", [SDN, CONS])
def test_detected_by_content_when_renamed(samples: Path, tmp_path: Path, name: str) -> None:
    copy = tmp_path / "export.dat"
    shutil.copyfile(samples / name, copy)
    assert formats.detect(copy) is ofac_legacy_xml


@pytest.mark.parametrize("name", [SDN, CONS])
@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.97])
def test_truncated_copy_is_refused_with_line(
    samples: Path, tmp_path: Path, name: str, fraction: float
) -> None:
    data = (samples / name).read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(SanctionsFormatError) as info:
        # nothing is returned: the whole file is checked before the first target
        ofac_legacy_xml.parse(path)
    assert info.value.path == str(path)
    assert info.value.position.startswith("line ")
    line = int(info.value.position.split()[1].rstrip(","))
    assert line >= data[: int(len(data) * fraction)].count(b"\n")


def test_entry_without_uid_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(
        "<sdnList>\n<sdnEntry><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>\n"
        "</sdnList>\n"
    )
    with pytest.raises(SanctionsFormatError, match="without uid") as info:
        ofac_legacy_xml.parse(path)
    assert info.value.position == "line 2"


def test_duplicate_uid_is_refused(tmp_path: Path) -> None:
    entry = "<sdnEntry><uid>7</uid><lastName>X</lastName><sdnType>Entity</sdnType></sdnEntry>"
    path = tmp_path / "sdn.xml"
    path.write_text(f"<sdnList>\n{entry}\n{entry}\n</sdnList>\n")
    with pytest.raises(SanctionsFormatError, match="uid 7 appears twice") as info:
        ofac_legacy_xml.parse(path)
    assert info.value.position == "line 3"
