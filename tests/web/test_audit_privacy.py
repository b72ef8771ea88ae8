"""The audit log below editor: entries about private things (private names, events, cases,
sources and their citations, changes of relatives' contacts or internal notes, figures citing a
private source, hidden people) are not there at all — not redacted, absent — on /audit and
/api/v1/audit with any filter. Editors see them (values redacted), admins in full."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import SECRETS, Seeded, login

from prisonwatch.stats.claims import add_figure
from prisonwatch.store.db import Database
from prisonwatch.store.registry import EventInput, NameInput, Registry
from prisonwatch.store.schema import Citation, Name, Source, StatusEvent

PRIVATE_URL = "https://example.org/SECRET-INFORMANT-REPORT"
WORDING = "SECRET-FIGURE-WORDING about 4242 still held"
NEW_CONTACT = "SECRET-NEW-CONTACT-0123"
FILTERS = (
    "",
    "?entity_type=source",
    "?entity_type=citation",
    "?entity_type=claim",
    "?entity_type=name",
    "?entity_type=event",
    "?entity_type=person",
    "?entity_type=case",
)


@pytest.fixture
def private_history(db: Database, seeded: Seeded) -> dict[str, Any]:
    with db.session() as s:
        reg = Registry(s, "cli:editor")
        # as `prisonwatch event add 17 detained 2026-03-01 --private --source-url URL` does
        src = reg.source_for_url(PRIVATE_URL, private=True)
        ev = reg.add_event(
            seeded.kolesnikova, EventInput("detained", "2026-03-01", visibility="private"), [src.id]
        )
        reg.edit_person(seeded.kolesnikova, {"relatives_contact": NEW_CONTACT})
        reg.add_name(seeded.kolesnikova, NameInput("Zzyzxalias Kolesnikova", visibility="private"))
        psrc = s.scalar(select(Source.id).where(Source.title == SECRETS["private_source"]))
        claim = add_figure(
            s,
            kind="count_held",
            value=4242,
            as_of=dt.date(2026, 3, 1),
            wording=WORDING,
            actor="cli:editor",
            source_id=psrc,
        )
        cit = s.scalar(
            select(Citation.id).where(
                Citation.subject_id == ev.id, Citation.subject_type == "event"
            )
        )
        private_names = list(s.scalars(select(Name.id).where(Name.visibility == "private")))
        private_events = list(
            s.scalars(select(StatusEvent.id).where(StatusEvent.visibility == "private"))
        )
        return {
            "source": src.id,
            "event": ev.id,
            "citation": cit,
            "claim": claim.id,
            "names": private_names,
            "events": private_events,
            "private_source": psrc,
        }


SECRET_VALUES = (
    *SECRETS.values(),
    PRIVATE_URL,
    WORDING,
    "4242",
    NEW_CONTACT,
    "Zzyzxalias",
    "[private]",
)


def test_the_event_source_is_private(db: Database, private_history: dict[str, Any]) -> None:
    with db.session() as s:
        src = s.get(Source, private_history["source"])
        assert src is not None and src.visibility == "private"


def _private_entry(entry: dict[str, Any], h: dict[str, Any], hidden: int) -> str | None:
    kind, eid = entry["entity_type"], entry["entity_id"]
    values = {**(entry["before"] or {}), **(entry["after"] or {})}
    if entry["person_id"] == hidden:
        return "hidden person"
    if kind == "name" and eid in h["names"]:
        return "private name"
    if kind == "event" and eid in h["events"]:
        return "private event"
    if kind == "source" and eid in (h["source"], h["private_source"]):
        return "private source"
    if kind == "citation" and values.get("source_id") in (h["source"], h["private_source"]):
        return "citation of a private source"
    if kind == "citation" and values.get("subject_id") in h["events"]:
        return "citation of a private event"
    if kind == "claim" and eid == h["claim"]:
        return "figure citing a private source"
    if kind == "person" and ({"relatives_contact", "internal_notes"} & set(values)):
        return "contacts or notes"
    return None


def test_viewers_never_see_entries_about_private_things(
    app: FastAPI, seeded: Seeded, private_history: dict[str, Any]
) -> None:
    viewer = login(TestClient(app), "viewer")
    for flt in FILTERS:
        for path in (f"/audit{flt}", f"/api/v1/audit{flt}"):
            sep = "&" if "?" in path else "?"
            text = viewer.get(f"{path}{sep}per_page=200").text
            for value in SECRET_VALUES:
                assert value not in text, (path, value)
        items = viewer.get(f"/api/v1/audit{flt}{'&' if flt else '?'}per_page=200").json()
        for entry in items["items"]:
            assert _private_entry(entry, private_history, seeded.hidden) is None, entry
        assert items["total"] == len(items["items"])
    for person in (seeded.statkevich, seeded.kolesnikova):  # the person filter too
        items = viewer.get(f"/api/v1/audit?person_id={person}&per_page=200").json()["items"]
        assert items  # their public history is there
        for entry in items:
            assert _private_entry(entry, private_history, seeded.hidden) is None, entry
    # public history stays visible: the public source and its citation, the public people
    kinds = {e["entity_type"] for e in viewer.get("/api/v1/audit?per_page=200").json()["items"]}
    assert {"person", "name", "event", "source", "citation"} <= kinds


def test_editors_see_the_entries_admins_the_values(
    app: FastAPI, seeded: Seeded, private_history: dict[str, Any]
) -> None:
    editor = login(TestClient(app), "editor")
    items = editor.get("/api/v1/audit?per_page=200").json()["items"]
    reasons = {_private_entry(e, private_history, seeded.hidden) for e in items}
    assert {
        "private name",
        "private event",
        "private source",
        "figure citing a private source",
        "contacts or notes",
        "hidden person",
    } <= reasons
    citations = [e for e in items if e["entity_type"] == "citation"]
    assert private_history["citation"] in [e["entity_id"] for e in citations]
    ours = [e for e in citations if e["entity_id"] == private_history["citation"]]
    assert ours[0]["after"]["source_id"] == "[private]"  # redacted for editors
    text = editor.get("/api/v1/audit?per_page=200").text
    assert NEW_CONTACT not in text and PRIVATE_URL not in text and WORDING not in text
    admin = login(TestClient(app), "admin").get("/api/v1/audit?per_page=200").text
    for value in (NEW_CONTACT, PRIVATE_URL, WORDING):
        assert value in admin


def test_account_and_token_entries_are_staff_business(
    app: FastAPI, db: Database, seeded: Seeded
) -> None:
    from prisonwatch.store.users import create_token

    with db.session() as s:
        create_token(s, "editor", "SECRET-TOKEN-LABEL", actor="cli:admin")
    viewer = login(TestClient(app), "viewer")
    for path in ("/api/v1/audit?per_page=200", "/api/v1/audit?entity_type=user&per_page=200"):
        got = viewer.get(path).json()
        assert {e["entity_type"] for e in got["items"]} & {"user", "api_token"} == set()
        assert got["total"] == len(got["items"])
    page = viewer.get("/audit?entity_type=api_token").text
    assert "SECRET-TOKEN-LABEL" not in page
    editor = login(TestClient(app), "editor").get("/api/v1/audit?per_page=200").json()
    kinds = {e["entity_type"] for e in editor["items"]}
    assert {"user", "api_token"} <= kinds
    assert "SECRET-TOKEN-LABEL" not in str(editor["items"])  # values redacted for editors
    admin = login(TestClient(app), "admin").get("/api/v1/audit?per_page=200").text
    assert "SECRET-TOKEN-LABEL" in admin


def test_an_organisation_named_only_by_private_events_stays_with_the_staff(
    app: FastAPI, db: Database, seeded: Seeded
) -> None:
    org = "SECRET-ORG Human Rights Watchers"
    with db.session() as s:
        reg = Registry(s, "cli:editor")
        reg.add_event(
            seeded.kolesnikova,
            EventInput("recognised", "2024-05-01", organisation=org, visibility="private"),
        )
    viewer = login(TestClient(app), "viewer")

    def seen() -> bool:
        got = viewer.get("/api/v1/audit?entity_type=organisation&per_page=200").json()
        return org in str(got["items"])

    assert not seen()
    assert org not in viewer.get("/audit?per_page=200").text
    assert org in login(TestClient(app), "admin").get("/api/v1/audit?per_page=200").text
    # once a public event of a public person names it, the organisation is public
    with db.session() as s:
        Registry(s, "cli:editor").add_event(
            seeded.statkevich, EventInput("recognised", "2024-06-01", organisation=org)
        )
    assert seen()
