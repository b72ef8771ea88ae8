"""EU FSF CSV. No real file was available: the test file holds the real EU XML sample's four
entities written in the documented 118-column layout (``eu_csv_rows_from_xml``); it must give
the same targets as the XML."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sanctionshelpers import eu_csv_rows_from_xml, read_all, renamed_copy, truncated_copy

from prisonwatch.sanctions.formats import detect, eu_fsf_csv
from prisonwatch.sanctions.formats.eu_fsf_csv import COLUMNS
from prisonwatch.sanctions.model import SanctionsFormatError, TargetKind

EU_XML = "eu-fsf-2026-08-05-excerpt.xml"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def eu_csv(samples: Path, tmp_path: Path) -> Path:
    return _write(tmp_path / "eu-fsf.csv", eu_csv_rows_from_xml(samples / EU_XML))


def test_layout_is_118_columns_in_six_groups() -> None:
    assert len(COLUMNS) == 118
    assert COLUMNS[:3] == ["fileGenerationDate", "Entity_LogicalId", "Entity_EU_ReferenceNumber"]
    starts = {c.split("_")[0]: i for i, c in reversed(list(enumerate(COLUMNS)))}
    assert (starts["NameAlias"], starts["Address"], starts["BirthDate"]) == (16, 34, 54)
    assert (starts["Identification"], starts["Citizenship"]) == (78, 105)


def test_same_targets_as_the_xml(eu_csv: Path, samples: Path) -> None:
    header, targets = read_all(eu_csv)
    assert (header.format, header.authority, header.list_name) == ("eu-fsf-csv", "EU", "EU FSF")
    assert header.published == dt.date(2026, 8, 5)
    assert sorted(targets, key=int) == ["13", "191", "330", "980"]
    from_xml = read_all(samples / EU_XML)[1]
    for tid, t in from_xml.items():
        assert set(targets[tid].statements()) == set(t.statements()), tid


def test_al_rashid_trust_from_csv_rows(eu_csv: Path) -> None:
    t = read_all(eu_csv)[1]["330"]
    assert t.kind is TargetKind.ORGANISATION
    assert len(t.names) == 12
    assert "Организация за подпомагане на Ulema, Пакистан" in t.get("alias")
    assert t.get("listingDate") == ["2001-10-06"]
    assert len(t.get("address")) == 11
    assert t.get("passportNumber") == []


def test_detected_when_renamed(eu_csv: Path, tmp_path: Path) -> None:
    assert detect(renamed_copy(eu_csv, tmp_path, "conlist.xml")) is eu_fsf_csv


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.97])
def test_truncated_copy_is_refused(eu_csv: Path, tmp_path: Path, fraction: float) -> None:
    cut = truncated_copy(eu_csv, tmp_path, fraction)
    with pytest.raises(SanctionsFormatError) as err:
        read_all(cut)
    assert err.value.path == str(cut)
    assert err.value.position.startswith("row ")


def test_unknown_column_is_a_warning_and_missing_subject_type_an_error(tmp_path: Path) -> None:
    header = ["fileGenerationDate", "Entity_LogicalId", "NameAlias_WholeName", "Entity_Mystery"]
    path = _write(tmp_path / "x.csv", [header, ["2026-01-01", "5", "ACME", "?"]])
    parsed = eu_fsf_csv.parse(path)
    assert parsed.warnings == ["row 1 (line 1): column 'Entity_Mystery' is not read"]
    with pytest.raises(SanctionsFormatError, match="Entity_LogicalId 5: subjectType") as err:
        list(parsed.targets)
    assert err.value.position == "row 2 (line 2)"
