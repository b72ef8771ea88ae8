"""Charts are produced as valid SVG (parsed as XML, with tooltips) and PNG (decoded)."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import pytest
from defusedxml import ElementTree

from prisonwatch.stats.charts import ChartError, series_chart, write_chart
from prisonwatch.stats.claims import add_figure, figures
from prisonwatch.stats.flows import series
from prisonwatch.stats.groups import Dimension
from prisonwatch.stats.mass import MassRelease
from prisonwatch.stats.periods import Period, Unit, parse_period
from prisonwatch.store.db import Database

SVG = "{http://www.w3.org/2000/svg}"
PERIOD = Period(dt.date(2020, 1, 1), dt.date(2025, 12, 31))


def png_size(data: bytes) -> tuple[int, int]:
    """Check the signature, walk the chunks, inflate the image data; return (width, height)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", (0, 0)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert len(zlib.decompress(idat)) > 0
    return size


def test_svg_and_png_files(db: Database, timeline: dict[str, int], tmp_path: Path) -> None:
    with db.session() as s:
        add_figure(
            s,
            kind="count_held",
            value=4,
            as_of=dt.date(2024, 6, 1),
            wording="four held",
            publisher="Viasna",
            actor="t",
        )
    with db.session() as s:
        data = series(s, PERIOD, Unit.MONTH)
        figs = figures(s)
    mark = MassRelease(dt.date(2025, 9, 11), 52, {"expelled_abroad": 51}, "deal", 1, "Belavia")
    spec = series_chart(data, marks=[mark], figures=figs)
    svg = write_chart(spec, tmp_path / "held.svg")
    root = ElementTree.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any("held at end: 5" in t for t in titles)  # the line's tooltip
    assert any("outside figure: 4" in t for t in titles)
    assert any("Belavia" in t for t in titles)
    width, height = png_size(write_chart(spec, tmp_path / "held.png").read_bytes())
    assert width > 500 and height > 300


def test_breakdown_chart_has_a_line_per_group(
    db: Database, timeline: dict[str, int], tmp_path: Path
) -> None:
    with db.session() as s:
        data = series(s, parse_period("2024"), Unit.MONTH, dimension=Dimension.REGION)
    root = ElementTree.parse(write_chart(series_chart(data), tmp_path / "r.svg")).getroot()
    titles = " ".join(t.text or "" for t in root.iter(f"{SVG}title"))
    for region in ("Minsk", "Homel", "Brest"):
        assert f"group: {region}" in titles


def test_unknown_format_is_refused(db: Database, timeline: dict[str, int], tmp_path: Path) -> None:
    with db.session() as s:
        spec = series_chart(series(s, PERIOD, Unit.YEAR))
    with pytest.raises(ChartError, match=r"\.gif"):
        write_chart(spec, tmp_path / "x.gif")
