"""Cyrillic names shown in Latin the way passports print them.

When a name has to be shown in Latin and the registry has no Latin spelling of it, readers
expect the spelling of the person's passport, not a library system: Мікалай Статкевіч is
"Mikalai Statkevich", Генадзь is "Henadz", Яўген "Yauhen", Дзмітрый "Dzmitry" — where ICU's
BGN/PCGN output reads "Mikalay Statkyevich", "Hyenadz'", "Yawhyen", "Dzmitryy".

* **Belarusian**: the national romanisation (2007) with its diacritics written as passports
  write them (č ch, š sh, ž zh, ŭ u, ch kh, c ts, j y/i), which is what Belarusian passports and
  the press use: г h, х kh, ў u, і i, ы y, э e, й i, ь and the apostrophe dropped; е is "e"
  after a consonant (Henadz, Statkevich) and "ye" elsewhere (Yelena, Nadzeya); ё, ю are
  "io", "iu" after a consonant and "yo", "yu" elsewhere; я is "ia" after a consonant or ы
  (Aliaksandr, Maryia) and "ya" elsewhere (Yauhen, Yuliya, Ilya); a final -ый is "y" (Dzmitry,
  Yury).
* **Russian**: ICAO Doc 9303 (2013), the table Russian passports print since 2013 (Sergeevich,
  Iurii, Natalia, Dmitrii, ъ → ie).
* **Ukrainian**: the official Ukrainian system of 2010 (Cabinet resolution 55), used in
  Ukrainian passports: г h, и y, і i, є ye/ie, ї yi/i, й y/i, ю yu/iu, я ya/ia (word-initial
  / after a consonant).

A person's own Latin spelling in the registry always wins over this; the matcher keeps reading
BGN and scholarly forms as variants (:mod:`prisonwatch.names.translit`).
ICU runs the rules (``icu.Transliterator.createFromRules``); the tables are ours.
"""

from __future__ import annotations

import re
from functools import lru_cache

import icu

from prisonwatch.names.translit import Lang, detect_language

# Two passes: the vowels whose spelling depends on the letter before them are written first,
# while that letter is still Cyrillic (ICU matches a rule's before-context against text it has
# already converted); then everything else.
_BE_RULES = """
$cons = [бвгґджзклмнпрстфхцчшщ] ;
$soft = [аеёіоуыэюяйўьʼ’'aeiouy] ;
ы { я > ia ;
$soft { я > ya ;
$cons { я > ia ;
я > ya ;
$soft { е > ye ;
$cons { е > e ;
е > ye ;
$cons { ё > io ;
ё > yo ;
$cons { ю > iu ;
ю > yu ;
::Null ;
цц > ts ;
а > a ; б > b ; в > v ; г > h ; ґ > g ; д > d ; ж > zh ; з > z ; і > i ; и > i ; й > i ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ў > u ;
ф > f ; х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ы > y ; ь > ; ъ > ; э > e ;
[ʼ’'] > ;
"""

_RU_RULES = """
а > a ; б > b ; в > v ; г > g ; д > d ; е > e ; ё > e ; ж > zh ; з > z ; и > i ; й > i ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ф > f ;
х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ъ > ie ; ы > y ; ь > ; э > e ; ю > iu ;
я > ia ; [ʼ’'] > ;
"""

_UK_RULES = """
$cons = [бвгґджзклмнпрстфхцчшщ] ;
$cons { є > ie ; є > ye ;
$cons { ї > i ; ї > yi ;
$cons { й > i ; й > y ;
$cons { ю > iu ; ю > yu ;
$cons { я > ia ; я > ya ;
::Null ;
а > a ; б > b ; в > v ; г > h ; ґ > g ; д > d ; е > e ; ж > zh ; з > z ; и > y ; і > i ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ф > f ;
х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ь > ; [ʼ’'] > ;
"""

_WORD = re.compile(r"[^\W\d_]+(?:['ʼ’][^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@lru_cache(maxsize=4)
def _transliterator(lang: Lang) -> icu.Transliterator:
    rules = {Lang.BELARUSIAN: _BE_RULES, Lang.UKRAINIAN: _UK_RULES}.get(lang, _RU_RULES)
    return icu.Transliterator.createFromRules(
        f"pw-passport-{lang.value}", rules, icu.UTransDirection.FORWARD
    )


def _word(word: str, lang: Lang) -> str:
    low = word.lower()
    if lang is Lang.BELARUSIAN and low.endswith("ый"):
        low = low[:-1]  # Дзмітрый → Dzmitry, Юрый → Yury
    out: str = _transliterator(lang).transliterate(low)
    if word.isupper() and len(word) > 1:
        return out.upper()
    if word[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def passport_latin(text: str, lang: Lang | None = None) -> str:
    """``text`` with its Cyrillic words written as passports print them (Latin words, digits
    and punctuation are left as they are). ``lang`` defaults to what the letters tell
    (:func:`~prisonwatch.names.translit.detect_language`), Russian when they tell nothing."""
    if not _CYRILLIC.search(text):
        return text
    language = lang or detect_language(text)
    if language is Lang.LATIN:
        language = Lang.RUSSIAN

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        return _word(word, language) if _CYRILLIC.search(word) else word

    return _WORD.sub(one, text)
