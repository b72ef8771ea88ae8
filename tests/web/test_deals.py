"""Deals in the web app and the JSON API, on SQLite and PostgreSQL: the deal page lists what
was given and the people released, person pages link their release to the deal, roles
(viewers read, editors write), privacy, audit entries, English and Belarusian."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import SECRETS, Seeded, csrf_of

from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry

Client = Callable[[str | None], TestClient]


def test_public_deal_page_shows_what_was_given_and_hides_private_people(
    public_app: FastAPI, seeded: Seeded
) -> None:
    c = TestClient(public_app)
    listing = c.get("/deals").text
    assert f'href="/deals/{seeded.deal}"' in listing
    assert SECRETS["private_deal"] not in listing
    page = c.get(f"/deals/{seeded.deal}")
    assert page.status_code == 200
    html = page.text
    for text in (
        "Release of 52 (Belavia)",
        "general licence",
        "stated officially",
        "BELAVIA",
        "OFAC-1",
        "US OFAC",
        "LRT report",
        "United States; Belarus",
    ):
        assert text in html, text
    # the only linked person is linked through a private event: not listed, not counted
    assert "No released people are linked to this deal." in html
    assert "not shown on public pages" not in html
    assert f"/people/{seeded.statkevich}" not in html
    assert c.get(f"/deals/{seeded.private_deal}").status_code == 404
    assert c.get(f"/api/v1/deals/{seeded.private_deal}").status_code == 404
    data = c.get(f"/api/v1/deals/{seeded.deal}").json()
    assert data["released"] == [] and "not_public" not in data
    assert [x["kind"] for x in data["concessions"]] == ["general_licence"]


def test_staff_see_private_links_and_the_count_the_public_does_not_see(
    client_for: Client, seeded: Seeded
) -> None:
    editor = client_for("editor")
    html = editor.get(f"/deals/{seeded.deal}").text
    assert f"/people/{seeded.statkevich}" in html
    assert "not public" in html
    assert "1 of them is not shown on public pages" in html
    assert SECRETS["private_concession"] in html
    assert SECRETS["private_deal"] in editor.get("/deals").text
    assert editor.get(f"/api/v1/deals/{seeded.deal}").json()["not_public"] == 1
    viewer = client_for("viewer")
    html = viewer.get(f"/deals/{seeded.deal}").text
    assert SECRETS["private_concession"] not in html
    assert f"/people/{seeded.statkevich}" not in html
    assert "not shown on public pages" not in html


def test_an_editor_links_a_release_and_the_person_page_shows_the_deal(
    client_for: Client, seeded: Seeded, db: Database, public_app: FastAPI
) -> None:
    editor = client_for("editor")
    viewer = client_for("viewer")
    headers = {"X-CSRF-Token": csrf_of(editor.get("/deals/new").text)}
    resp = editor.post(
        f"/api/v1/people/{seeded.kolesnikova}/events",
        json={"kind": "expelled_abroad", "date": "2025-09-11", "destination_country": "Lithuania"},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    body = {"person_id": seeded.kolesnikova}
    assert viewer.post(f"/api/v1/deals/{seeded.deal}/people", json=body).status_code == 403
    resp = editor.post(f"/api/v1/deals/{seeded.deal}/people", json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["changed"] is True
    public = TestClient(public_app)
    person = public.get(f"/people/{seeded.kolesnikova}").text
    assert "Part of a deal:" in person and f'href="/deals/{seeded.deal}"' in person
    deal = public.get(f"/deals/{seeded.deal}").text
    assert f'href="/people/{seeded.kolesnikova}"' in deal and "Lithuania" in deal
    assert public.get("/api/v1/deals").json()["items"][0]["released"] == 1
    # a person without a release near the deal's date is refused with the reason
    resp = editor.post(
        f"/api/v1/deals/{seeded.deal}/people", json={"person_id": seeded.hidden}, headers=headers
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["details"][0]["field"] == "person"
    with db.session() as s:
        link = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_type == "event",
                AuditEntry.person_id == seeded.kolesnikova,
                AuditEntry.action == "update",
            )
        ).one()
    assert (link.actor, link.after) == (
        "web:editor",
        {"deal_id": seeded.deal, "visibility": "public"},
    )


def test_editor_forms_add_a_deal_and_a_concession(
    client_for: Client, seeded: Seeded, db: Database
) -> None:
    editor = client_for("editor")
    form = editor.get("/deals/new")
    assert form.status_code == 200
    token = csrf_of(form.text)
    resp = editor.post(
        "/deals/new",
        data={
            "csrf_token": token,
            "title": "Release of six",
            "date": "2015-08",
            "parties": "United States; Belarus",
            "visibility": "public",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    url = resp.headers["location"]
    deal_id = int(url.rsplit("/", 1)[1])
    bad = editor.post(
        f"{url}/concessions",
        data={"csrf_token": token, "kind": "general_licence", "certainty": "rumour"},
    )
    assert bad.status_code == 422 and "certainty" in bad.text
    resp = editor.post(
        f"{url}/concessions",
        data={
            "csrf_token": token,
            "kind": "general_licence",
            "certainty": "reported",
            "authority": "US OFAC",
            "target_name": "BELNEFTEKHIM",
            "date": "2015-10",
            "description": "nine Belneftekhim-group entities",
            "source_ids": str(seeded.source),
            "visibility": "public",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    html = editor.get(url).text
    assert "BELNEFTEKHIM" in html and "reported" in html and "LRT report" in html
    # without the CSRF token nothing is written
    assert editor.post("/deals/new", data={"title": "x"}).status_code == 403
    assert client_for("viewer").get("/deals/new").status_code == 403
    with db.session() as s:
        actors = {
            (e.actor, e.entity_type)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.context == "web"))
        }
    assert {("web:editor", "deal"), ("web:editor", "concession")} <= actors
    assert deal_id != seeded.deal


def test_api_writes_validate_and_need_an_editor(client_for: Client, seeded: Seeded) -> None:
    editor = client_for("editor")
    headers = {"X-CSRF-Token": csrf_of(editor.get("/deals/new").text)}
    viewer = client_for("viewer")
    assert viewer.post("/api/v1/deals", json={"title": "x"}).status_code == 403
    resp = editor.post(
        "/api/v1/deals",
        json={"title": "Embassy deal", "date": "2026-02", "parties": ["USA", "Belarus"]},
        headers=headers,
    )
    assert resp.status_code == 201
    deal_id = resp.json()["id"]
    resp = editor.post(
        f"/api/v1/deals/{deal_id}/concessions",
        json={"kind": "bribe", "certainty": "reported"},
        headers=headers,
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["details"][0]["field"] == "kind"
    resp = editor.post(
        f"/api/v1/deals/{deal_id}/concessions",
        json={
            "kind": "embassy_reopening",
            "certainty": "inferred",
            "authority": "US State Department",
            "date": "2026-03",
        },
        headers=headers,
    )
    assert resp.status_code == 201
    got = viewer.get(f"/api/v1/deals/{deal_id}").json()
    assert got["parties"] == ["USA", "Belarus"]
    assert [(c["kind"], c["certainty"]) for c in got["concessions"]] == [
        ("embassy_reopening", "inferred")
    ]
    assert (
        editor.post(
            "/api/v1/deals/999999/concessions",
            json={"kind": "other", "certainty": "reported"},
            headers=headers,
        ).status_code
        == 404
    )
    target = viewer.get(
        "/api/v1/concessions", params={"authority": "us ofac", "ref": "OFAC-1"}
    ).json()
    assert [(x["deal_id"], x["target_name"]) for x in target["items"]] == [(seeded.deal, "BELAVIA")]


def test_deal_pages_in_belarusian(public_app: FastAPI, seeded: Seeded) -> None:
    c = TestClient(public_app)
    c.get("/prefs?lang=be")
    html = c.get(f"/deals/{seeded.deal}").text
    for text in ("Што было дадзена", "генеральная ліцэнзія", "заяўлена афіцыйна", "Здзелкі"):
        assert text in html, text


def test_editors_edit_a_deal_unlink_a_release_and_delete_a_concession(
    client_for: Client, seeded: Seeded, db: Database, public_app: FastAPI
) -> None:
    editor = client_for("editor")
    viewer = client_for("viewer")
    page = editor.get(f"/deals/{seeded.deal}")
    assert f'href="/deals/{seeded.deal}/edit"' in page.text
    assert f'/deals/{seeded.deal}/edit"' not in viewer.get(f"/deals/{seeded.deal}").text
    assert viewer.get(f"/deals/{seeded.deal}/edit").status_code == 403
    form = editor.get(f"/deals/{seeded.deal}/edit")
    assert form.status_code == 200 and 'value="Release of 52 (Belavia)"' in form.text
    token = csrf_of(form.text)
    bad = editor.post(
        f"/deals/{seeded.deal}/edit",
        data={"csrf_token": token, "title": "", "visibility": "public"},
    )
    assert bad.status_code == 422 and "a deal needs a title" in bad.text
    resp = editor.post(
        f"/deals/{seeded.deal}/edit",
        data={
            "csrf_token": token,
            "title": "Release of 52 for Belavia",
            "date": "2025-09-11",
            "parties": "United States; Belarus",
            "visibility": "public",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    public = TestClient(public_app)
    assert "Release of 52 for Belavia" in public.get(f"/deals/{seeded.deal}").text
    # the JSON API: PATCH, then unlink the (private) release event and delete the concession
    headers = {"X-CSRF-Token": token}
    assert viewer.patch(f"/api/v1/deals/{seeded.deal}", json={"summary": "x"}).status_code == 403
    resp = editor.patch(
        f"/api/v1/deals/{seeded.deal}", json={"summary": "GL for Belavia"}, headers=headers
    )
    assert resp.status_code == 200 and resp.json()["summary"] == "GL for Belavia"
    assert (
        editor.patch(
            f"/api/v1/deals/{seeded.deal}", json={"visibility": "secret"}, headers=headers
        ).json()["error"]["details"][0]["field"]
        == "visibility"
    )
    view = editor.get(f"/api/v1/deals/{seeded.deal}").json()
    event_id = view["released"][0]["event_id"]
    concession_ids = [c["id"] for c in view["concessions"]]
    assert (
        editor.delete(
            f"/api/v1/deals/{seeded.private_deal}/events/{event_id}", headers=headers
        ).status_code
        == 422
    )
    resp = editor.delete(f"/api/v1/deals/{seeded.deal}/events/{event_id}", headers=headers)
    assert resp.status_code == 200 and resp.json() == {"event_id": event_id, "deal_id": None}
    # the page's form deletes one concession, the API the others; a foreign id is a 404
    resp = editor.post(
        f"/deals/{seeded.private_deal}/concessions/{concession_ids[0]}/delete",
        data={"csrf_token": token},
    )
    assert resp.status_code == 404
    resp = editor.post(
        f"/deals/{seeded.deal}/concessions/{concession_ids[0]}/delete",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    for cid in concession_ids[1:]:
        path = f"/api/v1/deals/{seeded.deal}/concessions/{cid}"
        assert editor.delete(path, headers=headers).status_code == 204
    after = editor.get(f"/api/v1/deals/{seeded.deal}").json()
    assert after["released"] == [] and after["concessions"] == []
    with db.session() as s:
        done = {
            (e.actor, e.context, e.action, e.entity_type)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.context.in_(("web", "api"))))
        }
    assert {
        ("web:editor", "web", "update", "deal"),
        ("web:editor", "api", "update", "deal"),
        ("web:editor", "api", "update", "event"),
        ("web:editor", "web", "delete", "concession"),
        ("web:editor", "api", "delete", "concession"),
    } <= done
