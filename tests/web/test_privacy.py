"""Private values never leave through public pages, the public API, exports, error pages or
logs. The registry is seeded with private values (``webhelpers.SECRETS``) and every public route
is scanned for them; the staff view is the positive control (the scan can fail)."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from letterhelpers import LETTER_SECRETS, LettersSeeded, seed_letters
from webhelpers import SECRETS, Seeded, all_routes, login

from prisonwatch.store.db import Database


def letter_paths(*person_ids: int) -> list[str]:
    """Every GET route of the letter pages, feeds and API, searching and choosing the people."""
    people = "&".join(f"person={p}" for p in person_ids)
    paths = [
        "/letters",
        *(f"/letters?logged={p}" for p in person_ids),
        "/letters/pick",
        f"/letters/labels?{people}",
        f"/letters/labels?{people}&form=be",
        f"/letters/labels?{people}&form=abroad",
        "/letters/birthdays.ics",
        "/letters.csv",
        "/letters/counts",
        "/api/v1/letters/recipients",
        "/api/v1/letters/birthdays?months=12",
        "/api/v1/letters/fewest?limit=200",
        "/api/v1/letters/pick",
        "/api/v1/letters/figures",
        "/api/v1/letters/counts",
    ]
    for q in ("Quietname", "Nopublicity", "Lostname", "Addressunknown", "Zzyzxhidden", "ИК-1"):
        paths += [f"/letters?q={q}", f"/api/v1/letters/recipients?q={q}"]
    return paths


def _public_paths(app: FastAPI, seeded: Seeded) -> list[str]:
    paths = {
        "/",
        "/?since=2020-01-01",
        "/people",
        "/people?status=held",
        "/people.csv",
        "/people.csv?text=Stat",
        f"/people/{seeded.statkevich}",
        f"/people/{seeded.kolesnikova}",
        f"/people/{seeded.hidden}",
        "/search?q=Zzyzxprivat",
        "/search?q=statkevich",
        "/search?q=Nomenovich",
        "/people?text=Zzyzx",
        "/login",
        "/api/v1/health",
        "/api/v1/people",
        "/api/v1/people?text=Zzyzx",
        f"/api/v1/people/{seeded.statkevich}",
        f"/api/v1/people/{seeded.hidden}",
        "/api/v1/search?q=Zzyzxprivat",
        "/api/v1/search?q=Nomenovich%20Zzyzxprivat",
        "/api/v1/held",
        "/api/v1/events/latest",
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/audit",
        "/api/v1/audit",
        "/lists",
        "/review",
        "/api/v1/review",
        "/people/999999",
        "/api/v1/people/abc",
        # the statistics pages (prisonwatch.web.changes)
        "/changes",
        "/changes/chart.svg",
        "/changes/series.csv",
        "/api/v1/changes/series",
        "/api/v1/changes/compare",
        "/api/v1/changes/releases",
        "/api/v1/changes/figures",
        # deals (prisonwatch.web.deals)
        "/deals",
        f"/deals/{seeded.deal}",
        f"/deals/{seeded.private_deal}",
        "/api/v1/deals",
        f"/api/v1/deals/{seeded.deal}",
        f"/api/v1/deals/{seeded.private_deal}",
        "/api/v1/concessions?authority=US%20OFAC&ref=OFAC-1",
        # claims from news (prisonwatch.web.claims)
        "/claims",
        "/claims?state=pending",
        "/claims/1",
        "/claims/3",
        "/api/v1/claims",
        "/api/v1/claims?state=pending",
        "/api/v1/claims/3",
        # sanctions lists (prisonwatch.web.sanctions; with data: tests/web/test_sanctions_web.py)
        "/sanctions",
        "/sanctions?q=Zzyzxprivat",
        "/sanctions/lists/1",
        "/sanctions/targets/1",
        "/api/v1/sanctions/lists",
        "/api/v1/sanctions/lists/1",
        "/api/v1/sanctions/lists/1/diff",
        "/api/v1/sanctions/diff?old=1:1&new=1:latest",
        "/api/v1/sanctions/targets?q=Zzyzxprivat",
        "/api/v1/sanctions/targets/1",
        "/sanctions/import",  # an editors' form: 403 for everyone else
        # officials (prisonwatch.web.officials; with lists: tests/web/test_officials_web.py)
        "/officials",
        "/officials?role=judge&sanctioned_by=EU&not_sanctioned_by=US",
        f"/officials/{seeded.judge}",
        f"/officials/{seeded.hidden_judge}",
        "/api/v1/officials",
        "/api/v1/officials?q=Zzyzx",
        "/api/v1/officials/screening",
        f"/api/v1/officials/{seeded.judge}",
        f"/api/v1/officials/{seeded.hidden_judge}",
        # letters to prisoners (prisonwatch.web.letters*; with data: test_letter_routes_…)
        *letter_paths(seeded.statkevich),
    }
    # every GET route of the app must be in the scan
    templates = {r.path for r in all_routes(app) if "GET" in r.methods}
    covered = {p.split("?")[0] for p in paths}
    for template in templates:
        if "{" in template:
            prefix = template.split("{")[0]
            assert any(c.startswith(prefix) for c in covered), template
        else:
            assert template in covered or template in (
                "/prefs",
                "/people/new",
                "/sources/new",
                "/deals/new",
                "/officials/screen",
            ), template
    return sorted(paths)


def test_public_view_never_shows_private_values(
    public_app: FastAPI, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = TestClient(public_app)
    for path in _public_paths(public_app, seeded):
        resp = client.get(path)
        assert resp.status_code < 500, path
        for label, secret in SECRETS.items():
            assert secret not in resp.text, (path, label)
    assert client.get(f"/people/{seeded.hidden}").status_code == 404
    assert client.get(f"/api/v1/people/{seeded.hidden}").status_code == 404
    assert client.get("/audit").status_code == 403
    for record in caplog.records:
        for secret in SECRETS.values():
            assert secret not in record.getMessage()


def test_letter_routes_never_show_flagged_or_hidden_people(
    db: Database, public_app: FastAPI, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    """People flagged no publicity, incommunicado or address unknown, and a hidden person, all
    held in a facility with an address and with a birthday this month, are on no public letter
    page, feed, export or API answer — for anonymous readers and viewers alike; nor is the
    private source that verified an address. Editors see them on /letters/counts (control)."""
    caplog.set_level(logging.DEBUG)
    ls: LettersSeeded = seed_letters(db)
    chosen = (ls.losik, ls.no_publicity, ls.incommunicado, ls.address_unknown, ls.hidden)
    secrets = {**SECRETS, **LETTER_SECRETS}
    anon = TestClient(public_app)
    viewer = login(TestClient(public_app), "viewer")
    for client in (anon, viewer):
        for _ in range(3):  # the pick is random: a few draws
            assert ls.no_publicity not in (client.get("/api/v1/letters/pick").json()["item"] or {})
        for path in letter_paths(*chosen):
            resp = client.get(path)
            assert resp.status_code < 500, path
            for label, secret in secrets.items():
                assert secret not in resp.text, (path, label)
        assert "Ihar Losik" in client.get("/letters").text  # the scan sees real content
        token = client.get("/letters").text.split('name="csrf_token" value="')[1].split('"')[0]
        for pid in chosen[1:]:
            resp = client.post("/letters/log", data={"person_id": pid, "csrf_token": token})
            assert resp.status_code == 404, pid
            assert client.post("/api/v1/letters/log", json={"person_id": pid}).status_code in (
                403,  # a viewer's cookie-authenticated API write without the CSRF header
                404,
            )
    editor = login(TestClient(public_app), "editor")
    counts = editor.get("/letters/counts").text
    for label in ("no_publicity", "incommunicado", "address_unknown", "hidden"):
        assert LETTER_SECRETS[label] in counts, label
    for record in caplog.records:
        for secret in secrets.values():
            assert secret not in record.getMessage()


def test_public_view_is_read_only(public_app: FastAPI, seeded: Seeded) -> None:
    client = TestClient(public_app)
    assert client.get("/people/new").status_code == 403
    assert client.post("/api/v1/people", json={"names": [{"text": "A B"}]}).status_code == 403
    assert "Public read-only view" in client.get("/").text


def test_editors_see_private_values_viewers_do_not_admins_see_them_in_the_audit_log(
    app: FastAPI, seeded: Seeded
) -> None:
    editor = login(TestClient(app), "editor")
    page = editor.get(f"/people/{seeded.statkevich}").text
    for label in ("relatives_contact", "internal_notes", "event_note", "private_name"):
        assert SECRETS[label] in page, label
    viewer = login(TestClient(app), "viewer")
    for path in (
        f"/people/{seeded.statkevich}",
        f"/api/v1/people/{seeded.statkevich}",
        "/people?text=Zzyzx",
        "/search?q=Nomenovich",
    ):
        text = viewer.get(path).text
        for label, secret in SECRETS.items():
            assert secret not in text, (path, label)
    # the audit log: entries about private things absent for a viewer (not redacted: no
    # "[private]" either), with every filter; redacted for an editor, full for an admin
    for path in ("/audit", "/api/v1/audit"):
        for flt in (
            "",
            "entity_type=person&",
            "entity_type=name&",
            "entity_type=event&",
            "entity_type=source&",
            "entity_type=citation&",
            "entity_type=claim&",
            f"person_id={seeded.statkevich}&",
            f"person_id={seeded.hidden}&",
            "actor=test:seed&",
        ):
            text = viewer.get(f"{path}?{flt}per_page=200").text
            for label, secret in {**SECRETS, "marker": "[private]"}.items():
                assert secret not in text, (path, flt, label)
    editor_log = editor.get("/audit?per_page=200").text
    assert SECRETS["internal_notes"] not in editor_log and "[private]" in editor_log
    admin = login(TestClient(app), "admin")
    assert SECRETS["internal_notes"] in admin.get("/audit?per_page=200").text


def test_error_pages_do_not_echo_input(app: FastAPI) -> None:
    client = login(TestClient(app), "viewer")
    secret = SECRETS["relatives_contact"]
    for path in (
        f"/people?min_sentence_months={secret}",
        f"/api/v1/people?page={secret}",
        f"/api/v1/people?detained_from={secret}",
    ):
        resp = client.get(path)
        assert resp.status_code == 422, path
        assert secret not in resp.text, path
