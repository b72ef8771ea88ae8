"""People named in the text and what happened to them (``person_status`` claims).

Names: Russian and Belarusian with natasha's offline NER (its wheel ships the model), plus
capitalised pairs whose tokens are in a lexicon built from the registry's own names (see
:func:`registry_lexicon`); English and Spanish with rules (capitalised runs that start with a
known given name or end like a Slavic surname). Every mention is grouped with the others of
the same surname, so a claim names the person in the fullest form the text has.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from prisonwatch.news.lexicon import Lexicon
from prisonwatch.news.text import Claim, Clause, Sentence, modal, negated
from prisonwatch.news.when import DateSpan, date_of

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЎ][a-zß-öø-ÿā-žа-яёіў'’-]+"
_RUN = re.compile(rf"(?<![\w]){_CAP}(?:\s+{_CAP}){{0,2}}(?![\w])")
_CYR_WORD = re.compile(r"(?<![\w])[А-ЯЁІЎ][а-яёіў'’-]+(?![\w])")
#: how far a person may stand from the words about them
NEAR = 80


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return surname_key(self.text)


def surname_key(name: str) -> str:
    last = name.split()[-1].lower().replace("’", "'")
    return last[: max(3, min(6, len(last) - 1))]


@cache
def _natasha() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _ner_mentions(text: str) -> list[Mention]:
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [Mention(s.start, s.stop, text[s.start : s.stop]) for s in doc.spans if s.type == "PER"]


def _rule_mentions(text: str, lex: Lexicon, known: frozenset[str]) -> list[Mention]:
    out = []
    for m in _RUN.finditer(text):
        tokens = m.group().split()
        while tokens and tokens[0] in lex.stop_names:
            tokens = tokens[1:]
        if len(tokens) < 2 or any(t in lex.stop_names for t in tokens):
            continue
        last = tokens[-1].lower()
        if (
            tokens[0] in lex.given_names
            or tokens[0].lower() in known
            or last in known
            or last.endswith(lex.surname_suffixes)
        ):
            s = m.start() + m.group().index(tokens[0])
            out.append(Mention(s, m.end(), text[s : m.end()]))
    return out


def name_stem(name: str) -> str:
    """A name without its nominative ending, to meet its case forms (Ігар → ігар: Ігара,
    Ігару; Марыя → мары: Марыю; Бабарыка → бабарык: Бабарыкі)."""
    low = name.lower()
    return low[:-1] if len(low) > 3 and low[-1] in "аяоеыіийьюуёэў" else low


def _knows(token: str, stems: frozenset[str]) -> bool:
    low = token.lower()
    return any(low[:i] in stems for i in range(max(3, len(low) - 3), len(low) + 1))


def _known_pairs(text: str, stems: frozenset[str]) -> list[Mention]:
    """Cyrillic pairs of capitalised words with a word the lexicon knows in any case form,
    for the Belarusian names natasha's Russian model misses. A capitalised word opening a
    sentence («Вызвалены Ўладзь …») joins a pair only when it is known itself."""
    words = list(_CYR_WORD.finditer(text))
    out: list[Mention] = []
    for a, b in itertools.pairwise(words):
        if text[a.end() : b.start()].strip() or (out and out[-1].end > a.start()):
            continue
        known_a, known_b = _knows(a.group(), stems), _knows(b.group(), stems)
        first = Mention(a.start(), a.end(), a.group())
        if (known_a and known_b) or (
            (known_a or known_b) and not (_sentence_initial(text, first) and not known_a)
        ):
            out.append(Mention(a.start(), b.end(), text[a.start() : b.end()]))
    return out


def _trim_initial(text: str, f: Mention, stems: frozenset[str]) -> Mention:
    """«Вызвалены Ўладзь Шчэцькі»: a sentence-opening word of three or more that the name
    lexicon doesn't know is the capitalised first word of the sentence, not a name."""
    words = f.text.split()
    if len(words) >= 3 and _sentence_initial(text, f) and not _knows(words[0], stems):
        start = f.start + f.text.index(words[1])
        return Mention(start, f.end, text[start : f.end])
    return f


def _sentence_initial(text: str, f: Mention) -> bool:
    before = text[max(0, f.start - 3) : f.start]
    return f.start == 0 or bool(re.search(r"(?:[.!?:]\s*|\n\s*)$", before))


def mentions(text: str, lex: Lexicon, known: frozenset[str] = frozenset()) -> list[Mention]:
    found = _ner_mentions(text) if lex.lang in ("ru", "be") else _rule_mentions(text, lex, known)
    if lex.lang in ("ru", "be"):
        stems = known | {name_stem(n) for n in lex.given_names}
        found = [_trim_initial(text, f, stems) for f in found]
        found += [k for k in _known_pairs(text, stems) if not any(_overlap(k, f) for f in found)]
    found = [f for f in found if not all(t in lex.stop_names for t in f.text.split())]
    keys = {f.key for f in found if len(f.text.split()) > 1}
    # one capitalised word opening a sentence ("Амаль 100 чалавек") is a name only when the
    # same surname appears in full elsewhere
    found = [
        f
        for f in found
        if len(f.text.split()) > 1 or f.key in keys or not _sentence_initial(text, f)
    ]
    if lex.lang in ("en", "es"):  # a surname alone, once the full name has been seen
        for m in re.finditer(rf"(?<![\w]){_CAP}(?![\w])", text):
            if surname_key(m.group()) in keys and not any(
                f.start <= m.start() < f.end for f in found
            ):
                found.append(Mention(m.start(), m.end(), m.group()))
    return sorted(found, key=lambda f: f.start)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def fullest(found: Iterable[Mention]) -> dict[str, str]:
    """The fullest form of each person (by surname key): most words, then longest, first."""
    best: dict[str, Mention] = {}
    for f in found:
        cur = best.get(f.key)
        if cur is None or (len(f.text.split()), len(f.text)) > (
            len(cur.text.split()),
            len(cur.text),
        ):
            best[f.key] = f
    return {k: v.text for k, v in best.items()}


def _before(found: list[Mention], lo: int, hi: int) -> Mention | None:
    cands = [f for f in found if lo <= f.start and f.end <= hi and hi - f.end <= NEAR]
    return cands[-1] if cands else None


def _after(found: list[Mention], lo: int, hi: int) -> Mention | None:
    cands = [f for f in found if lo <= f.start and f.end <= hi and f.start - lo <= NEAR // 2]
    return cands[0] if cands else None


def _patient(
    text: str,
    found: list[Mention],
    sent: Sentence,
    index: int,
    m: re.Match[str],
    active: bool,
    lex: Lexicon,
) -> Mention | None:
    clause: Clause = sent.clauses[index]
    if active:
        return _after(found, m.end(), clause.end)
    who = _before(found, clause.start, m.start())
    continues = clause.coordinated or bool(lex.pronouns.match(clause.text))
    if who is None and continues and index > 0:
        who = _before(found, sent.clauses[index - 1].start, sent.clauses[index - 1].end)
    if who is None:  # inverted: "Among those released was Ihar Losik", «умер Вадим Храско»
        nxt = _after(found, m.end(), clause.end)
        between = text[m.end() : nxt.start] if nxt else ""
        if nxt and not re.search(r"\d", between):
            who = nxt
    return who


def find_statuses(
    text: str,
    sent: Sentence,
    lex: Lexicon,
    found: list[Mention],
    full: dict[str, str],
    dates: list[DateSpan],
) -> list[Claim]:
    out: list[Claim] = []
    for index, clause in enumerate(sent.clauses):
        for rule in lex.statuses:
            for active, pat in ((False, rule.passive), (True, rule.active)):
                if pat is None:
                    continue
                for m in pat.finditer(text, clause.start, clause.end):
                    if negated(text, m.start(), lex, clause.start, m.end()) or modal(
                        text, m.start(), clause, lex
                    ):
                        continue
                    if (
                        active
                        and lex.lang == "en"
                        and re.search(
                            r"\b(?:was|were|been|be|being|is|are)\s+(?:\w+\s+)?$",
                            text[clause.start : m.start()],
                        )
                    ):
                        continue
                    who = _patient(text, found, sent, index, m, active, lex)
                    if who is None:
                        continue
                    value = None
                    if rule.status == "sentenced":
                        term = lex.sentence_term.search(
                            text, m.end(), min(clause.end, m.end() + 120)
                        )
                        value = term.group(1) if term else None
                    lo = min(who.start, clause.start)
                    hi = max(who.end, clause.end)
                    out.append(
                        Claim(
                            kind="person_status",
                            quote=text[lo:hi],
                            start=lo,
                            end=hi,
                            status=rule.status,
                            value=value,
                            person=full.get(who.key, who.text),
                            date=date_of(dates, clause.start, clause.end)
                            or date_of(dates, sent.start, sent.end),
                            fact=(rule.status, who.key),
                        )
                    )
    return out


def registry_lexicon(names: Iterable[str]) -> frozenset[str]:
    """Stems (see :func:`name_stem`) of every Cyrillic word of the registry's names: the
    Belarusian name lexicon, since no offline Belarusian NER exists."""
    out: set[str] = set()
    for name in names:
        for token in re.findall(r"[А-ЯЁІЎ][а-яёіў'’-]{2,}", name):
            out.add(name_stem(token))
    return frozenset(out)


#: what a count's subject says about each person it includes
INCLUDED_STATUS = {
    "people released": "released",
    "people pardoned": "pardoned",
    "people detained": "detained",
    "people sentenced": "sentenced",
    "people who died": "died",
    "people moved abroad": "moved_abroad",
    "people expelled": "expelled",
    "people newly recognised as political prisoners": "recognised_political_prisoner",
    "political prisoners held": "held",
}


def find_included(
    text: str,
    sent: Sentence,
    lex: Lexicon,
    found: list[Mention],
    full: dict[str, str],
    counts: list[Claim],
) -> list[Claim]:
    """ "Lukashenko pardoned 14 people, including journalist Ihar Karnei": the people named
    after "including" in a count's sentence get the count's status."""
    out: list[Claim] = []
    for count in counts:
        status = INCLUDED_STATUS.get(count.subject or "")
        if status is None or not (sent.start <= count.start < sent.end):
            continue
        marker = lex.including.search(text, count.start, sent.end)
        if marker is None:
            continue
        for who in found:
            if not (marker.end() <= who.start and who.end <= sent.end):
                continue
            if re.search(r"[.;:]", text[marker.end() : who.start]) or who.start - marker.end() > 60:
                break
            out.append(
                Claim(
                    kind="person_status",
                    quote=text[count.start : who.end],
                    start=count.start,
                    end=who.end,
                    status=status,
                    person=full.get(who.key, who.text),
                    date=count.date,
                    fact=(status, who.key),
                )
            )
            break
    return out
