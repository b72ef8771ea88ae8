"""Scoring extracted claims against an annotated set of passages (used by the data-driven tests
and ``benchmarks/news_quality.py``).

A passage is a JSON object ``{"id", "lang", "published", "text", "claims": [...]}``; an
expected claim gives ``kind`` and what identifies it: ``value`` (counts), ``status`` and a
``person`` stem (person_status), ``value`` and a ``target`` stem (sanction_change). Passages
with no expected claims must yield no claim of any kind. Every third passage (index 2, 5, ...)
is held out: the rules were not tuned on it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prisonwatch.news.text import Claim

SCORED = ("count", "person_status", "sanction_change")


@dataclass
class Passage:
    id: str
    lang: str
    published: dt.date | None
    text: str
    claims: list[dict[str, Any]]
    held_out: bool


def load(path: Path) -> list[Passage]:
    out = []
    for i, line in enumerate(path.read_text("utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        pub = dt.date.fromisoformat(row["published"]) if row.get("published") else None
        out.append(Passage(row["id"], row["lang"], pub, row["text"], row["claims"], i % 3 == 2))
    return out


def matches(expected: dict[str, Any], got: Claim) -> bool:
    return bool(_matches(expected, got))


def _matches(expected: dict[str, Any], got: Claim) -> Any:
    if expected["kind"] != got.kind:
        return False
    if got.kind == "count":
        return expected["value"] == got.value
    if got.kind == "person_status":
        return (
            expected["status"] == got.status
            and expected["person"].lower() in (got.person or "").lower()
        )
    if got.kind == "sanction_change":
        return (
            expected["value"] == got.value
            and expected["target"].lower() in (got.subject or "").lower()
        )
    return False


@dataclass
class Score:
    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    hedge_ok: int = 0
    hedge_n: int = 0
    nothing_passages: int = 0
    nothing_with_claims: list[str] = field(default_factory=list)
    inexact_quotes: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, passage: Passage, got: list[Claim]) -> None:
        for claim in got:
            if passage.text[claim.start : claim.end] != claim.quote:
                self.inexact_quotes += 1
        if not passage.claims:
            self.nothing_passages += 1
            if got:
                self.nothing_with_claims.append(passage.id)
        left = [c for c in got if c.kind in SCORED]
        for exp in passage.claims:
            hit = next((c for c in left if matches(exp, c)), None)
            if hit is None:
                self.fn[exp["kind"]] += 1
                self.errors.append(f"{passage.id}: missed {exp}")
                continue
            left.remove(hit)
            self.tp[exp["kind"]] += 1
            if exp["kind"] == "count":
                self.hedge_n += 1
                self.hedge_ok += exp.get("hedge") == hit.hedge
        for claim in left:
            self.fp[claim.kind] += 1
            self.errors.append(f"{passage.id}: extra {claim.as_json()}")

    def precision(self, kind: str) -> float:
        n = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / n if n else 1.0

    def recall(self, kind: str) -> float:
        n = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / n if n else 1.0


def score(passages: Iterable[Passage], extract: Any) -> Score:
    result = Score()
    for p in passages:
        result.add(p, extract(p))
    return result
