"""A big list read once, kept beside the candidate index (``--index-cache DIR``).

Reading a million-row list — every cell checked by the input rule, every row's key, birth date
and gender — takes longer than loading its saved candidate index, and the same right-hand list
is often reconciled again and again. So the rows read from a big file are saved, and the next
read of the *same bytes, read the same way, by the same reading code* loads them instead.

The file name is a digest of the file's bytes, of every argument of the read (id and name
columns, the name shown and the list key, which make the row keys; the evidence columns) and
of the source of the modules that decide what a row is (reading, the table reader, the input
rule, keys, dates, genders) and the ICU version (keys transliterate): a changed file, another
column or new reading code never loads an old result. Only a read that succeeded is saved, so a
file with a bad row still stops with its message. The read limits are not part of the key (the
CLI always reads with the same ones; the web's uploads are never cached), and loading, ~2 s for
a million rows, does not check a stop signal. The rows' birth date, gender and region are
derived again from their cells when loading, by the reader's own functions.

Like the index files, these hold every name of the list: owner-only (0600) in an owner-only
folder (0700), written atomically, loaded without pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import icu
import numpy as np

import prisonwatch
from prisonwatch.reconcile import reading
from prisonwatch.reconcile.reading import ListRow

#: Files smaller than this are read directly (a cache would save milliseconds).
MIN_BYTES = 1 << 20
FORMAT = "prisonwatch-list-rows-1"
PREFIX = "list"
#: The modules (relative to the package) whose code decides the rows read from a file.
_READING_CODE = (
    "reconcile/reading.py",
    "reconcile/judgement_keys.py",
    "io/tabular.py",
    "io/csvsafe.py",
    "validation.py",
    "dates.py",
    "model.py",
)
_SEP = "\x1f"  # refused in every cell by the input rule, so it cannot occur inside one


@lru_cache(maxsize=1)
def reading_fingerprint() -> bytes:
    root = Path(prisonwatch.__file__).parent
    digest = hashlib.sha256(FORMAT.encode() + icu.ICU_VERSION.encode())
    for rel in _READING_CODE:
        digest.update(rel.encode())
        digest.update((root / rel).read_bytes())
    return digest.digest()


def file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.digest()


def cache_path(folder: Path, path: Path, read_args: dict[str, Any]) -> Path:
    digest = hashlib.sha256(reading_fingerprint() + file_digest(path))
    digest.update(json.dumps(read_args, sort_keys=True).encode())
    return folder / f"{PREFIX}-{digest.hexdigest()[:32]}.npz"


def cached_read_list(folder: str | Path, path: str | Path, **read_args: Any) -> list[ListRow]:
    """:func:`~prisonwatch.reconcile.reading.read_list` ``(path, **read_args)``, loaded from
    ``folder`` when this file was read the same way before (see the module docstring)."""
    p = Path(path)
    if p.stat().st_size < MIN_BYTES:
        return reading.read_list(p, **read_args)
    root = Path(folder)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    key_args = {k: v for k, v in read_args.items() if k != "limits"}
    target = cache_path(root, p, key_args)
    if target.exists():
        try:
            with reading.collector_paused():
                return _load(target, p, read_args)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            target.unlink(missing_ok=True)
    rows = reading.read_list(p, **read_args)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".npz", dir=root)
    os.close(fd)
    try:
        _save(rows, tmp)  # mkstemp made it 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rows


def _blob(cells: Sequence[str]) -> np.ndarray[Any, Any]:
    return np.frombuffer(_SEP.join(cells).encode(), dtype=np.uint8)


def _unblob(arr: np.ndarray[Any, Any], n: int) -> list[str]:
    cells = str(arr.data, "utf-8").split(_SEP)  # decoded from the array, not copied first
    if len(cells) != n:
        raise ValueError("damaged list cache")
    return cells


def _save(rows: list[ListRow], path: str) -> None:
    columns = rows[0].columns
    meta = {"format": FORMAT, "n": len(rows), "columns": list(columns)}
    arrays: dict[str, Any] = {
        f"col{i}": _blob([r.values[i] for r in rows]) for i in range(len(columns))
    }
    with open(path, "wb") as fh:
        np.savez(
            fh,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            keys=_blob([r.key for r in rows]),
            names=_blob([r.name for r in rows]),
            ids=_blob([r.id or "" for r in rows]),
            row_numbers=np.array([r.row_number for r in rows], dtype=np.int64),
            **arrays,
        )


def _load(target: Path, path: Path, read_args: dict[str, Any]) -> list[ListRow]:
    with np.load(target, allow_pickle=False) as data:
        meta = json.loads(data["meta"].tobytes().decode())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{target}: not a {FORMAT} file")
        n = meta["n"]
        columns = tuple(meta["columns"])
        cols = [_unblob(data[f"col{i}"], n) for i in range(len(columns))]
        keys = _unblob(data["keys"], n)
        names = _unblob(data["names"], n)
        ids = _unblob(data["ids"], n)
        row_numbers = data["row_numbers"].tolist()
    shown = read_args.get("original_filename") or path.name
    birth_i, gender_i, region_i = reading.evidence_columns(
        columns,
        shown,
        read_args.get("birth_col", reading.AUTO),
        read_args.get("gender_col", reading.AUTO),
        read_args.get("region_col", reading.AUTO),
    )
    birth, gender = reading.birth_of, reading.gender_of
    out: list[ListRow] = []
    append = out.append
    for key, row_number, row_id, name, values in zip(
        keys, row_numbers, ids, names, zip(*cols, strict=True), strict=True
    ):
        append(
            ListRow(
                key,
                row_number,
                row_id or None,
                name,
                columns,
                values,
                birth(values, birth_i, columns, shown, row_number),
                gender(values, gender_i, columns, shown, row_number),
                (values[region_i].strip() or None) if region_i is not None else None,
            )
        )
    return out


__all__ = ["MIN_BYTES", "cached_read_list", "reading_fingerprint"]
