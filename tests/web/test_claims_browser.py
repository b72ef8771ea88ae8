"""The claims review in a real Chromium: an editor opens a proposed claim, sees the quote
marked in the article, edits it and accepts it (no JavaScript needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from webhelpers import PASSWORD, launch_chromium, require_chromium, seed_registry, serving

from prisonwatch.news.extract import extract_claims
from prisonwatch.store.db import Database
from prisonwatch.store.news import add_article
from prisonwatch.store.users import create_user

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
SEED = Path(__file__).parent.parent / "news" / "data" / "belarus-prisoners-article.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('claims') / 'registry.db'}")
    db.migrate()
    seeded = seed_registry(db)
    text = SEED.read_text("utf-8")
    with db.session() as s:
        create_user(s, "editor", PASSWORD, "editor", actor="test")
        claims = extract_claims(text, "en", dt.date(2025, 9, 12))
        add_article(
            s,
            text=text,
            url="https://example.org/lrt",
            lang="en",
            actor="test",
            publisher="LRT",
            published="2025-09-12",
            proposals=[c.as_json() for c in claims],
            links={"Mikal Statkevich": (seeded.statkevich, 0.96)},
        )
    with serving(db, secret_key="b") as url:
        yield url


def test_editor_reviews_a_claim(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            ctx = browser.new_context(
                viewport={"width": 1200, "height": 900}, java_script_enabled=False
            )
            page = ctx.new_page()
            page.goto(f"{server}/login")
            page.fill("input[name=username]", "editor")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.narrow button[type=submit]")
            page.goto(f"{server}/claims")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "claims-list.png"), full_page=True)
            page.click("text=refused to leave")  # the person-status row's claim text
            page.locator("tr", has_text="refused to leave").locator("a").first.click()
            assert page.locator("blockquote.context mark").inner_text() == (
                "veteran opposition leader Mikal Statkevich refused to leave Belarus and "
                "returned home"
            )
            page.fill("form.edit-claim input[name=date]", "2025-09-11")
            page.click("form.edit-claim button[type=submit]")
            assert page.locator("table.compare").inner_text().count("2025-09-11") == 1
            page.screenshot(path=str(SHOTS / "claim-review.png"), full_page=True)
            page.click("form[action$='/accept'] button")
            assert "(accepted)" in page.locator("h1").inner_text()
            assert "status event" in page.content()
        finally:
            browser.close()


def test_editor_accepts_a_lifting_as_a_concession_of_the_deal(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            ctx = browser.new_context(
                viewport={"width": 1200, "height": 900}, java_script_enabled=False
            )
            page = ctx.new_page()
            page.goto(f"{server}/login")
            page.fill("input[name=username]", "editor")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.narrow button[type=submit]")
            page.goto(f"{server}/claims?kind=sanction_change")
            page.locator("tr", has_text="Belavia").locator("a").first.click()
            page.wait_for_load_state()
            deal = page.locator("select[name=deal_id] option", has_text="Release of 52")
            page.select_option("select[name=deal_id]", deal.get_attribute("value"))
            assert page.locator("select[name=concession]").input_value() == "delisting"
            page.screenshot(path=str(SHOTS / "claim-sanction-deal.png"), full_page=True)
            page.click("form[action$='/accept'] button")
            assert "(accepted)" in page.locator("h1").inner_text()
            page.click("text=a concession of a deal")
            page.wait_for_load_state()
            given = page.locator("table.concessions").inner_text()
            assert "delisting" in given and "reported" in given and "Belavia" in given
            page.screenshot(path=str(SHOTS / "deal-with-news-concession.png"), full_page=True)
        finally:
            browser.close()
