"""A saved :class:`~prisonwatch.names.index.CandidateIndex`, reused while the names it was built
from and the names package are unchanged.

A million-name index takes a minute or more to build and a few seconds to load. The file name
is a digest of the names package's code and data (a new matcher or index version never reuses an
old file) and of the caller's content key (every name, in order), so a stale index cannot be
loaded. Builders of the same file wait for each other on a lock file: of several web workers
starting together, one builds and the others load its result.

The files hold every indexed name, private ones included, so they are written owner-only (0600)
in an owner-only folder (0700); older files of the same ``prefix`` are deleted when a new one is
saved (unless the caller keeps them: list reconciliation, one file per right-hand list).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from prisonwatch.names.index import CandidateIndex


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Digest of the names package's code and data files."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.digest()


def index_path(folder: Path, prefix: str, content_digest: bytes) -> Path:
    digest = hashlib.sha256(code_fingerprint() + content_digest).hexdigest()[:32]
    return folder / f"{prefix}-{digest}.npz"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def cached_index(
    folder: str | Path,
    prefix: str,
    content_digest: bytes,
    build: Callable[[], CandidateIndex],
    *,
    keep_older: bool = False,
) -> tuple[CandidateIndex, bool]:
    """The index for ``content_digest``: loaded if saved before, else built and saved.

    Returns ``(index, loaded)``. A file that cannot be read is rebuilt. Older files of the same
    ``prefix`` are deleted unless ``keep_older`` (several right-hand lists reconciled in turn
    each keep their index)."""
    root = Path(folder)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    path = index_path(root, prefix, content_digest)
    with _locked(root / f".{prefix}.lock"):
        if path.exists():
            try:
                return CandidateIndex.load(path), True
            except (OSError, ValueError, KeyError):
                path.unlink(missing_ok=True)
        index = build()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".npz", dir=root)
        os.close(fd)
        try:
            index.save(tmp)  # mkstemp made it 0600
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in [] if keep_older else root.glob(f"{prefix}-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
        return index, False


__all__ = ["cached_index", "code_fingerprint", "index_path"]
