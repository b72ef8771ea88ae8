"""The difference between two versions of a list: targets added, removed, and changed (with
the properties whose values changed). Both sides are statement sets, so a reordered or
re-encoded copy of a file shows no difference.

Used for two files read directly (:func:`diff_targets`) and, by the store, for two stored
versions (which yields the same :class:`ListDiff`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from prisonwatch.sanctions.model import Target

Statements = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class TargetRef:
    id: str
    name: str
    kind: str


@dataclass
class TargetChange:
    id: str
    name: str
    kind: str
    #: property -> {"added": [...], "removed": [...]}
    fields: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class ListDiff:
    added: list[TargetRef] = field(default_factory=list)
    removed: list[TargetRef] = field(default_factory=list)
    changed: list[TargetChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [vars(r) for r in self.added],
            "removed": [vars(r) for r in self.removed],
            "changed": [
                {"id": c.id, "name": c.name, "kind": c.kind, "fields": c.fields}
                for c in self.changed
            ],
        }


def _index(targets: Iterable[Target]) -> dict[str, tuple[TargetRef, Statements]]:
    out: dict[str, tuple[TargetRef, Statements]] = {}
    for t in targets:
        ref = TargetRef(t.id, t.caption, t.kind.value)
        out[t.id] = (ref, frozenset(t.statements()))
    return out


def diff_statements(
    old: dict[str, tuple[TargetRef, Statements]], new: dict[str, tuple[TargetRef, Statements]]
) -> ListDiff:
    """The difference of two ``id -> (ref, statements)`` maps, sorted by id."""
    result = ListDiff()
    for tid in sorted(new.keys() - old.keys()):
        result.added.append(new[tid][0])
    for tid in sorted(old.keys() - new.keys()):
        result.removed.append(old[tid][0])
    for tid in sorted(old.keys() & new.keys()):
        before, after = old[tid][1], new[tid][1]
        if before == after:
            continue
        ref = new[tid][0]
        change = TargetChange(ref.id, ref.name, ref.kind)
        for prop, value in sorted(after - before):
            change.fields.setdefault(prop, {"added": [], "removed": []})["added"].append(value)
        for prop, value in sorted(before - after):
            change.fields.setdefault(prop, {"added": [], "removed": []})["removed"].append(value)
        result.changed.append(change)
    return result


def diff_targets(old: Iterable[Target], new: Iterable[Target]) -> ListDiff:
    """Compare two parsed lists target by target (keyed by the publisher's reference id)."""
    return diff_statements(_index(old), _index(new))
