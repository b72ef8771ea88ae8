"""Cyrillic and accented Latin to plain lowercase ASCII, one token at a time.

ICU does the transliteration: the BGN/PCGN system of the token's language (Russian, Belarusian
or Ukrainian, told apart by their letters), then ``Latin-ASCII``. What ICU does not do is
written here as ICU rules: Belarusian ``ў`` read as the passport ``u``, and accented letters of
Łacinka, Czech, Polish and Lithuanian spellings (``č š ž ć ś ż``) kept as digraphs instead of
being stripped to ``c s z``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

import icu


class Lang(StrEnum):
    """The language a token is written in, as far as its letters tell."""

    RUSSIAN = "Russian"
    BELARUSIAN = "Belarusian"
    UKRAINIAN = "Ukrainian"
    LATIN = "Latin"


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_BELARUSIAN_ONLY = frozenset("ўЎ")
_UKRAINIAN_ONLY = frozenset("їЇєЄґҐ")
_I_DOTTED = frozenset("іІ")
_I_RUSSIAN = frozenset("иИ")
# э after a consonant (Лукашэнка, Шэрман) is Belarusian; Russian writes е there.
_BELARUSIAN_E = re.compile(r"[бвгджзклмнпрстфхцчшщ][эЭ]", re.IGNORECASE)


def detect_language(text: str) -> Lang:
    """Guess the language of a Cyrillic name from its letters (Latin if there are none)."""
    if _CYRILLIC.search(text) is None:
        return Lang.LATIN
    letters = set(text)
    if letters & _BELARUSIAN_ONLY:
        return Lang.BELARUSIAN
    if letters & _UKRAINIAN_ONLY:
        return Lang.UKRAINIAN
    if _BELARUSIAN_E.search(text):
        return Lang.BELARUSIAN
    if letters & _I_DOTTED:
        # і with и is Ukrainian; і with ы/э (and no и) is Belarusian.
        if letters & _I_RUSSIAN:
            return Lang.UKRAINIAN
        return Lang.BELARUSIAN
    return Lang.RUSSIAN


# Our own rules, run before the BGN transliterators. Belarusian ў is written "u" in passports
# and most press; BGN's "w" is rare in practice. The apostrophe only separates letters.
_CYR_PRE_RULES = """
ў > у ;
Ў > У ;
[ʼ’'ʹ] > ;
"""

# Accented Latin letters that stand for a digraph in English-style spelling. Latin-ASCII would
# turn "Statkievič" into "statkievic"; we want "statkievich". Turkish and Azerbaijani ç, ş
# (Çernov, Şubin) are ч and ш too.
_LATIN_RULES = """
[čćç] > ch ;
[šśş] > sh ;
ğ > g ;
[žż] > zh ;
ř > rzh ;
ŭ > u ;
ß > ss ;
[ʼ’'ʹ`´·] > ;
::Latin-ASCII ;
"""

_TRANSLIT_IDS = {
    Lang.RUSSIAN: "Russian-Latin/BGN",
    Lang.BELARUSIAN: "Belarusian-Latin/BGN",
    Lang.UKRAINIAN: "Ukrainian-Latin/BGN",
}


# Letters and digraphs of Slavic Latin alphabets (Polish, Czech, Łacinka, Lithuanian) in which
# "ch" is х, not ч as in English.
_SLAVIC_LATIN = re.compile(r"[ŭłćśźńčšžřąę]|cz|sz|rz")


# Letters of scripts other than Latin and Cyrillic (Greek, Georgian, Armenian, Arabic, Hebrew,
# Han, Hangul, …): read through ICU's Any-Latin before the Latin rules, so that two different
# Greek names are not both "" — nor equal to each other.
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0400-\u052F\u02B0-\u02FF]")


def to_ascii(token: str, lang: Lang) -> str:
    """Lowercase plain-ASCII letters of ``token`` written in ``lang`` (empty when ICU cannot
    write it in Latin letters; such a token never matches anything)."""
    low = token.lower()
    if lang is Lang.LATIN and _OTHER_SCRIPT.search(low):
        low = _any_latin().transliterate(low)
    if lang is Lang.LATIN and _SLAVIC_LATIN.search(low):
        low = low.replace("ch", "kh")
    return _ascii(low, lang)


@lru_cache(maxsize=1)
def _any_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


@lru_cache(maxsize=200_000)
def _ascii(token: str, lang: Lang) -> str:
    text = token
    for step in _steps(lang):
        text = step.transliterate(text)
    return "".join(ch for ch in text.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=8)
def _steps(lang: Lang) -> tuple[icu.Transliterator, ...]:
    latin = icu.Transliterator.createFromRules(
        "pw-latin", _LATIN_RULES, icu.UTransDirection.FORWARD
    )
    if lang is Lang.LATIN:
        return (latin,)
    pre = icu.Transliterator.createFromRules(
        "pw-cyr-pre", _CYR_PRE_RULES, icu.UTransDirection.FORWARD
    )
    return (
        pre,
        icu.Transliterator.createInstance(_TRANSLIT_IDS[lang]),
        icu.Transliterator.createInstance("Any-Latin"),
        latin,
    )


def warm_up() -> None:
    """Create every transliterator now (about two seconds the first time): before forking
    workers, or before the first query of a freshly loaded index."""
    for lang in Lang:
        _steps(lang)
