"""Lists: two uploaded files → the report → the review queue → a decision."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import csrf_of

from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, Judgement

DEMANDED = ("id,name\n1,Мікалай Статкевіч\n2,Марыя Калеснікава\n3,Ihar Losik\n"
            "4,Aliaksandr Milinkevich\n5,Maksim Znak\n")
RELEASED = ("id,name\na,Mikalai Statkevich\nb,Igor Losik\nc,Lukashenka Aliaksandr\n"
            "d,Maksym Znakh\n")


def test_upload_reconcile_and_decide(
    client_for: Callable[[str | None], TestClient], db: Database
) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    resp = c.post("/lists/reconcile", data={"csrf_token": token, "name_col": "name",
                                            "id_col": "id"},
                  files={"left": ("demanded.csv", DEMANDED.encode(), "text/csv"),
                         "right": ("released.csv", RELEASED.encode(), "text/csv")})
    assert resp.status_code == 200, resp.text
    html = resp.text
    assert "demanded × released" in html
    assert "Mikalai Statkevich" in html
    queue = c.get("/review").text
    items = c.get("/api/v1/review").json()["items"]
    assert [(i["left_name"], i["right_name"]) for i in items] == [("Maksim Znak",
                                                                   "Maksym Znakh")]
    item = items[0]
    assert item["left_name"] in queue
    resp = c.post(f"/review/{item['id']}", data={"csrf_token": token, "decision": "same",
                                                 "note": "same birth date"},
                  follow_redirects=False)
    assert resp.status_code == 303
    with db.session() as s:
        j = s.scalar(select(Judgement).order_by(Judgement.id.desc()))
        assert j is not None and j.decision == "same" and j.user == "web:editor"
        assert s.scalar(select(AuditEntry).where(AuditEntry.entity_type == "judgement"))
    again = c.post(f"/review/{item['id']}", data={"csrf_token": token, "decision": "different"})
    assert again.status_code == 409


def test_bad_uploads_are_explained(client_for: Callable[[str | None], TestClient]) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/lists").text)
    resp = c.post("/lists/reconcile", data={"csrf_token": token},
                  files={"left": ("a.txt", b"x", "text/plain"),
                         "right": ("b.csv", RELEASED.encode(), "text/csv")})
    assert resp.status_code == 422 and "not a .csv or .xlsx" in resp.text
    resp = c.post("/lists/reconcile", data={"csrf_token": token, "name_col": "full_name"},
                  files={"left": ("a.csv", DEMANDED.encode(), "text/csv"),
                         "right": ("b.csv", RELEASED.encode(), "text/csv")})
    assert resp.status_code == 422 and "a.csv" in resp.text
