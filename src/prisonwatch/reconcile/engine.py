"""Reconciling a left list against a right list (or the registry's names).

1. A candidate index is built once over the right side; each left row asks it for its closest
   right rows (``ReconcileOptions.candidates`` of them). Small runs (left × right at most
   ``ReconcileOptions.exhaustive_pairs``) compare every pair instead: exact and fast enough.
2. Each candidate pair gets the name matcher's score, adjusted by evidence both rows carry
   (:mod:`prisonwatch.reconcile.evidence`). Right rows sharing a key (the names of one registry
   person) are one record: the record's score is its best name's.
3. Reviewers' judgements apply (:mod:`prisonwatch.reconcile.judgements`): ``different`` removes a
   pair, ``same`` forces it (even when the index did not propose it), ``unsure`` caps it at review.
4. A global one-to-one assignment over the pairs that reach the review threshold
   (:mod:`prisonwatch.reconcile.assignment`) maximises the sum of ``score - review_threshold``:
   a confident match is not traded for two weak ones.
5. Verdicts: ``match`` at or above the match threshold, unless a competitor scores within
   ``ambiguity_margin`` (then ``review``, saying who competes); ``review`` in the band below;
   ``unmatched`` otherwise, saying why (nothing close, or its best candidate went elsewhere).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from prisonwatch import forkpool
from prisonwatch.model import JudgementDecision
from prisonwatch.names.base import Matcher
from prisonwatch.names.features import warm_up
from prisonwatch.reconcile.assignment import Edges, assign
from prisonwatch.reconcile.evidence import NONE, Adjustment, adjust
from prisonwatch.reconcile.judgements import Decision, JudgementGraph, JudgementLike
from prisonwatch.reconcile.reading import ListRow

#: ``progress(stage, done, total)``; stages: ``index``, ``match``, ``assign``.
Progress = Callable[[str, int, int], None]

MATCH = "match"
REVIEW = "review"
UNMATCHED = "unmatched"
VERDICTS = (MATCH, REVIEW, UNMATCHED)

#: A competitor within this score of a match turns it into ``review``. More than what a
#: patronymic on one side only costs a name (× 0.97, and its Belarusian letters may make
#: the whole name read as Belarusian: ≈ 0.05 in all), so that a patronymic one namesake's
#: record has and the other's lacks does not decide between them by itself. On the 10,000
#: × 1,000,000 benchmark (namesakes with the same birth year abound) 0.02 gave 196 wrong
#: matches among people on both sides, 0.05 gives 47, moving 5 % of the right ones to review.
AMBIGUITY_MARGIN = 0.05


_FORCED_WEIGHT = 1000.0
_PROGRESS_EVERY = 200


class CandidateSource(Protocol):
    """What reconciliation needs of a candidate index over the right side."""

    def candidates(self, name: str, limit: int = 50) -> list[Any]: ...


#: Builds a candidate index over ``(right row index, name)`` pairs; the second argument, when
#: not ``None``, is called with the number of names indexed so far.
IndexFactory = Callable[[Iterable[tuple[int, str]], Callable[[int], None] | None], CandidateSource]


def default_index_factory(
    items: Iterable[tuple[int, str]], progress: Callable[[int], None] | None = None
) -> CandidateSource:
    """The names package's :class:`~prisonwatch.names.CandidateIndex`."""
    from prisonwatch.names import CandidateIndex

    index: CandidateSource = CandidateIndex.build(items, progress=progress)
    return index


class CachedIndexFactory:
    """Builds the CandidateIndex once per distinct right side and keeps it in ``folder``
    (:func:`prisonwatch.names.cache.cached_index`: the file name is a digest of the names
    package's code and data and of every right name in order, so a changed list or a new
    matcher gets a new index; the file is owner-only, as it holds every name it indexes).
    Reconciling many lists against the same big list then skips the build."""

    PREFIX = "reconcile"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @staticmethod
    def content_digest(names: Iterable[str]) -> bytes:
        """SHA-256 of every name followed by U+001F (one string: a million names hashed one
        by one took a second)."""
        listed = list(names)
        text = "\x1f".join(listed) + "\x1f" if listed else ""
        return hashlib.sha256(text.encode()).digest()

    def path_for(self, names: Sequence[str]) -> Path:
        from prisonwatch.names.cache import index_path

        return index_path(self.folder, self.PREFIX, self.content_digest(names))

    def __call__(
        self, items: Iterable[tuple[int, str]], progress: Callable[[int], None] | None = None
    ) -> CandidateSource:
        from prisonwatch.names import CandidateIndex
        from prisonwatch.names.cache import cached_index

        pairs = list(items)
        index, _loaded = cached_index(
            self.folder,
            self.PREFIX,
            self.content_digest(name for _, name in pairs),
            lambda: CandidateIndex.build(pairs, progress=progress),
            keep_older=True,
        )
        return index


class AllRows:
    """Every right row is a candidate: exact, and cheaper than an index for small lists."""

    def __init__(self, items: Iterable[tuple[int, str]]) -> None:
        self.keys = [k for k, _ in items]

    def candidates(self, name: str, limit: int = 50) -> list[Any]:
        return self.keys


def default_matcher() -> Matcher:
    from prisonwatch.names import default_matcher as names_default

    matcher: Matcher = names_default()
    return matcher


@dataclass(frozen=True, slots=True)
class ReconcileOptions:
    matcher: Matcher | None = None
    #: ``None``: the matcher's own thresholds.
    match_threshold: float | None = None
    review_threshold: float | None = None
    #: Candidates taken from the index per left row ...
    candidates: int = 20
    #: ... multiplied by 5 while every candidate is a strong name match (a common name whose
    #: namesakes fill the list; evidence may tell them apart), up to this many.
    max_candidates: int = 1000
    #: A competitor within this score of a match turns it into ``review`` (see
    #: :data:`AMBIGUITY_MARGIN`).
    ambiguity_margin: float = AMBIGUITY_MARGIN
    use_evidence: bool = True
    #: Compare every pair, without a candidate index, when left × right is at most this.
    exhaustive_pairs: int = 100_000
    #: ``None``: the names package's CandidateIndex (or every pair for small lists).
    index_factory: IndexFactory | None = None
    #: Processes that find and score candidates (``None``: 2 on a multi-core machine for
    #: 2,000 left rows or more, else 1). Workers are forked and share the index.
    workers: int | None = None
    #: Keep built candidate indexes here and reuse them for the same right side.
    index_cache: Path | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """The outcome for one left row."""

    left: ListRow
    right: ListRow | None
    score: float | None
    verdict: str
    why: str
    #: The matcher's score for the names alone (before evidence), when there is a right row.
    name_score: float | None = None
    #: ``same`` / ``unsure`` when a reviewer's judgement decided or capped the verdict.
    judged: str | None = None


@dataclass(slots=True)
class ReconcileResult:
    pairs: list[Pair]
    right_unmatched: list[ListRow]
    matcher: str
    match_threshold: float
    review_threshold: float
    #: The stored list's id when the run stored one (:mod:`prisonwatch.reconcile.stored_lists`).
    list_id: int | None = None
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {
            "matched": sum(p.verdict == MATCH for p in self.pairs),
            "review": sum(p.verdict == REVIEW for p in self.pairs),
            "left_only": sum(p.verdict == UNMATCHED for p in self.pairs),
            "right_only": len(self.right_unmatched),
        }

    def by_verdict(self, verdict: str) -> list[Pair]:
        return [p for p in self.pairs if p.verdict == verdict]


@dataclass(slots=True)
class _Cand:
    row: int  # right row index
    score: float
    name_score: float
    adjustment: Adjustment
    forced: str | None = None  # explanation of a 'same' judgement
    unsure: Decision | None = None
    #: The matcher's explanation of the names, written in the worker for the row's best
    #: candidate (the one the assignment nearly always gives it).
    why: str | None = None


#: Distinct evidence pairs whose adjustment a worker remembers.
_ADJUSTMENTS_KEPT = 100_000


class _Scorer:
    def __init__(
        self, matcher: Matcher, use_evidence: bool, review_t: float, margin: float
    ) -> None:
        self.matcher = matcher
        self.use_evidence = use_evidence
        self.review_t = review_t
        self.margin = margin
        self._adjustments: dict[tuple[Any, ...], Adjustment] = {}

    def adjustment(self, left: ListRow, right: ListRow) -> Adjustment:
        """The evidence adjustment, computed once per distinct pair of evidence values (a
        common name's candidates share a few dozen birth years)."""
        if not self.use_evidence:
            return NONE
        key = (left.birth, left.gender, left.region, right.birth, right.gender, right.region)
        adj = self._adjustments.get(key)
        if adj is None:
            if len(self._adjustments) >= _ADJUSTMENTS_KEPT:
                self._adjustments.clear()
            adj = self._adjustments[key] = adjust(left, right)
        return adj

    def score(self, left: ListRow, right: ListRow, adj: Adjustment) -> tuple[float, float]:
        name_score = self.matcher.score(left.name, right.name)
        return min(1.0, max(0.0, name_score + adj.delta)), name_score


def reconcile(
    left: Sequence[ListRow],
    right: Sequence[ListRow],
    options: ReconcileOptions | None = None,
    *,
    judgements: JudgementGraph | Iterable[JudgementLike] | None = None,
    progress: Progress | None = None,
) -> ReconcileResult:
    """Match every left row to at most one right record, one-to-one and globally."""
    opts = options or ReconcileOptions()
    matcher = opts.matcher or default_matcher()
    match_t = opts.match_threshold if opts.match_threshold is not None else matcher.match_threshold
    review_t = (
        opts.review_threshold if opts.review_threshold is not None else matcher.review_threshold
    )
    if not 0 < review_t <= match_t <= 1:
        raise ValueError(
            f"thresholds must satisfy 0 < review ({review_t}) <= match ({match_t}) <= 1"
        )
    graph = (
        judgements if isinstance(judgements, JudgementGraph) else JudgementGraph(judgements or ())
    )
    report = progress or (lambda _stage, _done, _total: None)

    # Right records: rows sharing a key are one record.
    group_of_key, group_rows, row_group = _records([r.key for r in right])

    report("index", 0, len(right))
    items = ((i, r.name) for i, r in enumerate(right))
    index: CandidateSource
    if opts.index_factory is not None:
        index = opts.index_factory(items, lambda n: report("index", n, len(right)))
    elif len(left) * len(right) <= opts.exhaustive_pairs:
        index = AllRows(items)
    elif opts.index_cache is not None:
        index = CachedIndexFactory(opts.index_cache)(
            items, lambda n: report("index", n, len(right))
        )
    else:
        index = default_index_factory(items, lambda n: report("index", n, len(right)))
    report("index", len(right), len(right))

    collector = _Collector(
        right,
        row_group,
        group_of_key,
        group_rows,
        graph,
        _Scorer(matcher, opts.use_evidence, review_t, opts.ambiguity_margin),
        index,
        opts,
        match_t,
    )
    cands: list[dict[int, _Cand]] = []
    blocked: list[list[tuple[int, Decision]]] = []
    for best, blocks in _collect_all(
        collector, left, forkpool.worker_count(opts.workers, len(left), PARALLEL_ROWS), report
    ):
        cands.append(best)
        blocked.append(blocks)

    report("assign", 0, 1)
    e_left: list[int] = []
    e_right: list[int] = []
    e_weight: list[float] = []
    for li, best in enumerate(cands):
        for rec, c in best.items():
            w = _weight(c, review_t)
            if w > 0:
                e_left.append(li)
                e_right.append(rec)
                e_weight.append(w)
    assigned = assign(len(left), len(group_rows), Edges.from_lists(e_left, e_right, e_weight))
    report("assign", 1, 1)

    taken = {g: li for li, g in assigned.items()}
    competitors: dict[int, list[tuple[int, float]]] = {}
    for li, rec, w in zip(e_left, e_right, e_weight, strict=True):
        competitors.setdefault(rec, []).append((li, w))

    pairs: list[Pair] = []
    for li, lrow in enumerate(left):
        g = assigned.get(li)
        if g is None:
            pairs.append(
                _unmatched(lrow, cands[li], blocked[li], left, right, row_group, taken, review_t)
            )
            continue
        c = cands[li][g]
        rrow = right[c.row]
        reasons = [c.why if c.why is not None else matcher.compare(lrow.name, rrow.name).why]
        if c.adjustment.reasons:
            reasons.append(c.adjustment.text)
        judged: str | None = None
        if c.forced is not None:
            verdict = MATCH
            judged = "same"
            reasons.insert(0, c.forced)
        elif c.unsure is not None:
            verdict = REVIEW
            judged = "unsure"
            reasons.insert(0, c.unsure.describe())
        elif c.score >= match_t:
            rivals = _rivals(
                li,
                g,
                _weight(c, review_t),
                cands,
                competitors,
                assigned,
                taken,
                left,
                right,
                review_t,
                opts.ambiguity_margin,
            )
            verdict = REVIEW if rivals else MATCH
            reasons.extend(rivals)
        else:
            verdict = REVIEW
        pairs.append(
            Pair(
                lrow,
                rrow,
                round(c.score, 4),
                verdict,
                "; ".join(r for r in reasons if r),
                round(c.name_score, 4),
                judged,
            )
        )

    right_unmatched = [right[first] for g, first in enumerate(group_rows) if g not in taken]
    return ReconcileResult(
        pairs, right_unmatched, getattr(matcher, "name", type(matcher).__name__), match_t, review_t
    )


def _records(keys: list[str]) -> tuple[dict[str, int], list[int], list[int]]:
    """Rows sharing a key are one record: the record of each key, the first row of each
    record, and the record of each row. (A list with ids has one row per key: a million rows
    then take one dictionary built in C, not a loop.)"""
    group_of_key = dict(zip(keys, range(len(keys)), strict=True))
    if len(group_of_key) == len(keys):
        rows = list(range(len(keys)))
        return group_of_key, rows, rows
    group_of_key = {}
    group_rows: list[int] = []  # first row of each group
    row_group: list[int] = []
    for i, key in enumerate(keys):
        g = group_of_key.get(key)
        if g is None:
            g = group_of_key[key] = len(group_rows)
            group_rows.append(i)
        row_group.append(g)
    return group_of_key, group_rows, row_group


class _Collector:
    """Finds and scores the candidates of one left row (in this process or a forked worker)."""

    def __init__(
        self,
        right: Sequence[ListRow],
        row_group: list[int],
        group_of_key: dict[str, int],
        group_rows: list[int],
        graph: JudgementGraph,
        scorer: _Scorer,
        index: CandidateSource,
        opts: ReconcileOptions,
        match_t: float,
    ) -> None:
        self.right = right
        self.row_group = row_group
        self.group_of_key = group_of_key
        self.group_rows = group_rows
        self.graph = graph
        self.scorer = scorer
        self.index = index
        self.opts = opts
        self.match_t = match_t
        # the index's estimates mirror the default matcher only
        self.estimates = opts.matcher is None and hasattr(index, "estimated")

    def row(self, lrow: ListRow) -> tuple[dict[int, _Cand], list[tuple[int, Decision]]]:
        best: dict[int, _Cand] = {}
        blocks: list[tuple[int, Decision]] = []
        forced_rows = _forced_rows(
            self.graph, lrow.key, self.group_of_key, self.right, self.group_rows
        )
        seen: set[int] = set()
        limit = self.opts.candidates
        top = 0.0  # the best score of this row so far
        found_up_to = self._finder(lrow.name)
        while True:
            found = found_up_to(limit)
            fresh = [
                (ri, est)
                for ri, est in dict.fromkeys(found + [(ri, None) for ri in forced_rows])
                if ri not in seen
            ]
            seen.update(ri for ri, _e in fresh)
            strong = 0
            for ri, est in fresh:
                cand = _candidate(
                    lrow, self.right[ri], ri, self.graph, self.scorer, blocks, est, top
                )
                if cand is None:
                    continue
                if cand is _SKIPPED:
                    strong += est is not None and est >= self.match_t
                    continue
                top = max(top, cand.score)
                strong += cand.name_score >= self.match_t
                g = self.row_group[ri]
                old = best.get(g)
                if old is None or (cand.forced is not None, cand.score) > (
                    old.forced is not None,
                    old.score,
                ):
                    best[g] = cand
            # Every candidate a strong name match (a common name): the true record may be
            # beyond the limit, so ask for more, up to max_candidates.
            if (
                not fresh
                or len(found) < limit
                or strong < len(fresh)
                or limit >= self.opts.max_candidates
            ):
                self._explain_best(lrow, best)
                return best, blocks
            limit = min(limit * 5, self.opts.max_candidates)

    def _explain_best(self, lrow: ListRow, best: dict[int, _Cand]) -> None:
        """Explain the best candidate here, in the worker, if it can be assigned at all."""
        if not best:
            return
        first = max(best.values(), key=lambda c: c.score)
        if first.score >= self.scorer.review_t or first.forced is not None:
            first.why = self.scorer.matcher.compare(lrow.name, self.right[first.row].name).why

    def _finder(self, name: str) -> Callable[[int], list[tuple[int, float | None]]]:
        """``limit`` → the index's best ``limit`` candidates for ``name``, with its estimate of
        their name score when it has one for this matcher. Asked again with a wider limit, an
        index that can (``estimated_search``) continues the same search instead of starting
        over."""
        if self.estimates:
            search = getattr(self.index, "estimated_search", None)
            if search is not None:
                ranked = search(name)
                return lambda limit: [(int(k), e) for k, e in ranked.top(limit)]
            return lambda limit: [
                (int(k), e)
                for k, e in self.index.estimated(name, limit=limit)  # type: ignore[attr-defined]
            ]
        return lambda limit: [(int(k), None) for k in self.index.candidates(name, limit=limit)]


_Found = tuple[dict[int, _Cand], list[tuple[int, Decision]]]
_CHUNK = 250
#: Batches of at least this many left rows are matched in two forked workers.
PARALLEL_ROWS = 2000


def _collect_chunk(bounds: tuple[int, int]) -> list[_Found]:
    collector, left = forkpool.shared()
    return [collector.row(left[i]) for i in range(*bounds)]


def _collect_all(
    collector: _Collector, left: Sequence[ListRow], workers: int, report: Progress
) -> Iterator[_Found]:
    """The candidates of every left row, in order; with ``workers`` > 1 in forked processes
    that share the index (built once, in the parent)."""
    report("match", 0, len(left))
    size = _CHUNK if workers > 1 else _PROGRESS_EVERY
    chunks = [(i, min(i + size, len(left))) for i in range(0, len(left), size)]
    found = forkpool.fork_imap(
        _collect_chunk, chunks, workers, (collector, left), before_fork=warm_up
    )
    for done, part in zip(chunks, found, strict=True):
        yield from part
        report("match", done[1], len(left))


#: Returned by :func:`_candidate` for a pair not worth scoring.
_SKIPPED = _Cand(-1, 0.0, 0.0, NONE)
#: Candidates the index estimates this far below the review threshold are not scored (the
#: estimate is a vectorised copy of the default matcher's score; on the 10,000 × 1,000,000
#: benchmark, 2 of 4,761 pairs the matcher puts at review or above were estimated that low,
#: both another person: a given name held against a patronymic).
ESTIMATE_SLACK = 0.2


def _candidate(
    lrow: ListRow,
    rrow: ListRow,
    ri: int,
    graph: JudgementGraph,
    scorer: _Scorer,
    blocks: list[tuple[int, Decision]],
    estimate: float | None = None,
    top: float = 0.0,
) -> _Cand | None:
    """Score one candidate pair and apply the judgements (``None``: judged different).

    ``_SKIPPED`` when scoring could not change the outcome: the index estimates the names far
    below review, or the evidence alone keeps the pair below ``top`` (the row's best score so
    far) by more than the ambiguity margin can bridge — a namesake born in another year, in a
    list full of namesakes."""
    if graph:
        block = graph.blocking(lrow.key, rrow.key)
        if block is not None:
            blocks.append((ri, block))
            return None
        same = graph.is_same(lrow.key, rrow.key)
        direct = graph.direct(lrow.key, rrow.key)
    else:  # no judgements (most runs): what the graph would answer, without its lookups
        same, direct = lrow.key == rrow.key, None
    judged = same or direct is not None
    if not judged and estimate is not None and estimate < scorer.review_t - ESTIMATE_SLACK:
        return _SKIPPED
    adj = scorer.adjustment(lrow, rrow)
    if not judged and min(1.0, 1.0 + adj.delta) < top - scorer.margin:
        return _SKIPPED
    score, name_score = scorer.score(lrow, rrow, adj)
    cand = _Cand(ri, score, name_score, adj)
    if same:
        cand.forced = graph.explain_same(lrow.key, rrow.key)
    if direct is not None and direct.decision is JudgementDecision.UNSURE:
        cand.unsure = direct
    return cand


def _weight(c: _Cand, review_t: float) -> float:
    if c.forced is not None:
        return _FORCED_WEIGHT
    if c.score < review_t:
        return 0.0
    return c.score - review_t + 0.01


def _forced_rows(
    graph: JudgementGraph,
    key: str,
    group_of_key: dict[str, int],
    right: Sequence[ListRow],
    group_rows: list[int],
) -> list[int]:
    """Right rows judged the same as ``key`` (first row of each such record)."""
    group = graph.same_group(key)
    if len(group) < 2:
        return []
    out = []
    for other in sorted(group):
        g = group_of_key.get(other)
        if g is not None:
            out.append(group_rows[g])
    return out


def _rivals(
    li: int,
    g: int,
    weight: float,
    cands: list[dict[int, _Cand]],
    competitors: dict[int, list[tuple[int, float]]],
    assigned: dict[int, int],
    taken: dict[int, int],
    left: Sequence[ListRow],
    right: Sequence[ListRow],
    review_t: float,
    margin: float,
) -> list[str]:
    """Why the match ``li`` → ``g`` is ambiguous (empty when it is not).

    A rival is another left row that would gain nearly as much from this record as this row
    does (its own assignment counted), or another record, left unassigned, that this row
    matches nearly as well."""
    out: list[str] = []
    for lj, w in competitors.get(g, []):
        if lj == li:
            continue
        gj = assigned.get(lj)
        own = _weight(cands[lj][gj], review_t) if gj is not None else 0.0
        if w - own >= weight - margin:
            other = cands[lj][g]
            out.append(
                f"ambiguous: left {left[lj].label} {left[lj].name!r} scores {other.score:.2f} "
                "against the same record"
            )
    for gk, c in cands[li].items():
        if gk == g or gk in taken:
            continue
        if _weight(c, review_t) >= weight - margin:
            out.append(
                f"ambiguous: right {right[c.row].label} {right[c.row].name!r} scores "
                f"{c.score:.2f} too"
            )
    return out


def _unmatched(
    lrow: ListRow,
    best: dict[int, _Cand],
    blocks: list[tuple[int, Decision]],
    left: Sequence[ListRow],
    right: Sequence[ListRow],
    row_group: list[int],
    taken: dict[int, int],
    review_t: float,
) -> Pair:
    reasons: list[str] = []
    ranked = sorted(best.values(), key=lambda c: -c.score)
    if ranked and ranked[0].score >= review_t:
        c = ranked[0]
        owner = taken.get(row_group[c.row])
        if owner is not None:
            reasons.append(
                f"closest right {right[c.row].label} {right[c.row].name!r} ({c.score:.2f}) "
                f"is matched to left {left[owner].label} {left[owner].name!r}"
            )
        else:
            reasons.append(
                f"closest right {right[c.row].label} {right[c.row].name!r} "
                f"({c.score:.2f}) was not assigned"
            )
    elif ranked:
        c = ranked[0]
        reasons.append(
            f"no candidate reaches {review_t:.2f}; closest right {right[c.row].label} "
            f"{right[c.row].name!r} scores {c.score:.2f}"
        )
    else:
        reasons.append("no similar name on the right side")
    for ri, d in blocks:
        reasons.append(f"right {right[ri].label} {right[ri].name!r} excluded: {d.describe()}")
    return Pair(lrow, None, None, UNMATCHED, "; ".join(reasons))
