"""Deals in a real Chromium (without JavaScript): an editor records a release, links it to the
seeded deal from the deal page, and the deal page and the person page show the link.
Screenshots go to artifacts/screenshots/ (``deal-*.png``)."""

from __future__ import annotations

import pytest
from test_browser import _shot, browser, server  # noqa: F401  (module-scoped fixtures)
from webhelpers import PASSWORD

pytestmark = pytest.mark.browser


def test_editor_links_a_release_to_a_deal(server: str, browser: object) -> None:  # noqa: F811
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1200, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(server + "/")

    # Maria Kolesnikova (person 2 of the seeded registry) is expelled on the deal's day
    page.goto(server + "/people/2/events/new")
    page.select_option("select[name=kind]", "expelled_abroad")
    page.fill("input[name=date]", "2025-09-11")
    page.fill("input[name=destination_country]", "Lithuania")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()

    page.goto(server + "/deals")
    page.click("text=Release of 52 (Belavia)")
    page.wait_for_load_state()
    assert "general licence" in page.locator("table.concessions").inner_text()
    page.fill("input[name=person_id]", "2")
    page.click('form[action$="/people"] button[type=submit]')
    page.wait_for_load_state()
    released = page.locator("table.released").inner_text()
    assert "Maria Kolesnikova" in released and "Lithuania" in released
    # the private link (person 1) is shown to the editor, tagged, with the public count
    assert "not public" in released
    assert "1 of them is not shown on public pages" in page.content()
    _shot(page, "deal-page-editor")

    page.click("text=Maria Kolesnikova")
    page.wait_for_load_state()
    timeline = page.locator("ol.timeline").inner_text()
    assert "Part of a deal: Release of 52 (Belavia)" in timeline
    _shot(page, "deal-person-page")

    # the editor corrects the deal's title, then takes Maria's release off the deal again
    page.goto(server + "/deals")
    page.click("text=Release of 52 (Belavia)")
    page.click("text=Edit the deal")
    page.wait_for_load_state()
    _shot(page, "deal-edit-form")
    page.fill("input[name=title]", "Release of 52 for Belavia")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Release of 52 for Belavia")
    row = page.locator("table.released tr", has_text="Maria Kolesnikova")
    row.locator("button", has_text="Unlink").click()
    page.wait_for_load_state()
    assert "Maria Kolesnikova" not in page.locator("table.released").inner_text()
    _shot(page, "deal-page-after-unlink")
    context.close()  # type: ignore[attr-defined]
