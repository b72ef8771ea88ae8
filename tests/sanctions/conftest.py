"""Fixtures of the sanctions tests: the folder of shared sample files (see its README)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def samples(shared_data: Path) -> Path:
    folder = shared_data / "sanctions-samples"
    if not folder.is_dir():
        pytest.skip(f"sanctions samples not found at {folder}")
    return folder
