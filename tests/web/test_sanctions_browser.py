"""The sanctions pages in a real Chromium without JavaScript, against uvicorn over a real SQLite
file with two versions of a list. Screenshots go to artifacts/screenshots/sanctions-*.png."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import _shot
from webhelpers import PASSWORD, launch_chromium, require_chromium, seed_registry, serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sanctions_testformat as tf
from prisonwatch.store.db import Database
from prisonwatch.store.sanctions import import_list
from prisonwatch.store.users import create_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()

    folder = tmp_path_factory.mktemp("sanctions-browser")
    db = Database(f"sqlite:///{folder / 'registry.db'}")
    db.migrate()
    seed_registry(db)
    with db.session() as s:
        create_user(s, "viewer", PASSWORD, "viewer", actor="test")
        create_user(s, "editor", PASSWORD, "editor", actor="test")
    with pytest.MonkeyPatch.context() as mp:
        tf.register(mp)
        targets = tf.base_targets(12)
        import_list(
            db,
            tf.write_list(
                folder / "v1.json",
                targets,
                published="2025-06-01",
                authority="US OFAC",
                list_name="SDN",
            ),
            actor="test",
        )
        v2 = [t for t in targets if t["id"] not in ("O1", "A1")]
        v2[0] = tf.person(
            "P1",
            "LUKASHENKA, Alyaksandr",
            alias=["Лукашэнка Аляксандр", "Лукашенко Александр"],
            birthDate=["1954-08-30"],
            program=["BELARUS"],
            nationality=["by"],
        )
        v2.append(tf.person("P50", "NEW PERSON", program=["BELARUS-EO14038"]))
        import_list(
            db,
            tf.write_list(
                folder / "v2.json", v2, published="2025-11-04", authority="US OFAC", list_name="SDN"
            ),
            actor="test",
            accept_mass_removal=True,
        )
        import_list(
            db,
            tf.write_list(
                folder / "eu.json",
                targets[:3],
                published="2025-08-01",
                authority="EU",
                list_name="EU FSF",
            ),
            actor="test",
        )
    with serving(db) as url:
        yield url


def test_sanctions_pages_in_a_browser(server: str) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            context = browser.new_context(
                viewport={"width": 1200, "height": 800}, java_script_enabled=False
            )
            page = context.new_page()
            outside: list[str] = []
            page.on(
                "request",
                lambda req: outside.append(req.url) if not req.url.startswith(server) else None,
            )
            page.goto(server + "/login")
            page.fill("input[name=username]", "viewer")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.narrow button[type=submit]")
            page.wait_for_url(server + "/")
            page.click("nav >> text=Sanctions")
            page.wait_for_url(server + "/sanctions")
            assert "SDN" in page.locator("main table").last.inner_text()
            _shot(page, "sanctions-01-lists")
            page.fill("#sanctions-q", "Lukashenko Aleksandr")
            page.click("form.filters button[type=submit]")
            page.wait_for_load_state()
            assert "LUKASHENKA" in page.locator("main table").first.inner_text()
            _shot(page, "sanctions-02-search")
            page.goto(server + "/sanctions")
            page.click("text=SDN")
            page.wait_for_load_state()
            assert "Changes from version" in page.locator("main").inner_text()
            _shot(page, "sanctions-03-list")
            page.click("text=BELAVIA")
            page.wait_for_load_state()
            assert "not listed now" in page.locator("main").inner_text()
            _shot(page, "sanctions-04-target-delisted")
            page.goto(server + "/sanctions")
            page.fill("#sanctions-q", "Лукашэнка")
            page.click("form.filters button[type=submit]")
            page.wait_for_load_state()
            page.locator("main table a").first.click()
            page.wait_for_load_state()
            assert "Лукашенко Александр" in page.locator("main").inner_text()
            _shot(page, "sanctions-05-target")
            page.goto(server + "/prefs?lang=be&next=/sanctions")
            page.wait_for_load_state()
            assert "Санкцыйныя спісы" in page.locator("h1").inner_text()
            _shot(page, "sanctions-06-lists-be")
            assert outside == []
        finally:
            browser.close()


def test_an_editor_uploads_a_list_in_a_browser(server: str, shared_data: Path) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    uk = shared_data / "sanctions-samples" / "uk-fcdo-sanctions-list-2026-08-14-excerpt.xml"
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            context = browser.new_context(
                viewport={"width": 1200, "height": 800}, java_script_enabled=False
            )
            page = context.new_page()
            page.goto(server + "/login")
            page.fill("input[name=username]", "editor")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.narrow button[type=submit]")
            page.wait_for_url(server + "/")
            page.goto(server + "/sanctions")
            page.click("text=Import a sanctions list")
            page.wait_for_url(server + "/sanctions/import")
            _shot(page, "sanctions-07-import-form")
            page.set_input_files("input[name=files]", str(uk))
            page.click("form.form button[type=submit]")
            page.wait_for_load_state()
            main = page.locator("main").inner_text()
            assert "Imported" in main and "uk_fcdo_xml" in main, main
            _shot(page, "sanctions-08-imported")
            page.click("main section.card a >> nth=0")
            page.wait_for_load_state()
            assert "UK" in page.locator("h1").inner_text()
        finally:
            browser.close()
