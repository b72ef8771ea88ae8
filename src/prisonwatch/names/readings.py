"""Other readings of one spelling: what a name token can also stand for when its writer followed
another system than the one the skeleton assumes.

The skeleton (:mod:`prisonwatch.names.phonetic`) reads every token one way. A few spellings are
ambiguous between systems or between the East Slavic languages, and folding them into the
skeleton would merge names that are different for most writers (English "ch" is ч, German "ch"
is х; Russian Волк and the Belarusian form Воўк of the same surname differ where Волков and
Вовков are two names). So these readings are tried only when two tokens' skeletons differ: a
token that, read another way, has the other token's skeleton is the same name written in
another system, a little weaker than a skeleton match, and the explanation names the reading.

* **ch = х** (German, Dutch, Polish, Czech): Michail, Vachajevitj, Chodorkowski. Only in Latin
  tokens (a transliterated Cyrillic "ch" is always ч), never in sch/tsch (ш, ч) or shch (щ).
* **ё written е** (Russian print leaves the dots off; passports write Artem, Fedor, Petr):
  Artiom, Artsijom, Fiodar, Pyotr read as Artem, Fedar, Petr. Latin tokens, after a consonant.
* **Belarusian ў for л** before a consonant (Воўк / Волк, Ваўкоў / Волков, поўны / полный).
* **Belarusian а for unstressed е after ц, ж, ш, ч** — those consonants are hard in
  Belarusian, so Russian -цев, Шевченко, Цепкало are Belarusian -цаў, Шаўчэнка, Цапкала.
* **j marks an iotated vowel after s, z, ts** (Sjarhej = Сяргей, Zjanon = Зянон), where the
  skeleton reads Swedish/Dutch sj, zj, tsj = ш, ж, ч.
* **the Ukrainian -o of a given name** (Mykhailo, Danylo, Petro = Mikhail, Danil, Petr).
* **an honorific -khan (-хан) on one side**: Ayubkhan / Ayub, Zelimkhan / Zelim (Chechen and
  Central Asian names carry it or drop it).

Readings combine (Ajubchan: ch = х, then -khan dropped → Ajub; Michail / Mykhailo: ch = х and
the Ukrainian -o). Only an equal skeleton counts — a reading is never followed by an edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from prisonwatch.names.phonetic import skeleton

_CONSONANT = "bcdfghjklmnpqrstvwxz"


@dataclass(frozen=True, slots=True)
class Reading:
    """One rewrite of a lowercase ASCII token, with the label the explanation shows."""

    label: str
    pattern: re.Pattern[str]
    replacement: str
    latin_only: bool  # only for tokens written in Latin letters, not transliterated ones
    needle: str  # letters every token it rewrites contains (a cheap test before the regex)


def _r(label: str, pattern: str, replacement: str, *, latin_only: bool, needle: str) -> Reading:
    return Reading(label, re.compile(pattern), replacement, latin_only, needle)


READINGS: tuple[Reading, ...] = (
    # not the -vich/-vych of a patronymic: German and Dutch write that -witsch, -vitsj
    _r(
        "German/Dutch spelling: ch = х",
        r"(?<![sth])ch(?!$)|(?<![sth])(?<!vi)(?<!vy)ch$",
        "kh",
        latin_only=True,
        needle="ch",
    ),
    _r(
        "ё written е",
        rf"(?<=[{_CONSONANT}])(?:i[jy]?|[jy])o",
        "e",
        latin_only=True,
        needle="o",
    ),
    # Swedish and Dutch write ш, ж, ч as sj, zj, tsj, but a j after s, z, ts can as well mark
    # the iotated vowel of ся, зя, ця: Sjarhej = Сяргей, not Шаргей
    _r(
        "j marks an iotated vowel (ся, зя, ця)",
        r"(?<=[sz])j(?=[aeou])",
        "y",
        latin_only=True,
        needle="j",
    ),
    _r(
        "Belarusian ў for л",
        rf"(?<=[aeiouy])l(?=[{_CONSONANT.replace('l', '').replace('j', '')}])",
        "u",
        latin_only=False,
        needle="l",
    ),
    _r(
        "Belarusian а for е after ц, ж, ш, ч",
        r"(?<=ts|tz|ch|sh|zh)e",
        "a",
        latin_only=False,
        needle="e",
    ),
    # Ukrainian given names end in -o where Russian and Belarusian have none: Mykhailo,
    # Danylo, Petro = Mikhail, Danil, Petr
    _r("Ukrainian -o of a given name", r"(?<=[a-z]{3}[lr])o$", "", latin_only=False, needle="o"),
    _r(
        "honorific -khan (-хан) on one side",
        r"(?<=[a-z]{3})(?<![kc])(?:kh|ch|h|x)an$",
        "",
        latin_only=False,
        needle="an",
    ),
)


@lru_cache(maxsize=200_000)
def readings(ascii_token: str, latin: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The skeletons ``ascii_token`` has under other readings, each with the labels of the
    readings used (empty for most tokens). ``latin``: the token was written in Latin letters."""
    found: dict[str, tuple[str, ...]] = {ascii_token: ()}
    for reading in READINGS:
        if reading.latin_only and not latin:
            continue
        for text, labels in list(found.items()):
            if reading.needle not in text:
                continue
            new = reading.pattern.sub(reading.replacement, text)
            if new != text and new not in found:
                found[new] = (*labels, reading.label)
    if len(found) == 1:
        return ()
    base = skeleton(ascii_token)[0]
    out: dict[str, tuple[str, ...]] = {}
    for text, labels in found.items():
        skel = skeleton(text)[0]
        if labels and skel != base and len(skel) >= 3 and skel not in out:
            out[skel] = labels
    return tuple(out.items())


#: Skeleton letters some reading changes (vowels, the iotation j/y, c/h of ch, kh and ts, s/z
#: of sj/zj and of the dz the tsekanne makes d, l/v of ў, t of the tsekanne). The rest — of a
#: skeleton without a final -han — is the same under every reading (a test holds every reading
#: of the words of names-dev to it).
_VARIABLE = str.maketrans("", "", "aeiouyjchslvtwz")


@lru_cache(maxsize=200_000)
def fixed_letters(skel: str) -> str:
    """What no reading changes in a skeleton: two tokens whose fixed letters differ cannot have
    one skeleton under any readings, so their readings are never worked out (most pairs)."""
    if skel.endswith("han"):
        skel = skel[:-3]
    return skel.translate(_VARIABLE)


def read_alike(
    a_ascii: str, a_skel: str, a_latin: bool, b_ascii: str, b_skel: str, b_latin: bool
) -> tuple[str, ...] | None:
    """The labels of the fewest readings under which the two tokens have one skeleton; None
    when there are none. Only an equal skeleton counts: a reading followed by an edit reaches
    too far (Volkov read with ў is one letter from Ravkov)."""
    if fixed_letters(a_skel) != fixed_letters(b_skel):
        return None
    ra = readings(a_ascii, a_latin)
    rb = readings(b_ascii, b_latin)
    if not ra and not rb:
        return None
    best: tuple[str, ...] | None = None
    for sa, la in ((a_skel, ()), *ra):
        for sb, lb in ((b_skel, ()), *rb):
            if sa == sb and (la or lb):
                labels = tuple(dict.fromkeys((*la, *lb)))
                if best is None or len(labels) < len(best):
                    best = labels
    return best
