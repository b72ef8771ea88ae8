"""Counts of people (or sanctioned individuals/entities): a number written in digits, followed
by a people noun, in a clause that says what happened to them. Ages, years, dates, durations,
money, percentages and votes are left out; vague words ("hundreds") are never counts."""

from __future__ import annotations

import re

from prisonwatch.news.lexicon import FLAGS, Lexicon
from prisonwatch.news.text import Claim, Sentence, modal, negated
from prisonwatch.news.when import DateSpan, date_of

_NUM = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+"
NUMBER = re.compile(
    rf"(?<![\d.,:/\w])({_NUM})(?:\s*[-–—]\s*({_NUM}))?(?![\d\w%]|[.,:/]\d|\s*%|-\w)", FLAGS
)
_UNIT_AFTER = re.compile(
    r"\s*(?:per ?cent|percent|процент\w*|працэнт\w*|por ciento|years?\b|year-old|yr|лет\b|"
    r"год\w*|гад\w*|months?\b|месяц\w*|weeks?\b|недел\w*|тыдн\w*|days?\b|дн\w*|дзён|hours?\b|"
    r"час\w*|rubles?|roubles?|руб\w*|рубл\w*|BYN|euros?|евро|еўра|dollars?|долл\w*|даляр\w*|"
    r"\$|€|million|billion|thousand|млн|млрд|тыс\w*|мільён\w*|мільярд\w*|votes?\b|голос\w*|"
    r"галас\w*|km|км|seats?\b|мест\w*|años?\b|meses\b|votos?\b|euros?\b|dólares\b)",
    FLAGS,
)
_BEFORE = re.compile(
    r"(?:\$|€|£|№|No\.|aged|age of|article|articles|art\.|стать\w*|ст\.|артыкул\w*|арт\.|"
    r"часть|частк\w*|ч\.|к\.|score of|счётом|счетом|лікам|turnout of)\s*$",
    FLAGS,
)

SUBJECTS = {
    "stripped of citizenship": "people stripped of citizenship",
    "expelled": "people expelled",
    "moved abroad": "people moved abroad",
    "pardoned": "people pardoned",
    "newly recognised": "people newly recognised as political prisoners",
    "sentenced": "people sentenced",
    "died": "people who died",
    "detained": "people detained",
    "released": "people released",
    "held": "political prisoners held",
    "sanctioned": "individuals and entities sanctioned",
}


def _value(group: str) -> str:
    return re.sub(r"[,.\u00a0\u202f ]", "", group)


def _hedge(text: str, start: int, lex: Lexicon) -> str | None:
    before = text[max(0, start - 30) : start]
    for name, pat in lex.hedges:
        if pat.search(before):
            return name
    return None


def _distractor(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    after = text[m.end() : m.end() + 16]
    before = text[max(0, m.start() - 16) : m.start()]
    if _UNIT_AFTER.match(after) or _BEFORE.search(before):
        return True
    if re.search(r",\s*$", before) and re.match(r"\s*,", after) and int(_value(m.group(1))) < 120:
        return True  # "Maria Kalesnikava, 43, ..." — an age
    if m.group(2) is None and re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
        return not lex.people_nouns.match(text, m.end())  # a year, unless "2000 people"
    return False


def find_counts(
    text: str, sent: Sentence, lex: Lexicon, masks: list[tuple[int, int]], dates: list[DateSpan]
) -> list[Claim]:
    out: list[Claim] = []
    for clause in sent.clauses:
        subjects = []
        for name, pat in lex.count_subjects:
            for sm in pat.finditer(text, clause.start, clause.end):
                if negated(text, sm.start(), lex, clause.start, sm.end()) or modal(
                    text, sm.start(), clause, lex
                ):
                    continue
                subjects.append((name, sm))
        if not subjects:
            continue
        for m in NUMBER.finditer(text, clause.start, clause.end):
            if any(a <= m.start() < b for a, b in masks) or _distractor(text, m, lex):
                continue
            chosen = None
            for name, sm in subjects:  # a subject written just before the number ("total to")
                if 0 <= m.start() - sm.end() <= 3:
                    chosen = name
            if chosen is None and lex.people_nouns.match(text, m.end()):
                chosen = subjects_in_order(subjects)
            if chosen is None:  # no noun: "at least 8 died", "8 were released"
                for name, sm in subjects:
                    between = text[m.end() : sm.start()]
                    aux = rf"\s+(?:{lex.aux}\s+)?"
                    if sm.start() >= m.end() and re.fullmatch(aux, between, FLAGS):
                        chosen = name
                        break
            if chosen is None:
                continue
            value = _value(m.group(1))
            if m.group(2):
                value = f"{value}-{_value(m.group(2))}"
            out.append(
                Claim(
                    kind="count",
                    quote=clause.text,
                    start=clause.start,
                    end=clause.end,
                    value=value,
                    hedge=_hedge(text, m.start(), lex),
                    subject=SUBJECTS[chosen],
                    date=date_of(dates, clause.start, clause.end)
                    or date_of(dates, sent.start, sent.end),
                    fact=(chosen, value),
                )
            )
    return out


def subjects_in_order(subjects: list[tuple[str, re.Match[str]]]) -> str:
    """The most specific subject (the lexicon lists them most specific first)."""
    order = list(SUBJECTS)
    return min((name for name, _ in subjects), key=order.index)
