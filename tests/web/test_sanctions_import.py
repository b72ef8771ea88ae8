"""Editors import sanctions lists from the browser (``/sanctions/import``), on both backends:
a real EU file and the OFAC CSV set as several files, re-importing changes nothing, a broken
file is refused with nothing stored, and only editors may import (with a CSRF token)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webhelpers import csrf_of

from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry
from prisonwatch.store.schema_sanctions import SanctionsList, SanctionsVersion

Client = Callable[[str | None], TestClient]
SAMPLES = "sanctions-samples"


def _files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def _versions(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(SanctionsVersion)) or 0)


def test_an_editor_imports_a_list_and_the_same_file_again(
    client_for: Client, db: Database, shared_data: Path
) -> None:
    editor = client_for("editor")
    form = editor.get("/sanctions/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    token = csrf_of(form.text)
    eu = shared_data / SAMPLES / "eu-fsf-2026-08-05-excerpt.xml"
    resp = editor.post("/sanctions/import", data={"csrf_token": token}, files=_files(eu))
    assert resp.status_code == 200, resp.text
    html = resp.text
    assert "Imported" in html and "eu_fsf_xml" in html and "2026-08-05" in html
    assert "Targets</dt><dd>4 (Persons 2, Organisations 2" in html
    with db.session() as s:
        lst = s.scalars(select(SanctionsList)).one()
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_type.like("sanctions%"))
        ).first()
    assert f'href="/sanctions/lists/{lst.id}"' in html
    assert entry is not None and entry.actor == "web:editor"
    # the same bytes again: nothing changes
    again = editor.post("/sanctions/import", data={"csrf_token": token}, files=_files(eu))
    assert again.status_code == 200 and "Already imported: nothing changed" in again.text
    assert _versions(db) == 1
    listing = editor.get("/api/v1/sanctions/lists").json()
    assert [(x["versions"], x["latest"]["targets"]) for x in listing["lists"]] == [(1, 4)]


def test_the_ofac_csv_set_is_sent_as_several_files(
    client_for: Client, db: Database, shared_data: Path
) -> None:
    editor = client_for("editor")
    token = csrf_of(editor.get("/sanctions/import").text)
    folder = shared_data / SAMPLES / "ofac-sdn-csv-2021-07-sample"
    resp = editor.post(
        "/sanctions/import",
        data={"csrf_token": token, "as_of": "2021-07-07"},
        files=_files(*(folder / n for n in ("sdn.csv", "alt.csv", "add.csv"))),
    )
    assert resp.status_code == 200, resp.text
    assert "ofac_csv" in resp.text
    assert (
        "Targets</dt><dd>240 (Persons 108, Organisations 125, Vessels 3, Aircraft 4)" in resp.text
    )


def test_bad_uploads_are_refused_and_nothing_is_stored(
    client_for: Client, db: Database, shared_data: Path, tmp_path: Path
) -> None:
    editor = client_for("editor")
    token = csrf_of(editor.get("/sanctions/import").text)
    whole = (shared_data / SAMPLES / "eu-fsf-2026-08-05-excerpt.xml").read_bytes()
    cut = tmp_path / "eu-truncated.xml"
    cut.write_bytes(whole[: len(whole) // 2])
    resp = editor.post("/sanctions/import", data={"csrf_token": token}, files=_files(cut))
    assert resp.status_code == 422
    assert "eu-truncated.xml" in resp.text and "nothing was imported" in resp.text
    unknown = tmp_path / "notes.txt"
    unknown.write_text("Belavia was delisted on 4 November 2025.\n")
    resp = editor.post("/sanctions/import", data={"csrf_token": token}, files=_files(unknown))
    assert resp.status_code == 422 and "nothing was imported" in resp.text
    resp = editor.post("/sanctions/import", data={"csrf_token": token})
    assert resp.status_code == 422 and "choose the list file" in resp.text
    resp = editor.post(
        "/sanctions/import",
        data={"csrf_token": token, "as_of": "2025-02-30"},
        files=_files(shared_data / SAMPLES / "eu-fsf-2026-08-05-excerpt.xml"),
    )
    assert resp.status_code == 422 and "as of" in resp.text
    assert _versions(db) == 0


def test_only_editors_import(client_for: Client, db: Database, shared_data: Path) -> None:
    eu = shared_data / SAMPLES / "eu-fsf-2026-08-05-excerpt.xml"
    viewer = client_for("viewer")
    assert viewer.get("/sanctions/import").status_code == 403
    assert "/sanctions/import" not in viewer.get("/sanctions").text
    token = csrf_of(viewer.get("/sanctions").text)
    resp = viewer.post("/sanctions/import", data={"csrf_token": token}, files=_files(eu))
    assert resp.status_code == 403
    anonymous = client_for(None)
    resp = anonymous.post("/sanctions/import", files=_files(eu), follow_redirects=False)
    assert resp.status_code in (303, 401, 403)  # to the login page, or refused
    assert resp.status_code != 303 or resp.headers["location"].startswith("/login")
    editor = client_for("editor")
    assert 'href="/sanctions/import"' in editor.get("/sanctions").text
    # without the CSRF token nothing is read
    assert editor.post("/sanctions/import", files=_files(eu)).status_code == 403
    assert _versions(db) == 0
