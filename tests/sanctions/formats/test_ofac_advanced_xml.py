"""OFAC advanced XML (``Sanctions``, sdn_advanced.xsd): sample 5, and its agreement with the
legacy XML of the same publication (sample 4)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from prisonwatch.sanctions import formats
from prisonwatch.sanctions.formats import ofac_advanced_xml, ofac_legacy_xml
from prisonwatch.sanctions.model import SanctionsFormatError, Target, TargetKind

ADV = "ofac-consolidated-advanced-2020-03-17-sample.xml"
LEGACY = "ofac-consolidated-legacy-2020-03-17-sample.xml"
OLD_NS = b"http://www.un.org/sanctions/1.0"
CURRENT_NS = (
    b"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML"
)


def _read(path: Path) -> tuple[str, date | None, dict[str, Target]]:
    parsed = ofac_advanced_xml.parse(path)
    assert parsed.header.format == "ofac-advanced-xml"
    assert parsed.header.authority == "US OFAC"
    return parsed.header.list_name, parsed.header.published, {t.id: t for t in parsed.targets}


def _statements(targets: dict[str, Target]) -> dict[str, set[tuple[str, str]]]:
    return {k: set(v.statements()) for k, v in targets.items()}


def test_sample_counts_and_header(samples: Path) -> None:
    list_name, published, targets = _read(samples / ADV)
    assert list_name == "Consolidated (non-SDN)"
    assert published == date(2020, 3, 17)
    assert len(targets) == 32
    assert Counter(t.kind.value for t in targets.values()) == {"organisation": 22, "person": 10}


def test_records(samples: Path) -> None:
    _n, _p, targets = _read(samples / ADV)
    haniya = targets["9639"]
    assert haniya.kind is TargetKind.PERSON
    assert haniya.caption == "HANIYA, Ismail Abdul Salah"  # Last Name first, as OFAC writes
    assert haniya.get("lastName") == ["HANIYA"]
    assert haniya.get("firstName") == ["Ismail Abdul Salah"]
    assert haniya.get("birthDate") == ["1962"]  # DatePeriod 1 Jan - 31 Dec 1962
    assert haniya.get("birthPlace") == ["Shati"]
    assert haniya.get("alias") == ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert haniya.get("program") == ["NS-PLC"]
    # the listing date on the list-specific (PLC) list, not the generic Consolidated List's
    assert haniya.get("listingDate") == ["2006-04-12"]

    bektas = targets["17526"]
    assert bektas.get("birthDate") == ["1966-02-13"]
    assert bektas.get("citizenship") == ["ch"]
    assert targets["26182"].get("gender") == ["male"]

    vtb = targets["18721"]
    assert vtb.caption == "VTB BANK (BELARUS), CJSC"
    assert "by" in vtb.get("country")
    assert any("Minsk" in a for a in vtb.get("address"))
    assert vtb.get("program") == ["UKRAINE-EO13662"]

    # ID documents sit at the top level, keyed by identity
    docs = [t for t in targets.values() if t.get("registrationNumber")]
    assert docs
    assert "1027739609391" in {n for t in targets.values() for n in t.get("registrationNumber")}
    assert {n for t in targets.values() for n in t.get("passportNumber")}


def test_no_reference_id_is_hard_coded(samples: Path, tmp_path: Path) -> None:
    """Every numeric ID (value sets and their references alike) shifted: the same targets."""
    data = (samples / ADV).read_bytes()
    shifted = re.sub(
        rb'\b([A-Za-z-]*ID)="(\d+)"', lambda m: b'%s="%d"' % (m[1], int(m[2]) + 7_000_000), data
    )
    assert shifted != data
    path = tmp_path / "shifted.xml"
    path.write_bytes(shifted)
    _n, _p, again = _read(path)
    _n, _p, original = _read(samples / ADV)
    assert _statements(again) == _statements(original)


def test_a_file_only_on_the_sdn_list_is_the_sdn_list(samples: Path, tmp_path: Path) -> None:
    data = (samples / ADV).read_bytes()
    sdn_id = re.search(rb'<List ID="(\d+)">SDN List</List>', data)
    assert sdn_id
    only_sdn = re.sub(rb'ListID="\d+"', b'ListID="' + sdn_id[1] + b'"', data)
    path = tmp_path / "sdn_advanced.xml"
    path.write_bytes(only_sdn)
    list_name, _p, targets = _read(path)
    assert list_name == "SDN"
    assert len(targets) == 32


@pytest.mark.parametrize("namespace", [CURRENT_NS, b""])
def test_current_and_no_namespace(samples: Path, tmp_path: Path, namespace: bytes) -> None:
    data = (samples / ADV).read_bytes()
    data = (
        data.replace(OLD_NS, namespace)
        if namespace
        else data.replace(b' xmlns="' + OLD_NS + b'"', b"").replace(
            b' xsi:schemaLocation="http://www.un.org/sanctions/1.0 ', b' xsi:schemaLocation="'
        )
    )
    path = tmp_path / "current.xml"
    path.write_bytes(data)
    _n, _p, again = _read(path)
    _n, _p, original = _read(samples / ADV)
    assert _statements(again) == _statements(original)


def test_detected_by_content_when_renamed(samples: Path, tmp_path: Path) -> None:
    copy = tmp_path / "cons.bin"
    shutil.copyfile(samples / ADV, copy)
    assert formats.detect(copy) is ofac_advanced_xml
    assert formats.parse(copy).header.format == "ofac-advanced-xml"


@pytest.mark.parametrize("fraction", [0.02, 0.3, 0.6, 0.99])
def test_truncated_copy_is_refused_with_line(
    samples: Path, tmp_path: Path, fraction: float
) -> None:
    data = (samples / ADV).read_bytes()
    cut = data[: int(len(data) * fraction)]
    path = tmp_path / "cut.xml"
    path.write_bytes(cut)
    with pytest.raises(SanctionsFormatError) as info:
        ofac_advanced_xml.parse(path)  # before any target is returned
    assert info.value.path == str(path)
    assert info.value.position.startswith("line ")
    assert int(info.value.position.split()[1].rstrip(",")) >= cut.count(b"\n")


def test_unknown_party_subtype_is_refused_naming_the_line(samples: Path, tmp_path: Path) -> None:
    data = (samples / ADV).read_bytes()
    bad = data.replace(
        b'<Profile ID="9639" PartySubTypeID="4">', b'<Profile ID="9639" PartySubTypeID="999">'
    )
    path = tmp_path / "bad.xml"
    path.write_bytes(bad)
    line = bad[: bad.index(b'PartySubTypeID="999"')].count(b"\n") + 1
    with pytest.raises(SanctionsFormatError, match="PartySubTypeID '999'") as info:
        list(ofac_advanced_xml.parse(path).targets)
    assert info.value.position == f"line {line}"


# --- the legacy and advanced files of 2020-03-17 hold the same 32 parties -------------------

#: Properties both formats carry. Names compare case-insensitively: the advanced file writes
#: many names in mixed case ("Vnesheconombank") where the legacy file upper-cases them.
AGREEING = (
    "program",
    "birthDate",
    "birthPlace",
    "citizenship",
    "nationality",
    "gender",
    "address",
    "country",
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "imoNumber",
    "title",
)
NAMES = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")


def test_legacy_and_advanced_agree(samples: Path) -> None:
    legacy_list, legacy_date, legacy = (
        (p := ofac_legacy_xml.parse(samples / LEGACY)).header.list_name,
        p.header.published,
        {t.id: t for t in p.targets},
    )
    adv_list, adv_date, advanced = _read(samples / ADV)
    assert (legacy_list, legacy_date) == (adv_list, adv_date)
    assert sorted(legacy) == sorted(advanced)
    assert len(legacy) == 32
    for tid, old in legacy.items():
        new = advanced[tid]
        assert old.kind == new.kind, tid
        assert old.caption.casefold() == new.caption.casefold(), tid
        for prop in NAMES:
            assert {v.casefold() for v in old.get(prop)} == {v.casefold() for v in new.get(prop)}, (
                tid,
                prop,
            )
        for prop in AGREEING:
            assert old.get(prop) == new.get(prop), (tid, prop)
        # the honest difference: listing dates are only in the advanced file
        assert old.get("listingDate") == []
        assert len(new.get("listingDate")) == 1, tid


def test_names_differ_only_in_case_and_some_do(samples: Path) -> None:
    """The comparison above folds case; this shows it has to (the files differ there)."""
    legacy = {t.id: t for t in ofac_legacy_xml.parse(samples / LEGACY).targets}
    _n, _p, advanced = _read(samples / ADV)
    assert legacy["17015"].caption == "VNESHECONOMBANK"
    assert advanced["17015"].caption == "Vnesheconombank"
    same_case = sum(legacy[k].caption == advanced[k].caption for k in legacy)
    assert 0 < same_case < 32


def test_duplicate_party_is_refused(samples: Path, tmp_path: Path) -> None:
    data = (samples / ADV).read_bytes()
    party = re.search(rb"<DistinctParty FixedRef=\"9639\">.*?</DistinctParty>", data, re.S)
    assert party
    doubled = data.replace(party[0], party[0] + b"\n" + party[0])
    path = tmp_path / "doubled.xml"
    path.write_bytes(doubled)
    with pytest.raises(SanctionsFormatError, match="FixedRef 9639 appears twice"):
        ofac_advanced_xml.parse(path)


def _sub_type_id(data: bytes, label: bytes) -> bytes:
    found = re.search(rb'<PartySubType ID="(\d+)" PartyTypeID="\d+">' + label + rb"<", data)
    assert found
    return found[1]


@pytest.mark.parametrize(("label", "kind"), [(b"Vessel", "vessel"), (b"Aircraft", "aircraft")])
def test_vessels_and_aircraft(samples: Path, tmp_path: Path, label: bytes, kind: str) -> None:
    data = (samples / ADV).read_bytes()
    old = b'<Profile ID="17527" PartySubTypeID="3">'
    assert old in data
    new = b'<Profile ID="17527" PartySubTypeID="' + _sub_type_id(data, label) + b'">'
    path = tmp_path / "transport.xml"
    path.write_bytes(data.replace(old, new))
    _n, _p, targets = _read(path)
    assert targets["17527"].kind.value == kind
    assert targets["17527"].caption == "Rixo International Trading Ltd."


def _period(start: tuple[int, int, int], end: tuple[int, int, int], approx: bool) -> bytes:
    def ymd(d: tuple[int, int, int]) -> str:
        return f"<Year>{d[0]}</Year><Month>{d[1]}</Month><Day>{d[2]}</Day>"

    a = "true" if approx else "false"
    return (
        f'<DatePeriod CalendarTypeID="1" YearFixed="false" MonthFixed="false" DayFixed="false">'
        f'<Start Approximate="{a}"><From>{ymd(start)}</From><To>{ymd(start)}</To></Start>'
        f'<End Approximate="{a}"><From>{ymd(end)}</From><To>{ymd(end)}</To></End>'
        f"</DatePeriod>"
    ).encode()


@pytest.mark.parametrize(
    ("start", "end", "approx", "expected"),
    [
        ((1962, 1, 1), (1962, 12, 31), False, ["1962"]),  # year only
        ((1962, 1, 1), (1962, 12, 31), True, ["1962"]),  # circa 1962
        ((1960, 1, 1), (1962, 12, 31), True, ["1960", "1962"]),  # circa 1960 to 1962
        ((1971, 5, 3), (1971, 5, 3), False, ["1971-05-03"]),  # exact
        ((1971, 5, 1), (1971, 5, 31), False, ["1971-05"]),  # month
    ],
)
def test_birth_date_periods(
    samples: Path,
    tmp_path: Path,
    start: tuple[int, int, int],
    end: tuple[int, int, int],
    approx: bool,
    expected: list[str],
) -> None:
    data = (samples / ADV).read_bytes()
    party = re.search(rb'<DistinctParty FixedRef="9639">.*?</DistinctParty>', data, re.S)
    assert party
    changed = re.sub(
        rb"<DatePeriod .*?</DatePeriod>", _period(start, end, approx), party[0], count=1, flags=re.S
    )
    path = tmp_path / "dates.xml"
    path.write_bytes(data.replace(party[0], changed))
    _n, _p, targets = _read(path)
    assert targets["9639"].get("birthDate") == expected


def test_nationality_feature_through_reference_values(samples: Path, tmp_path: Path) -> None:
    """A feature type the sample does not define, added to its value sets with a fresh ID,
    pointing at an existing location: read as nationality."""
    data = (samples / ADV).read_bytes()
    data = data.replace(
        b"</FeatureTypeValues>",
        b'<FeatureType ID="4242" FeatureTypeGroupID="1">Nationality Country</FeatureType>'
        b"</FeatureTypeValues>",
    )
    feature = (
        b'<Feature ID="99" FeatureTypeID="4242"><FeatureVersion ID="98" ReliabilityID="1">'
        b'<VersionLocation LocationID="186196" /></FeatureVersion></Feature></Profile>'
    )
    party = re.search(rb'<DistinctParty FixedRef="9639">.*?</DistinctParty>', data, re.S)
    assert party
    data = data.replace(party[0], party[0].replace(b"</Profile>", feature))
    path = tmp_path / "nationality.xml"
    path.write_bytes(data)
    _n, _p, targets = _read(path)
    assert targets["9639"].get("nationality") == ["ch"]


def test_every_reference_of_the_sample_resolves(samples: Path) -> None:
    parsed = ofac_advanced_xml.parse(samples / ADV)
    assert len(list(parsed.targets)) == 32
    assert parsed.warnings == []


def test_a_dangling_location_is_a_warning_with_its_line(samples: Path, tmp_path: Path) -> None:
    data = (samples / ADV).read_bytes()
    old = b'<VersionLocation LocationID="186196" />'
    assert data.count(old) == 1
    bad = data.replace(old, b'<VersionLocation LocationID="555" />')
    path = tmp_path / "dangling.xml"
    path.write_bytes(bad)
    parsed = ofac_advanced_xml.parse(path)
    targets = {t.id: t for t in parsed.targets}
    assert targets["17526"].get("citizenship") == []
    line = bad[: bad.index(b'LocationID="555"')].count(b"\n") + 1
    assert parsed.warnings == [f"{path}: line {line}: LocationID '555' not in Locations"]


def test_primary_name_in_two_scripts_keeps_the_latin_caption(samples: Path, tmp_path: Path) -> None:
    data = (samples / ADV).read_bytes()
    latin = b'<DocumentedName ID="1978" FixedRef="9639" DocNameStatusID="1">'
    assert data.count(latin) == 1
    arabic = (
        '<DocumentedName ID="91978" FixedRef="9639" DocNameStatusID="2"><DocumentedNamePart>'
        '<NamePartValue NamePartGroupID="38251" ScriptID="215">هنية</NamePartValue>'
        "</DocumentedNamePart><DocumentedNamePart>"
        '<NamePartValue NamePartGroupID="38252" ScriptID="215">إسماعيل</NamePartValue>'
        "</DocumentedNamePart></DocumentedName>"
    ).encode()
    path = tmp_path / "scripts.xml"
    path.write_bytes(data.replace(latin, arabic + latin))
    _n, _p, targets = _read(path)
    haniya = targets["9639"]
    assert haniya.caption == "HANIYA, Ismail Abdul Salah"
    assert haniya.get("name") == ["HANIYA, Ismail Abdul Salah", "هنية, إسماعيل"]
    assert haniya.get("lastName") == ["HANIYA"]
