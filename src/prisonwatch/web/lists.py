"""Running a reconciliation of two uploaded lists for the web (the logic is in
:mod:`prisonwatch.reconcile`; this only stores the uploads in temporary files and queues the
review pairs)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from prisonwatch.io.limits import WEB_MAX_UNPACKED, ReadLimits, StopSignal, WorkStopped
from prisonwatch.reconcile import InputError, ReconcileResult, read_list, reconcile
from prisonwatch.reconcile.report import Section, sections
from prisonwatch.reconcile.review import enqueue, load_graph
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
    """Reconcile two uploaded lists, using and feeding the registry's review queue. ``stop``:
    set when the client goes away or the server stops; reading checks it as it goes."""
    left_name, right_name = _check(left, "left"), _check(right, "right")
    limits = ReadLimits(max_unpacked=MAX_UNPACKED_BYTES, stop=stop)
    with tempfile.TemporaryDirectory(prefix="pw-upload-") as tmp:
        paths = []
        for i, (upload, name) in enumerate(((left, left_name), (right, right_name))):
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(upload.content)
            paths.append(path)
        lrows = read_list(paths[0], id_col, name_col, original_filename=left_name, limits=limits)
        rrows = read_list(paths[1], id_col, name_col, original_filename=right_name, limits=limits)
    if stop is not None:
        try:
            stop.check()
        except WorkStopped as exc:
            raise InputError(f"the reconciliation was stopped: {exc}") from None
    with db.session() as s:
        graph = load_graph(s)
    # the matching reports progress as it goes: each report checks the stop signal
    check = (lambda _stage, _done, _total: stop.check()) if stop is not None else None
    try:
        result = reconcile(lrows, rrows, judgements=graph, progress=check)
    except WorkStopped as exc:
        raise InputError(f"the reconciliation was stopped: {exc}") from None
    with db.session() as s:
        queued = enqueue(s, result, f"{left_name} × {right_name}")
    left_label, right_label = Path(left_name).stem, Path(right_name).stem
    return WebReconciliation(
        result, sections(result, left_label, right_label), queued, left_label, right_label
    )
