"""What the OFAC importers share: date texts and periods, labelled numbers, safe XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from prisonwatch.sanctions.formats import _ofac, ofac_advanced_xml, ofac_legacy_xml
from prisonwatch.sanctions.model import SanctionsFormatError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 Jul 1963", ["1963-07-28"]),
        ("1962", ["1962"]),
        ("circa 1976", ["1976"]),
        ("Circa 1976", ["1976"]),
        ("1944 to 1946", ["1944", "1946"]),
        ("01 Jan 1948 to 31 Dec 1948", ["1948"]),
        ("Jul 1963", ["1963-07"]),
        ("01 Jul 1963 to 31 Jul 1963", ["1963-07"]),
        ("05 Mar 1960 to 07 Mar 1960", ["1960-03-05", "1960-03-07"]),
        ("circa 1955 to 1958", ["1955", "1958"]),
        ("31 Feb 1960", ["31 Feb 1960"]),  # not a date: kept as written
        ("unknown", ["unknown"]),
    ],
)
def test_text_dates(text: str, expected: list[str]) -> None:
    assert _ofac.text_dates(text) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((1962, 1, 1), (1962, 12, 31), ["1962"]),
        ((1966, 2, 13), (1966, 2, 13), ["1966-02-13"]),
        ((1944, 1, 1), (1946, 12, 31), ["1944", "1946"]),
        ((1970, 2, 1), (1970, 2, 28), ["1970-02"]),
        ((1970, 2, 1), (1970, 3, 15), ["1970-02", "1970-03-15"]),
    ],
)
def test_period_dates(
    start: tuple[int, int, int], end: tuple[int, int, int], expected: list[str]
) -> None:
    assert _ofac.period_dates(start, end) == expected


@pytest.mark.parametrize(
    ("label", "number", "expected"),
    [
        ("Passport", "P0017003", ("passportNumber", "P0017003")),
        ("Tax ID No.", "7702070139", ("idNumber", "7702070139")),
        ("Registration ID", "1027739609391", ("registrationNumber", "1027739609391")),
        ("Vessel Registration Identification", "IMO 9486910", ("imoNumber", "IMO9486910")),
        ("Identification Number", "IMO 9339301", ("imoNumber", "IMO9339301")),
        ("MMSI", "636013272", ("mmsi", "636013272")),
        ("Website", "www.gicdf.org", None),
        ("Executive Order 13662 Directive Determination -", "Subject to Directive 1", None),
    ],
)
def test_id_fact(label: str, number: str, expected: tuple[str, str] | None) -> None:
    assert _ofac.id_fact(label, number) == expected


def test_split_label_drops_the_country_and_dates() -> None:
    assert _ofac.split_label("Passport 2018278055 (Russia)") == ("Passport", "2018278055")
    assert _ofac.split_label("UK Company Number 03632365") == ("UK Company Number", "03632365")
    assert _ofac.split_label("Passport A1 (Iran) issued 2010") == ("Passport", "A1")
    assert _ofac.split_label("Linked To: MAHAN AIR") is None


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<{root}>{body}</{root}>
"""

LEGACY_BODY = (
    "<publshInformation><Publish_Date>10/29/2020</Publish_Date></publshInformation>"
    "<sdnEntry><uid>1</uid><lastName>&lol9;</lastName><sdnType>Entity</sdnType></sdnEntry>"
)
ADVANCED_BODY = "<DateOfIssue><Year>2020</Year></DateOfIssue><ReferenceValueSets/>&lol9;"

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<{root}>{body}</{root}>
"""


@pytest.mark.parametrize(
    ("module", "root", "body"),
    [(ofac_legacy_xml, "sdnList", LEGACY_BODY), (ofac_advanced_xml, "Sanctions", ADVANCED_BODY)],
)
@pytest.mark.parametrize("template", [BILLION_LAUGHS, EXTERNAL])
def test_entity_tricks_are_refused(
    tmp_path: Path, module: object, root: str, body: str, template: str
) -> None:
    body = body.replace("&lol9;", "&xxe;") if template is EXTERNAL else body
    path = tmp_path / "list.xml"
    path.write_text(template.format(root=root, body=body))
    head = path.read_bytes()
    # detection still recognises the format, so the importer is the one that refuses
    assert module.sniff(path, head)  # type: ignore[attr-defined]
    with pytest.raises(SanctionsFormatError, match="DTD or entity declaration") as info:
        module.parse(path)  # type: ignore[attr-defined]
    assert info.value.path == str(path)


def test_iter_records_resolves_no_entity_even_past_the_prolog_check(tmp_path: Path) -> None:
    """The parser options are the second line: with the DOCTYPE check skipped, an external
    entity is still not read (the value stays empty, never /etc/passwd)."""
    path = tmp_path / "list.xml"
    path.write_text(EXTERNAL.format(root="r", body="<x>&xxe;</x>"))
    from lxml import etree

    context = etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True, load_dtd=False
    )
    texts = [el.text for _ev, el in context if el.tag == "x"]
    assert texts in ([None], [""])
    assert "root:" not in "".join(t or "" for t in texts)


def test_syntax_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<sdnList>\n<sdnEntry><uid>1</uid>\n</sdnList>\n")
    with pytest.raises(SanctionsFormatError) as info:
        list(_ofac.iter_records(path, ["sdnEntry"]))
    assert info.value.position.startswith("line 3, column")


def test_root_local_name_skips_prolog_comments_and_doctype() -> None:
    assert _ofac.root_local_name(b'<?xml version="1.0"?>\n<!-- x -->\n<a:sdnList xmlns:a="u">') == (
        "sdnList"
    )
    assert _ofac.root_local_name(b"<!DOCTYPE Sanctions [<!ENTITY a 'b'>]>\n<Sanctions>") == (
        "Sanctions"
    )
    assert _ofac.root_local_name(b"id,name\n") is None


OTHER_SAMPLES = (
    "eu-fsf-2026-08-05-excerpt.xml",
    "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml",
    "uk-ofsi-conlist-2016-03-23-sample.csv",
    "opensanctions-zala-cluster-entities.ftm.json",
    "opensanctions-ua-war-sanctions-targets.simple.csv",
)


@pytest.mark.parametrize("name", OTHER_SAMPLES)
def test_ofac_modules_do_not_claim_other_formats(samples: Path, name: str) -> None:
    from prisonwatch.sanctions.formats import ofac_csv

    head = (samples / name).read_bytes()[:65536]
    for module in (ofac_csv, ofac_legacy_xml, ofac_advanced_xml):
        assert not module.sniff(samples / name, head), (module.__name__, name)


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("ofac-sdn-csv-excerpt-moov-ofactest", "ofac_csv"),
        ("ofac-sdn-csv-2021-07-sample", "ofac_csv"),
        ("ofac-sdn-legacy-2020-10-29-excerpt.xml", "ofac_legacy_xml"),
        ("ofac-consolidated-legacy-2020-03-17-sample.xml", "ofac_legacy_xml"),
        ("ofac-consolidated-advanced-2020-03-17-sample.xml", "ofac_advanced_xml"),
    ],
)
def test_each_ofac_sample_is_detected(samples: Path, name: str, module: str) -> None:
    from prisonwatch.sanctions import formats

    assert formats.detect(samples / name).__name__.endswith("." + module)
