"""Helpers of the sanctions format tests: copies of sample files that are renamed (detection
must not look at names) or cut short (must be refused, naming the place), and reading a file
completely the way an importer does."""

from __future__ import annotations

import shutil
from pathlib import Path

from prisonwatch.sanctions.formats import parse
from prisonwatch.sanctions.model import ListHeader, Target


def renamed_copy(src: Path, tmp_path: Path, name: str = "download.bin") -> Path:
    """A copy of ``src`` under a name that says nothing about its format."""
    dst = tmp_path / name
    shutil.copyfile(src, dst)
    return dst


def truncated_copy(src: Path, tmp_path: Path, fraction: float) -> Path:
    """The first ``fraction`` of ``src``'s bytes, as a cut-off download would be."""
    data = src.read_bytes()
    dst = tmp_path / f"truncated-{int(fraction * 100)}.bin"
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def read_all(path: Path) -> tuple[ListHeader, dict[str, Target]]:
    """Detect, parse and consume the whole file; targets by id (each id once)."""
    parsed = parse(path)
    out: dict[str, Target] = {}
    for t in parsed.targets:
        assert t.id not in out, f"target {t.id} yielded twice"
        out[t.id] = t
    return parsed.header, out


# -- files in layouts no real sample exists for, built from real samples' data ---------------

OFSI_2016_HEADER = [
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Details",
    "NI Number",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Regime",
    "Listed On",
    "Last Updated",
    "Group ID",
]

#: OFSI's 2022+ ConList layout (36 columns): the 2016 one plus the non-Latin name (script,
#: type, language) after Title, passport and national identification numbers beside their
#: details, Alias Quality after Alias Type, UK Sanctions List Date Designated before Last
#: Updated.
OFSI_2022_HEADER = [
    "Name 6",
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Alias Quality",
    "Regime",
    "Listed On",
    "UK Sanctions List Date Designated",
    "Last Updated",
    "Group ID",
]


def _x(el: object, path: str) -> list[str]:
    from lxml import etree

    assert isinstance(el, etree._Element)
    return [" ".join(str(v).split()) for v in el.xpath(path)]


def ofsi_2022_rows_from_fcdo(fcdo_xml: Path) -> list[list[str]]:
    """The FCDO sample's designations that have an OFSI Group ID (AFG0011, AQD0128, AQD0377),
    written as OFSI 2022+ ConList rows: one row per name x date of birth, as OFSI did; the
    passports are spread over the rows (one per row, in turn). Read with plain lxml, not with
    the code under test."""
    from lxml import etree

    root = etree.parse(str(fcdo_xml)).getroot()
    rows: list[list[str]] = []
    for d in root.iter("Designation"):
        group = _x(d, "OFSIGroupID/text()")
        if not group:
            continue
        kind = _x(d, "IndividualEntityShip/text()")[0]
        dobs = list(dict.fromkeys(_x(d, ".//DOB/text()"))) or [""]
        passports = _x(d, ".//PassportNumber/text()") or [""]
        non_latin = (_x(d, ".//NameNonLatinScript/text()") or [""])[0]
        addr = d.find("Addresses/Address")
        n = 0
        for name in d.iter("Name"):
            primary = _x(name, "NameType/text()")[0].lower() == "primary name"
            quality = (_x(name, "AliasStrength/text()") or [""])[0]
            for dob in dobs:
                r = dict.fromkeys(OFSI_2022_HEADER, "")
                for i in range(1, 7):
                    r[f"Name {i}"] = (_x(name, f"Name{i}/text()") or [""])[0]
                r["Title"] = "; ".join(_x(d, ".//Title/text()"))
                if primary and non_latin:
                    r["Name Non-Latin Script"] = non_latin
                    r["Non-Latin Script Type"] = "Arabic" if kind == "Individual" else "Cyrillic"
                r["DOB"] = dob
                r["Nationality"] = "; ".join(_x(d, ".//Nationality/text()"))
                r["Passport Number"] = passports[n % len(passports)]
                r["National Identification Number"] = "; ".join(
                    _x(d, ".//NationalIdentifierNumber/text()")
                )
                r["Position"] = "; ".join(_x(d, ".//Position/text()"))
                if addr is not None:
                    for i in range(1, 7):
                        r[f"Address {i}"] = (_x(addr, f"AddressLine{i}/text()") or [""])[0]
                    r["Country"] = (_x(addr, "AddressCountry/text()") or [""])[0]
                r["Other Information"] = _x(d, "OtherInformation/text()")[0]
                r["Group Type"] = kind
                r["Alias Type"] = "Primary name" if primary else "AKA"
                r["Alias Quality"] = quality.split(" ")[0] if quality else ""
                r["Regime"] = _x(d, "RegimeName/text()")[0]
                r["Listed On"] = _x(d, "DateDesignated/text()")[0]
                r["UK Sanctions List Date Designated"] = _x(d, "DateDesignated/text()")[0]
                r["Last Updated"] = _x(d, "LastUpdated/text()")[0]
                r["Group ID"] = group[0]
                rows.append([r[h] for h in OFSI_2022_HEADER])
                n += 1
    return rows


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    import csv

    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
