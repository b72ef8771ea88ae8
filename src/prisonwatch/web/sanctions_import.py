"""Editors import a sanctions list from the browser: ``/sanctions/import``.

Only translates: the uploaded file(s) are written into a private temporary folder under the
names they were sent with (an OFAC CSV set is several files: ``sdn.csv``, ``alt.csv``,
``add.csv``, …, chosen together), and :func:`prisonwatch.store.sanctions.import_list` reads
them exactly as ``prisonwatch sanctions import`` does — format from the content, all or
nothing, the mass-removal guard, one audit entry per version. There is no JSON API for this:
the API's bodies are limited to 1 MB and a full OFAC file is over 100 MB; scripts use the CLI.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from prisonwatch.dates import PartialDateError, parse_day
from prisonwatch.sanctions.model import SanctionsFormatError
from prisonwatch.store.sanctions import ImportResult, SanctionsImportError, import_list
from prisonwatch.web.context import ctx
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, checked_form, editor

router = APIRouter(include_in_schema=False)

#: The largest upload, all files together (a full OFAC advanced XML is about 150 MB).
MAX_UPLOAD_BYTES = 300 * 1024 * 1024
#: At most this many files (an OFAC CSV set has four or five).
MAX_FILES = 8


class UploadRefused(Exception):
    """The upload itself is unusable (no file, too large, a bad name or date)."""


def _files(form: FormData) -> list[UploadFile]:
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise UploadRefused("choose the list file (or every file of an OFAC CSV set)")
    if len(files) > MAX_FILES:
        raise UploadRefused(f"at most {MAX_FILES} files at once")
    total = sum(f.size or 0 for f in files)
    if total > MAX_UPLOAD_BYTES:
        raise UploadRefused(f"the upload is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    names = [Path(f.filename or "").name for f in files]
    if any(not n or n.startswith(".") for n in names) or len(set(names)) != len(names):
        raise UploadRefused("each file needs a plain name of its own")
    return files


def _as_of(form: FormData) -> dt.date | None:
    raw = str(form.get("as_of") or "").strip()
    if not raw:
        return None
    try:
        return parse_day(raw)
    except PartialDateError as exc:
        raise UploadRefused(f"as of: {exc}") from None


def _import(
    files: list[UploadFile], *, actor: str, as_of: dt.date | None, accept: bool, request: Request
) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix="pw-sanctions-") as tmp:  # 0700
        folder = Path(tmp)
        paths = []
        for f in files:
            path = folder / Path(f.filename or "").name
            f.file.seek(0)
            with path.open("wb") as out:
                shutil.copyfileobj(f.file, out, 1 << 20)
            paths.append(path)
        # one file is imported as itself (its name shows in the version); several as the folder
        target = paths[0] if len(paths) == 1 else folder
        return import_list(
            ctx(request).db,
            target,
            actor=actor,
            as_of=as_of,
            accept_mass_removal=accept,
        )


@router.get("/sanctions/import")
def import_form(request: Request, r: Reader = Depends(editor)) -> Response:
    return render(request, "sanctions/import.html", error=None, result=None)


@router.post("/sanctions/import")
async def import_upload(
    request: Request, r: Reader = Depends(editor), form: FormData = Depends(checked_form)
) -> Response:
    try:
        files = _files(form)
        as_of = _as_of(form)
        accept = form.get("accept_mass_removal") == "1"
        result = await run_in_threadpool(
            _import, files, actor=r.actor, as_of=as_of, accept=accept, request=request
        )
    except (UploadRefused, SanctionsFormatError, SanctionsImportError) as exc:
        return render(request, "sanctions/import.html", 422, error=str(exc), result=None)
    return render(request, "sanctions/import.html", error=None, result=result)


__all__ = ["router"]
