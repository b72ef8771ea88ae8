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
