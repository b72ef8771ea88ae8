"""All-or-nothing output: a file is written under a temporary name next to its target and renamed
into place only when complete, so a failed run leaves no partial file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _publish(tmp: str, target: Path) -> None:
    """Give the file the permissions a plain ``open`` would have (mkstemp makes it 0600)."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, target)


@contextlib.contextmanager
def replace_when_done(path: str | Path, mode: str = "w") -> Iterator[IO[str]]:
    """Open a text file that appears at ``path`` only if the block ends without an error."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding="utf-8", newline="") as fh:
            yield fh
        _publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def temp_path_for(path: str | Path, suffix: str = ".part") -> Iterator[Path]:
    """A temporary path next to ``path``, renamed onto it when the block succeeds.

    ``suffix`` is for writers that insist on an extension (``numpy.savez`` adds ``.npz``)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        _publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
