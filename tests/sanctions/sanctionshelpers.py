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


def eu_csv_rows_from_xml(eu_xml: Path) -> list[list[str]]:
    """The EU XML sample's entities as EU FSF CSV rows in the documented 118-column layout:
    per entity, one row per name alias, address, birth date, identification and citizenship,
    each repeating the entity's columns (and one row for an entity that has none). Read with
    plain lxml, not with the code under test."""
    from lxml import etree

    from prisonwatch.sanctions.formats.eu_fsf_csv import COLUMNS

    ns = "{http://eu.europa.ec/fpi/fsd/export}"
    root = etree.parse(str(eu_xml)).getroot()
    gen = root.get("generationDate", "")[:10]
    generated = f"{gen[8:10]}/{gen[5:7]}/{gen[:4]}"  # day first, as in the EU's CSV
    groups = {
        "nameAlias": ("NameAlias", {"wholeName": "WholeName", "firstName": "FirstName",
                      "middleName": "MiddleName", "lastName": "LastName", "gender": "Gender",
                      "title": "Title", "function": "Function", "nameLanguage": "NameLanguage",
                      "logicalId": "LogicalId"}),
        "address": ("Address", {"city": "City", "street": "Street", "poBox": "PoBox",
                    "zipCode": "ZipCode", "region": "Region", "place": "Place",
                    "countryIso2Code": "CountryIso2Code",
                    "countryDescription": "CountryDescription", "logicalId": "LogicalId"}),
        "birthdate": ("BirthDate", {"birthdate": "BirthDate", "dayOfMonth": "Day",
                      "monthOfYear": "Month", "year": "Year", "circa": "Circa",
                      "calendarType": "CalendarType", "city": "City", "place": "Place",
                      "region": "Region", "zipCode": "ZipCode",
                      "countryIso2Code": "CountryIso2Code",
                      "countryDescription": "CountryDescription", "logicalId": "LogicalId"}),
        "identification": ("Identification", {"number": "Number", "latinNumber": "LatinNumber",
                           "identificationTypeCode": "TypeCode",
                           "identificationTypeDescription": "TypeDescription",
                           "knownFalse": "KnownFalse", "knownExpired": "KnownExpired",
                           "diplomatic": "Diplomatic", "countryIso2Code": "CountryIso2Code",
                           "countryDescription": "CountryDescription",
                           "logicalId": "LogicalId"}),
        "citizenship": ("Citizenship", {"countryIso2Code": "CountryIso2Code",
                        "countryDescription": "CountryDescription", "region": "Region",
                        "logicalId": "LogicalId"}),
    }  # fmt: skip
    rows: list[list[str]] = [list(COLUMNS)]
    for ent in root.iter(f"{ns}sanctionEntity"):
        base = dict.fromkeys(COLUMNS, "")
        base["fileGenerationDate"] = generated
        base["Entity_LogicalId"] = ent.get("logicalId", "")
        base["Entity_EU_ReferenceNumber"] = ent.get("euReferenceNumber", "")
        base["Entity_UnitedNationId"] = ent.get("unitedNationId", "")
        base["Entity_DesignationDate"] = ent.get("designationDate", "")
        base["Entity_DesignationDetails"] = ent.get("designationDetails", "")
        remark = ent.find(f"{ns}remark")
        base["Entity_Remark"] = remark.text or "" if remark is not None else ""
        subject = ent.find(f"{ns}subjectType")
        assert subject is not None
        base["Entity_SubjectType"] = subject.get("code", "")
        base["Entity_SubjectType_ClassificationCode"] = subject.get("classificationCode", "")
        reg = ent.find(f"{ns}regulation")
        if reg is not None:
            base["Entity_Regulation_Type"] = reg.get("regulationType", "")
            base["Entity_Regulation_OrganisationType"] = reg.get("organisationType", "")
            base["Entity_Regulation_PublicationDate"] = reg.get("publicationDate", "")
            base["Entity_Regulation_EntryIntoForceDate"] = reg.get("entryIntoForceDate", "")
            base["Entity_Regulation_NumberTitle"] = reg.get("numberTitle", "")
            base["Entity_Regulation_Programme"] = reg.get("programme", "")
            url = reg.find(f"{ns}publicationUrl")
            base["Entity_Regulation_PublicationUrl"] = url.text or "" if url is not None else ""
        n = 0
        for tag, (group, fields) in groups.items():
            for sub in ent.iter(f"{ns}{tag}"):
                row = dict(base)
                for attr, fld in fields.items():
                    row[f"{group}_{fld}"] = sub.get(attr, "")
                sub_remark = sub.find(f"{ns}remark")
                if sub_remark is not None:
                    row[f"{group}_Remark"] = sub_remark.text or ""
                rows.append([row[c] for c in COLUMNS])
                n += 1
        if not n:
            rows.append([base[c] for c in COLUMNS])
    return rows


def fcdo_csv_rows_from_xml(fcdo_xml: Path) -> list[list[str]]:
    """The FCDO XML sample's designations as UK Sanctions List CSV rows in the documented
    58-column layout: a report-date line, the header, then per designation as many rows as
    its longest list (names, dates of birth, passports, addresses ...); row *i* holds name
    *i* (names repeat when other lists are longer) and the *i*-th value of every other list;
    single-valued columns repeat on every row. Read with plain lxml, not the code under
    test."""
    from lxml import etree

    from prisonwatch.sanctions.formats.uk_fcdo_csv import COLUMNS

    root = etree.parse(str(fcdo_xml)).getroot()
    day = _x(root, "DateGenerated/text()")[0]  # 14/08/2026
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    report = f"Report Date: {day[:2]}-{months[int(day[3:5]) - 1]}-{day[6:]}"
    rows: list[list[str]] = [[report], list(COLUMNS)]
    for d in root.iter("Designation"):
        single = {
            "Last Updated": _x(d, "LastUpdated/text()"),
            "Unique ID": _x(d, "UniqueID/text()"),
            "OFSI Group ID": _x(d, "OFSIGroupID/text()"),
            "UN Reference Number": _x(d, "UNReferenceNumber/text()"),
            "Regime Name": _x(d, "RegimeName/text()"),
            "Designation Type": _x(d, "IndividualEntityShip/text()"),
            "Designation source": _x(d, "DesignationSource/text()"),
            "Sanctions Imposed": _x(d, "SanctionsImposed/text()"),
            "Other Information": _x(d, "OtherInformation/text()"),
            "UK Statement of Reasons": [s for s in _x(d, "UKStatementofReasons/text()") if s],
            "Date Designated": _x(d, "DateDesignated/text()"),
        }
        names = d.findall("Names/Name")
        lists: dict[str, list[list[str]]] = {
            "name": [
                [(_x(n, f"Name{i}/text()") or [""])[0] for i in range(1, 7)]
                + [_x(n, "NameType/text()")[0], (_x(n, "AliasStrength/text()") or [""])[0]]
                for n in names
            ],
            "nonlatin": [[x] for x in _x(d, ".//NameNonLatinScript/text()")],
            "title": [[x] for x in _x(d, ".//Title/text()")],
            "address": [
                [(_x(a, f"AddressLine{i}/text()") or [""])[0] for i in range(1, 7)]
                + [(_x(a, "AddressPostalCode/text()") or [""])[0],
                   (_x(a, "AddressCountry/text()") or [""])[0]]
                for a in d.iter("Address")
            ],
            "dob": [[x] for x in _x(d, ".//DOB/text()")],
            "nationality": [[x] for x in _x(d, ".//Nationality/text()")],
            "nid": [
                [(_x(n, "NationalIdentifierNumber/text()") or [""])[0],
                 (_x(n, "NationalIdentifierAdditionalInformation/text()") or [""])[0]]
                for n in d.iter("NationalIdentifier")
            ],
            "passport": [
                [(_x(p, "PassportNumber/text()") or [""])[0],
                 (_x(p, "PassportAdditionalInformation/text()") or [""])[0]]
                for p in d.iter("Passport")
            ],
            "position": [[x] for x in _x(d, ".//Position/text()")],
            "birth": [
                [(_x(loc, "TownOfBirth/text()") or [""])[0],
                 (_x(loc, "CountryOfBirth/text()") or [""])[0]]
                for loc in d.iter("Location")
            ],
            "imo": [[x] for x in _x(d, ".//IMONumber/text()")],
            "flag": [[x] for x in _x(d, ".//CurrentBelievedFlagOfShip/text()")],
        }  # fmt: skip
        columns = {
            "nonlatin": ["Name non-latin script"],
            "title": ["Title"],
            "address": [*(f"Address Line {i}" for i in range(1, 7)), "Address Postal Code",
                        "Address Country"],
            "dob": ["D.O.B"],
            "nationality": ["Nationality(/ies)"],
            "nid": ["National Identifier number", "National Identifier additional information"],
            "passport": ["Passport number", "Passport additional information"],
            "position": ["Position"],
            "birth": ["Town of birth", "Country of birth"],
            "imo": ["IMO number"],
            "flag": ["Current believed flag of ship"],
        }  # fmt: skip
        for i in range(max(len(v) for v in lists.values())):
            r = dict.fromkeys(COLUMNS, "")
            for col, values in single.items():
                r[col] = values[0] if values else ""
            name = lists["name"][i % len(lists["name"])]
            for j in range(6):
                r[f"Name {j + 1}"] = name[j]
            r["Name type"], r["Alias strength"] = name[6], name[7]
            for key, cols in columns.items():
                if i < len(lists[key]):
                    for col, value in zip(cols, lists[key][i], strict=True):
                        r[col] = value
            rows.append([r[c] for c in COLUMNS])
    return rows
