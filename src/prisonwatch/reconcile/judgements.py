"""Reviewers' decisions as a graph that a reconciliation run consults.

* Of several judgements on one pair of keys, the latest that is not withdrawn counts (the older
  ones stay in the history).
* ``same`` edges are transitive: keys joined by a chain of ``same`` decisions form one
  component (union-find), so "list row A = person 12" and "person 12 = list row B" make A = B.
* A ``different`` edge between two components blocks every link between their members; it wins
  over a chain of ``same`` edges that contradicts it, and the explanation says so.
* ``unsure`` keeps the pair in the review band and stops it being queued again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from prisonwatch.model import JudgementDecision


class JudgementLike(Protocol):
    """What the graph needs of a judgement (a :class:`~prisonwatch.store.schema.Judgement` row
    or any object with these attributes)."""

    @property
    def id(self) -> int: ...
    @property
    def left_key(self) -> str: ...
    @property
    def right_key(self) -> str: ...
    @property
    def decision(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def at(self) -> dt.datetime: ...
    @property
    def withdrawn_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision that counts for one pair of keys."""

    judgement_id: int
    a: str
    b: str
    decision: JudgementDecision
    user: str
    at: dt.datetime

    def describe(self) -> str:
        return f"judged {self.decision.value} by {self.user} on {self.at:%Y-%m-%d}"


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class JudgementGraph:
    """The current decisions, queried by key."""

    def __init__(self, judgements: Iterable[JudgementLike] = ()) -> None:
        latest: dict[tuple[str, str], Decision] = {}
        ordered = sorted(
            (j for j in judgements if j.withdrawn_at is None), key=lambda j: (j.at, j.id)
        )
        for j in ordered:
            if j.left_key == j.right_key:
                continue
            latest[_pair(j.left_key, j.right_key)] = Decision(
                j.id, j.left_key, j.right_key, JudgementDecision(j.decision), j.user, j.at
            )
        self.decisions = latest
        self._parent: dict[str, str] = {}
        self._same_adj: dict[str, list[Decision]] = defaultdict(list)
        self._members: dict[str, set[str]] = {}
        self._different: dict[tuple[str, str], Decision] = {}
        for d in latest.values():
            if d.decision is JudgementDecision.SAME:
                self._union(d.a, d.b)
                self._same_adj[d.a].append(d)
                self._same_adj[d.b].append(d)
        for key in list(self._parent):
            self._members.setdefault(self.root(key), set()).add(key)
        for d in latest.values():
            if d.decision is JudgementDecision.DIFFERENT:
                self._different.setdefault(_pair(self.root(d.a), self.root(d.b)), d)

    def __len__(self) -> int:
        return len(self.decisions)

    # -- union-find -----------------------------------------------------------------------
    def root(self, key: str) -> str:
        parent = self._parent
        if key not in parent:
            return key
        r = key
        while parent[r] != r:
            r = parent[r]
        while parent[key] != r:
            parent[key], key = r, parent[key]
        return r

    def _union(self, a: str, b: str) -> None:
        for k in (a, b):
            self._parent.setdefault(k, k)
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self._parent[rb] = ra

    # -- queries --------------------------------------------------------------------------
    def same_group(self, key: str) -> set[str]:
        """Every key judged (directly or through a chain) the same as ``key``, itself included."""
        return self._members.get(self.root(key), {key})

    def is_same(self, a: str, b: str) -> bool:
        return a == b or self.root(a) == self.root(b)

    def blocking(self, a: str, b: str) -> Decision | None:
        """The ``different`` decision that forbids linking ``a`` and ``b``, if any."""
        return self._different.get(_pair(self.root(a), self.root(b)))

    def direct(self, a: str, b: str) -> Decision | None:
        """The decision that counts on exactly this pair."""
        return self.decisions.get(_pair(a, b))

    def same_path(self, a: str, b: str) -> list[Decision]:
        """The chain of ``same`` decisions joining ``a`` to ``b`` (empty when not joined)."""
        if a == b or not self.is_same(a, b):
            return []
        came: dict[str, Decision | None] = {a: None}
        queue = deque([a])
        while queue:
            k = queue.popleft()
            if k == b:
                break
            for d in self._same_adj.get(k, []):
                nxt = d.b if d.a == k else d.a
                if nxt not in came:
                    came[nxt] = d
                    queue.append(nxt)
        path: list[Decision] = []
        k = b
        while (step := came.get(k)) is not None:
            path.append(step)
            k = step.a if step.b == k else step.b
        return list(reversed(path))

    def explain_same(self, a: str, b: str) -> str:
        path = self.same_path(a, b)
        if len(path) == 1:
            return path[0].describe()
        steps = ", ".join(f"{d.a} = {d.b} ({d.user}, {d.at:%Y-%m-%d})" for d in path)
        return f"judged same through {len(path)} decisions: {steps}"
