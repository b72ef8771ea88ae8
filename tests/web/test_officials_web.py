"""The officials pages and API over a registry with the EU FSF sample list imported and the
seeded judge matching a listed person under a private name: what each reader sees, the
filters, the editor forms (name, case link, a screening run)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import SECRETS, Seeded, csrf_of, login

from prisonwatch.screening.run import screen_officials
from prisonwatch.store.db import Database
from prisonwatch.store.officials import OfficialInput, OfficialNameInput, Officials
from prisonwatch.store.registry import CaseInput, Registry
from prisonwatch.store.sanctions import import_list

LISTED = "Khalid Shaikh Mohammed"  # EU FSF 191 (public name of a public judge)


@pytest.fixture
def screened(db: Database, seeded: Seeded, shared_data: Path) -> dict[str, int]:
    import_list(db, shared_data / "sanctions-samples/eu-fsf-2026-08-05-excerpt.xml", actor="t")
    with db.session() as s:
        w = Officials(s, "test")
        # the seeded public judge is also found on the list, but only under a private name
        w.add_name(seeded.judge, OfficialNameInput("Saddam Hussein", visibility="private"))
        case = Registry(s, "test").add_case(seeded.kolesnikova, CaseInput(articles="342"))
        listed = w.add(OfficialInput(role="judge", names=[OfficialNameInput(LISTED)]))
        w.link_case(listed.id, case.id)
        screen_officials(s, "test")
    return {"listed": listed.id}


def test_public_reader_sees_officials_of_public_cases_only(
    public_app: FastAPI, seeded: Seeded, screened: dict[str, int]
) -> None:
    client = TestClient(public_app)
    page = client.get("/officials")
    assert page.status_code == 200
    assert LISTED in page.text and "Judge Publicovich" in page.text
    assert SECRETS["hidden_case_judge"] not in page.text
    # the hit under the judge's private name is not shown, nor the name
    for path in ("/officials", f"/officials/{seeded.judge}", "/api/v1/officials/screening"):
        text = client.get(path).text
        assert "Saddam" not in text and SECRETS["private_official_name"] not in text, path
    assert client.get(f"/officials/{seeded.hidden_judge}").status_code == 404
    assert client.get(f"/api/v1/officials/{seeded.hidden_judge}").status_code == 404
    data = client.get("/api/v1/officials/screening?sanctioned_by=EU").json()
    assert [x["name"] for x in data["items"]] == [LISTED]
    assert data["items"][0]["hits"][0]["ref"] == "191"
    assert client.post(f"/officials/{seeded.judge}/names", data={"text": "X Y"}).status_code in (
        401,
        403,
    )


def test_editor_sees_everything_and_filters(
    client_for: Callable[[str | None], TestClient], seeded: Seeded, screened: dict[str, int]
) -> None:
    editor = client_for("editor")
    page = editor.get("/officials?sanctioned_by=EU")
    assert "Saddam" in page.text and LISTED in page.text  # the private name's hit too
    assert SECRETS["hidden_case_judge"] in editor.get("/officials").text
    none = editor.get("/api/v1/officials/screening?status=none").json()
    assert {x["name"] for x in none["items"]} == {SECRETS["hidden_case_judge"]}
    both = editor.get("/api/v1/officials/screening?sanctioned_by=EU&not_sanctioned_by=EU").json()
    assert both["count"] == 0
    assert editor.get("/api/v1/officials/screening?role=clerk").status_code == 422
    viewer = client_for("viewer")
    assert "Saddam" not in viewer.get("/officials").text


def test_editor_adds_a_name_links_a_case_and_screens(
    app: FastAPI, seeded: Seeded, screened: dict[str, int], db: Database
) -> None:
    editor = login(TestClient(app), "editor")
    page = editor.get(f"/officials/{seeded.hidden_judge}")
    token = csrf_of(page.text)
    resp = editor.post(
        f"/officials/{seeded.hidden_judge}/names",
        data={"text": "Khalid Sheikh Mohammed", "kind": "alias", "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    bad = editor.post(
        f"/officials/{seeded.hidden_judge}/cases",
        data={"case_id": "abc", "csrf_token": token},
    )
    assert bad.status_code == 422 and "is not a case id" in bad.text
    resp = editor.post("/officials/screen", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303
    shown = editor.get(f"/api/v1/officials/{seeded.hidden_judge}").json()
    assert shown["screening"]["status"] == "sanctioned"
    assert shown["screening"]["sanctioned_by"] == ["EU"]
    # linking the hidden judge to a public case makes them public
    viewer = login(TestClient(app), "viewer")
    assert viewer.get(f"/api/v1/officials/{seeded.hidden_judge}").status_code == 404
    with db.session() as s:
        case_id = Registry(s, "t").add_case(seeded.kolesnikova, CaseInput(articles="293")).id
    resp = editor.post(
        f"/api/v1/officials/{seeded.hidden_judge}/cases",
        json={"case_id": case_id},
        headers={"x-csrf-token": token},
    )
    assert resp.status_code == 200, resp.text
    assert viewer.get(f"/api/v1/officials/{seeded.hidden_judge}").status_code == 200


def test_belarusian_page(public_app: FastAPI, screened: dict[str, int]) -> None:
    client = TestClient(public_app)
    client.get("/prefs?lang=be")
    text = client.get("/officials").text
    assert "Службовыя асобы" in text and "пад санкцыямі" in text and "суддзя" in text


def test_review_queue_shows_an_official_only_under_a_public_name_of_a_shown_official(
    client_for: Callable[[str | None], TestClient], seeded: Seeded, db: Database
) -> None:
    from prisonwatch.store.official_screening import QueuePair, enqueue_pairs

    pairs = [
        (seeded.judge, "Judge Publicovich", "PUBLICOVICH, Judge"),
        (seeded.judge, SECRETS["private_official_name"], "ZZYZXJUDGE, H."),
        (seeded.hidden_judge, SECRETS["hidden_case_judge"], "QQXJUDGE, O."),
    ]
    with db.session() as s:
        enqueue_pairs(
            s,
            [
                QueuePair(f"official:{oid}", f"sanctions:EU:{i}", name, listed, 0.7, "test")
                for i, (oid, name, listed) in enumerate(pairs)
            ],
        )
    viewer = client_for("viewer").get("/api/v1/review").text
    assert "PUBLICOVICH, Judge" in viewer
    for _oid, name, listed in pairs[1:]:
        assert name not in viewer and listed not in viewer
    editor = client_for("editor").get("/api/v1/review").text
    assert all(listed in editor for _o, _n, listed in pairs)
