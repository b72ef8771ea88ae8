"""Running a reconciliation of two uploaded lists for the web: this only checks the uploads,
keeps them in temporary files and lays out the report; the run is the CLI's use case
(:mod:`prisonwatch.reconcile.usecase`)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from prisonwatch.io.limits import WEB_MAX_UNPACKED, ReadLimits, StopSignal
from prisonwatch.reconcile import InputError, ReconcileResult
from prisonwatch.reconcile.report import Section, sections
from prisonwatch.reconcile.usecase import ListFile, reconcile_lists
from prisonwatch.store.db import Database

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: an XLSX upload unpacked (it is a ZIP archive: 10 MB sent can unpack to gigabytes)
MAX_UNPACKED_BYTES = WEB_MAX_UNPACKED
#: seconds the work for one upload may take before it is stopped
WORK_SECONDS = 120.0
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class WebReconciliation:
    result: ReconcileResult
    sections: list[Section]
    queued: int
    left_label: str
    right_label: str


def _check(upload: Upload, field: str) -> str:
    name = Path(upload.filename or "").name
    if not name:
        raise InputError(f"{field}: choose a file")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{field}: {name} is not a .csv or .xlsx file")
    if len(upload.content) > MAX_UPLOAD_BYTES:
        raise InputError(f"{field}: {name} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    return name


def run(
    db: Database,
    left: Upload,
    right: Upload,
    *,
    id_col: str | None,
    name_col: str,
    stop: StopSignal | None = None,
) -> WebReconciliation:
    """Reconcile two uploaded lists, using and feeding the registry's review queue (the use
    case of ``prisonwatch reconcile``: :func:`~prisonwatch.reconcile.usecase.reconcile_lists`).
    ``stop``: set when the client goes away or the server stops; the work checks it as it
    goes."""
    left_name, right_name = _check(left, "left"), _check(right, "right")
    limits = ReadLimits(max_unpacked=MAX_UNPACKED_BYTES)
    with tempfile.TemporaryDirectory(prefix="pw-upload-") as tmp:
        sides = []
        for i, (upload, name) in enumerate(((left, left_name), (right, right_name))):
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(upload.content)
            sides.append(ListFile(path, id_col, name_col, shown_name=name))
        done = reconcile_lists(sides[0], sides[1], registry=db, limits=limits, stop=stop)
    return WebReconciliation(
        done.result,
        sections(done.result, done.left_label, done.right_label),
        done.queued,
        done.left_label,
        done.right_label,
    )
