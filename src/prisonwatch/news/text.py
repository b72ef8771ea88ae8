"""What the rules share: the claim record, sentences and clauses with their offsets, and the
negation / modality tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from prisonwatch.news.lexicon import Lexicon

KINDS = ("count", "person_status", "sanction_change", "statement")
JSON_KEYS = (
    "kind",
    "value",
    "hedge",
    "status",
    "person",
    "subject",
    "date",
    "quote",
    "start",
    "end",
)


@dataclass
class Claim:
    kind: str
    quote: str
    start: int
    end: int
    value: str | None = None
    hedge: str | None = None
    status: str | None = None
    person: str | None = None
    subject: str | None = None
    date: str | None = None
    #: not printed: the key two claims of the same fact share (see :func:`dedupe`)
    fact: tuple[Any, ...] = field(default=(), compare=False)

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in JSON_KEYS}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Clause(Span):
    #: the clause began with "and"/"и"/"і"...: it may share its subject with the one before
    coordinated: bool


@dataclass(frozen=True)
class Sentence(Span):
    clauses: tuple[Clause, ...]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n,\"“”«»'(":
        start += 1
    while end > start and text[end - 1] in " \t\r\n,;:.\"“”«»')!?":
        end -= 1
    # keep balanced closing quotes/brackets that belong to the span
    while end < len(text) and text[end] in "»”)" and _opens(text[start:end], text[end]):
        end += 1
    return start, end


def _opens(span: str, closer: str) -> bool:
    opener = {"»": "«", "”": "“", ")": "("}[closer]
    return span.count(opener) > span.count(closer)


def sentences(text: str, lex: Lexicon) -> list[Sentence]:
    from razdel import sentenize

    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        for sub in sentenize(para.group()):
            s, e = _trim(text, base + sub.start, base + sub.stop)
            if s < e:
                out.append(Sentence(s, e, text[s:e], tuple(_clauses(text, s, e, lex))))
    return out


def _clauses(text: str, start: int, end: int, lex: Lexicon) -> list[Clause]:
    body = text[start:end]
    cuts = [0]
    for m in lex.clause_split.finditer(body):
        cuts.append(m.start())
        cuts.append(m.end())
    cuts.append(len(body))
    out: list[Clause] = []
    for a, b in zip(cuts[0::2], cuts[1::2], strict=False):
        s, e = _trim(text, start + a, start + b)
        if s >= e:
            continue
        coordinated = bool(lex.coord.match(text[s:e]))
        lead = lex.clause_lead.match(text[s:e])
        if lead:
            s, e = _trim(text, s + lead.end(), e)
        if s < e:
            out.append(Clause(s, e, text[s:e], coordinated))
    return out


_COORD_CUT = re.compile(r"(?:^|[\s,])(?:and|but|и|а|но|і|але|y|pero)\s|,", re.IGNORECASE)


def negated(text: str, start: int, lex: Lexicon, floor: int = 0, end: int | None = None) -> bool:
    """A negation within the few words before ``start`` (not before ``floor``), or inside the
    matched words up to ``end`` ("was not released")."""
    window = text[max(floor, start - 22) : end if end is not None else start]
    # a negation of the words before "and"/"but" is not one of the words after them
    cut = list(_COORD_CUT.finditer(window[: start - max(floor, start - 22)]))
    if cut:
        window = window[cut[-1].end() :]
    return bool(lex.negation.search(window))


def modal(text: str, start: int, clause: Span, lex: Lexicon) -> bool:
    """A modal, conditional or wishing word in the clause before ``start`` (an announced
    commitment, "announced it would lift", is not modal)."""
    before = text[clause.start : start]
    m = lex.modality.search(before)
    if not m:
        return False
    return not lex.commitment.search(text[clause.start : start + 12])


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact: the first mention (the lede) stands for its repeats."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Claim] = []
    for claim in claims:
        key = (claim.kind, *claim.fact) if claim.fact else (claim.kind, claim.start)
        if key in seen:
            continue
        seen.add(key)
        out.append(claim)
    return out
