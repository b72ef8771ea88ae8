"""The sanctions pages and /api/v1/sanctions through the real web app on both backends: lists
with counts, a list's versions and diff, a target's names, facts and listings over time,
Belarusian, roles, and no private registry value on any of them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import SECRETS, login

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sanctions_testformat as tf
from prisonwatch.sanctions.model import PROPERTIES
from prisonwatch.store.db import Database
from prisonwatch.store.sanctions import import_list
from prisonwatch.store.schema_sanctions import SanctionsTarget
from prisonwatch.web.sanctions import VOCABULARY


@pytest.fixture
def lists(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Two versions of a list: Belavia delisted, an alias added, a person added."""
    tf.register(monkeypatch)
    targets = tf.base_targets(12)
    import_list(
        db,
        tf.write_list(
            tmp_path / "v1.json",
            targets,
            published="2025-06-01",
            authority="US OFAC",
            list_name="SDN",
        ),
        actor="test",
    )
    v2 = [t for t in targets if t["id"] != "O1"]
    v2[0] = tf.person(
        "P1",
        "LUKASHENKA, Alyaksandr",
        alias=["Лукашэнка Аляксандр", "Лукашенко Александр"],
        birthDate=["1954-08-30"],
        program=["BELARUS"],
        nationality=["by"],
    )
    v2.append(tf.person("P50", "NEW PERSON"))
    import_list(
        db,
        tf.write_list(
            tmp_path / "v2.json", v2, published="2025-11-04", authority="US OFAC", list_name="SDN"
        ),
        actor="test",
        accept_mass_removal=True,
    )
    from sqlalchemy import select

    with db.session() as s:
        ids = dict(s.execute(select(SanctionsTarget.ref, SanctionsTarget.id)).all())
    return {"list": 1, "belavia": ids["O1"], "lukashenka": ids["P1"]}


def test_pages_for_a_viewer(app: FastAPI, lists: dict[str, int]) -> None:
    c = login(TestClient(app), "viewer")
    home = c.get("/")
    assert 'href="/sanctions"' in home.text  # the nav link
    page = c.get("/sanctions")
    assert page.status_code == 200
    assert "US OFAC" in page.text and "SDN" in page.text and "1:2" in page.text
    assert "2025-11-04" in page.text
    lp = c.get(f"/sanctions/lists/{lists['list']}")
    assert lp.status_code == 200
    assert "Changes from version 1:1 to 1:2" in lp.text
    assert "BELAVIA" in lp.text and "NEW PERSON" in lp.text and "Лукашенко Александр" in lp.text
    assert f'href="/sanctions/targets/{lists["belavia"]}"' in lp.text
    first = c.get(f"/sanctions/lists/{lists['list']}?old=1&new=1")
    assert "No difference." in first.text
    assert c.get(f"/sanctions/lists/{lists['list']}?old=7").status_code == 422
    tp = c.get(f"/sanctions/targets/{lists['belavia']}")
    assert tp.status_code == 200
    assert "not listed now" in tp.text and "2025-11-04" in tp.text and "Белавиа" in tp.text
    lk = c.get(f"/sanctions/targets/{lists['lukashenka']}").text
    assert "Лукашэнка Аляксандр" in lk and "cyrillic" in lk and "birth date" in lk
    search = c.get("/sanctions?q=Lukashenko Aleksandr")
    assert f'href="/sanctions/targets/{lists["lukashenka"]}"' in search.text
    assert c.get("/sanctions/targets/999999").status_code == 404
    assert c.get("/sanctions/lists/999999").status_code == 404


def test_pages_in_belarusian(app: FastAPI, lists: dict[str, int]) -> None:
    c = login(TestClient(app), "viewer")
    c.get("/prefs?lang=be&next=/sanctions")
    assert "Санкцыйныя спісы" in c.get("/sanctions").text
    assert "Змены ад версіі 1:1 да 1:2" in c.get(f"/sanctions/lists/{lists['list']}").text
    assert "цяпер не ў спісе" in c.get(f"/sanctions/targets/{lists['belavia']}").text


def test_api(app: FastAPI, lists: dict[str, int]) -> None:
    c = login(TestClient(app), "viewer")
    [lst] = c.get("/api/v1/sanctions/lists").json()["lists"]
    assert lst["latest"]["targets"] == 12 and lst["latest"]["organisations"] == 0
    assert lst["versions"] == 2
    detail = c.get(f"/api/v1/sanctions/lists/{lists['list']}").json()
    assert [v["cause"] for v in detail["versions"]] == ["publisher", "first"]
    d = c.get(f"/api/v1/sanctions/lists/{lists['list']}/diff").json()
    assert {"added", "removed", "changed", "old", "new"} <= d.keys()
    assert d["removed"] == [{"id": "O1", "name": "BELAVIA", "kind": "organisation"}]
    assert d["changed"][0]["fields"]["alias"]["added"] == ["Лукашенко Александр"]
    same = c.get("/api/v1/sanctions/diff", params={"old": "1:1", "new": "1:latest"}).json()
    assert same["added"] == d["added"] and same["removed"] == d["removed"]
    assert c.get("/api/v1/sanctions/diff", params={"old": "1:1"}).status_code == 422
    assert c.get("/api/v1/sanctions/diff", params={"old": "1:1", "new": "1:9"}).status_code == 404
    hits = c.get("/api/v1/sanctions/targets", params={"q": "O1"}).json()["targets"]
    assert [h["id"] for h in hits] == [lists["belavia"]]
    t = c.get(f"/api/v1/sanctions/targets/{lists['belavia']}").json()
    assert t["listed_now"] is False
    assert t["listings"][0]["delisted"] == {"version": "1:2", "date": "2025-11-04"}
    assert c.get("/api/v1/sanctions/targets").status_code == 422
    assert c.get("/api/v1/sanctions/targets/999999").status_code == 404
    schema = c.get("/api/v1/openapi.json").json()
    assert "/api/v1/sanctions/lists/{list_id}/diff" in schema["paths"]


def test_login_required_and_public_view(
    app: FastAPI, public_app: FastAPI, lists: dict[str, int]
) -> None:
    anon = TestClient(app)
    assert anon.get("/api/v1/sanctions/lists").status_code == 401
    assert anon.get("/sanctions", follow_redirects=False).status_code in (302, 303, 401)
    public = TestClient(public_app)
    paths = [
        "/sanctions",
        "/sanctions?q=Zzyzxprivat",
        "/sanctions?q=Statkevich",
        f"/sanctions/lists/{lists['list']}",
        f"/sanctions/targets/{lists['belavia']}",
        "/api/v1/sanctions/lists",
        f"/api/v1/sanctions/lists/{lists['list']}",
        f"/api/v1/sanctions/lists/{lists['list']}/diff",
        "/api/v1/sanctions/targets?q=Zzyzxprivat",
        f"/api/v1/sanctions/targets/{lists['lukashenka']}",
    ]
    for path in paths:
        resp = public.get(path)
        assert resp.status_code == 200, path
        for label, secret in SECRETS.items():
            assert secret not in resp.text, (path, label)


def test_every_property_has_a_label() -> None:
    assert {f"prop:{p}" for p in PROPERTIES} <= set(VOCABULARY)


def test_the_import_shows_in_the_audit_log(app: FastAPI, lists: dict[str, int]) -> None:
    page = login(TestClient(app), "admin").get("/audit?per_page=200")
    assert page.status_code == 200
    assert "sanctions_version" in page.text and "v2.json" in page.text
