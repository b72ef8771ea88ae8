"""The /changes page and /api/v1/changes on both backends, through the real web app."""

from __future__ import annotations

import datetime as dt

import pytest
from defusedxml import ElementTree
from fastapi.testclient import TestClient

from prisonwatch.stats.claims import add_figure
from prisonwatch.store.db import Database
from prisonwatch.store.users import create_user
from prisonwatch.web.app import create_app

PASSWORD = "correct horse battery"


def client(db: Database, *, public: bool = True, login: str | None = None) -> TestClient:
    c = TestClient(create_app(db, public=public, secret_key="test-secret"))
    if login:
        with db.session() as s:
            create_user(s, login, PASSWORD, "editor", actor="test")
        page = c.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        r = c.post(
            "/login",
            data={"username": login, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code in (302, 303), r.text
    return c


def test_page_shows_chart_and_tables(db: Database, timeline: dict[str, int]) -> None:
    with db.session() as s:
        add_figure(
            s,
            kind="count_held",
            value=1300,
            as_of=dt.date(2025, 9, 11),
            wording="about 1,300 remain behind bars",
            publisher="LRT",
            actor="t",
        )
    r = client(db).get("/changes?from=2020-01-01&to=2025-12-31&by=year&around=2025-09-11")
    assert r.status_code == 200, r.text
    html = r.text
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    ElementTree.fromstring(svg)  # well-formed inline SVG
    assert "<title>" in svg
    assert "about 1,300 remain behind bars" in html
    # the comparison table and the yearly table: held at end of 2025 is 2
    assert "2024-09-11..2025-09-10" in html
    assert '<th scope="row">2025</th>' in html


def test_api_series_and_compare(db: Database, timeline: dict[str, int]) -> None:
    c = client(db)
    doc = c.get("/api/v1/changes/series?from=2020-01-01&to=2025-12-31&by=year").json()
    assert [row["held_end"] for row in doc["rows"]] == [1, 3, 5, 4, 3, 2]
    cmp = c.get("/api/v1/changes/compare?around=2025-09-11&length=12 months").json()
    table = {t["measure"]: t for t in cmp["comparisons"][0]["table"]}
    assert table["held at end"]["change"] == -1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=fortnight", "by"),
        ("from=2025-13-01", "from"),
        ("from=2025-01-01&to=2024-01-01", "to"),
        ("breakdown=shoe_size", "breakdown"),
        ("around=2025-09-11&length=forever", "length"),
    ],
)
def test_api_errors_name_the_field(db: Database, query: str, field: str) -> None:
    r = client(db).get(f"/api/v1/changes/series?{query}")
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == field


def test_private_events_need_login_and_opt_in(db: Database, timeline: dict[str, int]) -> None:
    anon = client(db)
    url = "/api/v1/changes/series?from=2025-01-01&to=2025-12-31&by=year"
    assert anon.get(url).json()["rows"][0]["inflow"] == 0
    assert anon.get(url + "&private=1").status_code == 403
    staff = client(db, public=False, login="ed")
    assert staff.get(url).json()["rows"][0]["inflow"] == 0  # public by default, even for staff
    assert staff.get(url + "&private=1").json()["rows"][0]["inflow"] == 1


def test_chart_downloads(db: Database, timeline: dict[str, int]) -> None:
    c = client(db)
    svg = c.get("/changes/chart.svg?from=2020-01-01&to=2025-12-31")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ElementTree.fromstring(svg.content)
    png = c.get("/changes/chart.png?from=2020-01-01&to=2025-12-31")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    csv = c.get("/changes/series.csv?from=2020-01-01&to=2025-12-31&by=year")
    assert csv.text.splitlines()[0].startswith("period,first_day,last_day,held_start")


def test_public_pages_never_show_private_sources(db: Database, timeline: dict[str, int]) -> None:
    from prisonwatch.store.schema import Source

    with db.session() as s:
        src = Source(
            url="https://internal.example/Zzyzx-report",
            publisher="Zzyzx group",
            visibility="private",
        )
        s.add(src)
        s.flush()
        add_figure(
            s,
            kind="count_held",
            value=9,
            as_of=dt.date(2025, 1, 1),
            wording="Zzyzx secret count",
            source_id=src.id,
            actor="t",
        )
    c = client(db)
    for path in (
        "/changes?from=2020-01-01&to=2025-12-31",
        "/changes/chart.svg?from=2020-01-01&to=2025-12-31",
        "/api/v1/changes/figures?from=2020-01-01&to=2025-12-31",
        "/api/v1/changes/series?from=2020-01-01&to=2025-12-31",
    ):
        r = c.get(path)
        assert r.status_code == 200, path
        assert "Zzyzx" not in r.text, path


def test_series_csv_neutralises_formula_cells() -> None:
    from prisonwatch.stats.table_output import to_csv

    text = to_csv([{"region": "=HYPERLINK(1)", "net": -51}, {"region": "@x", "net": 3}])
    assert text.splitlines() == ["region,net", "'=HYPERLINK(1),-51", "'@x,3"]
