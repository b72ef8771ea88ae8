from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def samples(shared_data: Path) -> Path:
    """The sanctions-list samples (set A) and their README."""
    folder = shared_data / "sanctions-samples"
    if not folder.is_dir():
        pytest.skip(f"sanctions samples not found at {folder}")
    return folder
