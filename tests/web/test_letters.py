"""The letter pages, feeds and API (``prisonwatch.web.letters*``) on both backends: the page
with envelopes in every form, search by name and by address, the weighted pick (seeded),
logging a letter over HTTP with its per-client limit, the iCalendar feed, the CSV, the labels,
the editors' counts and flags, and the figures on the "has anything changed?" page."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import random
import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from letterhelpers import LETTER_SECRETS, LettersSeeded, seed_letters
from webhelpers import csrf_of, login, serving

from prisonwatch.letters.birthdays import birthday_in
from prisonwatch.store.db import Database
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry

ENVELOPE = re.compile(r'<article class="recipient" id="p(\d+)">')


@pytest.fixture
def letters(db: Database, public_app: FastAPI) -> LettersSeeded:
    return seed_letters(db)


@pytest.fixture
def anon(public_app: FastAPI, letters: LettersSeeded) -> TestClient:
    return TestClient(public_app)


def _ids(html: str) -> list[int]:
    return [int(x) for x in ENVELOPE.findall(html)]


def test_page_shows_envelopes_in_every_form(anon: TestClient, letters: LettersSeeded) -> None:
    page = anon.get("/letters")
    assert page.status_code == 200
    html = page.text
    # Losik, held in IK-1: the recipient line, then the Russian, Belarusian and abroad forms
    assert "Ihar Losik" in html
    for line in ("ИК-1", "ПК-1", "ул. Техническая, 8", "г. Новополоцк", "211440"):
        assert line in html, line
    assert "REPUBLIC OF BELARUS" in html
    assert "In Russian" in html and "In Belarusian" in html and "From abroad" in html
    assert "Address last verified on" in html
    # Znak was transferred ten days ago: his envelope is the remand prison's
    znak = html[html.index(f'id="p{letters.znak}"') :]
    znak = znak[: znak.index("</article>")]
    assert "СИЗО-8" in znak and "ИК-1" not in znak
    # the ranking says what it counts
    assert "logged as sent here over the last 90 days" in html
    assert "Nobody counts the letters received" in html
    # the released person is nobody's recipient
    assert "Vyzvalena" not in html
    # advice in the project's words, the "I sent a letter" forms carry the CSRF token
    assert "What to write, and what to leave out" in html
    assert html.count('action="/letters/log"') >= 3
    assert 'name="csrf_token"' in html
    # birthdays this month: Losik's, with his age
    born = dt.date.today().replace(year=1992)
    assert "Birthdays" in html and "This month" in html
    bd = html[html.index('id="bd-h"') :]
    assert "Ihar Losik" in bd[: bd.index("Next month")]
    assert born.year and str(dt.date.today().year - 1992) in bd


def test_belarusian_page(anon: TestClient) -> None:
    anon.get("/prefs?lang=be")
    html = anon.get("/letters").text
    assert "Напісаць ліст" in html
    assert "Ігар Лосік" in html  # Cyrillic names for a Belarusian reader


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("Losik", "losik", "znak"),
        ("Лосик", "losik", "znak"),
        ("Новополоцк", "losik", "znak"),  # the address: Znak left IK-1 for SIZO-8
        ("Жодино", "znak", "losik"),
        ("222163", "znak", "losik"),
    ],
)
def test_search_by_name_or_address(
    anon: TestClient, letters: LettersSeeded, query: str, expected: str, absent: str
) -> None:
    html = anon.get("/letters", params={"q": query}).text
    found = html[html.index('id="found-h"') : html.index('id="fewest-h"')]
    ids = _ids(found)
    assert getattr(letters, expected) in ids
    assert getattr(letters, absent) not in ids


def test_search_rejects_a_long_query(anon: TestClient) -> None:
    assert anon.get("/letters", params={"q": "x" * 201}).status_code == 422


def test_pick_is_weighted_towards_fewer_letters(
    public_app: FastAPI, letters: LettersSeeded, users: dict[str, str]
) -> None:
    editor = login(TestClient(public_app), "editor")
    page = editor.get("/letters/counts")
    resp = editor.post(
        f"/letters/counts/{letters.losik}",
        data={
            "delta": "9",
            "reason": "letters counted at a meeting",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    public_app.state.letters_rng = random.Random(17)
    anon = TestClient(public_app)
    picks: collections.Counter[int] = collections.Counter()
    for _ in range(120):
        html = anon.get("/letters/pick").text
        (chosen,) = _ids(html)
        picks[chosen] += 1
    # only people with an address: Losik (9 letters, weight 1/10), Znak and Fevralskaya (1)
    assert set(picks) <= {letters.losik, letters.znak, letters.leap}
    assert picks[letters.znak] > 3 * picks[letters.losik]
    assert picks[letters.leap] > 3 * picks[letters.losik]
    # the same seed, the same picks: reproducible
    public_app.state.letters_rng = random.Random(17)
    again = [_ids(anon.get("/letters/pick").text)[0] for _ in range(10)]
    public_app.state.letters_rng = random.Random(17)
    assert again == [_ids(anon.get("/letters/pick").text)[0] for _ in range(10)]
    # the JSON pick, same rule
    item = anon.get("/api/v1/letters/pick").json()["item"]
    assert item["person_id"] in picks and item["envelope"]["abroad"][-1] == "REPUBLIC OF BELARUS"


def test_logging_a_letter_over_http_is_limited_per_client(
    db: Database, users: dict[str, str], seeded: object
) -> None:
    ls = seed_letters(db)
    with serving(db, public=True) as url, httpx.Client(base_url=url) as client:
        page = client.get("/letters")
        token = csrf_of(page.text)
        # without the form's token: refused
        assert client.post("/letters/log", data={"person_id": ls.losik}).status_code == 403
        sent = client.post("/letters/log", data={"person_id": ls.losik, "csrf_token": token})
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/letters?logged={ls.losik}#thanks"
        thanks = client.get(sent.headers["location"]).text
        assert "Your letter to Ihar Losik is logged" in thanks
        assert "1 letter logged in the last 90 days" in thanks
        # the same letter again from the same client: 429 with Retry-After, nothing counted
        again = client.post("/letters/log", data={"person_id": ls.losik, "csrf_token": token})
        assert again.status_code == 429
        assert int(again.headers["retry-after"]) > 0
        assert "1 letter logged in the last 90 days" in client.get("/letters?q=Losik").text
        # flagged, hidden, released or unknown people: 404, whichever it is
        for pid in (ls.no_publicity, ls.hidden, ls.released, 999_999):
            resp = client.post("/letters/log", data={"person_id": pid, "csrf_token": token})
            assert resp.status_code == 404, pid
        # the API: anyone may log, limited the same way
        api = client.post("/api/v1/letters/log", json={"person_id": ls.znak})
        assert api.status_code == 201 and api.json() == {"logged": True, "person_id": ls.znak}
        assert client.post("/api/v1/letters/log", json={"person_id": ls.znak}).status_code == 429
        assert client.post("/api/v1/letters/log", json={"person_id": ls.hidden}).status_code == 404
        assert client.post("/api/v1/letters/log", json={"person_id": 0}).status_code == 422
        # posted last week: counted; a month ago or tomorrow+1: refused, naming the field
        week = (dt.date.today() - dt.timedelta(days=6)).isoformat()
        late = client.post("/api/v1/letters/log", json={"person_id": ls.leap, "sent_on": week})
        assert late.status_code == 201
        for bad in (
            dt.date.today() - dt.timedelta(days=30),
            dt.date.today() + dt.timedelta(days=3),
        ):
            resp = client.post(
                "/api/v1/letters/log", json={"person_id": ls.leap, "sent_on": bad.isoformat()}
            )
            assert resp.status_code == 422 and resp.json()["error"]["details"][0]["field"]
        figures = client.get("/api/v1/letters/figures").json()
        assert figures["with_letter_90d"] == 3
        assert figures["eligible"] >= 4 and 0 < figures["share"] < 1


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_birthday_feed_is_valid_icalendar(anon: TestClient, letters: LettersSeeded) -> None:
    resp = anon.get("/letters/birthdays.ics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/calendar")
    raw = resp.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = _unfold(raw.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    assert "REFRESH-INTERVAL;VALUE=DURATION:P1D" in lines  # one event per birthday: refresh daily
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    assert events
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        assert re.fullmatch(r"\d{8}T\d{6}Z", e["DTSTAMP"])
        start = dt.datetime.strptime(e["DTSTART;VALUE=DATE"], "%Y%m%d").date()
        end = dt.datetime.strptime(e["DTEND;VALUE=DATE"], "%Y%m%d").date()
        assert end == start + dt.timedelta(days=1)
    today = dt.date.today()
    losik = [e for e in events if e["UID"].startswith(f"birthday-{letters.losik}-")]
    assert len(losik) == 1 and "Ihar Losik" in losik[0]["SUMMARY"]
    # born 29 February 1996: on the 28th in a year without one (the core's rule)
    leap = [e for e in events if e["UID"].startswith(f"birthday-{letters.leap}-")]
    year = today.year if today.month <= 2 else today.year + 1
    assert leap[0]["DTSTART;VALUE=DATE"] == birthday_in(year, 2, 29).strftime("%Y%m%d")
    assert "СИЗО-8" in leap[0]["DESCRIPTION"]


def test_csv_lists_recipients_and_neutralises_formulas(
    db: Database, anon: TestClient, letters: LettersSeeded
) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        p = reg.add_person(PersonInput(names=[NameInput("Formula Person", is_primary=True)]))
        reg.add_event(p.id, EventInput("detained", "2022-01-01", facility='=HYPERLINK("x")'))
    resp = anon.get("/letters.csv")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    by_name = {r["name"]: r for r in rows}
    losik = by_name["Ігар Лосік"]
    assert losik["address_ru"].splitlines() == [
        "ИК-1",
        "ул. Техническая, 8",
        "г. Новополоцк",
        "Витебская обл.",
        "211440",
    ]
    assert losik["address_abroad"].splitlines()[-1] == "REPUBLIC OF BELARUS"
    assert losik["recipient_line"] and losik["letters_90d"] == "0"
    assert by_name["Formula Person"]["facility"] == '\'=HYPERLINK("x")'
    assert "Vyzvalena Released" not in by_name


def test_labels_print_only_people_one_may_write_to(
    anon: TestClient, letters: LettersSeeded
) -> None:
    ids = [letters.losik, letters.znak, letters.no_publicity, letters.hidden, letters.released]
    html = anon.get("/letters/labels", params={"person": ids, "form": "abroad"}).text
    assert html.count('<div class="label"') == 2
    assert html.count("REPUBLIC OF BELARUS") == 2
    assert "3 chosen people are not printed" in html
    assert 'href="/static/labels.css"' in html
    assert anon.get("/letters/labels", params={"person": "x"}).status_code == 422
    assert anon.get("/letters/labels", params={"form": "fr"}).status_code == 422
    assert anon.get("/letters/labels", params={"person": list(range(1, 300))}).status_code == 422
    empty = anon.get("/letters/labels").text
    assert "No labels" in empty


def test_api_endpoints(anon: TestClient, letters: LettersSeeded) -> None:
    rec = anon.get("/api/v1/letters/recipients").json()
    ids = {x["person_id"] for x in rec["items"]}
    assert {letters.losik, letters.znak, letters.leap} <= ids
    assert not {letters.no_publicity, letters.hidden, letters.released} & ids
    assert all("flags" not in x for x in rec["items"])
    assert anon.get("/api/v1/letters/recipients?q=Жодино").json()["total"] == 2
    birthdays = anon.get("/api/v1/letters/birthdays").json()["items"]
    assert letters.losik in {b["person_id"] for b in birthdays}
    assert anon.get("/api/v1/letters/birthdays?months=13").status_code == 422
    fewest = anon.get("/api/v1/letters/fewest?limit=2").json()["items"]
    assert len(fewest) == 2 and all(x["letters_90d"] == 0 for x in fewest)
    figures = anon.get("/api/v1/letters/figures").json()
    assert figures["with_letter_90d"] == 0 and figures["gini"] == 0


def test_editors_see_counts_and_flags_others_do_not(
    public_app: FastAPI, letters: LettersSeeded, users: dict[str, str]
) -> None:
    assert TestClient(public_app).get("/letters/counts").status_code == 403
    viewer = login(TestClient(public_app), "viewer")
    assert viewer.get("/letters/counts").status_code == 403
    assert viewer.get("/api/v1/letters/counts").status_code == 403
    assert LETTER_SECRETS["no_publicity"] not in viewer.get("/letters").text
    editor = login(TestClient(public_app), "editor")
    page = editor.get("/letters/counts").text
    for label in ("no_publicity", "incommunicado", "address_unknown", "hidden"):
        assert LETTER_SECRETS[label] in page, label
    assert "test: no_publicity" in page  # the reason, for editors
    hidden_row = page[page.index(f'id="p{letters.hidden}"') :]
    assert "no public name" in hidden_row[: hidden_row.index("</tr>")]
    # even an editor's /letters is what the public sees
    assert LETTER_SECRETS["no_publicity"] not in editor.get("/letters").text
    token = csrf_of(page)
    # correct a count (audited), then flag Losik: he leaves every public list
    resp = editor.post(
        f"/letters/counts/{letters.losik}",
        data={"delta": "3", "reason": "a batch counted by hand", "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert (
        "3 letters logged in the last 90 days"
        in TestClient(public_app).get("/letters?q=Losik").text
    )
    bad = editor.post(
        f"/letters/counts/{letters.losik}",
        data={"delta": "two", "reason": "x", "csrf_token": token},
    )
    assert bad.status_code == 422
    api = editor.post(
        f"/api/v1/letters/counts/{letters.losik}",
        json={"delta": -1, "reason": "counted twice"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 200
    counts = editor.get("/api/v1/letters/counts").json()["items"]
    assert {x["person_id"]: x["letters_90d"] for x in counts}[letters.losik] == 2
    assert "no_publicity" in {f for x in counts for f in x["flags"]}
    resp = editor.post(
        f"/letters/flags/{letters.losik}",
        data={
            "flag": "no_publicity",
            "reason": "family asked",
            "action": "set",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303
    anon = TestClient(public_app)
    assert "Losik" not in anon.get("/letters").text
    assert "Losik" not in anon.get("/letters.csv").text
    audit = login(TestClient(public_app), "admin").get("/audit?per_page=200").text
    assert "a batch counted by hand" in audit


def test_changes_page_shows_letter_figures(anon: TestClient, letters: LettersSeeded) -> None:
    html = anon.get("/changes").text
    section = html[html.index('id="letters-h"') :]
    assert "With at least one letter" in section and "Gini" in section
    assert "0%" in section
