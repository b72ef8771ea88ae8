"""The safe XML reading under the XML formats: no entity expansion, no network or file access
through entities, and errors that name the file and position."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sanctionshelpers import read_all

from prisonwatch.sanctions.formats._xmlread import sniff_root
from prisonwatch.sanctions.model import SanctionsFormatError

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE export [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-01">
<sanctionEntity logicalId="1"><subjectType code="person"/>
<nameAlias wholeName="&lol9;"/></sanctionEntity></export>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Designations [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<Designations><Designation><UniqueID>X1</UniqueID><Names><Name><Name6>&xxe;</Name6>
<NameType>Primary Name</NameType></Name></Names>
<IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>
"""


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SanctionsFormatError, match="DTD") as err:
        read_all(bomb)
    assert err.value.path == str(bomb)
    assert time.monotonic() - started < 5  # nothing was expanded


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(EXTERNAL_ENTITY.format(secret=secret), encoding="utf-8")
    with pytest.raises(SanctionsFormatError, match="DTD") as err:
        read_all(xxe)
    assert "TOP-SECRET-VALUE" not in str(err.value)


@pytest.mark.parametrize(
    ("head", "root"),
    [
        (b'<?xml version="1.0"?>\n<!-- a comment -->\n<export xmlns="x">', "export"),
        (b"\xef\xbb\xbf<ns0:Designations xmlns:ns0='y'>", "Designations"),
        (b"<?xml version='1.0'?><Designations>", "Designations"),
        (b'{"id": "x"}', None),
        (b"<!-- unterminated", None),
    ],
)
def test_sniff_root(head: bytes, root: str | None) -> None:
    assert sniff_root(head) == root
