"""The claims review pages and API over HTTP (the real app on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import SECRETS, Seeded, csrf_of, login

from prisonwatch.store.db import Database
from prisonwatch.store.news import add_article
from prisonwatch.store.schema import StatusEvent
from prisonwatch.store.users import create_token

TEXT = (
    "Belarus freed 14 political prisoners on Thursday. Mikalai Statkevich refused to leave "
    f"Belarus. {SECRETS['private_name']} was released on 5 May 2025."
)


def _prop(kind: str, quote: str, **kw: str | None) -> dict[str, object]:
    start = TEXT.index(quote)
    base: dict[str, object] = dict.fromkeys(
        ("value", "hedge", "status", "person", "subject", "date"), None
    )
    base.update(kind=kind, quote=quote, start=start, end=start + len(quote), **kw)
    return base


@pytest.fixture
def claim_ids(db: Database, seeded: Seeded) -> dict[str, int]:
    private = f"{SECRETS['private_name']} was released on 5 May 2025"
    with db.session() as s:
        res = add_article(
            s,
            text=TEXT,
            url="https://example.org/news-1",
            lang="en",
            actor="test",
            publisher="Example",
            published="2025-06-20",
            proposals=[
                _prop(
                    "count",
                    "Belarus freed 14 political prisoners on Thursday",
                    value="14",
                    subject="people released",
                    date="2025-06-19",
                ),
                _prop(
                    "person_status",
                    "Mikalai Statkevich refused to leave Belarus",
                    status="refused_to_leave",
                    person="Mikalai Statkevich",
                ),
                _prop(
                    "person_status",
                    private,
                    status="released",
                    person=SECRETS["private_name"],
                    date="2025-05-05",
                ),
            ],
            links={
                "Mikalai Statkevich": (seeded.statkevich, 0.96),
                SECRETS["private_name"]: (seeded.hidden, 0.9),
            },
        )
        ids = [c.id for c in res.claims]
    return {"count": ids[0], "statkevich": ids[1], "private": ids[2]}


def test_review_page_shows_quote_in_context_and_forms(
    app: FastAPI, claim_ids: dict[str, int]
) -> None:
    editor = login(TestClient(app), "editor")
    page = editor.get("/claims").text
    assert f'href="/claims/{claim_ids["statkevich"]}"' in page
    detail = editor.get(f"/claims/{claim_ids['statkevich']}").text
    assert "<mark>Mikalai Statkevich refused to leave Belarus</mark>" in detail
    assert f'action="/claims/{claim_ids["statkevich"]}/accept"' in detail
    assert 'name="csrf_token"' in detail
    # the private person's pending claim is there for the editor
    assert SECRETS["private_name"] in editor.get(f"/claims/{claim_ids['private']}").text


def test_edit_accept_reject_with_csrf(
    app: FastAPI, db: Database, claim_ids: dict[str, int], seeded: Seeded
) -> None:
    editor = login(TestClient(app), "editor")
    cid = claim_ids["count"]
    token = csrf_of(editor.get(f"/claims/{cid}").text)
    assert editor.post(f"/claims/{cid}/edit", data={"value": "15"}).status_code == 403  # no token
    resp = editor.post(
        f"/claims/{cid}/edit", data={"csrf_token": token, "value": "15"}, follow_redirects=False
    )
    assert resp.status_code == 303
    page = editor.get(f"/claims/{cid}").text
    assert "<td>14</td>" in page and "<strong>15</strong>" in page  # proposal and edit side by side
    bad = editor.post(f"/claims/{cid}/edit", data={"csrf_token": token, "date": "soon"})
    assert bad.status_code == 422 and "date" in bad.text
    sid = claim_ids["statkevich"]
    resp = editor.post(f"/claims/{sid}/accept", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303
    with db.session() as s:
        kinds = [
            e.kind
            for e in s.scalars(
                select(StatusEvent).where(StatusEvent.person_id == seeded.statkevich)
            )
        ]
    assert kinds.count("refused_to_leave") == 2  # the seeded private one and the accepted one
    assert "accept" not in editor.get(f"/claims/{sid}").text.split("Review")[-1]
    resp = editor.post(
        f"/claims/{cid}/reject", data={"csrf_token": token, "note": "dup"}, follow_redirects=False
    )
    assert resp.status_code == 303
    viewer = login(TestClient(app), "viewer")
    assert viewer.post(f"/claims/{cid}/accept", data={"csrf_token": token}).status_code == 403


def test_viewers_and_public_never_see_private_persons_pending_claims(
    app: FastAPI, public_app: FastAPI, claim_ids: dict[str, int]
) -> None:
    viewer = login(TestClient(app), "viewer")
    for path in (
        "/claims",
        "/claims?state=pending",
        "/api/v1/claims",
        "/api/v1/claims?state=pending",
    ):
        assert SECRETS["private_name"] not in viewer.get(path).text, path
    assert viewer.get(f"/claims/{claim_ids['private']}").status_code == 404
    assert viewer.get(f"/api/v1/claims/{claim_ids['private']}").status_code == 404
    assert viewer.get(f"/claims/{claim_ids['statkevich']}").status_code == 200
    anon = TestClient(public_app)
    assert anon.get(f"/claims/{claim_ids['statkevich']}").status_code == 404  # pending
    assert anon.get("/api/v1/claims").json()["items"] == []


def test_api_review(app: FastAPI, db: Database, claim_ids: dict[str, int]) -> None:
    with db.session() as s:
        _, secret = create_token(s, "editor", "tests", actor="test")
    api = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    cid = claim_ids["count"]
    body = api.post(f"/api/v1/claims/{cid}/edit", json={"changes": {"hedge": "around"}}).json()
    assert body["edit"] == {"hedge": "around"} and body["proposal"]["hedge"] is None
    body = api.post(f"/api/v1/claims/{cid}/accept", json={}).json()
    assert body["state"] == "accepted" and body["result"]["type"] == "claim"
    again = api.post(f"/api/v1/claims/{cid}/accept", json={})
    assert again.status_code == 409 and again.json()["error"]["message"]
    assert api.get("/api/v1/claims/999999").status_code == 404
    assert api.get("/api/v1/claims?state=bogus").status_code == 422
    figs = api.get("/api/v1/changes/figures").json()
    assert any(f.get("value") == 14 for f in figs.get("items", figs.get("figures", [])))


LIFT = (
    "In exchange, the United States lifted sanctions on Belavia. "
    "The EU extended sanctions on Belaruskali."
)


def test_a_lifting_is_accepted_as_a_concession_of_a_deal(
    app: FastAPI, db: Database, seeded: Seeded
) -> None:
    def prop(quote: str, value: str, subject: str) -> dict[str, object]:
        start = LIFT.index(quote)
        return {
            **dict.fromkeys(("hedge", "status", "person"), None),
            "kind": "sanction_change",
            "quote": quote,
            "start": start,
            "end": start + len(quote),
            "value": value,
            "subject": subject,
            "date": "2025-09-11",
        }

    with db.session() as s:
        res = add_article(
            s,
            text=LIFT,
            url="https://example.org/news-belavia",
            lang="en",
            actor="test",
            publisher="Example",
            published="2025-09-12",
            proposals=[
                prop(
                    "the United States lifted sanctions on Belavia",
                    "lifted",
                    "US sanctions on Belavia",
                ),
                prop(
                    "The EU extended sanctions on Belaruskali",
                    "extended",
                    "EU sanctions on Belaruskali",
                ),
            ],
            links={},
        )
        lifted, extended = (c.id for c in res.claims)
    editor = login(TestClient(app), "editor")
    page = editor.get(f"/claims/{lifted}").text
    assert 'name="deal_id"' in page and f'<option value="{seeded.deal}">' in page
    assert '<option value="delisting" selected>' in page
    token = csrf_of(page)
    resp = editor.post(
        f"/claims/{lifted}/accept",
        data={"csrf_token": token, "deal_id": str(seeded.deal), "concession": "general_licence"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = editor.get(f"/claims/{lifted}").text
    assert f'href="/deals/{seeded.deal}#concessions"' in page
    deal = editor.get(f"/api/v1/deals/{seeded.deal}").json()
    mine = [c for c in deal["concessions"] if c["certainty"] == "reported"]
    assert [(c["kind"], c["authority"], c["target_name"]) for c in mine] == [
        ("general_licence", "US", "Belavia")
    ]
    # an extension of sanctions is not a concession: refused, nothing accepted
    with db.session() as s:
        _, secret = create_token(s, "editor", "tests", actor="test")
    api = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    resp = api.post(f"/api/v1/claims/{extended}/accept", json={"deal_id": seeded.deal})
    assert resp.status_code == 422 and "not a concession" in resp.json()["error"]["message"]
    assert api.get(f"/api/v1/claims/{extended}").json()["state"] == "pending"
    assert api.post(f"/api/v1/claims/{extended}/accept", json={}).json()["state"] == "accepted"
