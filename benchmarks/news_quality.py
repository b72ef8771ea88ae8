"""News → claims: per-kind precision and recall on the annotated passages
(tests/news/data/passages.jsonl), on the tuning part and the held-out third separately, on
the fresh set written after the rules (passages_fresh.jsonl), and
the extractor's speed per 2,000-character passage after start-up.

    PYTHONPATH=src python benchmarks/news_quality.py [--errors]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from prisonwatch.news.extract import extract_claims
from prisonwatch.news.quality import SCORED, Passage, Score, load, score

DATA = Path(__file__).resolve().parent.parent / "tests" / "news" / "data" / "passages.jsonl"
#: 17 passages written after the rules (first run: see docs/news.md), not used in tuning
FRESH = DATA.with_name("passages_fresh.jsonl")
SEED = Path("/work/shared/seeds/belarus-prisoners-article.txt")


def _run(p: Passage) -> list:  # type: ignore[type-arg]
    return extract_claims(p.text, p.lang, p.published)


def _print(title: str, s: Score) -> None:
    print(f"\n{title}")
    print(f"{'kind':<16} {'P':>6} {'R':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind in SCORED:
        print(
            f"{kind:<16} {s.precision(kind):6.2f} {s.recall(kind):6.2f} "
            f"{s.tp[kind]:4d} {s.fp[kind]:4d} {s.fn[kind]:4d}"
        )
    print(f"hedges right: {s.hedge_ok}/{s.hedge_n}; inexact quotes: {s.inexact_quotes}")
    print(
        f"nothing-to-extract passages with claims: {len(s.nothing_with_claims)}"
        f"/{s.nothing_passages} {s.nothing_with_claims}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="list misses/extras of the tuning part")
    args = ap.parse_args()
    passages = load(DATA)
    t0 = time.perf_counter()
    extract_claims("Warm-up: 5 people were released.", "ru")
    extract_claims("Warm-up: 5 people were released.", "en")
    print(f"start-up (models, lexicons): {time.perf_counter() - t0:.2f} s")
    tune = [p for p in passages if not p.held_out]
    held = [p for p in passages if p.held_out]
    s_tune, s_held = score(tune, _run), score(held, _run)
    s_all = score(passages, _run)
    _print(f"tuning part ({len(tune)} passages)", s_tune)
    _print(f"held-out third ({len(held)} passages)", s_held)
    _print(f"all ({len(passages)} passages)", s_all)
    fresh = load(FRESH)
    s_fresh = score(fresh, _run)
    _print(f"fresh set, written after the rules ({len(fresh)} passages)", s_fresh)
    if args.errors:
        print("\n".join(s_tune.errors + s_fresh.errors))
    # speed: 2,000-character passages made of the set's own passages, per language
    for lang in ("en", "ru", "be"):
        body = " ".join(p.text for p in passages if p.lang == lang)
        chunk = (body * (2000 // len(body) + 1))[:2000]
        times = []
        for _ in range(5):
            t = time.perf_counter()
            extract_claims(chunk, lang)
            times.append(time.perf_counter() - t)
        print(f"speed {lang}: median {statistics.median(times):.3f} s per 2,000 characters")
    if SEED.exists():
        text = SEED.read_text("utf-8")
        t = time.perf_counter()
        n = len(extract_claims(text, "en"))
        print(f"seed article ({len(text)} chars): {n} claims in {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()
