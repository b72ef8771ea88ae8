"""``prisonwatch demo``: a realistic, clearly synthetic registry to explore PrisonWatch with.

Every person is invented: names are random combinations of common Belarusian given names,
patronymics and surnames; every person is marked ``synthetic`` and carries the public note
"Synthetic demo record". The recognising organisation and the courts' judges are invented too.
Nothing here states a fact about a real person.

What it contains (with the default 1,500 people): detentions from 2020 to this month, with the
wave after the August 2020 election and new detentions every month since; recognitions; cases
with criminal-code articles, courts, sentences and facilities; releases at the end of terms;
occasional pardons, transfers, re-arrests, deaths in custody and withdrawn recognitions; and the
mass release of 52 on 2025-09-11 (51 expelled to Lithuania, one who refused to leave and was
taken back), linked to the deal that bought it.

The deals are real and told as the registry records them (:mod:`prisonwatch.store.deals`): the
2025 release for US sanctions relief on Belavia — an OFAC general licence the same day, and the
removal of Belavia and its aircraft from the SDN list on 2025-11-04, both stated officially —
and the 2015 release of six for a general licence covering nine Belneftekhim-group entities,
with no delisting (reported). Sources name the publisher and date; no URL is given where we
are not sure of it. Only the *people* linked to the 2025 deal are synthetic; the six people of
2015 are not in the demo (its registry starts in 2020).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.letters.demo import add_demo_facilities
from prisonwatch.model import EventKind, Status
from prisonwatch.names.patronymic import patronymic
from prisonwatch.names.romanise import passport_latin
from prisonwatch.names.translit import Lang
from prisonwatch.store.db import Database
from prisonwatch.store.deals import ConcessionInput, DealInput, Deals
from prisonwatch.store.registry import (
    CaseInput,
    EventInput,
    NameInput,
    PersonInput,
    Registry,
    SourceInput,
)
from prisonwatch.store.schema import Person, StatusEvent
from prisonwatch.store.status import held_on
from prisonwatch.store.status_rule import Event, status_on


class DemoError(RuntimeError):
    pass


# (Belarusian, Russian) given names
MALE = [
    ("Аляксандр", "Александр"),
    ("Мікалай", "Николай"),
    ("Сяргей", "Сергей"),
    ("Дзмітрый", "Дмитрий"),
    ("Андрэй", "Андрей"),
    ("Павел", "Павел"),
    ("Віктар", "Виктор"),
    ("Алег", "Олег"),
    ("Уладзімір", "Владимир"),
    ("Юрый", "Юрий"),
    ("Ігар", "Игорь"),
    ("Максім", "Максим"),
    ("Артур", "Артур"),
    ("Яўген", "Евгений"),
    ("Васіль", "Василий"),
    ("Антон", "Антон"),
    ("Раман", "Роман"),
    ("Міхаіл", "Михаил"),
    ("Вадзім", "Вадим"),
    ("Ілья", "Илья"),
    ("Кірыл", "Кирилл"),
    ("Аляксей", "Алексей"),
    ("Ягор", "Егор"),
    ("Генадзь", "Геннадий"),
    ("Пётр", "Пётр"),
    ("Станіслаў", "Станислав"),
]
FEMALE = [
    ("Марыя", "Мария"),
    ("Вольга", "Ольга"),
    ("Наталля", "Наталья"),
    ("Алена", "Елена"),
    ("Кацярына", "Екатерина"),
    ("Ірына", "Ирина"),
    ("Святлана", "Светлана"),
    ("Ганна", "Анна"),
    ("Таццяна", "Татьяна"),
    ("Юлія", "Юлия"),
    ("Вікторыя", "Виктория"),
    ("Дар'я", "Дарья"),
    ("Людміла", "Людмила"),
    ("Валянціна", "Валентина"),
]
# (Belarusian, Russian) fathers' given names: the patronymics are made from them by the rules of
# each language (prisonwatch.names.patronymic)
FATHERS = [
    *MALE,
    ("Іван", "Иван"),
    ("Анатоль", "Анатолий"),
    ("Леанід", "Леонид"),
    ("Леў", "Лев"),
    ("Кузьма", "Кузьма"),
]
# (Belarusian, Russian, feminine Belarusian, feminine Russian) surnames
SURNAMES = [
    ("Каваленка", "Коваленко", "Каваленка", "Коваленко"),
    ("Шаўчук", "Шевчук", "Шаўчук", "Шевчук"),
    ("Новік", "Новик", "Новік", "Новик"),
    ("Лукашэвіч", "Лукашевич", "Лукашэвіч", "Лукашевич"),
    ("Марозаў", "Морозов", "Марозава", "Морозова"),
    ("Дзямідовіч", "Демидович", "Дзямідовіч", "Демидович"),
    ("Жук", "Жук", "Жук", "Жук"),
    ("Бондар", "Бондарь", "Бондар", "Бондарь"),
    ("Карповіч", "Карпович", "Карповіч", "Карпович"),
    ("Саўчанка", "Савченко", "Саўчанка", "Савченко"),
    ("Васілеўскі", "Василевский", "Васілеўская", "Василевская"),
    ("Казлоў", "Козлов", "Казлова", "Козлова"),
    ("Мельнік", "Мельник", "Мельнік", "Мельник"),
    ("Гарбачэўскі", "Горбачевский", "Гарбачэўская", "Горбачевская"),
    ("Кузьміч", "Кузьмич", "Кузьміч", "Кузьмич"),
    ("Цімошчанка", "Тимощенко", "Цімошчанка", "Тимощенко"),
    ("Ярмоленка", "Ермоленко", "Ярмоленка", "Ермоленко"),
    ("Паўлоўскі", "Павловский", "Паўлоўская", "Павловская"),
    ("Сідарэнка", "Сидоренко", "Сідарэнка", "Сидоренко"),
    ("Багдановіч", "Богданович", "Багдановіч", "Богданович"),
    ("Ціхановіч", "Тихонович", "Ціхановіч", "Тихонович"),
    ("Навумчык", "Наумчик", "Навумчык", "Наумчик"),
    ("Пашкевіч", "Пашкевич", "Пашкевіч", "Пашкевич"),
    ("Лявонаў", "Леонов", "Лявонава", "Леонова"),
    ("Кандрацьеў", "Кондратьев", "Кандрацьева", "Кондратьева"),
    ("Шыманскі", "Шиманский", "Шыманская", "Шиманская"),
    ("Міхневіч", "Михневич", "Міхневіч", "Михневич"),
    ("Грыцук", "Грицук", "Грыцук", "Грицук"),
    ("Статкевіч", "Статкевич", "Статкевіч", "Статкевич"),
    ("Зайцаў", "Зайцев", "Зайцава", "Зайцева"),
    ("Лебедзеў", "Лебедев", "Лебедзева", "Лебедева"),
    ("Сакалоўскі", "Соколовский", "Сакалоўская", "Соколовская"),
    ("Радзівонаў", "Родионов", "Радзівонава", "Родионова"),
    ("Клімовіч", "Климович", "Клімовіч", "Климович"),
    ("Левановіч", "Леванович", "Левановіч", "Леванович"),
    ("Гурскі", "Гурский", "Гурская", "Гурская"),
]
REGIONS = [
    ("Minsk", 30),
    ("Minsk Region", 12),
    ("Brest Region", 10),
    ("Hrodna Region", 10),
    ("Homiel Region", 12),
    ("Mahilioŭ Region", 10),
    ("Viciebsk Region", 10),
]
ARTICLES = [
    ("342", 30),
    ("361-1", 10),
    ("130", 8),
    ("368", 8),
    ("369", 10),
    ("293", 5),
    ("361", 6),
    ("364", 8),
    ("367", 5),
    ("356", 3),
    ("361-4", 4),
    ("423", 3),
]
COURTS = [
    "Minsk City Court",
    "Maskoŭski District Court, Minsk",
    "Saviecki District Court, Minsk",
    "Brest Regional Court",
    "Hrodna Regional Court",
    "Homiel Regional Court",
    "Mahilioŭ Regional Court",
    "Viciebsk Regional Court",
    "Lieninski District Court, Brest",
]
# Facilities of the demo are invented (number + region), as are their addresses.
FACILITIES = [
    ("Penal colony No. 1 (demo), Navapolatsk", "Demo address: PO box 1, 211440 Navapolatsk"),
    (
        "Penal colony No. 3 (demo), Viciebsk region",
        "Demo address: PO box 3, 211322 Viciebsk region",
    ),
    ("Penal colony No. 15 (demo), Mahilioŭ", "Demo address: PO box 15, 212013 Mahilioŭ"),
    ("Penal colony No. 17 (demo), Shklou", "Demo address: PO box 17, 213004 Shklou"),
    ("Penal colony No. 4 (demo), Homiel", "Demo address: PO box 4, 246035 Homiel"),
    ("Penal colony No. 22 (demo), Ivatsevichy", "Demo address: PO box 22, 225295 Ivatsevichy"),
    ("Prison No. 4 (demo), Mahilioŭ", "Demo address: PO box 4, 212011 Mahilioŭ"),
    ("Prison No. 8 (demo), Zhodzina", "Demo address: PO box 8, 222160 Zhodzina"),
    ("Women's colony No. 4 (demo), Homiel", "Demo address: PO box 4W, 246035 Homiel"),
]
ORGANISATION = "Demo Human Rights Centre (synthetic)"
DEMO_NOTE = "Synthetic demo record: this is not a real person."
START = dt.date(2020, 5, 1)
MASS_RELEASE = dt.date(2025, 9, 11)


@dataclass
class _Plan:
    names: list[NameInput]
    gender: str
    birth: str
    region: str
    detained: dt.date
    sentence_months: int
    articles: list[str]
    court: str
    facility: tuple[str, str]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


def _detention_date(rng: random.Random, today: dt.date) -> dt.date:
    """The 2020 wave, then a steady monthly flow until today."""
    if rng.random() < 0.22:
        start, end = dt.date(2020, 8, 9), dt.date(2021, 6, 30)
    else:
        start, end = START, today - dt.timedelta(days=3)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _plan(rng: random.Random, today: dt.date) -> _Plan:
    female = rng.random() < 0.16
    given_be, given_ru = rng.choice(FEMALE if female else MALE)
    father_be, father_ru = rng.choice(FATHERS)
    sur = rng.choice(SURNAMES)
    sur_be, sur_ru = (sur[2], sur[3]) if female else (sur[0], sur[1])
    pat_be_full = patronymic(father_be, "be", female=female)
    pat_ru_full = patronymic(father_ru, "ru", female=female)
    be = f"{sur_be} {given_be} {pat_be_full}"
    ru = f"{sur_ru} {given_ru} {pat_ru_full}"
    # as the person's passport would print it (Henadz Statkevich), not ICU's BGN output
    latin = passport_latin(f"{given_be} {sur_be}", Lang.BELARUSIAN)
    names = [
        NameInput(be, kind="official", language="be", is_primary=True),
        NameInput(ru, kind="official", language="ru"),
        NameInput(latin, kind="transliteration", language="en"),
    ]
    detained = _detention_date(rng, today)
    sentence = rng.choice([18, 24, 36, 42, 48, 60, 60, 72, 84, 96, 108, 120, 144, 168, 180, 240])
    return _Plan(
        names=names,
        gender="female" if female else "male",
        birth=str(rng.randint(1950, 2004))
        if rng.random() < 0.4
        else f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        region=_weighted(rng, REGIONS),
        detained=detained,
        sentence_months=sentence,
        articles=sorted({_weighted(rng, ARTICLES) for _ in range(rng.choice([1, 1, 2, 3]))}),
        court=rng.choice(COURTS),
        facility=FACILITIES[-1] if female else rng.choice(FACILITIES[:-1]),
    )


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, 28)
    return dt.date(year, month, day)


def build_demo(
    db: Database,
    *,
    seed: int = 1,
    people: int = 1500,
    actor: str = "demo",
    progress: Callable[[int, int], None] | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Fill an empty registry with synthetic people; returns counts."""
    if people < 60:
        raise DemoError("the demo needs at least 60 people (52 are released on 2025-09-11)")
    today = today or dt.date.today()
    rng = random.Random(seed)
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            raise DemoError(
                f"{db.describe()} already holds people; the demo needs an empty registry "
                "(use --db sqlite:///demo.db)"
            )
        reg = Registry(s, actor, context="prisonwatch demo (synthetic data)")
        add_demo_facilities(s, actor, reg.context)  # the facilities as records (letters)
        src = reg.add_source(
            SourceInput(
                url="https://www.lrt.lt/en/news-in-english/19/2689461/"
                "sanctions-lifted-prisoners-freed-but-has-anything-changed-in-belarus",
                title="Sanctions lifted, prisoners freed – but has anything changed in Belarus?",
                publisher="LRT",
                published="2025-09",
                quote="In total, 52 people were released",
            )
        )
        deal_id = _deals(s, reg, actor, src.id)
        demo_src = reg.add_source(
            SourceInput(
                title="PrisonWatch demo generator (synthetic data)", publisher="PrisonWatch"
            )
        )
        plans = [_plan(rng, today) for _ in range(people)]
        plans.sort(key=lambda p: p.detained)
        timelines: list[tuple[int, _Plan, list[tuple[dt.date, str]]]] = []
        for i, plan in enumerate(plans, 1):
            p = reg.add_person(
                PersonInput(
                    names=plan.names,
                    birth_date=plan.birth,
                    gender=plan.gender,
                    region=plan.region,
                    public_notes=DEMO_NOTE,
                    synthetic=True,
                )
            )
            reg.add_case(
                p.id,
                CaseInput(
                    articles="; ".join(plan.articles),
                    court=plan.court,
                    judge=f"Judge {rng.choice('ABCDEFGHKLMNPRSTVZ')}. (demo)",
                    sentence=f"{plan.sentence_months // 12} years"
                    + (f" {plan.sentence_months % 12} months" if plan.sentence_months % 12 else ""),
                    facility=plan.facility[0],
                    facility_address=plan.facility[1],
                ),
                [demo_src.id],
            )
            timeline = _timeline(rng, plan, today)
            for day, kind in timeline:
                recognition = kind in (
                    EventKind.RECOGNISED.value,
                    EventKind.RECOGNITION_WITHDRAWN.value,
                )
                event = EventInput(
                    kind,
                    day.isoformat(),
                    organisation=ORGANISATION if recognition else None,
                    facility=plan.facility[0] if kind == EventKind.TRANSFERRED.value else None,
                )
                reg.add_event(p.id, event, [demo_src.id])
            timelines.append((p.id, plan, timeline))
            if progress and (i % 50 == 0 or i == people):
                progress(i, people)
        _mass_release(s, reg, rng, timelines, deal_id, src.id)
        n_events = s.scalar(select(func.count()).select_from(StatusEvent)) or 0
        held = held_on(s, min(today, dt.date.today())).held
    return {"people": people, "events": int(n_events), "held_today": held}


TREASURY = "U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)"


def _deals(s: Session, reg: Registry, actor: str, lrt_source: int) -> int:
    """The two Belarus deals with their concessions; returns the 2025 deal's id."""
    deals = Deals(s, actor, context="prisonwatch demo (synthetic data)")
    gl_2025 = reg.add_source(
        SourceInput(
            title="OFAC general licence authorising transactions with Belavia",
            publisher=TREASURY,
            published="2025-09-11",
        )
    )
    delisting = reg.add_source(
        SourceInput(
            title="OFAC recent actions: removal of Belavia and its aircraft from the SDN list",
            publisher=TREASURY,
            published="2025-11-04",
        )
    )
    deal = deals.add_deal(
        DealInput(
            title="Release of 52 political prisoners for US sanctions relief on Belavia",
            date=MASS_RELEASE.isoformat(),
            parties="United States; Belarus",
            intermediaries="US presidential envoy",
            summary="US OFAC: general licence for Belavia (2025-09-11); Belavia and its "
            "aircraft removed from the SDN list (2025-11-04)",
            description="52 people were released on 2025-09-11: 51 were taken to Lithuania, "
            "one refused to leave the country and was taken back to prison. The deal is real; "
            "the people linked to it in this demo are synthetic.",
            synthetic=True,
        ),
        [lrt_source],
    )
    deals.add_concession(
        deal.id,
        ConcessionInput(
            kind="general_licence",
            certainty="stated_officially",
            authority="US OFAC",
            target_authority="US OFAC",
            target_name="BELAVIA",
            date=MASS_RELEASE.isoformat(),
            description="General licence authorising transactions with the state airline "
            "Belavia, issued on the day of the release.",
        ),
        [gl_2025.id],
    )
    deals.add_concession(
        deal.id,
        ConcessionInput(
            kind="delisting",
            certainty="stated_officially",
            authority="US OFAC",
            target_authority="US OFAC",
            target_name="BELAVIA",
            date="2025-11-04",
            description="Belavia and its aircraft removed from the SDN list.",
        ),
        [delisting.id],
    )
    reports_2015 = reg.add_source(
        SourceInput(
            title="Press reports of the release of six political prisoners (August 2015) and "
            "of the US general licence for the Belneftekhim group (October 2015)",
            publisher="press reports",
            published="2015",
        )
    )
    deal_2015 = deals.add_deal(
        DealInput(
            title="Release of six political prisoners; US general licence for the "
            "Belneftekhim group",
            date="2015-08",
            parties="United States; Belarus",
            summary="US OFAC: general licence covering nine Belneftekhim-group entities; "
            "no delisting",
            description="Six political prisoners were released in August 2015. The US "
            "answered with a general licence for nine Belneftekhim-group entities; none was "
            "removed from the SDN list. The six people are not in this synthetic demo "
            "registry, which starts in 2020.",
        ),
        [reports_2015.id],
    )
    deals.add_concession(
        deal_2015.id,
        ConcessionInput(
            kind="general_licence",
            certainty="reported",
            authority="US OFAC",
            target_authority="US OFAC",
            target_name="BELNEFTEKHIM",
            date="2015-10",
            description="General licence covering nine Belneftekhim-group entities; the "
            "entities stayed on the SDN list (no delisting).",
        ),
        [reports_2015.id],
    )
    return deal.id


def _timeline(rng: random.Random, plan: _Plan, today: dt.date) -> list[tuple[dt.date, str]]:
    ev: list[tuple[dt.date, str]] = [(plan.detained, EventKind.DETAINED.value)]
    recog = plan.detained + dt.timedelta(days=rng.randint(10, 120))
    if recog < today:
        ev.append((recog, EventKind.RECOGNISED.value))
    sentenced = plan.detained + dt.timedelta(days=rng.randint(60, 240))
    if sentenced < today:
        ev.append((sentenced, EventKind.SENTENCED.value))
        transfer = sentenced + dt.timedelta(days=rng.randint(20, 90))
        if transfer < today:
            ev.append((transfer, EventKind.TRANSFERRED.value))
    end = _add_months(plan.detained, plan.sentence_months)
    roll = rng.random()
    if roll < 0.006:
        death = plan.detained + dt.timedelta(days=rng.randint(200, 1500))
        if death < min(end, today):
            ev.append((death, EventKind.DIED_IN_CUSTODY.value))
            return sorted(ev)
    if roll < 0.05:
        pardon = plan.detained + dt.timedelta(days=rng.randint(300, 1400))
        if pardon < min(end, today) and pardon != MASS_RELEASE:
            ev.append((pardon, EventKind.PARDONED.value))
            end = pardon
            if rng.random() < 0.25:
                re_arrest = pardon + dt.timedelta(days=rng.randint(60, 500))
                if re_arrest < today:
                    ev.append((re_arrest, EventKind.RE_ARRESTED.value))
            return sorted(ev)
    if end < today:
        ev.append((end, EventKind.RELEASED_END_OF_TERM.value))
        if rng.random() < 0.06:
            re_arrest = end + dt.timedelta(days=rng.randint(30, 400))
            if re_arrest < today:
                ev.append((re_arrest, EventKind.RE_ARRESTED.value))
    elif rng.random() < 0.01 and recog < today:
        ev.append(
            (recog + dt.timedelta(days=rng.randint(30, 300)), EventKind.RECOGNITION_WITHDRAWN.value)
        )
    return sorted(e for e in ev if e[0] <= today)


def _mass_release(
    s: object,
    reg: Registry,
    rng: random.Random,
    timelines: list[tuple[int, _Plan, list[tuple[dt.date, str]]]],
    deal_id: int,
    source_id: int,
) -> None:
    """52 people held on 2025-09-11 are released: 51 expelled to Lithuania, 1 refuses to leave.

    Their later events (end-of-term release etc.) are removed first so that the demo stays
    consistent: after expulsion the person is out of custody."""

    def held_then(tl: list[tuple[dt.date, str]]) -> bool:
        events = [Event(kind, day, id=i) for i, (day, kind) in enumerate(tl)]
        return status_on(events, MASS_RELEASE) is Status.HELD

    candidates = [t for t in timelines if held_then(t[2])]
    if len(candidates) < 52:
        return
    chosen = rng.sample(candidates, 52)
    for i, (pid, _plan, _timeline) in enumerate(chosen):
        later = [e for e in reg.get_person(pid).events if e.date_start >= MASS_RELEASE]
        for e in later:
            reg.remove_event(e.id)
        if i == 0:
            reg.add_event(
                pid,
                EventInput(
                    EventKind.REFUSED_TO_LEAVE.value,
                    MASS_RELEASE.isoformat(),
                    note="Refused to leave the country and was taken back to prison.",
                    deal_id=deal_id,
                ),
                [source_id],
            )
        else:
            reg.add_event(
                pid,
                EventInput(
                    EventKind.EXPELLED_ABROAD.value,
                    MASS_RELEASE.isoformat(),
                    destination_country="Lithuania",
                    deal_id=deal_id,
                ),
                [source_id],
            )
