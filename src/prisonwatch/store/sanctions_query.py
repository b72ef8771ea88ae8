"""Reading the stored sanctions lists: what each list holds, its versions, the difference of two
stored versions, a target with its listings and delistings over time, and finding targets by
publisher reference or by name. Read-only; the writer is :mod:`prisonwatch.store.sanctions`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from prisonwatch.names.script import detect_script
from prisonwatch.sanctions.diff import ListDiff, Statements, TargetRef, diff_statements
from prisonwatch.store.schema_sanctions import (
    SanctionsList,
    SanctionsListing,
    SanctionsStatement,
    SanctionsTarget,
    SanctionsVersion,
)

#: The properties shown as names of a target (in every script).
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
VERSION_SPEC = re.compile(r"^(\d+):(\d+|latest|previous)$")


class SanctionsNotFound(LookupError):
    pass


def version_date(v: SanctionsVersion) -> dt.date:
    """The date a version stands for: published (from the file), else --as-of, else the import."""
    return v.published or v.as_of or v.imported_at.date()


def version_json(v: SanctionsVersion) -> dict[str, Any]:
    return {
        "id": f"{v.list_id}:{v.number}",
        "number": v.number,
        "file": v.file_name,
        "format": v.format,
        "parser": v.parser,
        "parser_version": v.parser_version,
        "content_hash": v.content_hash,
        "published": v.published.isoformat() if v.published else None,
        "as_of": v.as_of.isoformat() if v.as_of else None,
        "imported_at": v.imported_at.isoformat(timespec="seconds"),
        "imported_by": v.imported_by,
        "cause": v.cause,
        "targets": v.targets,
        "persons": v.persons,
        "organisations": v.organisations,
        "vessels": v.vessels,
        "aircraft": v.aircraft,
        "statements": v.statements,
        "added": v.added,
        "removed": v.removed,
        "changed": v.changed,
    }


@dataclass
class ListSummary:
    list: SanctionsList
    versions: int
    latest: SanctionsVersion | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.list.id,
            "authority": self.list.authority,
            "name": self.list.name,
            "versions": self.versions,
            "latest": version_json(self.latest) if self.latest else None,
        }


def lists_overview(s: Session) -> list[ListSummary]:
    counts = dict(
        s.execute(
            select(SanctionsVersion.list_id, func.count()).group_by(SanctionsVersion.list_id)
        ).all()
    )
    latest_numbers = (
        select(SanctionsVersion.list_id, func.max(SanctionsVersion.number).label("n"))
        .group_by(SanctionsVersion.list_id)
        .subquery()
    )
    latest = {
        v.list_id: v
        for v in s.scalars(
            select(SanctionsVersion).join(
                latest_numbers,
                and_(
                    latest_numbers.c.list_id == SanctionsVersion.list_id,
                    latest_numbers.c.n == SanctionsVersion.number,
                ),
            )
        )
    }
    lists = s.scalars(select(SanctionsList).order_by(SanctionsList.authority, SanctionsList.name))
    return [ListSummary(lst, counts.get(lst.id, 0), latest.get(lst.id)) for lst in lists]


def get_list(s: Session, list_id: int) -> SanctionsList:
    lst = s.get(SanctionsList, list_id)
    if lst is None:
        raise SanctionsNotFound(f"no sanctions list {list_id}")
    return lst


def find_list(s: Session, spec: str) -> SanctionsList:
    """A list by id, or by name ("SDN", "US OFAC SDN"; case-insensitive, must be unique)."""
    if spec.isdigit():
        return get_list(s, int(spec))
    wanted = spec.strip().lower()
    found = [
        lst
        for lst in s.scalars(select(SanctionsList))
        if wanted in (lst.name.lower(), f"{lst.authority} {lst.name}".lower())
    ]
    if len(found) != 1:
        raise SanctionsNotFound(
            f"no list named {spec!r}" if not found else f"{spec!r} names several lists: use the id"
        )
    return found[0]


def versions(s: Session, list_id: int) -> list[SanctionsVersion]:
    """A list's versions, newest first."""
    return list(
        s.scalars(
            select(SanctionsVersion)
            .where(SanctionsVersion.list_id == list_id)
            .order_by(SanctionsVersion.number.desc())
        )
    )


def resolve_version(s: Session, spec: str) -> SanctionsVersion:
    """``LIST:N`` (the N-th version of list LIST), ``LIST:latest`` or ``LIST:previous``."""
    m = VERSION_SPEC.match(spec.strip())
    if m is None:
        raise SanctionsNotFound(f"{spec!r} is not a stored version (LIST:N, LIST:latest)")
    list_id, which = int(m.group(1)), m.group(2)
    found = versions(s, list_id)
    if not found:
        raise SanctionsNotFound(f"list {list_id} has no stored versions")
    if which == "latest":
        return found[0]
    if which == "previous":
        if len(found) < 2:
            raise SanctionsNotFound(f"list {list_id} has only one version")
        return found[1]
    for v in found:
        if v.number == int(which):
            return v
    raise SanctionsNotFound(f"list {list_id} has no version {which}")


def version_facts(
    s: Session, v: SanctionsVersion, target_ids: list[int] | None = None
) -> dict[str, tuple[TargetRef, Statements]]:
    """The facts a stored version held: ``ref -> (ref, statements)`` (of ``target_ids`` only,
    when given)."""
    st, tg = SanctionsStatement, SanctionsTarget
    query = (
        select(tg.ref, st.prop, st.value)
        .join(tg, tg.id == st.target_id)
        .where(
            st.list_id == v.list_id,
            st.from_version_id <= v.id,
            or_(st.until_version_id.is_(None), st.until_version_id > v.id),
        )
    )
    grouped: dict[str, set[tuple[str, str]]] = {}
    chunks = (
        [None]
        if target_ids is None
        else [target_ids[i : i + 5000] for i in range(0, len(target_ids), 5000)]
    )
    for chunk in chunks:
        q = query if chunk is None else query.where(st.target_id.in_(chunk))
        for ref, prop, value in s.execute(q):
            grouped.setdefault(ref, set()).add((prop, value))
    out: dict[str, tuple[TargetRef, Statements]] = {}
    for ref, facts in grouped.items():
        kind = next((val for p, val in facts if p == "$kind"), "")
        caption = next((val for p, val in sorted(facts) if p == "$caption"), ref)
        out[ref] = (TargetRef(ref, caption, kind), frozenset(facts))
    return out


def touched_targets(s: Session, list_id: int, lo: int, hi: int) -> list[int]:
    """Targets of the list with a fact that appeared or disappeared in a version after ``lo``
    up to ``hi`` (version ids): the only ones that can differ between versions lo and hi."""
    st = SanctionsStatement
    ids = s.scalars(
        select(st.target_id)
        .where(
            st.list_id == list_id,
            or_(
                and_(st.from_version_id > lo, st.from_version_id <= hi),
                and_(st.until_version_id > lo, st.until_version_id <= hi),
            ),
        )
        .distinct()
    )
    return sorted(ids)


def version_diff(s: Session, old: SanctionsVersion, new: SanctionsVersion) -> ListDiff:
    """The difference of two stored versions. Of the same list, only the targets whose facts
    changed in between are read (a fact's interval starts or ends between the two); of two
    lists, every fact of both."""
    if old.list_id != new.list_id:
        return diff_statements(version_facts(s, old), version_facts(s, new))
    lo, hi = sorted((old.id, new.id))
    touched = touched_targets(s, old.list_id, lo, hi)
    return diff_statements(version_facts(s, old, touched), version_facts(s, new, touched))


def latest_diff(
    s: Session, list_id: int
) -> tuple[SanctionsVersion, SanctionsVersion, ListDiff] | None:
    """The latest version against the one before it (None with fewer than two versions)."""
    found = versions(s, list_id)
    if len(found) < 2:
        return None
    return found[1], found[0], version_diff(s, found[1], found[0])


# -- targets ----------------------------------------------------------------------------------


@dataclass
class Stamp:
    """A version as shown beside a listing: list, number and date."""

    list_id: int
    number: int
    date: dt.date

    def as_json(self) -> dict[str, Any]:
        return {"version": f"{self.list_id}:{self.number}", "date": self.date.isoformat()}


@dataclass
class Listing:
    list_id: int
    authority: str
    list_name: str
    listed: Stamp
    delisted: Stamp | None

    def as_json(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "authority": self.authority,
            "list": self.list_name,
            "listed": self.listed.as_json(),
            "delisted": self.delisted.as_json() if self.delisted else None,
        }


@dataclass
class Fact:
    prop: str
    value: str
    list_id: int
    current: bool
    since: Stamp
    until: Stamp | None

    def as_json(self) -> dict[str, Any]:
        return {
            "property": self.prop,
            "value": self.value,
            "list_id": self.list_id,
            "current": self.current,
            "since": self.since.as_json(),
            "until": self.until.as_json() if self.until else None,
        }


@dataclass
class TargetView:
    target: SanctionsTarget
    listings: list[Listing]
    facts: list[Fact]
    #: other targets (other authorities' lists, or other references) listed under one of this
    #: target's names, spelled the same — candidates, not confirmed to be the same party
    same_names: list[SanctionsTarget] = field(default_factory=list)

    @property
    def listed_now(self) -> bool:
        return any(li.delisted is None for li in self.listings)

    @property
    def names(self) -> list[tuple[str, str, str, bool]]:
        """``(name, property, script, current)`` for every name ever listed, current first."""
        seen: dict[tuple[str, str], bool] = {}
        for f in self.facts:
            if f.prop in NAME_PROPS:
                seen[(f.value, f.prop)] = seen.get((f.value, f.prop), False) or f.current
        out = [(v, p, detect_script(v).value, cur) for (v, p), cur in seen.items()]
        order = {p: i for i, p in enumerate(NAME_PROPS)}
        return sorted(out, key=lambda t: (not t[3], order[t[1]], t[0]))

    @property
    def properties(self) -> list[Fact]:
        return [f for f in self.facts if f.prop not in NAME_PROPS and not f.prop.startswith("$")]

    def as_json(self) -> dict[str, Any]:
        t = self.target
        return {
            "id": t.id,
            "authority": t.authority,
            "ref": t.ref,
            "kind": t.kind,
            "caption": t.caption,
            "listed_now": self.listed_now,
            "names": [
                {"name": n, "property": p, "script": sc, "current": cur}
                for n, p, sc, cur in self.names
            ],
            "properties": [f.as_json() for f in self.properties],
            "listings": [li.as_json() for li in self.listings],
            "same_names_elsewhere": [
                {
                    "id": o.id,
                    "authority": o.authority,
                    "ref": o.ref,
                    "kind": o.kind,
                    "caption": o.caption,
                }
                for o in self.same_names
            ],
        }


def _stamps(s: Session, version_ids: set[int]) -> dict[int, Stamp]:
    if not version_ids:
        return {}
    return {
        v.id: Stamp(v.list_id, v.number, version_date(v))
        for v in s.scalars(select(SanctionsVersion).where(SanctionsVersion.id.in_(version_ids)))
    }


def get_target(s: Session, target_id: int) -> SanctionsTarget:
    t = s.get(SanctionsTarget, target_id)
    if t is None:
        raise SanctionsNotFound(f"no sanctions target {target_id}")
    return t


def target_view(s: Session, target_id: int) -> TargetView:
    t = get_target(s, target_id)
    lists = {lst.id: lst for lst in s.scalars(select(SanctionsList))}
    listing_rows = list(
        s.scalars(select(SanctionsListing).where(SanctionsListing.target_id == t.id))
    )
    fact_rows = list(
        s.scalars(
            select(SanctionsStatement)
            .where(SanctionsStatement.target_id == t.id)
            .order_by(SanctionsStatement.prop, SanctionsStatement.value)
        )
    )
    spans = [(r.from_version_id, r.until_version_id) for r in listing_rows]
    spans += [(r.from_version_id, r.until_version_id) for r in fact_rows]
    ids = {a for a, _b in spans} | {b for _a, b in spans if b is not None}
    stamps = _stamps(s, ids)
    listings = [
        Listing(
            r.list_id,
            lists[r.list_id].authority,
            lists[r.list_id].name,
            stamps[r.from_version_id],
            stamps[r.until_version_id] if r.until_version_id else None,
        )
        for r in listing_rows
    ]
    listings.sort(key=lambda li: (li.authority, li.list_name, li.listed.date))
    facts = [
        Fact(
            r.prop,
            r.value,
            r.list_id,
            r.until_version_id is None,
            stamps[r.from_version_id],
            stamps[r.until_version_id] if r.until_version_id else None,
        )
        for r in fact_rows
    ]
    names = {f.value for f in facts if f.prop in NAME_PROPS}
    return TargetView(t, listings, facts, same_names_elsewhere(s, t, names))


def same_names_elsewhere(
    s: Session, t: SanctionsTarget, names: set[str], limit: int = 50
) -> list[SanctionsTarget]:
    """Other targets whose caption (the primary name as its publisher writes it) is one of
    ``names`` spelled the same (case-insensitive for Latin letters). Reads the targets table
    only; cross-script and fuzzy matches are ``find_targets``' job."""
    if not names:
        return []
    lowered = sorted({n.lower() for n in names})[:500]
    return list(
        s.scalars(
            select(SanctionsTarget)
            .where(func.lower(SanctionsTarget.caption).in_(lowered), SanctionsTarget.id != t.id)
            .order_by(SanctionsTarget.authority, SanctionsTarget.ref)
            .limit(limit)
        )
    )


@dataclass
class TargetHit:
    target: SanctionsTarget
    matched: str  # the reference or name that matched
    score: float  # 1.0 for a reference

    def as_json(self) -> dict[str, Any]:
        t = self.target
        return {
            "id": t.id,
            "authority": t.authority,
            "ref": t.ref,
            "kind": t.kind,
            "caption": t.caption,
            "matched": self.matched,
            "score": round(self.score, 3),
        }


#: The name index of every sanctions name, per database, with the newest version id it covers:
#: rebuilt only after an import (building it for ~100,000 names takes seconds).
_INDEXES: dict[str, tuple[Any, Any]] = {}


def _name_index(s: Session) -> Any:
    from prisonwatch.names.index import CandidateIndex

    # the newest version (id and import time: ids restart after a restore or truncation) and
    # the newest fact say whether the cached index still covers every name
    newest = (
        s.execute(
            select(SanctionsVersion.id, SanctionsVersion.imported_at)
            .order_by(SanctionsVersion.id.desc())
            .limit(1)
        ).first(),
        s.scalar(select(func.max(SanctionsStatement.id))),
    )
    key = s.get_bind().engine.url.render_as_string(hide_password=True)
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] == newest:
        return cached[1]
    names = s.execute(
        select(SanctionsStatement.target_id, SanctionsStatement.value)
        .where(SanctionsStatement.prop.in_(NAME_PROPS))
        .distinct()
    ).all()
    index = CandidateIndex.build((int(tid), str(value)) for tid, value in names) if names else None
    _INDEXES[key] = (newest, index)
    return index


def find_targets(s: Session, query: str, limit: int = 20) -> list[TargetHit]:
    """Targets whose publisher reference is ``query`` (any authority), else whose names match
    ``query`` by the name matcher (across scripts and spellings), best first."""
    q = query.strip()
    if not q:
        return []
    by_ref = list(s.scalars(select(SanctionsTarget).where(SanctionsTarget.ref == q)))
    if by_ref:
        return [TargetHit(t, t.ref, 1.0) for t in by_ref]
    index = _name_index(s)
    if index is None:
        return []
    best: dict[int, tuple[float, str]] = {}
    for key, name, result in index.search_names(q, limit=limit * 3, explain=False):
        tid = int(key)
        if tid not in best or result.score > best[tid][0]:
            best[tid] = (result.score, name)
    found = {
        t.id: t for t in s.scalars(select(SanctionsTarget).where(SanctionsTarget.id.in_(best)))
    }
    hits = [TargetHit(found[tid], name, score) for tid, (score, name) in best.items()]
    hits.sort(key=lambda h: (-h.score, h.target.caption))
    return hits[:limit]
