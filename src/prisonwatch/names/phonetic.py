"""A phonetic skeleton of a romanised East Slavic name token, with the rules that built it.

The skeleton folds the ways one Cyrillic name is spelt in Latin letters (English, German,
Polish, Swedish, French, Czech/Lithuanian, BGN, ICAO, the Belarusian national system and
Łacinka) and the ways Belarusian, Russian and Ukrainian write the same name into one string:

* ``Лукашэнка`` / ``Лукашенко`` / ``LUKASJENKO`` → ``lukashenka``
* ``Ціханоўскі`` / ``Тихановский`` / ``Cichanoŭski`` → ``tikhanavski`` (about)
* ``Statkewitsch`` / ``Statkiewicz`` / ``Statkievič`` / ``Статкевич`` → ``statkevich``

Each rule has a label; :func:`skeleton` returns the labels of the rules that changed the
token, so an explanation can say *which* differences were folded ("a/o vowel reduction").
These rules are ours: no library knows Belarusian akanne or tsekanne.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Rule:
    label: str
    pattern: re.Pattern[str]
    replacement: str


def _r(label: str, pattern: str, replacement: str) -> Rule:
    return Rule(label, re.compile(pattern), replacement)


# Placeholders (upper case) keep one rule's output from being rewritten by a later rule:
#   C = ch/sh class (ч ш), Q = щ, Z = ж, T = ц, G = г/х (g, h, kh), V = в/ў.
RULES: tuple[Rule, ...] = (
    # Lithuanian and Latvian add a nominative ending to foreign names: Jurijus, Sergejus,
    # Jurijs = Юрий, Сергей (the plain -as/-is/-us endings are read as inflections instead)
    _r("Lithuanian/Latvian ending", r"(?<=[a-z]{2})(?:ijus|ijs)$", "ij"),
    _r("Lithuanian/Latvian ending", r"(?<=[a-z]{3})(?:jus|js)$", "j"),
    _r("x = ks", r"x", "ks"),
    # щ in every spelling (shch, schtsch, szcz, sjtsj) is its own sound, one letter away from
    # ш: Щукин is not Шубин's neighbour, while Щербаков / Sherbakov stays a spelling variant
    _r("German spelling", r"schtsch", "Q"),
    _r("Polish spelling", r"szcz", "Q"),
    _r("Dutch spelling: sjtsj = щ", r"sjtsj", "Q"),
    _r("shch/sh/ch", r"shch|shtsh", "Q"),
    _r("Dutch spelling: tsj = ч", r"tsj", "C"),
    _r("Dutch spelling: zj = ж", r"zj", "Z"),
    _r("Dutch spelling: oe = u", r"oe", "u"),
    # Hungarian: cs = ч, zs = ж (Csernov, Zsukov)
    _r("Hungarian spelling", r"cs", "C"),
    _r("Hungarian spelling", r"zs", "Z"),
    # German
    _r("German spelling", r"tsch", "C"),
    _r("German spelling", r"sch", "C"),
    # Polish
    _r("Polish spelling", r"cz", "C"),
    _r("Polish spelling", r"sz", "C"),
    _r("Polish spelling", r"rz(?!h)", "Z"),  # not the р+ж of "gurzhiy"
    # Swedish / Norwegian (-itj, Lukasjenko)
    _r("Swedish spelling", r"itj\b", "iC"),
    # tj = ч (Kotjanova, Turtjin), but stj + vowel is с + тя/те/тю (Tsjistjakova, Tschistjakowa
    # = Чистякова): Swedish writes сч as stj only in the rare щ-like cluster
    _r("Swedish spelling", r"(?<!s)tj", "C"),
    _r("Swedish spelling", r"sj", "C"),
    # English / BGN / ICAO digraphs; French "ch" for ш and German "ch" for х fold with ч/ш
    _r("shch/sh/ch", r"sh|tch|ch", "C"),
    _r("zh/ž", r"zh|z(?=h)", "Z"),
    _r("kh/h/g (х, г)", r"kh|gh|h|g", "G"),
    _r("ts/tz/c (ц)", r"ts|tz|c", "T"),
    _r("w = v", r"w", "v"),
    _r("ph = f", r"ph", "f"),
    _r("ck/q = k", r"ck|q", "k"),
    # Iotated vowels: я ya/ia/ja, е ye/ie/je, ё yo/jo, ю yu/iu/ju. Belarusian я stands where
    # Russian has unstressed е (Аляксандр/Александр, Сяргей/Сергей): fold я and е together.
    _r("iotated vowel (я/е)", r"[iyj][ae]|ä", "e"),
    _r("iotated vowel (ё)", r"[iyj]o", "o"),
    _r("iotated vowel (ю)", r"[iyj]u|ü", "u"),
    # Belarusian ў after a vowel = Russian в (Ціханоўскі / Тихановский)
    _r("Belarusian ў = в", r"(?<=[aeiouy])u(?=[^aeiouy]|$)", "V"),
    # Belarusian tsekanne/dzekanne: ці/це, дзі/дзе = Russian ти/те, ди/де
    _r("Belarusian ц/дз = т/д", r"T(?=[iye])", "t"),
    _r("Belarusian ц/дз = т/д", r"dz(?=[iye])", "d"),
    # й, ы, и, і and the -ий/-ый endings
    _r("i/y/j", r"[yj]", "i"),
    # akanne: unstressed о is written а in Belarusian (Лукашэнка, Калеснікава)
    _r("a/o vowel reduction", r"o", "a"),
    _r("doubled letter", r"([a-zA-Z])\1+", r"\1"),
)

_FINAL = str.maketrans({"C": "ch", "Q": "shch", "Z": "zh", "T": "ts", "G": "h", "V": "v"})


@lru_cache(maxsize=200_000)
def skeleton(ascii_token: str) -> tuple[str, frozenset[str]]:
    """Return the skeleton of a lowercase ASCII token and the labels of the rules that fired."""
    text = ascii_token
    fired: set[str] = set()
    for rule in RULES:
        new = rule.pattern.sub(rule.replacement, text)
        if new != text:
            fired.add(rule.label)
            text = new
    return text.translate(_FINAL), frozenset(fired)


_PATRONYMIC = re.compile(r"(vich|vch|vna|ichna|chna)$")


def looks_like_patronymic(skel: str) -> bool:
    """True for -ovich/-evich/-avich/-ovna/-ivna/-ichna (in any of their spellings)."""
    return len(skel) > 5 and _PATRONYMIC.search(skel) is not None
