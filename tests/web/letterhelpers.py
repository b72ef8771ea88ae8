"""A registry for the letter pages: two facilities with full addresses, people held in them
(one transferred, one with a birthday this month, one born on 29 February), one released,
and people who must never appear on a public letter page — flagged no publicity,
incommunicado, address unknown, and a hidden person (no public name) — plus a facility
verified by a private source. Used on top of ``webhelpers.seed_registry``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prisonwatch.letters.flags import set_flag
from prisonwatch.store.db import Database
from prisonwatch.store.facilities import Facilities, FacilityInput
from prisonwatch.store.registry import EventInput, NameInput, PersonInput, Registry, SourceInput

#: names that no public letter page, feed, export or API answer may contain
LETTER_SECRETS = {
    "no_publicity": "Quietname Nopublicity",
    "incommunicado": "Lostname Incommunicado",
    "address_unknown": "Nowhere Addressunknown",
    "hidden": "Zzyzxhidden Letterperson",
    "private_verification": "SECRET-LETTERS-VERIFIED-BY-INFORMANT",
}


@dataclass
class LettersSeeded:
    losik: int
    znak: int
    leap: int
    released: int
    no_publicity: int
    incommunicado: int
    address_unknown: int
    hidden: int
    colony: int
    sizo: int


def _birth_this_month(today: dt.date, year: int) -> str:
    return dt.date(year, today.month, min(today.day, 28)).isoformat()


def seed_letters(db: Database, today: dt.date | None = None) -> LettersSeeded:
    today = today or dt.date.today()
    with db.session() as s:
        fac = Facilities(s, "test:seed")
        colony = fac.add(
            FacilityInput(
                name="IK-1 Navapolatsk",
                kind="penal_colony",
                name_ru="ИК-1",
                name_be="ПК-1",
                region="Витебская обл.",
                postal_code="211440",
                locality="г. Новополоцк",
                street="ул. Техническая, 8",
            )
        )
        sizo = fac.add(
            FacilityInput(
                name="SIZO-8 Zhodzina",
                kind="sizo",
                name_ru="СИЗО-8",
                name_be="СІЗА-8",
                region="Минская обл.",
                postal_code="222163",
                locality="г. Жодино",
                street="ул. Советская, 22а",
            )
        )
        reg = Registry(s, "test:seed")
        public_src = reg.add_source(
            SourceInput(url="https://example.org/addresses", title="Viasna")
        )
        private_src = reg.add_source(
            SourceInput(title=LETTER_SECRETS["private_verification"], visibility="private")
        )
        fac.verify(colony.id, today - dt.timedelta(days=10), public_src.id)
        fac.verify(sizo.id, today - dt.timedelta(days=5), private_src.id)

        def held(names: list[NameInput], facility: str, birth: str | None = None) -> int:
            p = reg.add_person(PersonInput(names=names, birth_date=birth))
            reg.add_event(p.id, EventInput("detained", "2021-03-01", facility=facility))
            return p.id

        losik = held(
            [
                NameInput("Ігар Лосік", language="be", is_primary=True),
                NameInput("Ihar Losik", kind="transliteration", language="en"),
                NameInput("Лосик Игорь Александрович", language="ru"),
            ],
            "IK-1 Navapolatsk",
            _birth_this_month(today, 1992),
        )
        znak = held([NameInput("Максім Знак", language="be", is_primary=True)], "IK-1 Navapolatsk")
        # transferred to the remand prison ten days ago: the address switched then
        reg.add_event(
            znak,
            EventInput(
                "transferred",
                (today - dt.timedelta(days=10)).isoformat(),
                facility="SIZO-8 Zhodzina",
            ),
        )
        leap = held(
            [NameInput("Ala Fevralskaya", language="en", is_primary=True)],
            "SIZO-8 Zhodzina",
            "1996-02-29",
        )
        released = held(
            [NameInput("Vyzvalena Released", language="en", is_primary=True)],
            "IK-1 Navapolatsk",
            _birth_this_month(today, 1980),
        )
        reg.add_event(released, EventInput("released_end_of_term", "2024-01-10"))
        flagged = {}
        for flag in ("no_publicity", "incommunicado", "address_unknown"):
            pid = held(
                [NameInput(LETTER_SECRETS[flag], language="en", is_primary=True)],
                "IK-1 Navapolatsk",
                _birth_this_month(today, 1970),
            )
            set_flag(s, pid, flag, reason=f"test: {flag}", actor="test:seed")
            flagged[flag] = pid
        hidden = held(
            [NameInput(LETTER_SECRETS["hidden"], visibility="private")],
            "IK-1 Navapolatsk",
            _birth_this_month(today, 1975),
        )
        return LettersSeeded(
            losik=losik,
            znak=znak,
            leap=leap,
            released=released,
            no_publicity=flagged["no_publicity"],
            incommunicado=flagged["incommunicado"],
            address_unknown=flagged["address_unknown"],
            hidden=hidden,
            colony=colony.id,
            sizo=sizo.id,
        )
