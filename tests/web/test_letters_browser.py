"""The letter pages in a real Chromium without JavaScript, on a public site: the pick, "I sent
a letter", choosing people for a label sheet and printing it (A4, 3 × 8 labels), and the page
in English and Belarusian. Screenshots go to artifacts/screenshots/ (``letters-*.png``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from letterhelpers import LETTER_SECRETS, LettersSeeded, seed_letters
from test_browser import _shot, browser  # noqa: F401  (module-scoped fixture)
from webhelpers import PASSWORD, require_chromium, seed_registry, serving

from prisonwatch.store.db import Database
from prisonwatch.store.users import create_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, LettersSeeded]]:
    require_chromium()
    path = tmp_path_factory.mktemp("letters") / "registry.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    seed_registry(db)
    seeded = seed_letters(db)
    with db.session() as s:
        create_user(s, "editor", PASSWORD, "editor", actor="test")
    with serving(db, public=True) as url:
        yield url, seeded


def _page(chromium: object, locale: str = "en-GB") -> object:
    context = chromium.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1200, "height": 900}, java_script_enabled=False, locale=locale
    )
    return context.new_page()


def test_write_a_letter_without_javascript(
    site: tuple[str, LettersSeeded],
    browser: object,  # noqa: F811
) -> None:
    url, ls = site
    page = _page(browser)
    page.goto(url + "/letters")  # type: ignore[attr-defined]
    text = page.inner_text("main")  # type: ignore[attr-defined]
    assert "Write a letter" in text and "Fewest letters" in text
    envelope = page.locator(f"#p{ls.losik} figure.envelope").last  # type: ignore[attr-defined]
    assert not envelope.is_visible()  # the envelopes are folded away …
    page.click(f"#p{ls.losik} summary")  # type: ignore[attr-defined]
    assert envelope.is_visible()  # … and open without JavaScript
    assert "REPUBLIC OF BELARUS" in envelope.inner_text()
    for secret in LETTER_SECRETS.values():
        assert secret not in page.content()  # type: ignore[attr-defined]
    _shot(page, "letters-en")

    page.click("text=Pick someone for me")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "/letters/pick" in page.url  # type: ignore[attr-defined]
    picked = page.inner_text("article.recipient")  # type: ignore[attr-defined]
    assert "REPUBLIC OF BELARUS" in picked and "in russian" in picked.lower()
    _shot(page, "letters-pick")
    label = page.get_attribute("text=Print the address on a label", "href")  # type: ignore[attr-defined]
    page.click("article.recipient form.sent button")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "/letters?logged=" in page.url  # type: ignore[attr-defined]
    assert "is logged" in page.inner_text("#thanks")  # type: ignore[attr-defined]
    page.goto(url + label)  # type: ignore[attr-defined]
    assert page.locator(".sheet .label").count() == 1  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_label_sheet_prints_on_a4(
    site: tuple[str, LettersSeeded],
    browser: object,  # noqa: F811
    tmp_path: Path,
) -> None:
    url, ls = site
    page = _page(browser)
    page.goto(url + "/letters")  # type: ignore[attr-defined]
    for pid in (ls.losik, ls.znak, ls.leap):
        page.check(f'input[form=labels][value="{pid}"] >> nth=0')  # type: ignore[attr-defined]
    page.select_option("#labels select[name=form]", "abroad")  # type: ignore[attr-defined]
    page.click("#labels button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "/letters/labels?" in page.url  # type: ignore[attr-defined]
    labels = page.locator(".sheet .label")  # type: ignore[attr-defined]
    assert labels.count() == 3
    assert "REPUBLIC OF BELARUS" in labels.nth(0).inner_text()
    box = page.locator(".sheet").bounding_box()  # type: ignore[attr-defined]
    # 210 × 297 mm at 96 px per inch
    assert abs(box["width"] - 210 / 25.4 * 96) < 2 and abs(box["height"] - 297 / 25.4 * 96) < 2
    label = labels.nth(0).bounding_box()
    assert abs(label["width"] - 70 / 25.4 * 96) < 2 and abs(label["height"] - 37 / 25.4 * 96) < 2
    _shot(page, "letters-labels-screen")
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.locator(".screen-only").first.is_visible()  # type: ignore[attr-defined]
    _shot(page, "letters-labels-print")
    pdf = tmp_path / "labels.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)  # type: ignore[attr-defined]
    assert re.search(rb"/Count 1\b", pdf.read_bytes())  # three labels: one A4 page
    page.context.close()  # type: ignore[attr-defined]


def test_letters_in_belarusian(
    site: tuple[str, LettersSeeded],
    browser: object,  # noqa: F811
) -> None:
    url, _ = site
    page = _page(browser, "be-BY")
    page.goto(url + "/prefs?lang=be&next=/letters")  # type: ignore[attr-defined]
    text = page.inner_text("main")  # type: ignore[attr-defined]
    assert "Напісаць ліст" in text and "Найменш лістоў" in text
    assert "Пра што пісаць і чаго пазбягаць" in text
    assert "Ігар Лосік" in text
    _shot(page, "letters-be")
    page.context.close()  # type: ignore[attr-defined]


def test_editor_sees_flags_and_corrects_a_count(
    site: tuple[str, LettersSeeded],
    browser: object,  # noqa: F811
) -> None:
    url, ls = site
    page = _page(browser)
    page.goto(url + "/login")  # type: ignore[attr-defined]
    page.fill("input[name=username]", "editor")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("form.narrow button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    page.goto(url + "/letters")  # type: ignore[attr-defined]
    page.click("text=Letter counts and flags (editors)")  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    row = page.locator(f"tr#p{ls.no_publicity}")  # type: ignore[attr-defined]
    assert "no publicity" in row.inner_text() and "test: no_publicity" in row.inner_text()
    losik = page.locator(f"tr#p{ls.losik}")  # type: ignore[attr-defined]
    before = int(losik.locator("td.num").inner_text())  # the pick test may have logged one
    losik.locator("input[name=delta]").fill("4")
    losik.locator("form.inline-form input[name=reason]").fill("counted at a letter evening")
    losik.locator("form.inline-form button[type=submit]").click()
    page.wait_for_load_state()  # type: ignore[attr-defined]
    after = page.locator(f"tr#p{ls.losik} td.num").inner_text()  # type: ignore[attr-defined]
    assert int(after) == before + 4
    _shot(page, "letters-counts-editor")
    page.context.close()  # type: ignore[attr-defined]
