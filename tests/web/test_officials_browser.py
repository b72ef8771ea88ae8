"""The officials report in a real Chromium (without JavaScript): a reader filters "judges
sanctioned by the EU but not by the US" and opens an official. Screenshots go to
artifacts/screenshots/ (``officials-*.png``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import _shot, browser  # noqa: F401  (module-scoped fixture)
from webhelpers import PASSWORD, require_chromium, seed_registry, serving

from prisonwatch.screening.run import screen_officials
from prisonwatch.store.db import Database
from prisonwatch.store.officials import OfficialInput, OfficialNameInput, Officials
from prisonwatch.store.registry import CaseInput, Registry
from prisonwatch.store.sanctions import import_list
from prisonwatch.store.users import create_user

pytestmark = pytest.mark.browser

SAMPLES = next(
    (
        p / "shared" / "data" / "sanctions-samples"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "data" / "sanctions-samples").is_dir()
    ),
    None,
)
OFFICIALS = (
    ("Khalid Shaikh Mohammed", "judge", "Minsk City Court"),  # EU only
    ("Лукашенко Александр Григорьевич", "judge", "Supreme Court"),  # US only
    ("Лукашенко Виктор Петрович", "judge", "Minsk Regional Court"),  # US, uncertain
    ("Хусейн Саддам", "prosecutor", "Prosecutor's Office of Minsk"),  # EU
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    if SAMPLES is None:
        pytest.skip("development data not found (../shared/data/sanctions-samples)")
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('officials') / 'registry.db'}")
    db.migrate()
    seeded = seed_registry(db)
    import_list(db, SAMPLES / "eu-fsf-2026-08-05-excerpt.xml", actor="test")
    import_list(db, SAMPLES / "ofac-sdn-csv-2021-07-sample", actor="test")
    with db.session() as s:
        reg, w = Registry(s, "test"), Officials(s, "test")
        for name, role, court in OFFICIALS:
            case = reg.add_case(seeded.kolesnikova, CaseInput(articles="342", court=court))
            off = w.add(OfficialInput(role=role, names=[OfficialNameInput(name)], court=court))
            w.link_case(off.id, case.id)
        screen_officials(s, "test")
        create_user(s, "viewer", PASSWORD, "viewer", actor="test")
    with serving(db) as url:
        yield url


def test_judges_sanctioned_by_the_eu_not_the_us(server: str, browser: object) -> None:  # noqa: F811
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(server + "/")
    page.goto(server + "/officials")
    table = page.locator("table.officials").inner_text()
    for name, _role, _court in OFFICIALS:
        assert name in table
    _shot(page, "officials-report")

    page.select_option("select[name=role]", "judge")
    page.fill("input[name=sanctioned_by]", "EU")
    page.fill("input[name=not_sanctioned_by]", "US")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("table.officials tbody tr")
    assert rows.count() == 1
    assert "Khalid Shaikh Mohammed" in rows.first.inner_text()
    _shot(page, "officials-eu-not-us")

    page.click("text=Khalid Shaikh Mohammed")
    page.wait_for_load_state()
    assert "Khalid Sheikh MOHAMMED" in page.content()
    _shot(page, "officials-official")

    page.goto(server + "/prefs?lang=be")
    page.goto(server + "/officials")
    assert "Службовыя асобы" in page.content()
    _shot(page, "officials-report-be")
    context.close()  # type: ignore[attr-defined]
