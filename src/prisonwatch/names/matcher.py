"""The default matcher: token alignment over transliterated, phonetically folded names.

1. Both names are parsed into tokens with roles (:mod:`prisonwatch.names.parse`).
2. Every token pair gets a similarity with a reason (:mod:`prisonwatch.names.similarity`);
   tokens are paired greedily, best pair first, so word order does not matter.
3. The score is the weighted geometric mean of the paired similarities (surname weighs most).
   A token on each side with no counterpart is a *conflict* — two different surnames — and
   enters the mean with its (low) similarity, which pulls the score far down: this is what
   keeps "Фабричный Сергей Юрьевич" and "Бидонько Сергей Юрьевич" apart. A token on one side
   only (a patronymic, a second given name) costs little. With a single name part in common the
   score is capped inside the review band.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from prisonwatch.model import Verdict
from prisonwatch.names.base import MatchResult, PartExplanation, verdict_for
from prisonwatch.names.features import TokenFeatures, features
from prisonwatch.names.parse import ParsedName, Role, Token, parse_name
from prisonwatch.names.phonetic import skeleton
from prisonwatch.names.similarity import TokenSimilarity, token_similarity

WEIGHTS: dict[Role, float] = {
    Role.SURNAME: 1.6,
    Role.GIVEN: 1.0,
    Role.PATRONYMIC: 0.6,
    Role.NAME: 1.0,
    Role.INITIAL: 0.4,
}
#: Below this a token pair is not taken as the same name part.
PAIR_MIN = 0.5
#: Each name part present on one side only multiplies the score by this.
ONE_SIDED_FACTOR = 0.97
#: Cap when the names share only one name part, or a surname is on one side only.
PARTIAL_CAP = 0.7
#: Cap when nothing but initials line up.
INITIALS_CAP = 0.3


#: Arabic patronymic particles: the name before one is the person's, the name after it the
#: father's, so MUHAMMAD BIN SALMAN is not SALMAN BIN MUHAMMAD.
PARTICLES = frozenset({"bin", "ben", "ibn", "bint", "binti", "ould", "бин", "бен", "ибн"})
#: Cap when the same words stand on different sides of such a particle.
ORDER_CAP = 0.5


@lru_cache(maxsize=100_000)
def parsed(name: str) -> ParsedName:
    return parse_name(name)


def _merged(name: ParsedName, start: int, stop: int) -> ParsedName:
    """``name`` with its tokens ``start:stop`` written as one word."""
    toks = name.tokens
    text = "".join(t.text for t in toks[start:stop])
    role = next((t.role for t in toks[start:stop] if t.role is not Role.NAME), Role.NAME)
    merged = Token(text, role, features(text, name.lang), any(t.explicit for t in toks[start:stop]))
    return name._replace(tokens=(*toks[:start], merged, *toks[stop:]))


def _respaced(left: ParsedName, right: ParsedName) -> tuple[ParsedName, ParsedName]:
    """Undo a space put in or left out: "SergeiLavrov", "Nikolai Patr ushev", "Xi Jinping"
    against 习近平 ("xijinping"). Adjacent words on one side written together are joined when
    they spell a word of the other side."""
    for _ in range(2):
        for a, b, swap in ((left, right, False), (right, left, True)):
            joined = {t.feat.skeleton for t in b.tokens if len(t.feat.skeleton) > 3}
            if not joined:
                continue
            found = False
            for size in (2, 3):
                for i in range(len(a.tokens) - size + 1):
                    if skeleton("".join(t.feat.ascii for t in a.tokens[i : i + size]))[0] in joined:
                        a = _merged(a, i, i + size)
                        found = True
                        break
                if found:
                    break
            if found:
                left, right = (b, a) if swap else (a, b)
                break
        else:
            break
    return left, right


def _prepared(left: str, right: str) -> tuple[ParsedName, ParsedName]:
    lp, rp = parsed(left), parsed(right)
    if len(lp.tokens) != len(rp.tokens):
        lp, rp = _respaced(lp, rp)
    return lp, rp


def _order_conflict(left: ParsedName, right: ParsedName, pairs: list[_Pair]) -> bool:
    """True when both names have a patronymic particle and a paired word stands before it on
    one side and after it on the other."""

    def sides(name: ParsedName) -> dict[int, bool] | None:
        words = [t.text.casefold() for t in name.tokens]
        at = next((i for i, w in enumerate(words) if w in PARTICLES), None)
        if at is None:
            return None
        return {id(t): i > at for i, t in enumerate(name.tokens) if i != at}

    ls, rs = sides(left), sides(right)
    if ls is None or rs is None:
        return False
    for p in pairs:
        if p.left is None or p.right is None or p.sim.score < PAIR_MIN:
            continue
        a, b = ls.get(id(p.left)), rs.get(id(p.right))
        if a is not None and b is not None and a != b:
            return True
    return False


class _Pair(NamedTuple):
    left: Token | None
    right: Token | None
    sim: TokenSimilarity
    role: Role


def _pair_role(a: Token, b: Token) -> Role:
    if a.role is Role.INITIAL:
        return b.role if b.role is not Role.INITIAL else Role.INITIAL
    if b.role is Role.INITIAL:
        return a.role
    if a.explicit != b.explicit:
        return a.role if a.explicit else b.role
    if a.role is Role.NAME:
        return b.role
    return a.role


#: Token pairs already compared, by the ids of their features and whether the reason was asked
#: for. The value keeps both feature objects alive, so an id cannot be reused while its entry
#: exists. Given names and patronymics recur in almost every comparison.
_SIM_CACHE: dict[tuple[int, int, bool], tuple[TokenFeatures, TokenFeatures, TokenSimilarity]] = {}
SIM_CACHE_MAX = 500_000


def _similarity(
    a: TokenFeatures, b: TokenFeatures, explain: bool, words: tuple[str, str]
) -> TokenSimilarity:
    """:func:`token_similarity`, remembered (features are one object per lowercase word, so
    the ids stand for the words)."""
    key = (id(a), id(b), explain)
    hit = _SIM_CACHE.get(key)
    if hit is not None:
        return hit[2]
    sim = token_similarity(a, b, explain=explain, words=words)
    if len(_SIM_CACHE) >= SIM_CACHE_MAX:
        _SIM_CACHE.clear()
    _SIM_CACHE[key] = (a, b, sim)
    return sim


def _align(left: ParsedName, right: ParsedName, explain: bool) -> list[_Pair]:
    scored: list[tuple[float, int, int, TokenSimilarity]] = []
    for i, lt in enumerate(left.tokens):
        for j, rt in enumerate(right.tokens):
            sim = _similarity(lt.feat, rt.feat, explain, (lt.text, rt.text))
            # Prefer pairing tokens of the same role when scores tie.
            bonus = 0.001 if lt.role is rt.role else 0.0
            scored.append((sim.score + bonus, i, j, sim))
    scored.sort(key=lambda t: -t[0])
    used_l: set[int] = set()
    used_r: set[int] = set()
    pairs: list[_Pair] = []
    conflicts: list[tuple[float, int, int, TokenSimilarity]] = []
    for key, i, j, sim in scored:
        if i in used_l or j in used_r:
            continue
        if key < PAIR_MIN:
            conflicts.append((key, i, j, sim))
            continue
        used_l.add(i)
        used_r.add(j)
        lt, rt = left.tokens[i], right.tokens[j]
        pairs.append(_Pair(lt, rt, sim, _pair_role(lt, rt)))
    # Leftover tokens on both sides: pair them up as conflicts (best remaining first).
    for _key, i, j, sim in conflicts:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        lt, rt = left.tokens[i], right.tokens[j]
        pairs.append(_Pair(lt, rt, sim, _pair_role(lt, rt)))
    for i, lt in enumerate(left.tokens):
        if i not in used_l:
            pairs.append(_Pair(lt, None, TokenSimilarity(0.0, "only on one side"), lt.role))
    for j, rt in enumerate(right.tokens):
        if j not in used_r:
            pairs.append(_Pair(None, rt, TokenSimilarity(0.0, "only on one side"), rt.role))
    return pairs


def _score(pairs: list[_Pair]) -> tuple[float, str]:
    num = 0.0
    den = 0.0
    factor = 1.0
    cap = 1.0
    note = ""
    full_pairs = 0
    any_pairs = 0
    for p in pairs:
        if p.left is not None and p.right is not None:
            w = WEIGHTS[p.role]
            num += w * math.log(max(p.sim.score, 0.02))
            den += w
            if p.sim.score >= PAIR_MIN:
                any_pairs += 1
                if p.left.role is not Role.INITIAL and p.right.role is not Role.INITIAL:
                    full_pairs += 1
        else:
            factor *= ONE_SIDED_FACTOR
            tok = p.left or p.right
            if tok is not None and tok.role is Role.SURNAME:
                cap = min(cap, PARTIAL_CAP)
                note = "surname on one side only"
    if den == 0.0:
        return 0.0, "nothing in common"
    score = math.exp(num / den) * factor
    n_left = sum(1 for p in pairs if p.left is not None and p.left.role is not Role.INITIAL)
    n_right = sum(1 for p in pairs if p.right is not None and p.right.role is not Role.INITIAL)
    if full_pairs == 0:
        cap = min(cap, INITIALS_CAP)
        note = "no full name part in common"
    elif full_pairs == 1 and max(n_left, n_right) >= 2:
        cap = min(cap, PARTIAL_CAP)
        note = note or "only one name part in common"
    return min(score, cap), note


def _describe(p: _Pair) -> str:
    if p.left is None or p.right is None:
        return f"{p.role.value} only on one side"
    sign = "=" if p.sim.score >= 0.999 else ("≈" if p.sim.score >= PAIR_MIN else "≠")
    reason = f": {p.sim.reason}" if p.sim.reason else ""
    return f"{p.role.value} {p.left.text} {sign} {p.right.text}{reason}"


class SlavicNameMatcher:
    """Cross-script matcher for Belarusian, Russian and Ukrainian person names."""

    name = "slavic-v1"

    def __init__(self, match_threshold: float = 0.8, review_threshold: float = 0.6) -> None:
        self.match_threshold = match_threshold
        self.review_threshold = review_threshold

    def score(self, left: str, right: str) -> float:
        """The score alone, without building the explanation (fast path for search)."""
        lp, rp = _prepared(left, right)
        pairs = _align(lp, rp, explain=False)
        score = _score(pairs)[0]
        if _order_conflict(lp, rp, pairs):
            score = min(score, ORDER_CAP)
        return round(score, 4)

    def compare(self, left: str, right: str) -> MatchResult:
        lp, rp = _prepared(left, right)
        pairs = _align(lp, rp, explain=True)
        score, note = _score(pairs)
        if _order_conflict(lp, rp, pairs):
            score = min(score, ORDER_CAP)
            note = "; ".join(n for n in (note, "order around bin/ibn differs") if n)
        score = round(score, 4)
        parts = tuple(
            PartExplanation(
                part=p.role.value,
                left=p.left.text if p.left else "",
                right=p.right.text if p.right else "",
                score=round(p.sim.score, 4),
                reason=p.sim.reason,
            )
            for p in pairs
        )
        why = "; ".join([_describe(p) for p in pairs] + ([note] if note else []))
        verdict: Verdict = verdict_for(score, self.match_threshold, self.review_threshold)
        return MatchResult(score=score, verdict=verdict, why=why, parts=parts)
