"""Helpers of the web tests: a small seeded registry with private values, logging in."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from prisonwatch.store.db import Database
from prisonwatch.store.deals import ConcessionInput, DealInput, Deals
from prisonwatch.store.officials import OfficialNameInput, Officials
from prisonwatch.store.registry import (
    CaseInput,
    EventInput,
    NameInput,
    PersonInput,
    Registry,
    SourceInput,
)
from prisonwatch.store.schema_officials import Official

PASSWORD = "correct horse battery"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: private values seeded into the registry; no public output may contain any of them
SECRETS = {
    "relatives_contact": "SECRET-RELATIVE-PHONE-555-0199",
    "internal_notes": "SECRET-INTERNAL-NOTE-OPERATION-LILAC",
    "event_note": "SECRET-EVENT-NOTE-SAFEHOUSE",
    "private_name": "Zzyzxprivat Nomenovich",
    "private_source": "SECRET-SOURCE-INFORMANT",
    "private_concession": "SECRET-CONCESSION-BACKCHANNEL-OFFER",
    "private_deal": "SECRET-DEAL-STILL-IN-TALKS",
    "private_official_name": "Zzyzxjudge Hiddenname",
    "hidden_case_judge": "Qqxjudge Ofhiddenperson",
}


@dataclass
class Seeded:
    statkevich: int
    kolesnikova: int
    hidden: int
    source: int
    deal: int = 0
    private_deal: int = 0
    judge: int = 0
    hidden_judge: int = 0


def seed_registry(db: Database) -> Seeded:
    with db.session() as s:
        reg = Registry(s, "test:seed")
        src = reg.add_source(
            SourceInput(
                url="https://example.org/lrt",
                title="LRT report",
                publisher="LRT",
                published="2025-09-11",
            )
        )
        psrc = reg.add_source(SourceInput(title=SECRETS["private_source"], visibility="private"))
        st = reg.add_person(
            PersonInput(
                names=[
                    NameInput("Мікалай Статкевіч", language="be", is_primary=True),
                    NameInput("Mikalai Statkevich", kind="transliteration", language="en"),
                ],
                birth_date="1956-08-12",
                gender="male",
                region="Minsk",
                relatives_contact=SECRETS["relatives_contact"],
                internal_notes=SECRETS["internal_notes"],
            )
        )
        reg.add_name(st.id, NameInput(SECRETS["private_name"], kind="alias", visibility="private"))
        reg.add_event(
            st.id, EventInput("detained", "2020-05-31", facility="Prison No. 13"), [src.id]
        )
        reg.add_event(st.id, EventInput("recognised", "2020-06", organisation="Viasna"))
        reg.add_case(
            st.id,
            CaseInput(
                articles="293",
                judge="Judge Publicovich",
                sentence="14 years",
                facility="Prison No. 13",
                facility_address="Glubokoe, Vitebsk region",
            ),
        )
        reg.add_event(
            st.id,
            EventInput(
                "refused_to_leave", "2025-09-11", note=SECRETS["event_note"], visibility="private"
            ),
            [psrc.id],
        )
        mk = reg.add_person(
            PersonInput(
                names=[
                    NameInput("Maria Kolesnikova", language="en", is_primary=True),
                    NameInput("Марыя Калеснікава", language="be"),
                ],
                gender="female",
                region="Minsk",
            )
        )
        reg.add_event(mk.id, EventInput("detained", "2020-09-07"))
        reg.add_event(mk.id, EventInput("recognised", "2020-09", organisation="Viasna"))
        hidden = reg.add_person(
            PersonInput(
                names=[NameInput(SECRETS["private_name"] + " Second", visibility="private")],
            )
        )
        # officials: the judge of a public case (with a private name), and the judge of the
        # hidden person's case, shown to no one below editor
        reg.add_case(hidden.id, CaseInput(articles="342", judge=SECRETS["hidden_case_judge"]))
        judge_id = s.scalar(select(Official.id).where(Official.name_key == "judge publicovich"))
        hidden_judge = s.scalar(select(Official.id).where(Official.name_key.like("qqxjudge%")))
        assert judge_id is not None and hidden_judge is not None
        Officials(s, "test:seed").add_name(
            judge_id, OfficialNameInput(SECRETS["private_official_name"], visibility="private")
        )
        # a deal: public, with a public and a private concession; the only person linked to
        # it is linked through a private event, so the public sees nobody
        deals = Deals(s, "test:seed")
        deal = deals.add_deal(
            DealInput("Release of 52 (Belavia)", "2025-09-11", parties="United States; Belarus"),
            [src.id],
        )
        deals.add_concession(
            deal.id,
            ConcessionInput(
                "general_licence",
                "stated_officially",
                authority="US OFAC",
                target_ref="OFAC-1",
                target_name="BELAVIA",
                date="2025-09-11",
            ),
            [src.id],
        )
        deals.add_concession(
            deal.id,
            ConcessionInput(
                "other", "inferred", description=SECRETS["private_concession"], visibility="private"
            ),
            [psrc.id],
        )
        deals.link_person(deal.id, st.id)
        talks = deals.add_deal(DealInput(SECRETS["private_deal"], "2026", visibility="private"))
        return Seeded(st.id, mk.id, hidden.id, src.id, deal.id, talks.id, judge_id, hidden_judge)


def all_routes(app: Any) -> list[APIRoute]:
    """Every endpoint of the app, walking included routers."""
    out: list[APIRoute] = []
    stack = list(app.routes)
    while stack:
        route = stack.pop(0)
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            stack.extend(route.original_router.routes)
    return out


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    resp = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return client


# -- browser tests: a real server in a thread, Debian's chromium -----------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    """Skip without Debian's chromium — except under CI, where the browser tests must run."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the browser tests, but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")


def launch_chromium(pw: Any) -> Any:
    """A headless chromium from a ``sync_playwright()`` handle."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextlib.contextmanager
def serving(
    db: Database, secret_key: str = "browser-test", *, public: bool = False
) -> Iterator[str]:
    """The real web app over ``db`` (``public``: anonymous readers allowed) served by uvicorn
    in a thread; yields its base URL and stops it (and disposes ``db``) afterwards."""
    import uvicorn

    from prisonwatch.web.app import create_app

    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(
            create_app(db, secret_key=secret_key, public=public),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        db.dispose()
