"""Writing officials: judges, prosecutors and investigators, their names and their cases.

Every change goes through :class:`Officials`, which checks the input with
:mod:`prisonwatch.validation` and writes the audit entry in the same transaction (entity types
``official``, ``official_name`` and ``official_case``; a link's entry carries the case's
person and visibility, so the audit log hides the link of a private case like the case).

:func:`link_case_text` turns the free text of cases (``case_file.judge`` / ``prosecutor``)
into officials: one official per normalised name (:func:`name_key`) per role, found among all
of that role's names or created; the link is marked ``origin = text`` with the text it came
from, so a changed column moves the link and an unchanged one costs nothing. The registry's
``add_case``/``edit_case``, the importer and the demo call it; the free text stays as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, exists, or_, select
from sqlalchemy.orm import Session

from prisonwatch.model import NameKind, Visibility
from prisonwatch.names.script import detect_script
from prisonwatch.store import audit
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.registry import (
    NotFound,
    RegistryValidationError,
    check_name_text,
    parse_name_kind,
    parse_visibility,
)
from prisonwatch.store.schema import AuditEntry, Case, Person, utcnow
from prisonwatch.store.schema_officials import Official, OfficialCase, OfficialName
from prisonwatch.validation import check_text

ROLES = ("judge", "prosecutor", "investigator")
#: The free-text case columns that name an official, and the role they give.
TEXT_COLUMNS = (("judge", "judge"), ("prosecutor", "prosecutor"))
OFFICIAL_EDITABLE = ("role", "court", "public_notes")
_NOT_WORD = re.compile(r"[^\w]+|_")


def name_key(text: str) -> str:
    """The key two spellings of one official share: case, punctuation and spacing ignored,
    ё read as е (the same as migration 0008 uses)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def parse_role(value: str | None, field_name: str = "role") -> str:
    check_text(field_name, value, limit=30)
    v = (value or "").strip().lower()
    if v not in ROLES:
        raise RegistryValidationError(field_name, f"{value!r} is not one of {', '.join(ROLES)}")
    return v


def _table(entity: type[Any]) -> Table:
    table: Table = entity.__table__
    return table


def _snapshot(off: Official) -> dict[str, Any]:
    """The audit snapshot of an official without ``name_key`` (derived from the primary name,
    which may be private; the names have entries of their own)."""
    out = audit.snapshot(off)
    out.pop("name_key", None)
    return out


@dataclass
class OfficialNameInput:
    text: str
    kind: str = NameKind.OFFICIAL.value
    visibility: str = Visibility.PUBLIC.value
    is_primary: bool = False


@dataclass
class OfficialInput:
    role: str
    names: list[OfficialNameInput]
    court: str | None = None
    public_notes: str | None = None
    synthetic: bool = False


@dataclass
class TextLinkOutcome:
    """What :func:`link_case_text` did."""

    officials_created: list[int] = field(default_factory=list)
    linked: int = 0
    unlinked: int = 0


@dataclass
class Officials(audit.AuditedWriter):
    """The writer of officials (audited, in the caller's transaction)."""

    session: Session
    actor: str
    context: str | None = None

    def get(self, official_id: int) -> Official:
        off = self.session.get(Official, official_id)
        if off is None:
            raise NotFound(f"no official with id {official_id}")
        return off

    # officials -----------------------------------------------------------------------------
    def add(self, data: OfficialInput) -> Official:
        if not data.names:
            raise RegistryValidationError("name", "an official needs at least one name")
        first = check_name_text(data.names[0].text)
        off = Official(
            role=parse_role(data.role),
            name_key=name_key(first),
            court=check_text("court", data.court),
            public_notes=check_text("public_notes", data.public_notes),
            synthetic=data.synthetic,
        )
        self.session.add(off)
        self.session.flush()
        self._audit("create", "official", off.id, None, _snapshot(off))
        primary_given = any(n.is_primary for n in data.names)
        for i, n in enumerate(data.names):
            primary = n.is_primary or (i == 0 and not primary_given)
            self._add_name(off, OfficialNameInput(n.text, n.kind, n.visibility, primary))
        return off

    def edit(self, official_id: int, changes: dict[str, Any]) -> Official:
        unknown = set(changes) - set(OFFICIAL_EDITABLE)
        if unknown:
            raise RegistryValidationError(
                sorted(unknown)[0], f"not an editable field; use {', '.join(OFFICIAL_EDITABLE)}"
            )
        off = self.get(official_id)
        before = _snapshot(off)
        for key, value in changes.items():
            if key == "role":
                off.role = parse_role(value)
            else:
                setattr(off, key, check_text(key, value))
        self.session.flush()
        b, a = audit.diff(before, _snapshot(off))
        if a:
            self._audit("update", "official", off.id, b, a)
        return off

    def add_name(self, official_id: int, data: OfficialNameInput) -> OfficialName:
        off = self.get(official_id)
        if data.is_primary:
            for n in self.session.scalars(
                select(OfficialName).where(OfficialName.official_id == off.id)
            ):
                n.is_primary = False
        return self._add_name(off, data)

    def _add_name(self, off: Official, data: OfficialNameInput) -> OfficialName:
        text = check_name_text(data.text)
        name = OfficialName(
            official_id=off.id,
            full_text=text,
            script=detect_script(text).value,
            kind=parse_name_kind(data.kind),
            is_primary=data.is_primary,
            visibility=parse_visibility(data.visibility),
        )
        self.session.add(name)
        self.session.flush()
        if data.is_primary:
            off.name_key = name_key(text)
        self._audit("create", "official_name", name.id, None, audit.snapshot(name))
        return name

    # cases ---------------------------------------------------------------------------------
    def link_case(
        self, official_id: int, case_id: int, role: str | None = None
    ) -> OfficialCase | None:
        """Link the official to a case in ``role`` (default: the official's role). Returns None
        when the link exists already (nothing written)."""
        off = self.get(official_id)
        case = self.session.get(Case, case_id)
        if case is None:
            raise NotFound(f"no case with id {case_id}")
        part = parse_role(role) if role else off.role
        have = self.session.scalar(
            select(OfficialCase).where(
                OfficialCase.official_id == off.id,
                OfficialCase.case_id == case_id,
                OfficialCase.role == part,
            )
        )
        if have is not None:
            return None
        return self._link(off.id, case, part, "manual", None)

    def unlink_case(self, official_id: int, case_id: int, role: str | None = None) -> int:
        """Remove the official's links to the case (in ``role``, or every role); returns how
        many. A link from the case's free text comes back while the text names the official."""
        stmt = select(OfficialCase).where(
            OfficialCase.official_id == official_id, OfficialCase.case_id == case_id
        )
        if role:
            stmt = stmt.where(OfficialCase.role == parse_role(role))
        links = list(self.session.scalars(stmt))
        for link in links:
            self._unlink(link)
        return len(links)

    def _link(
        self, official_id: int, case: Case, role: str, origin: str, text: str | None
    ) -> OfficialCase:
        link = OfficialCase(
            official_id=official_id, case_id=case.id, role=role, origin=origin, text=text
        )
        self.session.add(link)
        self.session.flush()
        after = {**audit.snapshot(link), "visibility": case.visibility}
        self._audit("create", "official_case", link.id, None, after, case.person_id)
        return link

    def _unlink(self, link: OfficialCase) -> None:
        case = self.session.get(Case, link.case_id)
        before = {**audit.snapshot(link), "visibility": case.visibility if case else None}
        self.session.delete(link)
        self.session.flush()
        self._audit(
            "delete", "official_case", before["id"], before, None, case.person_id if case else None
        )

    # free text -----------------------------------------------------------------------------
    def link_case_text(self, case_ids: Sequence[int] | None = None) -> TextLinkOutcome:
        """Officials and links for the free text of cases (see the module docstring): every
        case when ``case_ids`` is None (only cases whose text or links differ are read). The
        links are written in bulk (an import may bring thousands), each with its audit entry."""
        out = TextLinkOutcome()
        for column, role in TEXT_COLUMNS:
            col = getattr(Case, column)
            same_text = exists().where(
                OfficialCase.case_id == Case.id,
                OfficialCase.role == role,
                OfficialCase.text == col,
            )
            todo = select(Case.id, Case.person_id, Case.court, Case.visibility, col).where(
                col.is_not(None), ~same_text
            )
            stale = (
                select(OfficialCase)
                .join(Case, Case.id == OfficialCase.case_id)
                .where(
                    OfficialCase.role == role,
                    OfficialCase.origin == "text",
                    or_(col.is_(None), col != OfficialCase.text),
                )
            )
            if case_ids is not None:
                ids = list(case_ids)
                todo = todo.where(Case.id.in_(ids))
                stale = stale.where(OfficialCase.case_id.in_(ids))
            for link in list(self.session.scalars(stale)):
                self._unlink(link)
                out.unlinked += 1
            rows = [
                r
                for r in self.session.execute(todo.order_by(Case.id)).all()
                if r[4] and any(ch.isalpha() for ch in r[4])
            ]
            if rows:
                out.linked += self._link_texts(role, rows, out)
        self.session.flush()
        return out

    def _link_texts(self, role: str, rows: list[Any], out: TextLinkOutcome) -> int:
        keys = self._keys_of(role)
        have: dict[tuple[int, int], OfficialCase] = {}
        case_ids = [r[0] for r in rows]
        for start in range(0, len(case_ids), 1000):
            for link in self.session.scalars(
                select(OfficialCase).where(
                    OfficialCase.case_id.in_(case_ids[start : start + 1000]),
                    OfficialCase.role == role,
                )
            ):
                have[(link.official_id, link.case_id)] = link
        synthetic: dict[int, bool] = {}
        new: list[dict[str, Any]] = []
        meta: list[tuple[int, str]] = []  # (person id, case visibility) per new link
        written: set[tuple[int, int]] = set()
        for case_id, person_id, court, visibility, raw in rows:
            key = name_key(raw)
            oid = keys.get(key)
            if oid is None:
                if person_id not in synthetic:
                    person = self.session.get(Person, person_id)
                    synthetic[person_id] = bool(person and person.synthetic)
                off = self.add(
                    OfficialInput(
                        role=role,
                        names=[OfficialNameInput(raw)],
                        court=court,
                        synthetic=synthetic[person_id],
                    )
                )
                oid = keys[key] = off.id
                out.officials_created.append(oid)
            if (oid, case_id) in written:  # the case names this official twice
                continue
            known = have.get((oid, case_id))
            if known is not None:  # an editor's link to the same official: note the text
                known.text = raw
                continue
            new.append(
                {
                    "official_id": oid,
                    "case_id": case_id,
                    "role": role,
                    "origin": "text",
                    "text": raw,
                }
            )
            meta.append((person_id, visibility))
            written.add((oid, case_id))
        if new:
            self.session.flush()
            ids = bulk_insert(self.session, _table(OfficialCase), new, return_ids=True)
            now = utcnow()
            entries = [
                {
                    "at": now,
                    "actor": self.actor,
                    "action": "create",
                    "entity_type": "official_case",
                    "entity_id": link_id,
                    "person_id": person_id,
                    "before": None,
                    "after": {"id": link_id, **row, "visibility": visibility},
                    "context": self.context,
                }
                for link_id, row, (person_id, visibility) in zip(ids, new, meta, strict=True)
            ]
            bulk_insert(self.session, _table(AuditEntry), entries)
        return len(new)

    def _keys_of(self, role: str) -> dict[str, int]:
        """Normalised name → official id, over every name of the role's officials (a primary
        name wins over another official's alias)."""
        rows = self.session.execute(
            select(OfficialName.full_text, OfficialName.official_id, OfficialName.is_primary)
            .join(Official, Official.id == OfficialName.official_id)
            .where(Official.role == role)
            .order_by(OfficialName.is_primary, OfficialName.official_id.desc())
        ).all()
        return {name_key(text): oid for text, oid, _primary in rows}


def link_case_text(
    session: Session, actor: str, context: str | None = None, case_ids: Sequence[int] | None = None
) -> TextLinkOutcome:
    """The officials named by the free text of cases (:meth:`Officials.link_case_text`)."""
    return Officials(session, actor, context).link_case_text(case_ids)


__all__ = [
    "OFFICIAL_EDITABLE",
    "ROLES",
    "OfficialInput",
    "OfficialNameInput",
    "Officials",
    "TextLinkOutcome",
    "link_case_text",
    "name_key",
    "parse_role",
]
