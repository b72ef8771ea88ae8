"""Reading officials: the list, one official with names, cases and screening hits, the names
to screen and the sanctioned names of every list's latest version. Read-only; the writers are
:mod:`prisonwatch.store.officials` and :mod:`prisonwatch.store.official_screening`.

Visibility (:func:`prisonwatch.store.visibility.official_visible`): readers without private
access see an official only when linked to a case they may see, only the official's public
names, only those cases, and only hits found under a public name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.store.registry import NotFound
from prisonwatch.store.sanctions_query import NAME_PROPS
from prisonwatch.store.schema import Case, Name
from prisonwatch.store.schema_officials import (
    Official,
    OfficialCase,
    OfficialHit,
    OfficialName,
    OfficialScreening,
)
from prisonwatch.store.schema_sanctions import (
    SanctionsList,
    SanctionsStatement,
    SanctionsTarget,
    SanctionsVersion,
)
from prisonwatch.store.visibility import case_visible, official_visible

#: Only persons are screened: an official is never a vessel, an aircraft or a company.
SCREENED_KINDS = ("person",)


@dataclass
class OfficialRow:
    id: int
    role: str
    court: str | None
    names: list[str]
    cases: int
    synthetic: bool

    @property
    def name(self) -> str:
        return self.names[0] if self.names else f"#{self.id}"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "name": self.name,
            "names": self.names,
            "court": self.court,
            "cases": self.cases,
            "synthetic": self.synthetic,
        }


@dataclass
class CaseRef:
    case_id: int
    person_id: int
    person_name: str | None
    role: str
    court: str | None
    articles: str | None
    sentence: str | None
    origin: str

    def as_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class HitRow:
    """A stored screening hit with its list (the judgement is applied by the report)."""

    official_id: int
    official_name: str
    target_id: int
    authority: str
    list_id: int
    list_name: str
    version_number: int
    ref: str
    caption: str
    target_name: str
    score: float
    verdict: str
    why: str | None

    @property
    def right_key(self) -> str:
        return target_key(self.authority, self.ref)


@dataclass
class NameRow:
    id: int
    text: str
    script: str
    kind: str
    is_primary: bool
    visibility: str


@dataclass
class OfficialView:
    official: OfficialRow
    public_notes: str | None
    name_rows: list[NameRow]
    cases: list[CaseRef] = field(default_factory=list)


def official_key(official_id: int) -> str:
    """The review-queue / judgement key of an official."""
    return f"official:{official_id}"


def target_key(authority: str, ref: str) -> str:
    """The review-queue / judgement key of a sanctions target (stable across versions)."""
    return f"sanctions:{authority}:{ref}"


def _names_of(
    s: Session, ids: list[int], include_private: bool
) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not ids:
        return out
    stmt = (
        select(OfficialName.official_id, OfficialName.full_text, OfficialName.script)
        .where(OfficialName.official_id.in_(ids))
        .order_by(OfficialName.official_id, OfficialName.is_primary.desc(), OfficialName.id)
    )
    if not include_private:
        stmt = stmt.where(OfficialName.visibility == "public")
    for oid, text, script in s.execute(stmt):
        out[oid].append((text, script))
    return out


def _case_counts(s: Session, ids: list[int], include_private: bool) -> dict[int, int]:
    if not ids:
        return {}
    stmt = (
        select(OfficialCase.official_id, func.count(func.distinct(OfficialCase.case_id)))
        .join(Case, Case.id == OfficialCase.case_id)
        .where(OfficialCase.official_id.in_(ids), *case_visible(include_private))
        .group_by(OfficialCase.official_id)
    )
    return {int(a): int(b) for a, b in s.execute(stmt)}


def official_rows(
    s: Session,
    *,
    include_private: bool,
    role: str | None = None,
    q: str | None = None,
    ids: list[int] | None = None,
    script: str | None = None,
) -> list[OfficialRow]:
    """Officials the reader may see (by role; ``q``: a part of a name, case-insensitive),
    ordered by name. ``script`` puts names in that script first."""
    stmt = select(Official).where(*official_visible(include_private))
    if role:
        stmt = stmt.where(Official.role == role)
    if ids is not None:
        stmt = stmt.where(Official.id.in_(ids))
    if q:
        like = f"%{q.lower()}%"
        named = select(OfficialName.official_id).where(
            func.lower(OfficialName.full_text).like(like)
        )
        if not include_private:
            named = named.where(OfficialName.visibility == "public")
        stmt = stmt.where(Official.id.in_(named))
    offs = list(s.scalars(stmt))
    oids = [o.id for o in offs]
    names_of = _names_of(s, oids, include_private)
    counts = _case_counts(s, oids, include_private)
    rows = []
    for o in offs:
        names = names_of.get(o.id, [])
        if script:
            names = sorted(names, key=lambda n: n[1] != script)
        rows.append(
            OfficialRow(
                o.id, o.role, o.court, [n[0] for n in names], counts.get(o.id, 0), o.synthetic
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.id))
    return rows


def official_view(s: Session, official_id: int, *, include_private: bool) -> OfficialView:
    rows = official_rows(s, include_private=include_private, ids=[official_id])
    if not rows:
        raise NotFound(f"no official with id {official_id}")
    off = s.get(Official, official_id)
    assert off is not None
    nstmt = (
        select(OfficialName)
        .where(OfficialName.official_id == official_id)
        .order_by(OfficialName.is_primary.desc(), OfficialName.id)
    )
    if not include_private:
        nstmt = nstmt.where(OfficialName.visibility == "public")
    name_rows = [
        NameRow(n.id, n.full_text, n.script, n.kind, n.is_primary, n.visibility)
        for n in s.scalars(nstmt)
    ]
    cstmt = (
        select(OfficialCase, Case)
        .join(Case, Case.id == OfficialCase.case_id)
        .where(OfficialCase.official_id == official_id, *case_visible(include_private))
        .order_by(Case.id)
    )
    links = s.execute(cstmt).all()
    person_ids = sorted({c.person_id for _l, c in links})
    pname: dict[int, str] = {}
    if person_ids:
        pstmt = (
            select(Name.person_id, Name.full_text)
            .where(Name.person_id.in_(person_ids))
            .order_by(Name.person_id, Name.is_primary.desc(), Name.id)
        )
        if not include_private:
            pstmt = pstmt.where(Name.visibility == "public")
        for pid, text in s.execute(pstmt):
            pname.setdefault(pid, text)
    cases = [
        CaseRef(
            c.id,
            c.person_id,
            pname.get(c.person_id),
            lk.role,
            c.court,
            c.articles,
            c.sentence,
            lk.origin,
        )
        for lk, c in links
    ]
    return OfficialView(rows[0], off.public_notes, name_rows, cases)


def screening_names(s: Session) -> list[tuple[int, str]]:
    """Every name of every official (all of them are screened; what is shown is decided when
    reading the hits)."""
    return [
        (int(oid), str(text))
        for oid, text in s.execute(
            select(OfficialName.official_id, OfficialName.full_text).order_by(OfficialName.id)
        )
    ]


@dataclass(frozen=True)
class TargetName:
    target_id: int
    list_id: int
    version_id: int
    name: str


def latest_versions(s: Session) -> dict[int, int]:
    """List id → the id of its latest version."""
    latest = (
        select(SanctionsVersion.list_id, func.max(SanctionsVersion.number).label("n"))
        .group_by(SanctionsVersion.list_id)
        .subquery()
    )
    rows = s.execute(
        select(SanctionsVersion.list_id, SanctionsVersion.id).join(
            latest,
            (latest.c.list_id == SanctionsVersion.list_id)
            & (latest.c.n == SanctionsVersion.number),
        )
    ).all()
    return {int(a): int(b) for a, b in rows}


def target_names(s: Session, versions: dict[int, int]) -> Iterator[TargetName]:
    """The names (every script, aliases, previous names) of the persons on each list's latest
    version: the statements still current (the latest version holds them)."""
    if not versions:
        return
    stmt = (
        select(SanctionsStatement.target_id, SanctionsStatement.list_id, SanctionsStatement.value)
        .join(SanctionsTarget, SanctionsTarget.id == SanctionsStatement.target_id)
        .where(
            SanctionsStatement.list_id.in_(list(versions)),
            SanctionsStatement.until_version_id.is_(None),
            SanctionsStatement.prop.in_(NAME_PROPS),
            SanctionsTarget.kind.in_(SCREENED_KINDS),
        )
        .distinct()
    )
    for tid, lid, value in s.execute(stmt):
        yield TargetName(int(tid), int(lid), versions[int(lid)], str(value))


def stored_hits(
    s: Session, *, include_private: bool, official_ids: list[int] | None = None
) -> list[HitRow]:
    """The hits of the latest screening, for the officials the reader may see (under a
    public name, for readers without private access)."""
    stmt = (
        select(OfficialHit, SanctionsTarget, SanctionsList, SanctionsVersion.number)
        .join(SanctionsTarget, SanctionsTarget.id == OfficialHit.target_id)
        .join(SanctionsList, SanctionsList.id == OfficialHit.list_id)
        .join(SanctionsVersion, SanctionsVersion.id == OfficialHit.version_id)
        .join(Official, Official.id == OfficialHit.official_id)
        .where(*official_visible(include_private))
        .order_by(OfficialHit.official_id, OfficialHit.score.desc(), OfficialHit.id)
    )
    if official_ids is not None:
        stmt = stmt.where(OfficialHit.official_id.in_(official_ids))
    if not include_private:
        stmt = stmt.where(
            select(OfficialName.id)
            .where(
                OfficialName.official_id == OfficialHit.official_id,
                OfficialName.full_text == OfficialHit.official_name,
                OfficialName.visibility == "public",
            )
            .exists()
        )
    return [
        HitRow(
            h.official_id,
            h.official_name,
            t.id,
            t.authority,
            lst.id,
            lst.name,
            int(number),
            t.ref,
            t.caption,
            h.target_name,
            h.score,
            h.verdict,
            h.why,
        )
        for h, t, lst, number in s.execute(stmt)
    ]


def last_screening(s: Session) -> OfficialScreening | None:
    return s.scalar(select(OfficialScreening).order_by(OfficialScreening.id.desc()).limit(1))


__all__ = [
    "SCREENED_KINDS",
    "CaseRef",
    "HitRow",
    "NameRow",
    "OfficialRow",
    "OfficialView",
    "TargetName",
    "last_screening",
    "latest_versions",
    "official_key",
    "official_rows",
    "official_view",
    "screening_names",
    "stored_hits",
    "target_key",
    "target_names",
]
