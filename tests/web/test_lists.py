"""Lists: two uploaded files → the report → the review queue → a decision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import csrf_of

from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, Judgement

DEMANDED = (
    "id,name\n1,Мікалай Статкевіч\n2,Марыя Калеснікава\n3,Ihar Losik\n"
    "4,Aliaksandr Milinkevich\n5,Maksim Znak\n"
)
RELEASED = "id,name\na,Mikalai Statkevich\nb,Igor Losik\nc,Lukashenka Aliaksandr\nd,Maksym Znakh\n"


def test_upload_reconcile_and_decide(
    client_for: Callable[[str | None], TestClient], db: Database
) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    resp = c.post(
        "/lists/reconcile",
        data={"csrf_token": token, "name_col": "name", "id_col": "id"},
        files={
            "left": ("demanded.csv", DEMANDED.encode(), "text/csv"),
            "right": ("released.csv", RELEASED.encode(), "text/csv"),
        },
    )
    assert resp.status_code == 200, resp.text
    html = resp.text
    assert "demanded × released" in html
    assert "Mikalai Statkevich" in html
    queue = c.get("/review").text
    items = c.get("/api/v1/review").json()["items"]
    assert [(i["left_name"], i["right_name"]) for i in items] == [("Maksim Znak", "Maksym Znakh")]
    item = items[0]
    assert item["left_name"] in queue
    resp = c.post(
        f"/review/{item['id']}",
        data={"csrf_token": token, "decision": "same", "note": "same birth date"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    with db.session() as s:
        j = s.scalar(select(Judgement).order_by(Judgement.id.desc()))
        assert j is not None and j.decision == "same" and j.user == "web:editor"
        assert s.scalar(select(AuditEntry).where(AuditEntry.entity_type == "judgement"))
    again = c.post(f"/review/{item['id']}", data={"csrf_token": token, "decision": "different"})
    assert again.status_code == 409


def test_review_errors_answer_by_their_type(
    client_for: Callable[[str | None], TestClient], db: Database
) -> None:
    """The page and the API map the same review failure to the same status, chosen by the
    error's type (an unknown item is 404, a decided one 409) — not by its message."""
    from prisonwatch.store.schema import ReviewItem

    with db.session() as s:
        item = ReviewItem(left_key="l:1", right_key="r:1", left_name="A", right_name="B", score=0.7)
        s.add(item)
        s.flush()
        item_id = item.id
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    headers = {"X-CSRF-Token": token}

    def page(target: int) -> int:
        form = {"csrf_token": token, "decision": "same"}
        return c.post(f"/review/{target}", data=form, follow_redirects=False).status_code

    def api(target: int) -> int:
        body = {"decision": "same"}
        return c.post(f"/api/v1/review/{target}", json=body, headers=headers).status_code

    for post in (page, api):
        assert post(item_id + 1000) == 404, post.__name__
    assert page(item_id) == 303
    for post in (page, api):
        assert post(item_id) == 409, post.__name__


def test_bad_uploads_are_explained(client_for: Callable[[str | None], TestClient]) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    resp = c.post(
        "/lists/reconcile",
        data={"csrf_token": token},
        files={
            "left": ("a.txt", b"x", "text/plain"),
            "right": ("b.csv", RELEASED.encode(), "text/csv"),
        },
    )
    assert resp.status_code == 422 and "not a .csv or .xlsx" in resp.text
    resp = c.post(
        "/lists/reconcile",
        data={"csrf_token": token, "name_col": "full_name"},
        files={
            "left": ("a.csv", DEMANDED.encode(), "text/csv"),
            "right": ("b.csv", RELEASED.encode(), "text/csv"),
        },
    )
    assert resp.status_code == 422 and "a.csv" in resp.text


def _xlsx_bytes(
    sheet_xml_change: Callable[[str], str] | None = None, extra_rows_mb: int = 0
) -> bytes:
    """A workbook made here: one name list, its sheet XML changed (a declared size) or padded
    with ``extra_rows_mb`` MB of rows (a zip bomb: packs to a fraction of that)."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["id", "name"], [1, "Мікалай Статкевіч"]):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    if sheet_xml_change:
        sheet = sheet_xml_change(sheet)
    head, tail = sheet.split("</sheetData>")
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>Ihar Losik</t></is></c></row>'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head.encode())
            for _ in range(extra_rows_mb):
                fh.write(row * (2**20 // len(row)))
            fh.write(("</sheetData>" + tail).encode())
    return out.getvalue()


def test_xlsx_bombs_are_refused(client_for: Callable[[str | None], TestClient]) -> None:
    import re

    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    whole_sheet = _xlsx_bytes(
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    )
    unpacks_big = _xlsx_bytes(extra_rows_mb=60)
    assert len(whole_sheet) < 10_000 and len(unpacks_big) < 10 * 2**20
    for data, fragment in (
        (whole_sheet, "declares A1:XFD1048576"),
        (unpacks_big, "unpacks to 60 MB, more than the 50 MB"),
    ):
        resp = c.post(
            "/lists/reconcile",
            data={"csrf_token": token},
            files={
                "left": ("a.xlsx", data, "application/octet-stream"),
                "right": ("b.csv", RELEASED.encode(), "text/csv"),
            },
        )
        assert resp.status_code == 422, resp.text
        assert fragment in resp.text


def test_uploaded_lists_follow_the_input_rule(
    client_for: Callable[[str | None], TestClient],
) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    for text, fragment in (
        ("id,name\n1,Ihar\u202eLosik\n", "U+202E"),
        ("id,name\n1,Ihar\x00Losik\n", "U+0000"),
        ('id,name\n1,"Ihar Losik\n2,Maksim Znak\n', "never closed"),
    ):
        resp = c.post(
            "/lists/reconcile",
            data={"csrf_token": token},
            files={
                "left": ("a.csv", text.encode(), "text/csv"),
                "right": ("b.csv", RELEASED.encode(), "text/csv"),
            },
        )
        assert resp.status_code == 422, resp.text
        assert "row 2" in resp.text and fragment in resp.text


def test_work_stops_when_the_client_goes_away() -> None:
    """The reconciliation runs in a worker thread; when the client disconnects the thread is
    told to stop (it checks as it reads) instead of working on for nobody."""
    import asyncio
    import time

    import pytest
    from starlette.requests import Request

    from prisonwatch.io.limits import StopSignal, WorkStopped
    from prisonwatch.web.routes_lists import _until_stopped

    async def gone() -> dict[str, str]:
        return {"type": "http.disconnect"}

    request = Request({"type": "http", "method": "POST", "path": "/", "headers": []}, gone)
    stop = StopSignal(seconds=600)  # the reason says which stopped it: not the clock

    def work() -> object:
        while True:  # a long read, checking the signal as tabular's readers do
            stop.check()
            time.sleep(0.01)

    with pytest.raises(WorkStopped, match="the client went away"):
        asyncio.run(_until_stopped(request, stop, work))  # type: ignore[arg-type]


def test_served_bomb_upload_is_refused_and_sigterm_is_honoured(tmp_path: Path) -> None:
    """Over HTTP against `prisonwatch serve`: the 4.8 KB whole-sheet XLSX is refused at once
    (it used to keep the worker busy after the client left, and SIGTERM was then ignored), and
    the server stops on SIGTERM."""
    import os
    import re
    import signal
    import subprocess
    import sys
    import time

    import httpx
    import pytest
    from webhelpers import PASSWORD, free_port, login

    from prisonwatch.store.users import create_user

    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    db = Database(url)
    db.migrate()
    with db.session() as s:
        create_user(s, "anna", PASSWORD, "editor", actor="test")
    port = free_port()
    env = {**os.environ, "PRISONWATCH_INDEX_CACHE": "off", "PRISONWATCH_SECRET_KEY": "test"}
    cli = str(Path(sys.executable).with_name("prisonwatch"))
    proc = subprocess.Popen(
        [cli, "serve", "--db", url, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/v1/health", timeout=5)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=120) as client:
            login(client, "anna")  # type: ignore[arg-type]
            token = csrf_of(client.get("/lists").text)
            bomb = _xlsx_bytes(
                lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
            )
            resp = client.post(
                "/lists/reconcile",
                data={"csrf_token": token},
                files={
                    "left": ("a.xlsx", bomb, "application/octet-stream"),
                    "right": ("b.csv", RELEASED.encode(), "text/csv"),
                },
            )
            assert resp.status_code == 422 and "declares A1:XFD1048576" in resp.text
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            pytest.fail("the server did not stop on SIGTERM")


def test_run_stops_when_its_time_is_up(db: Database) -> None:
    import pytest

    from prisonwatch.io.limits import StopSignal
    from prisonwatch.reconcile import InputError
    from prisonwatch.web.lists import Upload, run

    with pytest.raises(InputError, match="stopped: it took longer than 0 s"):
        run(
            db,
            Upload("a.csv", DEMANDED.encode()),
            Upload("b.csv", RELEASED.encode()),
            id_col="id",
            name_col="name",
            stop=StopSignal(seconds=0),
        )
