"""A tiny registry builder for the letter tests: people with names, events and cases written
through the registry writer (so facilities become records as in real use)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from prisonwatch.letters import log as letters_log
from prisonwatch.store.facilities import Facilities, FacilityInput
from prisonwatch.store.registry import CaseInput, EventInput, NameInput, PersonInput, Registry

Event = tuple[str, str] | tuple[str, str, str | None] | tuple[str, str, str | None, str]


@dataclass
class Builder:
    session: Session

    @property
    def reg(self) -> Registry:
        return Registry(self.session, "test")

    def facility(self, name: str, ru: str, pc: str = "220000", locality: str = "г. Минск") -> int:
        return (
            Facilities(self.session, "test")
            .add(
                FacilityInput(
                    name=name, name_ru=ru, postal_code=pc, locality=locality, street="а/я 1"
                )
            )
            .id
        )

    def person(
        self,
        name: str,
        events: Sequence[Event] = (),
        *,
        birth: str | None = None,
        ru: str | None = None,
        private_names: bool = False,
        case_facility: str | None = None,
    ) -> int:
        vis = "private" if private_names else "public"
        names = [NameInput(name, language="be", visibility=vis, is_primary=True)]
        if ru:
            names.append(NameInput(ru, language="ru", visibility=vis))
        reg = self.reg
        pid = reg.add_person(PersonInput(names=names, birth_date=birth)).id
        if case_facility:
            reg.add_case(pid, CaseInput(facility=case_facility))
        for ev in events:
            kind, date = ev[0], ev[1]
            facility = ev[2] if len(ev) > 2 else None
            visibility = ev[3] if len(ev) > 3 else "public"
            reg.add_event(
                pid,
                EventInput(
                    kind,
                    date,
                    facility=facility,
                    visibility=visibility,
                    destination_country="Lithuania" if kind == "expelled_abroad" else None,
                ),
            )
        self.session.flush()
        return pid


@pytest.fixture
def build() -> type[Builder]:
    return Builder


@dataclass
class Clock:
    """The real date as the letters log sees it (its limits count by it)."""

    today: dt.date = dt.date(2025, 1, 1)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(letters_log, "_today", lambda: c.today)
    return c
