"""Each EU, UK and OpenSanctions reader claims its own files and no other sample: detection by
content, whatever the file is called."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from types import ModuleType

import pytest
from sanctionshelpers import (
    OFSI_2022_HEADER,
    eu_csv_rows_from_xml,
    fcdo_csv_rows_from_xml,
    ofsi_2022_rows_from_fcdo,
    write_csv,
    write_xlsx,
)

from prisonwatch.sanctions.formats import (
    eu_fsf_csv,
    eu_fsf_xml,
    ftm_json,
    opensanctions_simple_csv,
    read_head,
    uk_fcdo_csv,
    uk_fcdo_xml,
    uk_ofsi_csv,
    uk_ofsi_xlsx,
)

MINE: list[ModuleType] = [
    eu_fsf_xml,
    eu_fsf_csv,
    uk_fcdo_xml,
    uk_fcdo_csv,
    uk_ofsi_csv,
    uk_ofsi_xlsx,
    ftm_json,
    opensanctions_simple_csv,
]


def _files(samples: Path, tmp: Path) -> dict[str, ModuleType | None]:
    """file path -> the reader that must claim it (None: none of these)."""
    eu_csv = tmp / "a"
    with eu_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(
            eu_csv_rows_from_xml(samples / "eu-fsf-2026-08-05-excerpt.xml")
        )
    fcdo = samples / "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"
    fcdo_csv = write_csv(tmp / "b", fcdo_csv_rows_from_xml(fcdo))
    ofsi_rows = [["Last Updated", "14/08/2026"], OFSI_2022_HEADER, *ofsi_2022_rows_from_fcdo(fcdo)]
    ofsi_csv = write_csv(tmp / "c", ofsi_rows)
    ofsi_xlsx = write_xlsx(
        tmp / "d", [[dt.date(2026, 1, 1) if c == "14/08/2026" else c for c in r] for r in ofsi_rows]
    )
    return {
        str(samples / "eu-fsf-2026-08-05-excerpt.xml"): eu_fsf_xml,
        str(eu_csv): eu_fsf_csv,
        str(fcdo): uk_fcdo_xml,
        str(fcdo_csv): uk_fcdo_csv,
        str(samples / "uk-ofsi-conlist-2016-03-23-sample.csv"): uk_ofsi_csv,
        str(ofsi_csv): uk_ofsi_csv,
        str(ofsi_xlsx): uk_ofsi_xlsx,
        str(samples / "opensanctions-zala-cluster-entities.ftm.json"): ftm_json,
        str(
            samples / "opensanctions-ua-war-sanctions-targets.simple.csv"
        ): opensanctions_simple_csv,
        # the OFAC samples belong to other readers
        str(samples / "ofac-sdn-legacy-2020-10-29-excerpt.xml"): None,
        str(samples / "ofac-consolidated-legacy-2020-03-17-sample.xml"): None,
        str(samples / "ofac-consolidated-advanced-2020-03-17-sample.xml"): None,
        str(samples / "ofac-sdn-csv-2021-07-sample" / "sdn.csv"): None,
        str(samples / "ofac-sdn-csv-excerpt-moov-ofactest" / "sdn.csv"): None,
    }


def test_each_file_is_claimed_by_exactly_its_reader(samples: Path, tmp_path: Path) -> None:
    for name, expected in _files(samples, tmp_path).items():
        path = Path(name)
        head = read_head(path)
        claimed = [m.__name__.rsplit(".", 1)[1] for m in MINE if m.sniff(path, head)]
        want = [expected.__name__.rsplit(".", 1)[1]] if expected else []
        assert claimed == want, name


@pytest.mark.parametrize("content", [b"", b"hello\n", b"<html><body/></html>", b'{"a": 1}\n'])
def test_other_content_is_claimed_by_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x"
    path.write_bytes(content)
    assert [m for m in MINE if m.sniff(path, content)] == []
