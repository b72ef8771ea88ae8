"""Storing articles and reviewing their claims, on SQLite and PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from prisonwatch.news.extract import extract_claims
from prisonwatch.news.linking import PersonLinker
from prisonwatch.stats.claims import figures
from prisonwatch.store.db import Database
from prisonwatch.store.news import (
    NewsError,
    accept_claim,
    add_article,
    edit_claim,
    list_claims,
    reject_claim,
    review_stats,
    sanction_subject,
)
from prisonwatch.store.registry import NameInput, PersonInput, Registry
from prisonwatch.store.schema import AuditEntry, Citation, Name, Source, StatusEvent
from prisonwatch.store.schema_news import Article, NewsClaim

SEED = (Path(__file__).parent.parent / "news" / "data" / "belarus-prisoners-article.txt").read_text(
    "utf-8"
)
URL = "https://example.org/lrt-belarus"


def _add(db: Database, text: str = SEED, private_name: bool = False) -> tuple[int, list[int]]:
    with db.session() as s:
        reg = Registry(s, "test")
        vis = "private" if private_name else "public"
        person = reg.add_person(
            PersonInput(names=[NameInput("Мікалай Статкевіч", is_primary=True, visibility=vis)])
        )
        names = [(n.person_id, n.full_text) for n in s.scalars(select(Name))]
        claims = extract_claims(text, "en", dt.date(2025, 9, 12))
        linker = PersonLinker(names)
        links = {}
        for c in claims:
            if c.person and (hit := linker.link(c.person, "en")):
                links[c.person] = (hit.person_id, hit.score)
        result = add_article(
            s,
            text=text,
            url=URL,
            lang="en",
            actor="editor1",
            publisher="LRT",
            published="2025-09-12",
            proposals=[c.as_json() for c in claims],
            links=links,
        )
        return person.id, [c.id for c in result.claims]


def _claim(db: Database, **want: str) -> int:
    with db.session() as s:
        for c in s.scalars(select(NewsClaim).order_by(NewsClaim.id)):
            if all(c.proposal.get(k) == v for k, v in want.items()):
                return c.id
    raise AssertionError(want)


def test_add_stores_article_source_and_pending_claims(db: Database) -> None:
    person_id, ids = _add(db)
    with db.session() as s:
        art = s.scalars(select(Article)).one()
        assert art.text == SEED and len(art.content_hash) == 64 and art.current
        src = s.get(Source, art.source_id)
        assert src is not None and src.url == URL and src.publisher == "LRT"
        claims = list(s.scalars(select(NewsClaim)))
        assert {c.state for c in claims} == {"pending"} and len(claims) == len(ids)
        for c in claims:
            assert art.text[c.proposal["start"] : c.proposal["end"]] == c.proposal["quote"]
        statkevich = next(c for c in claims if c.kind == "person_status")
        assert statkevich.person_id == person_id and statkevich.link_score is not None
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_type == "news_claim")
        )
        assert audited == len(ids)


def test_accept_person_status_adds_event_with_quote(db: Database) -> None:
    person_id, _ = _add(db)
    cid = _claim(db, kind="person_status", status="refused_to_leave")
    with db.session() as s:
        c = accept_claim(s, cid, actor="editor1")
        assert c.state == "accepted" and c.result_type == "status_event"
        ev = s.get(StatusEvent, c.result_id)
        assert ev is not None and ev.person_id == person_id and ev.kind == "refused_to_leave"
        assert ev.date_start == dt.date(2025, 9, 12) and ev.date_approx  # the publication day
        src_id = s.scalar(
            select(Citation.source_id).where(
                Citation.subject_type == "event", Citation.subject_id == ev.id
            )
        )
        src = s.get(Source, src_id)
        assert src is not None and src.url == URL
        assert src.quote is not None and "refused to leave Belarus" in src.quote
    with db.session() as s, pytest.raises(NewsError, match="already accepted"):
        accept_claim(s, cid, actor="editor1")


def test_accept_count_is_an_outside_figure(db: Database) -> None:
    _add(db)
    cid = _claim(db, kind="count", value="1300")
    with db.session() as s:
        c = accept_claim(s, cid, actor="editor1")
        assert c.result_type == "claim"
    with db.session() as s:
        figs = figures(s, kind="count_held", include_private=True)
        assert [(f.value, f.as_of, f.wording) for f in figs] == [
            (1300.0, dt.date(2025, 9, 12), "around 1,300 people are still in custody")
        ]
        assert figs[0].registry_value == 0  # the registry's own count is untouched


def test_edit_is_kept_beside_the_proposal(db: Database) -> None:
    _add(db)
    cid = _claim(db, kind="count", value="52")
    with db.session() as s:
        c = edit_claim(s, cid, {"date": "2025-09-11", "value": "52"}, actor="editor2")
        assert c.edit == {"date": "2025-09-11"}  # value unchanged: not an edit
        assert c.proposal["date"] is None
        with pytest.raises(NewsError, match="date"):
            edit_claim(s, cid, {"date": "11 Sept"}, actor="editor2")
        with pytest.raises(NewsError, match="not an editable field"):
            edit_claim(s, cid, {"quote": "x"}, actor="editor2")
    with db.session() as s:
        accept_claim(s, cid, actor="editor2")
        fig = figures(s, kind="count_released", include_private=True)
        assert [(f.value, f.as_of) for f in fig] == [(52.0, dt.date(2025, 9, 11))]
        s2 = _claim(db, kind="sanction_change")
        accept_claim(s, s2, actor="editor2")
        reject_claim(
            s, _claim(db, kind="count", value="51"), actor="editor2", note="moved, not counted"
        )
    with db.session() as s:
        stats = {(r["kind"]): r for r in review_stats(s)}
        assert stats["count"]["accepted_edited"] == 1 and stats["count"]["rejected"] == 1
        assert stats["sanction_change"]["accepted_as_proposed"] == 1
        assert stats["all"]["proposed"] == len(list(s.scalars(select(NewsClaim))))


def test_changed_text_puts_claims_back_to_review(db: Database) -> None:
    _add(db)
    held = _claim(db, kind="count", value="1300")
    statkevich = _claim(db, kind="person_status")
    with db.session() as s:
        accept_claim(s, held, actor="editor1")
        accept_claim(s, statkevich, actor="editor1")
    changed = SEED.replace("around 1,300", "around 1,250")
    with db.session() as s:
        claims = extract_claims(changed, "en", dt.date(2025, 9, 12))
        result = add_article(
            s,
            text=changed,
            url=URL,
            lang="en",
            actor="editor1",
            proposals=[c.as_json() for c in claims],
        )
        assert not result.unchanged and result.back_to_review >= 2
    with db.session() as s:
        arts = list(s.scalars(select(Article).order_by(Article.id)))
        assert [a.current for a in arts] == [False, True]
        old_held = s.get(NewsClaim, held)
        assert old_held is not None and old_held.state == "pending"
        assert old_held.review_reason == "article text changed (was accepted)"
        assert old_held.article_id == arts[0].id  # its quote is gone from the new text
        st = s.get(NewsClaim, statkevich)
        assert st is not None and st.state == "pending" and st.article_id == arts[1].id
        assert [f.review_state for f in figures(s, include_private=True)] == ["pending"]
        assert any(
            c.proposal["value"] == "1250" and c.state == "pending"
            for c in s.scalars(select(NewsClaim))
        )
        # re-accepting keeps the event made the first time (no second event)
        accept_claim(s, statkevich, actor="editor1")
        assert s.scalar(select(func.count()).select_from(StatusEvent)) == 1
    with db.session() as s:  # the same text again: nothing new
        again = add_article(s, text=changed, url=URL, lang="en", actor="editor1")
        assert again.unchanged


def test_private_persons_pending_claims_hidden(db: Database) -> None:
    _add(db, private_name=True)
    with db.session() as s:
        everyone = list_claims(s, include_private=True)
        viewer = list_claims(s)
        hidden = {c.id for c in everyone} - {c.id for c in viewer}
        assert len(hidden) == 1
        assert s.get(NewsClaim, hidden.pop()).kind == "person_status"  # type: ignore[union-attr]
        assert list_claims(s, public_only=True) == []  # anonymous: accepted claims only


def test_bad_input_writes_nothing(db: Database) -> None:
    with db.session() as s, pytest.raises(NewsError, match="url"):
        add_article(s, text=SEED, url=" ", lang="en", actor="x")
    bad = {"kind": "count", "value": "1", "quote": "nope", "start": 0, "end": 4}
    with pytest.raises(NewsError, match="quote"), db.session() as s:
        add_article(s, text=SEED, url=URL, lang="en", actor="x", proposals=[bad])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0
        assert s.scalar(select(func.count()).select_from(Source)) == 0


@pytest.mark.parametrize(
    ("subject", "imposer", "target"),
    [
        ("US sanctions on Belavia", "US", "Belavia"),
        (
            "EU sanctions on Belarusian state airline Belavia",
            "EU",
            "Belarusian state airline Belavia",
        ),
        ("sanctions on «Беларуськалий»", None, "Беларуськалий"),
        ("a general licence for nine companies", None, None),
    ],
)
def test_the_subject_of_a_sanction_change(
    subject: str, imposer: str | None, target: str | None
) -> None:
    assert sanction_subject(subject) == (imposer, target)


def test_a_lifting_becomes_a_concession_of_the_deal_it_is_accepted_for(db: Database) -> None:
    from prisonwatch.store.deal_views import deal_view
    from prisonwatch.store.deals import DealInput, Deals

    _add(db)
    lifting = _claim(db, kind="sanction_change")
    count = _claim(db, kind="count", value="52")
    with db.session() as s:
        deal_id = Deals(s, "editor1").add_deal(DealInput("Release of 52", date="2025-09-11")).id
    with db.session() as s, pytest.raises(NewsError, match="only a sanction_change"):
        accept_claim(s, count, actor="editor1", deal_id=deal_id)
    with db.session() as s, pytest.raises(NewsError, match="no deal with id 999"):
        accept_claim(s, lifting, actor="editor1", deal_id=999)
    # an imposed sanction is not a concession, whatever kind the reviewer picks
    with db.session() as s:
        edit_claim(s, lifting, {"value": "imposed"}, actor="editor1")
    with db.session() as s, pytest.raises(NewsError, match="not a concession"):
        accept_claim(s, lifting, actor="editor1", deal_id=deal_id, concession="delisting")
    with db.session() as s:
        edit_claim(s, lifting, {"value": "lifted", "date": "2025-09-11"}, actor="editor1")
    with db.session() as s:
        claim = accept_claim(s, lifting, actor="editor1", deal_id=deal_id)
        assert (claim.state, claim.result_type) == ("accepted", "concession")
        view = deal_view(s, deal_id, include_private=True)
    [conc] = view.concessions
    assert (conc.kind, conc.certainty, conc.authority, conc.target_authority) == (
        "delisting",
        "reported",
        "US",
        "US",
    )
    assert conc.target_name == "Belarusian state airline Belavia"
    assert conc.date == "2025-09-11" and conc.id == claim.result_id
    [src] = conc.sources
    assert src.url == URL and "lift sanctions against the Belarusian state airline" in (
        src.quote or ""
    )
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "concession")).one()
        assert (entry.actor, entry.context) == ("editor1", f"claims accept {lifting}")
