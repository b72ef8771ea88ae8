"""Similarity of two name tokens, in [0, 1], with the reason in words.

Evidence is tried from the strongest to the weakest: the same ASCII spelling, the same
phonetic skeleton (Belarusian/Russian/Ukrainian forms and foreign spellings folded), a shared
Wikidata name group (Alexander = Aliaksandr), an inflected form (Статкевича = Статкевич), an
initial, and last an edit distance between skeletons (rapidfuzz).
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from prisonwatch.names.features import TokenFeatures
from prisonwatch.names.phonetic import skeleton
from prisonwatch.names.readings import read_alike
from prisonwatch.names.romanise import passport_latin
from prisonwatch.names.translit import Lang, to_ascii

SAME = 1.0
SKELETON = 0.96
GROUP = 0.93
INFLECTED = 0.92
INITIAL = 0.85
#: Initials often differ across languages (Г. / Р. for Григорьевич / Рыгоравіч): a mild conflict.
INITIAL_MISMATCH = 0.35
#: Otherwise an initial that does not fit the full name is a real difference
#: (Igor P. Sechin vs Igor Vladimirovich Sechin; Hans O. Friedrich vs Hans Joachim Friedrich).
INITIAL_CONTRADICTS = 0.05
#: First letters that one Slavic name has in its Belarusian, Russian, Ukrainian and foreign
#: forms: Ryhor/Grigory, Henadz/Gennady, Volha/Olga, Aleh/Oleg, Uladzimir/Vladimir,
#: Yauhen/Evgeny/Jauhen/Ievgen, Illia/Ilya, Konstantin/Constantin, Zinaida/Sinaida.
_INITIAL_VARIANTS = frozenset(
    frozenset(pair)
    for pair in (
        "gh",
        "gr",
        "hr",
        "ov",
        "ao",
        "uv",
        "ey",
        "ei",
        "ej",
        "iy",
        "ij",
        "jy",
        "kc",
        "vw",
        "zs",
        "fk",
    )
)
#: The same Latin letters once accents are dropped (Vučić / Vucic, Babiš / Babis).
DIACRITICS = 0.94
#: The same skeleton once one token is read in another system (readings.py: German ch = х,
#: ё written е, Belarusian ў for л …): a little weaker than a skeleton match.
READING = 0.92
#: Skeletons farther apart than this are not tried under other readings: a reading moves a
#: skeleton by up to three letters (Artsijom / Artem, Michail / Mykhailo: two; Sjarhej read
#: as Сяргей: three, the skeleton writes Swedish sj = ш as "ch"), the dropped -khan by up to
#: four (Ajubchan / Ajub).
READ_REACH = 3
READ_REACH_KHAN = 4

# Case endings of Russian/Belarusian/Ukrainian nouns and adjectives (as romanised skeletons),
# and the Lithuanian/Latvian nominative endings added to foreign names (Žirinovskis).
_ENDINGS = (
    "ovoi",
    "evoi",
    "aga",
    "ago",
    "ega",
    "ogo",
    "ama",
    "amu",
    "emu",
    "omu",
    "ami",
    "ai",
    "ei",
    "im",
    "om",
    "em",
    "ui",
    "ie",
    "a",
    "u",
    "e",
    "i",
    "is",
    "as",
    "us",
    "s",
)


class TokenSimilarity(NamedTuple):
    score: float
    reason: str


def _script_note(a: TokenFeatures, b: TokenFeatures) -> str:
    if a.lang is b.lang:
        return "" if a.lang is Lang.LATIN else f"both {a.lang.value}"
    if a.lang is Lang.LATIN:
        return f"{b.lang.value}→Latin"
    if b.lang is Lang.LATIN:
        return f"{a.lang.value}→Latin"
    return f"{a.lang.value}/{b.lang.value} forms"


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


@lru_cache(maxsize=500_000)
def stems(skel: str) -> frozenset[str]:
    """``skel`` and its stems without a case ending (cached: called for every token pair)."""
    out = {skel}
    for end in _ENDINGS:
        if skel.endswith(end) and len(skel) - len(end) >= 4:
            out.add(skel[: -len(end)])
    return frozenset(out)


def _inflected(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 4 or min(len(a), len(b)) < 4:
        return False
    return bool(stems(a) & stems(b))


def is_initial_of(initial: TokenFeatures, full: TokenFeatures) -> bool:
    """The initial's letter begins the full name; across languages its folded sound will do
    (Г. for Hienadz), within one language only the letter itself (O. is not Joachim)."""
    if not initial.ascii or not full.ascii:
        return False
    if full.ascii[0] == initial.ascii[0]:
        return True
    return initial.lang is not full.lang and full.skeleton[:1] == initial.skeleton[:1]


# What a difference of Cyrillic letters between two forms of one name is called.
_LETTER_DIFFERENCES = {
    frozenset("иі"): "и/і",
    frozenset("иы"): "и/ы",
    frozenset("еэ"): "е/э",
    frozenset("ея"): "я/е",
    frozenset("её"): "е/ё",
    frozenset("оё"): "ё/о",
    frozenset("оа"): "a/o vowel reduction (о/а)",
    frozenset("вў"): "ў/в",
    frozenset("тц"): "ц/т (tsekanne)",
    frozenset("уў"): "у/ў",
}


def _letter_differences(x: str, y: str) -> list[str]:
    """The differences between two Cyrillic spellings of one name, letter by letter."""
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        left, right = x[i1:i2], y[j1:j2]
        if op == "replace" and len(left) == len(right):
            pieces = list(zip(left, right, strict=True))
        else:
            pieces = [(left, right)]
        for lt, rt in pieces:
            pair = frozenset((lt, rt))
            if pair in _LETTER_DIFFERENCES:
                label = _LETTER_DIFFERENCES[pair]
            elif {lt, rt} in ({"дз", "д"}, {"з", "д"}) and "д" in (lt, rt):
                label = "дз/д (dzekanne)"
            elif "ь" in (lt, rt) and not (lt.strip("ь") or rt.strip("ь")):
                label = "soft sign ь"
            elif not lt or not rt:
                kept = lt or rt
                before = x[i1 - 1 : i1] if i1 else ""
                label = "doubled letter" if kept == before * len(kept) else f"{kept} on one side"
            else:
                label = f"{lt}/{rt}"
            if label not in out:
                out.append(label)
    return out


def _spelling_differences(a: TokenFeatures, b: TokenFeatures, wa: str, wb: str) -> list[str]:
    """What actually differs between two spellings that fold to the same skeleton.

    Two Cyrillic forms are compared letter by letter. A Latin spelling of a Cyrillic word is
    held against the word as passports write it, so only the writer's own choices are named
    ("German spelling", not artefacts of a transliteration table). Two Latin spellings name
    the folding rules that fired on one side only.
    """
    if a.lang is not Lang.LATIN and b.lang is not Lang.LATIN:
        return _letter_differences(wa.lower(), wb.lower())
    if a.lang is Lang.LATIN and b.lang is Lang.LATIN:
        return sorted(a.rules ^ b.rules)
    latin, (cyr, cyr_word) = (a, (b, wb)) if a.lang is Lang.LATIN else (b, (a, wa))
    reference = to_ascii(passport_latin(cyr_word, cyr.lang), Lang.LATIN)
    if reference == latin.ascii:
        return []
    return sorted(latin.rules - skeleton(reference)[1])


def _read_alike(a: TokenFeatures, b: TokenFeatures) -> tuple[str, ...] | None:
    return read_alike(
        a.ascii, a.skeleton, a.lang is Lang.LATIN, b.ascii, b.skeleton, b.lang is Lang.LATIN
    )


@lru_cache(maxsize=100_000)
def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def token_similarity(
    a: TokenFeatures,
    b: TokenFeatures,
    *,
    explain: bool = True,
    words: tuple[str, str] | None = None,
) -> TokenSimilarity:
    """How alike two tokens are; ``explain=False`` skips building the reason text.

    ``words`` (the two tokens as written) lets the reason name the letters that differ, and
    tells Latin spellings that differ only in accents."""
    script = _script_note(a, b) if explain else ""
    if not a.ascii or not b.ascii:  # not readable in Latin letters: never evidence of a match
        return TokenSimilarity(0.0, "cannot be read in Latin letters" if explain else "")
    if a.ascii == b.ascii:
        return TokenSimilarity(SAME, _join(script) if explain else "")
    a_init, b_init = len(a.ascii) <= 1, len(b.ascii) <= 1
    if a_init or b_init:
        if a_init and b_init:
            ok = a.ascii == b.ascii or a.skeleton == b.skeleton
            return TokenSimilarity(SAME if ok else 0.0, "same initial" if ok else "other initial")
        ini, full = (a, b) if a_init else (b, a)
        if is_initial_of(ini, full):
            return TokenSimilarity(INITIAL, "initial")
        if (
            ini.ascii
            and full.ascii
            and frozenset((ini.ascii[0], full.ascii[0])) in _INITIAL_VARIANTS
        ):
            return TokenSimilarity(INITIAL_MISMATCH, "initial does not fit")
        return TokenSimilarity(INITIAL_CONTRADICTS, "initial contradicts the name")
    if a.skeleton == b.skeleton:
        if not explain:
            return TokenSimilarity(SKELETON, "")
        if words is not None:
            folded = _spelling_differences(a, b, *words)
        else:
            folded = sorted(a.rules ^ b.rules) or sorted(a.rules & b.rules)
        return TokenSimilarity(SKELETON, _join(script, *folded))
    if a.groups & b.groups:
        return TokenSimilarity(GROUP, _join(script, "same name group") if explain else "")
    if _inflected(a.skeleton, b.skeleton):
        return TokenSimilarity(INFLECTED, _join(script, "inflected form") if explain else "")
    if (
        words is not None
        and a.lang is Lang.LATIN
        and b.lang is Lang.LATIN
        and _unaccented(words[0]) == _unaccented(words[1])
    ):
        return TokenSimilarity(DIACRITICS, _join(script, "accents dropped") if explain else "")
    dist = OSA.distance(a.skeleton, b.skeleton)
    longest = max(len(a.skeleton), len(b.skeleton))
    # A token written in another system (German ch = х, ё written е, …) is compared as read in
    # that system: the same skeleton then is nearly as good as a skeleton match. Readings move
    # a skeleton by a few letters only, so farther pairs are not tried, nor pairs that one
    # edit already makes a spelling variant (it saves the work on most other pairs).
    if (
        dist <= READ_REACH
        or (dist <= READ_REACH_KHAN and (a.skeleton.endswith("han") or b.skeleton.endswith("han")))
    ) and not (dist == 1 and longest >= 5):
        read = _read_alike(a, b)
        if read is not None:
            return TokenSimilarity(READING, _join(script, *read) if explain else "")
    # A single edit in a long name is a spelling variant; more edits fall off quickly. Two
    # neighbouring letters swapped count as one edit (Scholz / Schloz).
    sim = 1.0 - dist / longest  # = OSA.normalized_similarity (unit weights)
    if dist == 1 and longest >= 5:
        score = 0.9
    elif dist == 2 and longest >= 8:
        score = 0.8
    else:
        score = max(0.0, sim**2 * 0.85)
    if not explain:
        return TokenSimilarity(score, "")
    if dist == 1 and longest >= 5:
        # one edit, or one reading (the score is that of the edit, as on the fast path)
        read = _read_alike(a, b)
        if read is not None:
            return TokenSimilarity(score, _join(script, *read))
    word = "spelling variant" if score >= 0.75 else "different"
    return TokenSimilarity(score, _join(script, f"{word} ({dist} edits)"))
