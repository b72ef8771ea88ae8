"""Deals in the store: add, concessions, linking released people through their events,
visibility of the people and concessions, and the audit trail — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from prisonwatch.reconcile.deal_lists import link_deal_list
from prisonwatch.store import audit
from prisonwatch.store.db import Database
from prisonwatch.store.deal_views import (
    concessions_for_target,
    deal_titles,
    deal_view,
    list_deals,
)
from prisonwatch.store.deals import ConcessionInput, DealInput, Deals
from prisonwatch.store.registry import (
    EventInput,
    NameInput,
    NotFound,
    PersonInput,
    Registry,
    RegistryValidationError,
    SourceInput,
)
from prisonwatch.store.schema import AuditEntry, CustodyChange, StatusEvent


def _person(
    reg: Registry,
    name: str,
    release: str | None = "expelled_abroad",
    *,
    event_visibility: str = "public",
    name_visibility: str = "public",
) -> int:
    p = reg.add_person(PersonInput(names=[NameInput(name, visibility=name_visibility)]))
    reg.add_event(p.id, EventInput("detained", "2021-03-01"))
    if release:
        reg.add_event(
            p.id,
            EventInput(
                release, "2025-09-11", destination_country="Lithuania", visibility=event_visibility
            ),
        )
    return p.id


@pytest.fixture
def story(db: Database) -> dict[str, int]:
    with db.session() as s:
        reg = Registry(s, "test")
        ids = {
            "ales": _person(reg, "Алесь Бяляцкі"),
            "maria": _person(reg, "Марыя Калеснікава"),
            "mikola": _person(reg, "Мікола Статкевіч", "refused_to_leave"),
            "secret": _person(reg, "Zzyzx Hiddenovich", event_visibility="private"),
            "unnamed": _person(reg, "Qqprivate Onlyname", name_visibility="private"),
            "held": _person(reg, "Ігар Лосік", None),
        }
        src = reg.add_source(
            SourceInput(
                title="Treasury press release", publisher="US Treasury", published="2025-09-11"
            )
        )
        deals = Deals(s, "test", context="test")
        deal = deals.add_deal(
            DealInput(
                "Release of 52",
                "2025-09-11",
                parties="United States; Belarus",
                intermediaries="US envoy",
            ),
            [src.id],
        )
        deals.add_concession(
            deal.id,
            ConcessionInput(
                "general licence",
                "stated_officially",
                authority="US OFAC",
                target_ref="12345",
                target_name="BELAVIA",
                date="2025-09-11",
            ),
            [src.id],
        )
        deals.add_concession(
            deal.id,
            ConcessionInput(
                "delisting",
                "reported",
                authority="US OFAC",
                date="2025-11-04",
                description="SECRET-CONCESSION-NOTE",
                visibility="private",
            ),
        )
        ids["deal"] = deal.id
        ids["source"] = src.id
    return ids


def test_add_deal_and_concessions_are_read_back(db: Database, story: dict[str, int]) -> None:
    with db.session() as s:
        view = deal_view(s, story["deal"])
    assert view.title == "Release of 52" and view.date == "2025-09-11"
    assert view.parties == ["United States", "Belarus"]
    assert view.intermediaries == ["US envoy"]
    assert [c.kind for c in view.concessions] == ["general_licence"]  # the private one hidden
    gl = view.concessions[0]
    assert (gl.target_authority, gl.target_ref, gl.target_name) == ("US OFAC", "12345", "BELAVIA")
    assert gl.certainty == "stated_officially"
    assert [src.publisher for src in gl.sources] == ["US Treasury"]
    assert [src.publisher for src in view.sources] == ["US Treasury"]
    with db.session() as s:
        staff = deal_view(s, story["deal"], include_private=True)
    assert [c.kind for c in staff.concessions] == ["general_licence", "delisting"]


def test_link_people_through_their_release_events(db: Database, story: dict[str, int]) -> None:
    with db.session() as s:
        deals = Deals(s, "test:editor", context="deal link")
        for key in ("ales", "maria", "mikola", "secret", "unnamed"):
            ev, changed = deals.link_person(story["deal"], story[key])
            assert changed and ev.deal_id == story["deal"]
        # linking again changes nothing
        assert deals.link_person(story["deal"], story["ales"])[1] is False
        with pytest.raises(RegistryValidationError, match="no release event"):
            deals.link_person(story["deal"], story["held"])
    with db.session() as s:
        public = deal_view(s, story["deal"])
        staff = deal_view(s, story["deal"], include_private=True)
        # the stored custody changes carry the deal, for the timeline
        marked = s.scalars(
            select(CustodyChange.person_id).where(
                CustodyChange.deal_id == story["deal"], CustodyChange.scope == "public"
            )
        ).all()
    shown = {r.person_id for r in public.released}
    assert shown == {story["ales"], story["maria"], story["mikola"]}
    assert public.by_kind == {"expelled_abroad": 2, "refused_to_leave": 1}
    assert public.not_public is None and "not_public" not in public.as_dict()
    assert {r.person_id for r in staff.released} == shown | {story["secret"], story["unnamed"]}
    assert staff.not_public == 2
    assert "Zzyzx" not in str(public.as_dict()) and "Qqprivate" not in str(public.as_dict())
    # refused_to_leave is not an outflow; the public statistics count public events of public
    # people (a person without a public name is hidden everywhere public, store/visibility.py)
    assert set(marked) == {story["ales"], story["maria"]}


def test_list_and_titles_follow_visibility(db: Database, story: dict[str, int]) -> None:
    with db.session() as s:
        deals = Deals(s, "test")
        for key in ("ales", "secret", "unnamed"):
            deals.link_person(story["deal"], story[key])
        hidden = deals.add_deal(DealInput("Talks in progress", "2026", visibility="private"))
    with db.session() as s:
        public = list_deals(s)
        staff = list_deals(s, include_private=True)
        assert deal_titles(s, [story["deal"], hidden.id]) == {story["deal"]: "Release of 52"}
        with pytest.raises(NotFound):
            deal_view(s, hidden.id)
        target = concessions_for_target(s, "us ofac", "12345")
    assert [(d.id, d.released) for d in public] == [(story["deal"], 1)]
    assert public[0].concession_kinds == ["general_licence"]
    assert [d.title for d in staff] == ["Talks in progress", "Release of 52"]
    assert staff[1].released == 3
    assert [(deal_id, c.target_name) for deal_id, _t, c in target] == [(story["deal"], "BELAVIA")]
    with db.session() as s:
        named = Deals(s, "test").add_concession(
            story["deal"],
            ConcessionInput("delisting", "inferred", authority="EU", target_name="BELAVIA"),
        )
        assert (named.target_authority, named.target_ref) == ("EU", None)


def test_link_errors_and_unlink(db: Database, story: dict[str, int]) -> None:
    with db.session() as s:
        deals = Deals(s, "test")
        other = deals.add_deal(DealInput("Another deal", "2025-09"))
        ev, _ = deals.link_person(story["deal"], story["ales"])
        with pytest.raises(RegistryValidationError, match="already names deal"):
            deals.link_event(other.id, ev.id)
        detained = s.scalar(
            select(StatusEvent.id).where(
                StatusEvent.person_id == story["ales"], StatusEvent.kind == "detained"
            )
        )
        assert detained is not None
        with pytest.raises(RegistryValidationError, match="a deal names only"):
            deals.link_event(story["deal"], detained)
        with pytest.raises(NotFound):
            deals.link_person(9999, story["ales"])
        # a deal dated to a year takes a release anywhere in that year
        year = deals.add_deal(DealInput("A deal of 2025", "2025"))
        assert deals.release_event_for(year, story["maria"]).date_start.isoformat() == (
            "2025-09-11"
        )
        early = deals.add_deal(DealInput("A deal of 2025-07", "2025-07"))
        with pytest.raises(RegistryValidationError, match="within 31 days of the deal's date"):
            deals.release_event_for(early, story["maria"])
        deals.unlink_event(ev.id)
        assert s.get(StatusEvent, ev.id).deal_id is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("kind", {"kind": "bribe"}, "unknown concession kind"),
        ("certainty", {"certainty": "rumour"}, "not one of"),
        ("date", {"date": "2025-13-01"}, "date"),
        ("target_name", {"target_ref": "123"}, "name as the list writes it"),
    ],
)
def test_bad_concessions_are_refused_and_nothing_is_written(
    db: Database, story: dict[str, int], field: str, values: dict[str, str], message: str
) -> None:
    data = {"kind": "delisting", "certainty": "reported", "authority": "US OFAC", **values}
    with pytest.raises(RegistryValidationError, match=message) as err, db.session() as s:
        Deals(s, "test").add_concession(story["deal"], ConcessionInput(**data))
    assert err.value.field == field
    with db.session() as s:
        assert len(deal_view(s, story["deal"], include_private=True).concessions) == 2


def test_every_change_is_audited(db: Database, story: dict[str, int]) -> None:
    with db.session() as s:
        deals = Deals(s, "cli:anna", context="deal link")
        deals.link_person(story["deal"], story["maria"])
        deals.link_person(story["deal"], story["secret"])
        deals.edit_deal(story["deal"], {"title": "Release of 52 (Belavia)"})
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    kinds = [(e.action, e.entity_type) for e in entries if e.actor in ("test", "cli:anna")]
    assert ("create", "deal") in kinds and kinds.count(("create", "concession")) == 2
    assert ("create", "citation") in kinds
    link = next(e for e in entries if e.entity_type == "event" and e.actor == "cli:anna")
    private_link = next(
        e
        for e in entries
        if e.entity_type == "event" and e.person_id == story["secret"] and e.action == "update"
    )
    assert audit.redact(private_link.after) == {
        "deal_id": audit.REDACTED,
        "visibility": "private",
    }
    assert (link.before, link.after) == (
        {"deal_id": None, "visibility": "public"},
        {"deal_id": story["deal"], "visibility": "public"},
    )
    assert link.person_id == story["maria"] and link.context == "deal link"
    edit = next(e for e in entries if e.entity_type == "deal" and e.action == "update")
    assert edit.after == {"title": "Release of 52 (Belavia)"}


def test_link_a_list_of_names_across_scripts(
    db: Database, story: dict[str, int], tmp_path: Path
) -> None:
    names = tmp_path / "released.csv"
    names.write_text(
        "name\nAles Bialiatski\nMaryia Kalesnikava\nNobody Unknownski\n", encoding="utf-8"
    )
    with db.session() as s:
        out = link_deal_list(Deals(s, "test"), story["deal"], names)
    assert sorted(p for _r, _n, p, _e, _s in out.linked) == sorted([story["ales"], story["maria"]])
    assert [n for _r, n in out.unmatched] == ["Nobody Unknownski"]
    with db.session() as s:
        again = link_deal_list(Deals(s, "test"), story["deal"], names)
        assert {r.person_id for r in deal_view(s, story["deal"]).released} == {
            story["ales"],
            story["maria"],
        }
    assert again.linked == [] and len(again.already) == 2
