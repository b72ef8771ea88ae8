"""Every HTML page, in-process, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import Seeded, csrf_of

from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.schema import AuditEntry

Client = Callable[[str | None], TestClient]


def test_home_counts_held_and_changes(client_for: Client) -> None:
    html = client_for("viewer").get("/?since=2020-06-01").text
    # Statkevich (detained 2020-05-31) and Kolesnikova (2020-09-07) are held today;
    # on 2020-06-01 only Statkevich was: +1 since then.
    assert '<p class="big">2</p>' in html
    assert '<p class="big">+1</p>' in html
    assert "Latest events" in html


def test_home_rejects_a_bad_date(client_for: Client) -> None:
    resp = client_for("viewer").get("/?since=2020-13-01")
    assert resp.status_code == 422
    assert "since" in resp.text


def test_people_filters_sort_and_paginate(client_for: Client) -> None:
    c = client_for("viewer")
    html = c.get("/people?status=held&sort=name").text
    assert "Maria Kolesnikova" in html and "Mikalai Statkevich" in html
    assert html.index("Maria Kolesnikova") < html.index("Mikalai Statkevich")
    desc = c.get("/people?status=held&sort=-name").text
    assert desc.index("Maria Kolesnikova") > desc.index("Mikalai Statkevich")
    one = c.get("/people?status=held&per_page=1").text
    assert "Page 1 of 2" in one and 'rel="next"' in one
    nxt = re.search(r'rel="next" href="([^"]+)"', one)
    assert nxt is not None and nxt.group(1) == "/people?status=held&amp;per_page=1&amp;page=2"
    art = c.get("/people?article=293").text
    assert "Mikalai Statkevich" in art and "Maria Kolesnikova" not in art
    assert "Nobody matches" in c.get("/people?status=released").text
    assert c.get("/people?sort=bogus").status_code == 422
    assert c.get("/people?min_sentence_months=abc").status_code == 422


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Mikalai Statkevich", "Maria Kolesnikova"}),
        ("status=held&article=293", {"Mikalai Statkevich"}),
        ("detained_from=2020-09-01", {"Maria Kolesnikova"}),
        ("recognised_by=Viasna&sort=-name", {"Mikalai Statkevich", "Maria Kolesnikova"}),
        ("min_sentence_months=100", {"Mikalai Statkevich"}),
        ("status=released", set()),
    ],
)
def test_csv_export_is_exactly_the_filtered_rows(
    client_for: Client, query: str, expected: set[str]
) -> None:
    """The CSV holds the rows of the same filter and sort: public facts for an editor (the
    export rule: only admins export private fields), everything for an admin who asks."""
    c = client_for("admin")
    resp = c.get(f"/people.csv?{query}&private=1")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    # the staff view includes the person known only by a private name; leave it aside
    rows_seen = [r for r in rows if "Zzyzx" not in r["name"]]
    assert len(rows_seen) == len(expected)
    for name in expected:
        assert any(name in (r["name"], *r["other_names"].split("; ")) for r in rows_seen), name
    listed = c.get(f"/api/v1/people?{query}&per_page=200").json()
    assert [r["id"] for r in rows] == [str(item["id"]) for item in listed["items"]]
    editor = client_for("editor")
    public_rows = list(csv.DictReader(io.StringIO(editor.get(f"/people.csv?{query}").text)))
    public = client_for("viewer").get(f"/api/v1/people?{query}&per_page=200").json()
    assert [r["id"] for r in public_rows] == [str(item["id"]) for item in public["items"]]
    assert not any("Zzyzx" in r["name"] + r["other_names"] for r in public_rows)


def test_person_page(client_for: Client, seeded: Seeded) -> None:
    html = client_for("viewer").get(f"/people/{seeded.statkevich}").text
    for text in (
        "Мікалай Статкевіч",
        "Mikalai Statkevich",
        "Prison No. 13",
        "Glubokoe, Vitebsk region",
        "days in custody",
        "LRT report",
        "Viasna",
        "293",
    ):
        assert text in html, text
    assert client_for("viewer").get("/people/999999").status_code == 404


def test_names_in_the_chosen_script_and_language(client_for: Client, seeded: Seeded) -> None:
    c = client_for("viewer")
    c.get("/prefs?script=cyrillic")
    html = c.get("/people").text
    assert "Марыя Калеснікава" in html and "Мікалай Статкевіч" in html
    c.get("/prefs?script=latin&lang=be")
    html = c.get("/people").text
    assert "Maria Kolesnikova" in html and "Людзі" in html and "за кратамі" in html
    assert '<html lang="be">' in html


def test_latin_readers_see_a_cyrillic_only_name_as_passports_print_it(
    client_for: Client, db: Database
) -> None:
    with db.session() as s:
        pid = (
            Registry(s, "test")
            .add_person(
                PersonInput(names=[NameInput("Генадзь Федыніч", language="be", is_primary=True)])
            )
            .id
        )
    c = client_for("viewer")
    c.get("/prefs?script=latin")
    assert "Henadz Fedynich" in c.get("/people").text  # not ICU's BGN "Hyenadz' Fyedynich"
    assert "Henadz Fedynich" in c.get(f"/people/{pid}").text
    c.get("/prefs?script=cyrillic")
    assert "Генадзь Федыніч" in c.get("/people").text


# (names of one person, as displayed in Latin, as displayed in Cyrillic)
SORTED_PEOPLE = [
    (["Ёжык Пятро"], "Yozhyk Piatro", "Ёжык Пятро"),
    (["Ігар Бонд"], "Ihar Bond", "Ігар Бонд"),
    (["Зубаў Ян", "Zubau Jan"], "Zubau Jan", "Зубаў Ян"),
    (["Andrei Liu"], "Andrei Liu", "Andrei Liu"),
    (["Šubin Oleg"], "Šubin Oleg", "Šubin Oleg"),
    (["Subin Anton"], "Subin Anton", "Subin Anton"),
]


@pytest.mark.parametrize(
    ("script", "want"),
    [
        # Latin: Š with S (after the unaccented spelling), Ih… before Yo…, Z last
        (
            "latin",
            ["Andrei Liu", "Ihar Bond", "Subin Anton", "Šubin Oleg", "Yozhyk Piatro", "Zubau Jan"],
        ),
        # Cyrillic: Latin-only names first, then ё with е, з, and і after и (not by code point,
        # which puts і and ё after я)
        (
            "cyrillic",
            ["Andrei Liu", "Subin Anton", "Šubin Oleg", "Ёжык Пятро", "Зубаў Ян", "Ігар Бонд"],
        ),
    ],
)
def test_people_sorted_by_the_name_as_displayed_in_the_readers_script(
    client_for: Client, db: Database, script: str, want: list[str]
) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        for names, _, _ in SORTED_PEOPLE:
            inputs = [
                NameInput(n, is_primary=i == 0, language="be" if n[0] > "ʯ" else None)
                for i, n in enumerate(names)
            ]
            reg.add_person(PersonInput(names=inputs, region="Sortland"))
    c = client_for("viewer")
    c.get(f"/prefs?script={script}")
    for sort, order in (("name", want), ("-name", want[::-1])):
        page = c.get(f"/people?region=Sortland&sort={sort}").text
        shown = re.findall(r'<a href="/people/\d+">([^<]+)</a>', page)
        assert shown == order
    column = 1 if script == "latin" else 2
    assert sorted(p[column] for p in SORTED_PEOPLE) != want  # code-point order would differ
    api = c.get(f"/api/v1/people?region=Sortland&script={script}").json()["items"]
    assert len(api) == len(want)
    assert c.get("/api/v1/people?script=greek").status_code == 422


@pytest.mark.parametrize(
    ("query", "person_attr"),
    [
        ("statkevich", "statkevich"),
        ("Статкевич", "statkevich"),
        ("STATKEVICH Mikalai", "statkevich"),
        ("Калеснікава", "kolesnikova"),
        ("Колесникова Мария", "kolesnikova"),
    ],
)
def test_search_across_scripts_with_explanation(
    client_for: Client, seeded: Seeded, query: str, person_attr: str
) -> None:
    html = client_for("viewer").get("/search", params={"q": query}).text
    pid = getattr(seeded, person_attr)
    assert f'href="/people/{pid}"' in html
    first = html.index('<ol class="hits">')
    assert html.index(f'href="/people/{pid}"', first) < html.find("</li>", first)
    assert 'class="why"' in html


def test_editor_adds_an_event_and_it_is_audited(
    client_for: Client, db: Database, seeded: Seeded
) -> None:
    c = client_for("editor")
    form = c.get(f"/people/{seeded.kolesnikova}/events/new")
    resp = c.post(
        f"/people/{seeded.kolesnikova}/events/new",
        data={
            "csrf_token": csrf_of(form.text),
            "kind": "sentenced",
            "date": "2021-09-06",
            "note": "11 years",
            "source_ids": str(seeded.source),
            "visibility": "public",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = c.get(f"/people/{seeded.kolesnikova}").text
    assert "2021-09-06" in page and "11 years" in page
    with db.session() as s:
        entry = s.scalar(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "event")
            .order_by(AuditEntry.id.desc())
        )
        assert entry is not None and entry.actor == "web:editor"
        assert entry.person_id == seeded.kolesnikova
    log = c.get(f"/audit?person_id={seeded.kolesnikova}&actor=web:editor").text
    assert "web:editor" in log and "2021-09-06" in log


def test_form_errors_name_the_field(client_for: Client, seeded: Seeded) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/people/new").text)
    resp = c.post(
        f"/people/{seeded.kolesnikova}/events/new",
        data={"csrf_token": token, "kind": "sentenced", "date": "2021-02-30"},
    )
    assert resp.status_code == 422 and "date:" in resp.text
    resp = c.post(
        "/people/new", data={"csrf_token": token, "name": "Anna Ivanova", "birth_date": "yesterday"}
    )
    assert resp.status_code == 422 and "birth_date:" in resp.text
    assert 'value="Anna Ivanova"' in resp.text  # the form keeps what was typed


def test_new_person_and_name_are_searchable_at_once(client_for: Client) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/people/new").text)
    resp = c.post(
        "/people/new",
        data={
            "csrf_token": token,
            "name": "Ihar Losik",
            "name_other": "Ігар Лосік",
            "region": "Baranavichy",
        },
        follow_redirects=False,
    )
    pid = int(resp.headers["location"].rsplit("/", 1)[1])
    assert f'href="/people/{pid}"' in c.get("/search?q=Лосик").text
    resp = c.post(
        f"/people/{pid}/names/new",
        data={"csrf_token": token, "text": "Igor Losik", "kind": "alias"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert "Igor Losik" in c.get(f"/people/{pid}").text


def test_add_source_form(client_for: Client) -> None:
    c = client_for("editor")
    token = csrf_of(c.get("/sources/new").text)
    resp = c.post(
        "/sources/new",
        data={"csrf_token": token, "url": "https://spring96.org/x", "title": "Viasna list"},
    )
    assert resp.status_code == 201 and "Source saved with id" in resp.text
    resp = c.post("/sources/new", data={"csrf_token": token})
    assert resp.status_code == 422 and "source:" in resp.text


def test_logout_ends_the_session(client_for: Client) -> None:
    c = client_for("viewer")
    token = csrf_of(c.get("/").text)
    c.post("/logout", data={"csrf_token": token})
    assert c.get("/people", follow_redirects=False).status_code == 303
