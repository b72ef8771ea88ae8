"""Mass releases (from deals, else same-date outflows) and outside figures beside the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from prisonwatch.stats.claims import FigureError, add_figure, figures
from prisonwatch.stats.mass import mass_releases
from prisonwatch.stats.periods import parse_period
from prisonwatch.store.db import Database
from prisonwatch.store.schema import AuditEntry, Claim, Deal, Source

D = dt.date
Maker = Callable[[Sequence[object]], list[int]]


def test_deal_and_same_date_releases(db: Database, make_people: Maker, spec: Any) -> None:
    P, Ev = spec.P, spec.Ev
    with db.session() as s:
        deal = Deal(title="Belavia sanctions lifted", date_start=D(2025, 9, 11), date_precision=3)
        s.add(deal)
        s.flush()
        deal_id = deal.id
    people = [
        P([Ev("detained", "2024-01-05"), Ev("expelled_abroad", "2025-09-11", deal_id=deal_id)])
        for _ in range(11)
    ]
    people.append(
        P([Ev("detained", "2024-01-05"), Ev("refused_to_leave", "2025-09-11", deal_id=deal_id)])
    )
    # ten pardoned on one day without a deal: found by the same-date rule
    people += [P([Ev("detained", "2023-03-03"), Ev("pardoned", "2025-01-01")]) for _ in range(10)]
    # nine on one day: below the threshold
    people += [P([Ev("detained", "2023"), Ev("released_end_of_term", "2025-03-01")])] * 9
    # ten "pardons" of people never held are not outflow, so not a mass release
    people += [P([Ev("pardoned", "2025-05-05")]) for _ in range(10)]
    make_people(people)
    with db.session() as s:
        found = mass_releases(s, parse_period("2025"))
    assert [(m.date, m.origin, m.released, m.by_kind) for m in found] == [
        (D(2025, 1, 1), "same-date", 10, {"pardoned": 10}),
        (D(2025, 9, 11), "deal", 11, {"expelled_abroad": 11}),
    ]
    assert found[1].event_kinds == {"expelled_abroad": 11, "refused_to_leave": 1}
    assert found[1].title == "Belavia sanctions lifted"
    with db.session() as s:
        assert [m.date for m in mass_releases(s, parse_period("2025"), threshold=9)] == [
            D(2025, 1, 1),
            D(2025, 3, 1),
            D(2025, 9, 11),
        ]
        assert mass_releases(s, parse_period("2024")) == []


def test_outside_figure_beside_registry_count(db: Database, timeline: dict[str, int]) -> None:
    url = "https://www.lrt.lt/en/news-in-english/19/2700000"
    with db.session() as s:
        claim = add_figure(
            s,
            kind="count_held",
            value=1300,
            as_of=D(2025, 9, 11),
            wording="about 1,300 people remain behind bars",
            source_url=url,
            publisher="LRT",
            published="2025-09-11",
            actor="cli:tester",
        )
        add_figure(
            s,
            kind="count_released",
            value=52,
            as_of=D(2025, 9, 11),
            wording="52 were freed",
            source_url=url,
            actor="cli:tester",
        )
        claim_id = claim.id
    with db.session() as s:
        shown = figures(s)
        sources = s.scalars(select(Source)).all()
        audit = s.execute(select(AuditEntry.entity_type, AuditEntry.action)).all()
        stored = s.get(Claim, claim_id)
    assert [(f.kind, f.value, f.registry_value, f.difference) for f in shown] == [
        ("count_held", 1300.0, 2, 1298.0),
        ("count_released", 52.0, 1, 51.0),
    ]
    assert shown[0].publisher == "LRT" and shown[0].source_url == url
    assert len(sources) == 1  # the second figure reused the source by URL
    assert sorted(audit) == [("claim", "create"), ("claim", "create"), ("source", "create")]
    assert stored is not None and stored.wording == "about 1,300 people remain behind bars"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": " "}, "kind"),
        ({"value": -3}, "value"),
        ({"value": float("nan")}, "value"),
        ({"wording": ""}, "wording"),
        ({"published": "last week"}, "published"),
        ({"source_url": None, "publisher": None}, "source"),
        ({"source_url": None, "source_id": 999}, "source"),
    ],
)
def test_bad_figures_name_the_field(db: Database, kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "kind": "count_held",
        "value": 1300,
        "as_of": D(2025, 9, 11),
        "wording": "about 1,300",
        "source_url": "https://example.org/a",
        "actor": "t",
    }
    args.update(kwargs)
    with pytest.raises(FigureError, match=f"^{field}:"), db.session() as s:
        add_figure(s, **args)  # type: ignore[arg-type]
    with db.session() as s:  # nothing was written
        assert s.scalars(select(Claim)).all() == []
        assert s.scalars(select(AuditEntry)).all() == []


def test_private_sources_stay_out_of_public_figures(db: Database) -> None:
    with db.session() as s:
        src = Source(url="https://internal.example/report", visibility="private")
        s.add(src)
        s.flush()
        add_figure(
            s,
            kind="count_held",
            value=7,
            as_of=D(2025, 1, 1),
            wording="seven",
            source_id=src.id,
            actor="t",
        )
    with db.session() as s:
        assert figures(s) == []
        assert [f.value for f in figures(s, include_private=True)] == [7.0]
