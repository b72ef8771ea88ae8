"""EU Financial Sanctions Files XML 1.1, on the real excerpt of 2026-08-05 (sample 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import read_all, renamed_copy, truncated_copy

from prisonwatch.sanctions.formats import detect, eu_fsf_xml
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

SAMPLE = "eu-fsf-2026-08-05-excerpt.xml"


@pytest.fixture
def eu(samples: Path) -> Path:
    return samples / SAMPLE


def test_header_and_counts(eu: Path) -> None:
    header, targets = read_all(eu)
    assert header.format == "eu-fsf-xml"
    assert (header.authority, header.list_name) == ("EU", "EU FSF")
    assert header.published == dt.date(2026, 8, 5)
    assert sorted(targets, key=int) == ["13", "191", "330", "980"]
    kinds = {tid: t.kind for tid, t in targets.items()}
    assert kinds == {
        "13": TargetKind.PERSON,
        "191": TargetKind.PERSON,
        "980": TargetKind.ORGANISATION,
        "330": TargetKind.ORGANISATION,
    }


def test_al_rashid_trust_keeps_all_twelve_names_with_the_bulgarian_one(eu: Path) -> None:
    t = read_all(eu)[1]["330"]
    assert len(t.names) == 12
    assert "Организация за подпомагане на Ulema, Пакистан" in t.get("alias")
    assert t.caption == "Al Rashid Trust"  # the EN name the EU created first (nameAlias 908)
    assert t.get("name") == ["Al Rashid Trust"]
    assert "Al-Rashid Trust" in t.get("alias")
    assert t.get("authorityId") == ["EU.522.39"]
    assert t.get("program") == ["TAQA"]
    assert t.get("listingDate") == ["2001-10-06"]  # designationDate, not the 2024 amendment
    assert t.get("country") == ["pk"]
    assert len(t.get("address")) == 11
    assert "Jamia Masjid Sulaiman Park, Begum Pura, Lahore, PAKISTAN" in t.get("address")
    assert any(n.startswith("Banned in Pakistan since October 2001.") for n in t.get("notes"))


def test_saddam_hussein_field_by_field(eu: Path) -> None:
    t = read_all(eu)[1]["13"]
    assert t.kind is TargetKind.PERSON
    assert t.caption == "Saddam Hussein Al-Tikriti"
    assert t.get("alias") == ["Abou Ali", "Abu Ali"]  # Abou Ali has nameLanguage FR
    assert t.get("firstName") == ["Saddam"]
    assert t.get("lastName") == ["Hussein Al-Tikriti"]
    assert t.get("gender") == ["male"]
    assert t.get("birthDate") == ["1937-04-28"]
    assert t.get("birthPlace") == ["al-Awja, near Tikrit, IRAQ"]
    assert t.get("nationality") == ["iq"]
    assert t.get("program") == ["IRQ"]
    assert t.get("listingDate") == ["2003-07-07"]  # the original regulation's entry into force
    assert t.get("notes") == ["UNSC RESOLUTION 1483"]
    assert t.get("authorityId") == ["EU.27.28"]


def test_khalid_sheikh_mohammed_passport_and_two_birth_dates(eu: Path) -> None:
    t = read_all(eu)[1]["191"]
    assert t.caption == "Khalid Sheikh MOHAMMED"
    assert len(t.names) == 7
    assert t.get("passportNumber") == ["488555"]
    assert t.get("birthDate") == ["1964-03-01", "1965-04-14"]
    assert t.get("birthPlace") == ["PAKISTAN"]  # city "-" is the EU's unknown
    assert t.get("program") == ["TERR"]
    assert t.get("listingDate") == []  # only an amendment is given: no listing date invented


def test_global_relief_foundation(eu: Path) -> None:
    t = read_all(eu)[1]["980"]
    assert t.caption == "Global Relief Foundation (GRF)"
    assert t.get("address") == [
        "9935 South 76th Avenue, Unit 1, 60455, Bridgeview, Illinois, UNITED STATES",
        "PO Box 1406 - 60455, Bridgeview, Illinois, UNITED STATES",
    ]
    assert t.get("country") == ["us"]


def _entity(body: str, attrs: str = 'logicalId="77" euReferenceNumber="EU.1.1"') -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-02T10:00:00">'
        f"<sanctionEntity {attrs}>{body}</sanctionEntity></export>"
    )


def test_ship_is_enterprise_with_imo_and_islamic_dates_are_not_gregorian(tmp_path: Path) -> None:
    ship = tmp_path / "a"
    ship.write_text(
        _entity(
            '<subjectType code="enterprise"/><nameAlias wholeName="SEA STAR" strong="true"/>'
            '<identification number="9123456" identificationTypeCode="imo"/>'
        ),
        encoding="utf-8",
    )
    t = read_all(ship)[1]["77"]
    assert t.kind is TargetKind.VESSEL
    assert t.get("imoNumber") == ["IMO9123456"]

    person = tmp_path / "b"
    person.write_text(
        _entity(
            '<subjectType code="person"/><nameAlias wholeName="A B" strong="true"/>'
            '<nameAlias wholeName="Abu B" strong="false"/>'
            '<birthdate calendarType="ISLAMIC" year="1385" monthOfYear="1" dayOfMonth="12"/>'
            '<birthdate circa="true" calendarType="GREGORIAN" year="1960"/>'
            '<birthdate yearRangeFrom="1950" yearRangeTo="1955" circa="false"/>'
        ),
        encoding="utf-8",
    )
    t = read_all(person)[1]["77"]
    assert t.get("weakAlias") == ["Abu B"]
    assert t.get("birthDate") == ["1950", "1955", "1960"]  # never 1385
    assert "Date of birth in the islamic calendar: 1385-1-12" in t.get("notes")
    assert "Date of birth 1960 is approximate (circa)" in t.get("notes")
    assert "Born between 1950 and 1955" in t.get("notes")


def test_detected_by_content_when_renamed(eu: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(eu, tmp_path, "list.csv")) is eu_fsf_xml


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_copy_is_refused_naming_file_and_line(
    eu: Path, tmp_path: Path, fraction: float
) -> None:
    cut = truncated_copy(eu, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        read_all(cut)
    assert err.value.path == str(cut)
    assert err.value.position.startswith("line ")


def test_entity_without_subject_type_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.xml"
    bad.write_text(_entity('<nameAlias wholeName="X"/>'), encoding="utf-8")
    with pytest.raises(SanctionsFormatError, match="sanctionEntity 77: subjectType"):
        read_all(bad)


def test_reordered_copy_gives_the_same_statements(eu: Path, tmp_path: Path) -> None:
    """Entities and each entity's children in reverse order: no difference (the caption does
    not depend on which name comes first)."""
    from lxml import etree

    tree = etree.parse(str(eu))
    root = tree.getroot()
    for parent in [root, *root]:
        kids = [k for k in parent if isinstance(k.tag, str)]
        for k in kids:
            parent.remove(k)
        for k in reversed(kids):
            parent.append(k)
    copy = tmp_path / "reordered.xml"
    tree.write(str(copy), encoding="UTF-8", xml_declaration=True)
    original, reordered = read_all(eu)[1], read_all(copy)[1]
    assert {k: set(t.statements()) for k, t in reordered.items()} == {
        k: set(t.statements()) for k, t in original.items()
    }
