"""Split a person name into tokens and guess the role of each (surname, given name, ...).

The guesses use what the writing tells: a comma ("SURNAME, Given"), a word in capitals among
words in mixed case ("Sergei Andreevich DANILENKO"), the patronymic endings -ovich/-ovna and
the usual orders "Given Patronymic Surname" and "Surname Given Patronymic". When nothing tells,
the role stays ``NAME`` and the comparison does not depend on it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from prisonwatch.names.features import TokenFeatures, features
from prisonwatch.names.phonetic import looks_like_patronymic
from prisonwatch.names.translit import Lang, detect_language


class Role(StrEnum):
    SURNAME = "surname"
    GIVEN = "given name"
    PATRONYMIC = "patronymic"
    INITIAL = "initial"
    NAME = "name part"


class Token(NamedTuple):  # a NamedTuple: made for every word of every name compared (fast)
    text: str  # as written (without dots)
    role: Role
    feat: TokenFeatures
    explicit: bool  # role told by the writing (comma, capitals), not guessed from order


class ParsedName(NamedTuple):
    original: str
    lang: Lang
    tokens: tuple[Token, ...]


_SPLIT = re.compile(r"[\s\-‐‑–—_/]+")


def _words(segment: str) -> list[str]:
    simple = segment.split()
    if "".join(simple).isalpha() or not simple:
        return simple  # the common case: letters and spaces only (same result, much faster)
    out: list[str] = []
    for raw in _SPLIT.split(segment):
        raw = raw.strip(".,;:()[]\"'«»“”")
        if not raw:
            continue
        m = re.fullmatch(r"([^\W\d_])\.([^\W\d_])\.?", raw)
        if m:  # "A.G." -> two initials
            out.extend([m.group(1), m.group(2)])
            continue
        for part in raw.split("."):
            part = "".join(ch for ch in part if ch.isalpha())
            if part:
                out.append(part)
    return out


def split_words(name: str) -> tuple[list[str], list[str]]:
    """The words of ``name`` before the first comma (if any) and after it."""
    if "," in name:
        head, _, tail = name.partition(",")
        return _words(head), _words(tail)
    return [], _words(name)


#: Titles and suffixes that are not parts of a name (compared casefolded, dots removed).
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "jr", "sr", "phd", "md", "esq"}
    | {"ii", "iii", "iv", "г-н", "г-жа", "д-р", "проф"}
)


def _drop_titles(words: list[str]) -> list[str]:
    kept = [w for w in words if w.casefold() not in TITLES]
    return kept if kept else words


def parse_name(name: str) -> ParsedName:
    """Tokenise ``name`` and assign roles (titles such as Mr, Dr, Jr, PhD, II are dropped)."""
    lang = detect_language(name)
    head_words, tail_words = split_words(name)
    head_words, tail_words = _drop_titles(head_words), _drop_titles(tail_words)
    words = head_words + tail_words
    feats = [features(w, lang) for w in words]
    roles: list[Role] = [Role.NAME] * len(words)
    explicit = [False] * len(words)

    for i, w in enumerate(words):
        if len(w) == 1:
            roles[i] = Role.INITIAL
    full = [i for i in range(len(words)) if roles[i] is not Role.INITIAL]

    surname_idx: set[int] = set(range(len(head_words))) if head_words else set()
    if not surname_idx:
        mixed = any(not w.isupper() for w in words)
        caps = [i for i in full if words[i].isupper() and len(words[i]) > 1]
        if mixed and caps and len(caps) < len(full):
            surname_idx = set(caps)
    for i in surname_idx:
        if roles[i] is not Role.INITIAL:
            roles[i] = Role.SURNAME
            explicit[i] = True

    rest = [i for i in full if i not in surname_idx]
    patr = [i for i in rest if looks_like_patronymic(feats[i].skeleton)]
    if surname_idx:
        # Surname told by the writing: the rest is given name(s) then patronymic.
        if rest:
            roles[rest[0]] = Role.GIVEN
            for i in rest[1:]:
                roles[i] = Role.PATRONYMIC if i in patr else Role.GIVEN
    elif len(full) >= 3:
        # A patronymic follows the given name: "Given Patronymic Surname" or
        # "Surname Given Patronymic". Surnames such as Statkevich end like patronymics, so
        # take the first patronymic-like word that follows a plain word.
        for p in patr:
            pos = full.index(p)
            if pos > 0 and full[pos - 1] not in patr:
                roles[full[pos - 1]] = Role.GIVEN
                roles[p] = Role.PATRONYMIC
                for i in full:
                    if roles[i] is Role.NAME:
                        roles[i] = Role.SURNAME
                break
    elif len(full) == 2:
        a, b = full
        if (
            looks_like_patronymic(feats[b].skeleton)
            and not looks_like_patronymic(feats[a].skeleton)
            and feats[b].skeleton.endswith(("vna", "ichna", "chna"))
        ):
            roles[a], roles[b] = Role.GIVEN, Role.PATRONYMIC
    if len(full) == 1 and len(words) > 1:
        roles[full[0]] = Role.SURNAME

    return ParsedName(
        original=name,
        lang=lang,
        tokens=tuple(
            Token(text=w, role=r, feat=f, explicit=e)
            for w, r, f, e in zip(words, roles, feats, explicit, strict=True)
        ),
    )
