"""Attributed statements bearing on releases, sanctions or prisoners: a sentence with a verb
of saying, a named speaker and one of the topic words. ``person`` is the speaker."""

from __future__ import annotations

import re

from prisonwatch.news.lexicon import Lexicon
from prisonwatch.news.persons import Mention, surname_key
from prisonwatch.news.text import Claim, Sentence

_SINGLE = re.compile(r"(?<![\w])([A-ZÀ-ÖØ-ÞĀ-Ž][\w’'-]+)\s+$")


def find_statements(
    text: str, sent: Sentence, lex: Lexicon, found: list[Mention], full: dict[str, str]
) -> list[Claim]:
    speech = lex.speech.search(text, sent.start, sent.end)
    if not speech or not lex.topics.search(text, sent.start, sent.end):
        return []
    inside = [f for f in found if sent.start <= f.start and f.end <= sent.end]
    before = [f for f in inside if f.end <= speech.start() and speech.start() - f.end <= 60]
    after = [f for f in inside if f.start >= speech.end() and f.start - speech.end() <= 3]
    speaker: str | None = None
    if speech.group().lower() in ("according to", "по словам", "паводле"):
        if after:
            speaker = full.get(after[0].key, after[0].text)
    elif before:
        speaker = full.get(before[-1].key, before[-1].text)
    elif lex.lang in ("en", "es"):
        single = _SINGLE.search(text, sent.start, speech.start())
        if single and single.group(1) not in lex.stop_names:
            speaker = single.group(1)
    if speaker is None:
        return []
    return [
        Claim(
            kind="statement",
            quote=sent.text,
            start=sent.start,
            end=sent.end,
            person=speaker,
            subject="statement on releases, sanctions or prisoners",
            fact=(surname_key(speaker), sent.start),
        )
    ]
