"""Files that hold private data (backups, dumps, exports with private fields) are created
owner-only (mode 0600) before anything is written to them, whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600


def create_owner_only(path: Path, *, exclusive: bool = False) -> None:
    """Create ``path`` empty with mode 0600 (truncating it if it exists, unless ``exclusive``,
    which fails with ``FileExistsError``); later ``open(path, "w…")`` keeps the mode."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, OWNER_ONLY)
    try:
        os.fchmod(fd, OWNER_ONLY)  # an existing file keeps its mode on open
    finally:
        os.close(fd)
