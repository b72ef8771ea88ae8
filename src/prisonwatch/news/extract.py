"""The extractor: text in, proposed claims out (nothing is written).

``extract_claims(text, lang, published)`` returns the claims in text order, one per distinct
fact; each claim's ``quote`` is ``text[start:end]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from prisonwatch.news.counts import find_counts
from prisonwatch.news.lexicon import lexicon
from prisonwatch.news.persons import find_included, find_statuses, fullest, mentions
from prisonwatch.news.sanctions import find_sanctions
from prisonwatch.news.statements import find_statements
from prisonwatch.news.text import Claim, dedupe, sentences
from prisonwatch.news.when import find_dates, masked_numbers


def extract_claims(
    text: str,
    lang: str,
    published: dt.date | None = None,
    known_names: Iterable[str] = (),
) -> list[Claim]:
    """Claims found in ``text``. ``known_names`` (name stems, see
    :func:`prisonwatch.news.persons.registry_lexicon`) helps find Belarusian names."""
    lex = lexicon(lang)
    found = mentions(text, lex, frozenset(known_names))
    full = fullest(found)
    claims: list[Claim] = []
    for sent in sentences(text, lex):
        dates = find_dates(text, sent.start, sent.end, lex, published)
        masks = masked_numbers(text, sent.start, sent.end, lex)
        counts = find_counts(text, sent, lex, masks, dates)
        claims += counts
        claims += find_statuses(text, sent, lex, found, full, dates)
        claims += find_included(text, sent, lex, found, full, counts)
        claims += find_sanctions(
            text, sent, lex, dates, [c for c in claims if c.kind == "sanction_change"]
        )
        claims += find_statements(text, sent, lex, found, full)
    out = dedupe(claims)
    for claim in out:
        assert text[claim.start : claim.end] == claim.quote
    return out
