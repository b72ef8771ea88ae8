"""Changes of sanctions: who imposed them (US, EU, ...), on whom, and what changed (lifted,
eased, imposed, expanded, extended, remains). A negated lifting ("have not been lifted") is
"remains"; wishes and conditions ("hoping for a lifting of sanctions") are not changes."""

from __future__ import annotations

import re

from prisonwatch.news.lexicon import FLAGS, Lexicon
from prisonwatch.news.text import Claim, Clause, Sentence, modal, negated
from prisonwatch.news.when import DateSpan, date_of

_STOP = {
    "en": r"and|on|in|for|after|until|till|from|over|while|as|because|to|by|since|remain|"
    r"remains|were|was|have|has|is|are|will|would|which|that|this|last|next",
    "ru": r"и|на|в|во|до|с|со|за|ещё|еще|после|из-за|остаются|остается|остаётся|которые|"
    r"который|это|будут|были",
    "be": r"і|на|у|ў|да|з|за|яшчэ|пасля|праз|застаюцца|застаецца|якія|які|гэта|будуць|былі",
    "es": r"y|en|por|hasta|desde|tras|que|siguen|sigue|el|la|los|las",
}
_LEADING = re.compile(r"^(?:(?:the|a|an|its|their|all|la|el|los|las|\d[\d,]*)\s+)+", FLAGS)


def _target_after(text: str, pos: int, end: int, lex: Lexicon) -> str | None:
    m = re.match(rf"\s+(?:{lex.target_preps})\s+", text[pos:end], FLAGS)
    if not m:
        return None
    rest = text[pos + m.end() : end]
    quoted = re.match(r"(?:[\w-]+\s+){0,2}?[«“\"][^»”\"]{1,60}[»”\"]", rest)
    if quoted:
        return quoted.group().strip()
    stop = re.search(rf"\s(?:{_STOP[lex.lang]})(?![\w])|[,.;:()]", rest, FLAGS)
    phrase = rest[: stop.start()] if stop else rest
    words = phrase.split()[:6]
    phrase = _LEADING.sub("", " ".join(words)).strip()
    return phrase or None


def _target_before(clause: Clause, lex: Lexicon) -> str | None:
    """ "Belavia was chosen for sanctions relief": a name opening the clause."""
    m = re.match(r"[«“]?([A-ZА-ЯЁІЎ][\w’'-]+)[»”]?", clause.text)
    if not m or m.group(1) in lex.stop_names or m.group(1) in ("The", "A", "An"):
        return None
    if any(p.fullmatch(m.group(1)) for _, p in lex.imposers):
        return None
    return m.group()


def _imposer(text: str, lo: int, hi: int, lex: Lexicon, target: str | None) -> str | None:
    for name, pat in lex.imposers:
        for m in pat.finditer(text, lo, hi):
            if target and m.group() in target:
                continue
            return name
    return None


def target_key(target: str) -> str:
    word = re.sub(r"[«»“”\"]", "", target).split()[-1].lower()
    return word[: max(3, min(6, len(word) - 1))]


def find_sanctions(
    text: str, sent: Sentence, lex: Lexicon, dates: list[DateSpan], previous: list[Claim]
) -> list[Claim]:
    out: list[Claim] = []
    last_target: str | None = None
    for clause in sent.clauses:
        words = list(lex.sanction_word.finditer(text, clause.start, clause.end))
        if not words:
            continue
        word = words[0]
        found: list[tuple[int, str, re.Match[str]]] = []
        for value, pat in lex.sanction_values:
            for m in pat.finditer(text, clause.start, clause.end):
                if modal(text, m.start(), clause, lex):
                    continue
                if negated(text, m.start(), lex, clause.start):
                    if value != "lifted":
                        continue
                    value = "remains"
                found.append((abs(m.start() - word.start()), value, m))
        if not found:
            continue
        _, value, vm = min(found, key=lambda f: f[0])
        target = _target_after(text, words[-1].end(), clause.end, lex) or _target_before(
            clause, lex
        )
        if target is None:
            target = last_target
        if target is None:
            continue
        last_target = target
        imposer = _imposer(text, clause.start, clause.end, lex, target)
        key = target_key(target)
        if imposer is None and any(c.fact[1] == key for c in previous + out if c.fact):
            continue  # the same sanctions, told again without saying whose
        subject = f"{imposer} sanctions on {target}" if imposer else f"sanctions on {target}"
        lo = min(clause.start, vm.start())
        out.append(
            Claim(
                kind="sanction_change",
                quote=text[lo : clause.end],
                start=lo,
                end=clause.end,
                value=value,
                subject=subject,
                date=date_of(dates, clause.start, clause.end)
                or date_of(dates, sent.start, sent.end),
                fact=(imposer, key, value),
            )
        )
    return out
