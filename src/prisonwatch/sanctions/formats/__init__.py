"""Format detection: each format module exposes ``FORMAT`` (its name), ``sniff(path, head)``
(``head`` = the first 64 KiB of the file, or of ``sdn.csv`` for a folder) and
``parse(path) -> ParsedList``. Detection reads content, never the file name.

A format module listed here but not yet written is skipped by detection.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from prisonwatch.sanctions.model import ParsedList, SanctionsFormatError

#: Modules in detection order (the most specific first).
FORMAT_MODULES = (
    "ofac_csv",
    "ofac_legacy_xml",
    "ofac_advanced_xml",
    "eu_fsf_xml",
    "eu_fsf_csv",
    "uk_fcdo_xml",
    "uk_fcdo_csv",
    "uk_ofsi_csv",
    "uk_ofsi_xlsx",
    "ftm_json",
    "opensanctions_simple_csv",
)

HEAD_BYTES = 65536


def _modules() -> list[ModuleType]:
    out = []
    for name in FORMAT_MODULES:
        try:
            out.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return out


def read_head(path: Path) -> bytes:
    target = path
    if path.is_dir():
        # OFAC's CSV sets: the SDN list's sdn.csv, or the Consolidated list's cons_prim.csv
        target = path / "sdn.csv"
        if not target.exists() and (path / "cons_prim.csv").exists():
            target = path / "cons_prim.csv"
    if not target.exists():
        raise SanctionsFormatError(str(path), "file", "no such file (a folder needs sdn.csv)")
    with target.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def detect(path: Path) -> ModuleType:
    """The format module that reads ``path``, or SanctionsFormatError naming the file."""
    head = read_head(path)
    for module in _modules():
        if module.sniff(path, head):
            return module
    raise SanctionsFormatError(
        str(path), "start of file", "not a sanctions list format PrisonWatch reads"
    )


def parse(path: Path) -> ParsedList:
    module = detect(path)
    parsed: ParsedList = module.parse(path)
    return parsed
