"""The web app in a real Chromium (Debian's, driven by Playwright) against uvicorn on a free
port over a real SQLite file. Screenshots go to artifacts/screenshots/.

Skipped with the reason when /usr/bin/chromium is missing — except under CI=true, where a
missing browser fails the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webhelpers import (
    PASSWORD,
    launch_chromium,
    require_chromium,
    seed_registry,
    serving,
)

from prisonwatch.store.db import Database
from prisonwatch.store.users import create_user

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

DEMANDED = (
    "id,name\n1,Мікалай Статкевіч\n2,Марыя Калеснікава\n3,Ihar Losik\n"
    "4,Aliaksandr Milinkevich\n5,Maksim Znak\n"
)
RELEASED = "id,name\na,Mikalai Statkevich\nb,Igor Losik\nc,Lukashenka Aliaksandr\nd,Maksym Znakh\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    path = tmp_path_factory.mktemp("browser") / "registry.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    seed_registry(db)
    with db.session() as s:
        create_user(s, "editor", PASSWORD, "editor", actor="test")
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_editor_journey(server: str, browser: object, tmp_path: Path) -> None:
    context = browser.new_context(
        viewport={"width": 1200, "height": 800},  # type: ignore[attr-defined]
        java_script_enabled=False,
    )
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request", lambda req: outside.append(req.url) if not req.url.startswith(server) else None
    )

    page.goto(server + "/")
    assert "/login" in page.url
    _shot(page, "01-login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(server + "/")
    assert page.locator("p.big").first.inner_text() == "2"
    _shot(page, "02-home")

    # search in Latin, then in Cyrillic, from the box on every page
    page.fill("#q-top", "statkevich")
    page.press("#q-top", "Enter")
    page.wait_for_url("**/search?q=statkevich")
    first = page.locator("ol.hits li").first
    assert "Statkevich" in first.inner_text() or "Статкевіч" in first.inner_text()
    assert page.locator("ol.hits .why").first.inner_text()
    _shot(page, "03-search-latin")
    page.fill("#q-top", "Калеснікава")
    page.press("#q-top", "Enter")
    page.wait_for_load_state()
    assert "Kolesnikova" in page.locator("ol.hits li").first.inner_text()
    _shot(page, "04-search-cyrillic")

    # open the person, add an event
    page.locator("ol.hits li a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Maria Kolesnikova"
    _shot(page, "05-person")
    page.click("text=Add an event")
    page.select_option("select[name=kind]", "sentenced")
    page.fill("input[name=date]", "2021-09-06")
    page.fill("textarea[name=note]", "Sentenced to 11 years")
    _shot(page, "06-add-event")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "Sentenced to 11 years" in page.locator("ol.timeline").inner_text()

    # see it in the audit log
    page.click("text=History of changes")
    page.wait_for_load_state()
    log = page.locator("table.audit").inner_text()
    assert "web:editor" in log and "2021-09-06" in log
    _shot(page, "07-audit")

    # reconcile two uploaded lists, then decide a review item
    left, right = tmp_path / "demanded.csv", tmp_path / "released.csv"
    left.write_text(DEMANDED, encoding="utf-8")
    right.write_text(RELEASED, encoding="utf-8")
    page.click("nav >> text=Lists")
    page.set_input_files("input[name=left]", str(left))
    page.set_input_files("input[name=right]", str(right))
    _shot(page, "08-lists")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "demanded × released" in page.locator("h1").inner_text()
    _shot(page, "09-report")
    page.goto(server + "/review")
    rows = page.locator("table.review tbody tr")
    assert rows.count() == 1 and "Maksym Znakh" in rows.first.inner_text()
    _shot(page, "10-review")
    rows.first.locator("button[value=same]").click()
    page.wait_for_load_state()
    assert "Nothing is waiting" in page.content()
    _shot(page, "11-review-after")

    # Belarusian interface, names in Cyrillic
    page.click("text=Беларуская")
    page.goto(server + "/people")
    assert "Людзі" in page.locator("h1").inner_text()
    page.click("text=Кірыліца")
    assert "Марыя Калеснікава" in page.locator("table.people").inner_text()
    _shot(page, "12-people-be")
    assert not outside, outside
    context.close()
