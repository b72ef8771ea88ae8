"""Importing a sanctions-list file as a new version of its list — the only writer of the
``sanctions_*`` tables (:mod:`prisonwatch.store.schema_sanctions`).

1. The file (or the files of an OFAC CSV folder) is hashed; the same bytes read by the same
   parser version as a stored version of the list are "already imported" and change nothing.
2. The whole file is parsed before anything is written: a truncated, corrupt or unknown file
   raises :class:`SanctionsFormatError` (file and position) and nothing is imported.
3. The new facts are compared with the list's current facts (a set difference of
   ``(target, property, value)``). A version that would remove more than a tenth of the list's
   targets is refused unless ``accept_mass_removal`` (a truncated download must never read as
   mass delistings).
4. In one transaction: the version row, new targets, the facts that appeared (inserted) and
   disappeared (their interval closed), listings opened and closed, and one audit entry with
   the counts. Unchanged facts cost no write.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from prisonwatch.sanctions import formats
from prisonwatch.sanctions.diff import ListDiff, Statements, TargetRef, diff_statements
from prisonwatch.sanctions.model import (
    ListHeader,
    SanctionsFormatError,
    Target,
    TargetKind,
)
from prisonwatch.store import audit
from prisonwatch.store.bulk import bulk_insert
from prisonwatch.store.db import Database
from prisonwatch.store.schema_sanctions import (
    SanctionsList,
    SanctionsListing,
    SanctionsStatement,
    SanctionsTarget,
    SanctionsVersion,
)

#: A version removing more than this share of the previous version's targets is refused
#: unless the caller accepts a mass removal.
MASS_REMOVAL_SHARE = 0.1
#: The files of OFAC's legacy CSV sets, read beside ``sdn.csv`` (SDN) or ``cons_prim.csv``
#: (Consolidated): a change in any of them is a change of the version.
OFAC_CSV_SETS = {
    "sdn.csv": ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
}
CHUNK = 20_000

Progress = Callable[[int], None]


class SanctionsImportError(Exception):
    """An import refused before anything was written."""


class MassRemovalRefused(SanctionsImportError):
    def __init__(self, list_label: str, removed: int, previous: int) -> None:
        super().__init__(
            f"{list_label}: this version would remove {removed:,} of {previous:,} targets "
            f"(more than {MASS_REMOVAL_SHARE:.0%}); nothing was imported. A truncated download "
            "looks like this: check the file, or pass --accept-mass-removal if the publisher "
            "really delisted them"
        )
        self.removed = removed
        self.previous = previous


class OutOfOrder(SanctionsImportError):
    pass


@dataclass
class KindCounts:
    persons: int = 0
    organisations: int = 0
    vessels: int = 0
    aircraft: int = 0

    @property
    def targets(self) -> int:
        return self.persons + self.organisations + self.vessels + self.aircraft

    @classmethod
    def of(cls, kinds: Iterable[str]) -> KindCounts:
        c = Counter(kinds)
        return cls(
            persons=c[TargetKind.PERSON.value],
            organisations=c[TargetKind.ORGANISATION.value],
            vessels=c[TargetKind.VESSEL.value],
            aircraft=c[TargetKind.AIRCRAFT.value],
        )


@dataclass
class ImportResult:
    """What an import did (``status`` "imported") or found (``status`` "already imported")."""

    status: str
    file: str
    format: str
    parser: str
    parser_version: str
    authority: str
    list_name: str
    list_id: int
    version_id: int
    number: int
    published: date | None
    as_of: date | None
    cause: str
    counts: KindCounts
    statements: int
    added: int
    removed: int
    changed: int
    previous_number: int | None = None
    warnings: list[str] = field(default_factory=list)
    diff: ListDiff | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "file": self.file,
            "format": self.format,
            "parser": self.parser,
            "parser_version": self.parser_version,
            "authority": self.authority,
            "list": self.list_name,
            "list_id": self.list_id,
            "version": f"{self.list_id}:{self.number}",
            "version_number": self.number,
            "previous_version": (
                f"{self.list_id}:{self.previous_number}" if self.previous_number else None
            ),
            "published": self.published.isoformat() if self.published else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "cause": self.cause,
            "targets": self.counts.targets,
            "persons": self.counts.persons,
            "organisations": self.counts.organisations,
            "vessels": self.counts.vessels,
            "aircraft": self.counts.aircraft,
            "statements": self.statements,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "warnings": self.warnings,
        }


# -- reading --------------------------------------------------------------------------------


def input_files(path: Path) -> list[Path]:
    """The files an import reads: the file itself; for a folder every file in it; for the main
    file of an OFAC CSV set (``sdn.csv``, ``cons_prim.csv``) the set's files beside it."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file())
    members = OFAC_CSV_SETS.get(path.name.lower())
    if members is not None:
        return [p for p in sorted(path.parent.iterdir()) if p.name.lower() in members]
    return [path]


def content_hash(path: Path) -> str:
    """sha256 of the bytes read (for several files: of their names and hashes)."""
    files = input_files(path)
    if not files:
        raise SanctionsFormatError(str(path), "folder", "no files in the folder")
    digests = []
    for f in files:
        h = hashlib.sha256()
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digests.append((f.name, h.hexdigest()))
    if len(digests) == 1 and not path.is_dir():
        return digests[0][1]
    outer = hashlib.sha256()
    for name, digest in digests:
        outer.update(f"{name}\t{digest}\n".encode())
    return outer.hexdigest()


@dataclass
class ReadList:
    """A whole parsed file: header, targets by reference id, warnings."""

    path: Path
    parser: str
    header: ListHeader
    targets: dict[str, Target]
    warnings: list[str]


def read_list(path: Path, progress: Progress | None = None) -> ReadList:
    """Parse the whole file (all or nothing). Two records with the same reference id are
    merged (their facts united), with a warning."""
    module: ModuleType = formats.detect(path)
    parser = module.__name__.rsplit(".", 1)[-1]
    targets: dict[str, Target] = {}
    own: list[str] = []
    n = 0
    try:
        parsed = module.parse(path)
        for t in parsed.targets:
            n += 1
            seen = targets.get(t.id)
            if seen is None:
                targets[t.id] = t
            else:
                own.append(f"target {t.id!r} appears twice; the facts of both are kept")
                for prop, values in t.props.items():
                    seen.props.setdefault(prop, set()).update(values)
            if progress is not None and n % 500 == 0:
                progress(n)
    except SanctionsFormatError:
        raise
    except Exception as exc:  # a parser's own failure: still no half import
        raise SanctionsFormatError(
            str(path), f"after record {n}", f"cannot be read: {type(exc).__name__}: {exc}"
        ) from exc
    if progress is not None:
        progress(n)
    # parsers may add warnings while they stream, so they are read at the end
    return ReadList(path, parser, parsed.header, targets, [*parsed.warnings, *own])


def target_hash(facts: Statements) -> str:
    """sha256 of one target's sorted facts (kept on its open listing row)."""
    h = hashlib.sha256()
    for prop, value in sorted(facts):
        h.update(f"{prop}\t{value}\n".encode())
    return h.hexdigest()


def statements_hash(target_hashes: dict[str, str]) -> str:
    """sha256 of a version's facts, from its targets' hashes in reference order."""
    h = hashlib.sha256()
    for ref in sorted(target_hashes):
        h.update(f"{ref}\t{target_hashes[ref]}\n".encode())
    return h.hexdigest()


def facts_of(targets: dict[str, Target]) -> dict[str, tuple[TargetRef, Statements]]:
    return {
        ref: (TargetRef(t.id, t.caption, t.kind.value), frozenset(t.statements()))
        for ref, t in targets.items()
    }


# -- the current facts of a stored list ------------------------------------------------------


def _t(entity: type[Any]) -> Table:
    table: Table = entity.__table__
    return table


class Listed(NamedTuple):
    target_id: int
    facts_hash: str
    listing_id: int


def current_hashes(s: Session, list_id: int) -> dict[str, Listed]:
    """The targets on the list now (one open listing each), by reference."""
    lt, tg = _t(SanctionsListing), _t(SanctionsTarget)
    rows = s.execute(
        select(tg.c.ref, lt.c.target_id, lt.c.facts_hash, lt.c.id)
        .join(tg, tg.c.id == lt.c.target_id)
        .where(lt.c.list_id == list_id, lt.c.until_version_id.is_(None))
    )
    return {ref: Listed(tid, h, lid) for ref, tid, h, lid in rows}


def current_facts(
    s: Session, list_id: int, target_ids: list[int]
) -> tuple[dict[str, tuple[TargetRef, Statements]], dict[tuple[str, str, str], int]]:
    """The current facts of some of the list's targets: ``ref -> (ref, statements)`` and
    ``(ref, prop, value) -> row id``."""
    st, tg = _t(SanctionsStatement), _t(SanctionsTarget)
    ids: dict[tuple[str, str, str], int] = {}
    grouped: dict[str, set[tuple[str, str]]] = {}
    for start in range(0, len(target_ids), 5000):
        rows = s.execute(
            select(st.c.id, tg.c.ref, st.c.prop, st.c.value)
            .join(tg, tg.c.id == st.c.target_id)
            .where(
                st.c.list_id == list_id,
                st.c.until_version_id.is_(None),
                st.c.target_id.in_(target_ids[start : start + 5000]),
            )
        )
        for row_id, ref, prop, value in rows:
            ids[(ref, prop, value)] = row_id
            grouped.setdefault(ref, set()).add((prop, value))
    return _with_refs(grouped), ids


def _with_refs(grouped: dict[str, set[tuple[str, str]]]) -> dict[str, tuple[TargetRef, Statements]]:
    out: dict[str, tuple[TargetRef, Statements]] = {}
    for ref, facts in grouped.items():
        kind = next((v for p, v in facts if p == "$kind"), "")
        caption = next((v for p, v in sorted(facts) if p == "$caption"), ref)
        out[ref] = (TargetRef(ref, caption, kind), frozenset(facts))
    return out


# -- the import ------------------------------------------------------------------------------


def _cause(
    prev: SanctionsVersion | None, content: str, facts_hash: str, parser: str, parser_version: str
) -> str:
    """Why this version differs from the previous one: ``first``; ``unchanged`` (same facts:
    a reordered or re-encoded copy, or a new parser that reads the same); ``format`` (read by
    another format module — e.g. OFAC's legacy XML after its advanced XML — so the difference
    may be the formats'); ``parser`` (same file, another parser version); ``publisher``
    (another file, same parser); ``publisher+parser`` (both changed: can't be split)."""
    if prev is None:
        return "first"
    if facts_hash == prev.statements_hash:
        return "unchanged"
    if parser != prev.parser:
        return "format"
    if content == prev.content_hash:
        return "parser"
    if parser_version != prev.parser_version:
        return "publisher+parser"
    return "publisher"


def _existing(
    s: Session, list_id: int, content: str, parser_version: str
) -> SanctionsVersion | None:
    return s.scalar(
        select(SanctionsVersion)
        .where(
            SanctionsVersion.list_id == list_id,
            SanctionsVersion.content_hash == content,
            SanctionsVersion.parser_version == parser_version,
        )
        .order_by(SanctionsVersion.number.desc())
        .limit(1)
    )


def _result_of(v: SanctionsVersion, lst: SanctionsList, status: str, file: str) -> ImportResult:
    return ImportResult(
        status=status,
        file=file,
        format=v.format,
        parser=v.parser,
        parser_version=v.parser_version,
        authority=lst.authority,
        list_name=lst.name,
        list_id=lst.id,
        version_id=v.id,
        number=v.number,
        published=v.published,
        as_of=v.as_of,
        cause=v.cause,
        counts=KindCounts(v.persons, v.organisations, v.vessels, v.aircraft),
        statements=v.statements,
        added=v.added,
        removed=v.removed,
        changed=v.changed,
        warnings=v.warnings.splitlines() if v.warnings else [],
    )


def import_list(
    db: Database,
    path: Path,
    *,
    actor: str,
    as_of: date | None = None,
    accept_mass_removal: bool = False,
    progress: Progress | None = None,
    phase: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import ``path`` as a new version of its list (see the module docstring).
    ``progress(n)``: targets read so far; ``phase(text)``: what the import does next."""
    if phase is not None:
        phase(f"reading {path.name}")
    content = content_hash(path)
    read = read_list(path, progress)
    if phase is not None:
        phase("comparing with the stored version and writing")
    return import_read(
        db, read, content, actor=actor, as_of=as_of, accept_mass_removal=accept_mass_removal
    )


def import_read(
    db: Database,
    read: ReadList,
    content: str,
    *,
    actor: str,
    as_of: date | None = None,
    accept_mass_removal: bool = False,
) -> ImportResult:
    """Store an already parsed file whose bytes hash to ``content`` (what :func:`import_list`
    does after reading; benchmarks call it with a built list)."""
    header = read.header
    with db.session() as s:
        lst = s.scalar(
            select(SanctionsList).where(
                SanctionsList.authority == header.authority, SanctionsList.name == header.list_name
            )
        )
        if lst is not None:
            same = _existing(s, lst.id, content, header.parser_version)
            if same is not None:
                return _result_of(same, lst, "already imported", read.path.name)
        return _write_version(
            s,
            read,
            content,
            actor=actor,
            as_of=as_of,
            lst=lst,
            accept_mass_removal=accept_mass_removal,
        )


def _write_version(
    s: Session,
    read: ReadList,
    content: str,
    *,
    actor: str,
    as_of: date | None,
    lst: SanctionsList | None,
    accept_mass_removal: bool,
) -> ImportResult:
    header = read.header
    label = f"{header.authority} {header.list_name}"
    if lst is None:
        lst = SanctionsList(authority=header.authority, name=header.list_name)
        s.add(lst)
        s.flush()
    prev = s.scalar(
        select(SanctionsVersion)
        .where(SanctionsVersion.list_id == lst.id)
        .order_by(SanctionsVersion.number.desc())
        .limit(1)
    )
    if (
        prev is not None
        and prev.published is not None
        and header.published is not None
        and header.published < prev.published
    ):
        raise OutOfOrder(
            f"{read.path}: published {header.published}, but {label} version {prev.number} "
            f"(published {prev.published}) is already imported; versions are imported oldest "
            "first — compare the files with `prisonwatch sanctions diff` instead"
        )
    new = facts_of(read.targets)
    new_hashes = {ref: target_hash(f) for ref, (_r, f) in new.items()}
    new_hash = statements_hash(new_hashes)
    # only targets whose facts hash differs (or that come or go) are read and compared
    now = current_hashes(s, lst.id) if prev is not None else {}
    touched = {ref for ref, h in new_hashes.items() if ref not in now or now[ref].facts_hash != h}
    touched |= now.keys() - new_hashes.keys()
    old, old_ids = current_facts(s, lst.id, sorted(now[r].target_id for r in touched if r in now))
    diff = diff_statements(old, {ref: new[ref] for ref in touched if ref in new})
    if (
        prev is not None
        and not accept_mass_removal
        and len(diff.removed) > prev.targets * MASS_REMOVAL_SHARE
    ):
        raise MassRemovalRefused(label, len(diff.removed), prev.targets)

    counts = KindCounts.of(t.kind.value for t in read.targets.values())
    n_statements = sum(len(f) for _r, f in new.values())
    version = SanctionsVersion(
        list_id=lst.id,
        number=(prev.number + 1) if prev else 1,
        content_hash=content,
        statements_hash=new_hash,
        file_name=read.path.name[:300],
        format=header.format,
        parser=read.parser,
        parser_version=header.parser_version,
        published=header.published,
        as_of=as_of,
        imported_by=actor,
        cause=_cause(prev, content, new_hash, read.parser, header.parser_version),
        targets=counts.targets,
        persons=counts.persons,
        organisations=counts.organisations,
        vessels=counts.vessels,
        aircraft=counts.aircraft,
        statements=n_statements,
        added=len(diff.added),
        removed=len(diff.removed),
        changed=len(diff.changed),
        warnings="\n".join(read.warnings) or None,
    )
    s.add(version)
    s.flush()
    target_ids = _upsert_targets(s, header.authority, read.targets.values())
    _write_facts(s, lst.id, version.id, old, new, old_ids, target_ids, touched)
    _write_listings(s, lst.id, version.id, diff, target_ids, new_hashes, now)
    result = _result_of(version, lst, "imported", read.path.name)
    result.previous_number = prev.number if prev else None
    result.diff = diff
    audit.record(
        s,
        actor=actor,
        action="import",
        entity_type="sanctions_version",
        entity_id=version.id,
        after={k: v for k, v in result.as_json().items() if k != "warnings"},
        context=f"sanctions import {read.path.name}"[:500],
    )
    return result


def _upsert_targets(s: Session, authority: str, targets: Iterable[Target]) -> dict[str, int]:
    """Target ids by reference; new targets inserted, kind and caption kept as last seen."""
    tg = _t(SanctionsTarget)
    known = {
        ref: (tid, kind, caption)
        for tid, ref, kind, caption in s.execute(
            select(tg.c.id, tg.c.ref, tg.c.kind, tg.c.caption).where(tg.c.authority == authority)
        )
    }
    ids = {ref: v[0] for ref, v in known.items()}
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for t in targets:
        caption = t.caption[:1000]
        if t.id not in known:
            fresh.append(
                {"authority": authority, "ref": t.id, "kind": t.kind.value, "caption": caption}
            )
        elif known[t.id][1:] != (t.kind.value, caption):
            changed.append({"b_id": known[t.id][0], "b_kind": t.kind.value, "b_caption": caption})
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        new_ids = bulk_insert(s, tg, chunk, return_ids=True)
        ids.update({row["ref"]: i for row, i in zip(chunk, new_ids, strict=True)})
    if changed:
        s.connection().execute(
            update(tg)
            .where(tg.c.id == bindparam("b_id"))
            .values(kind=bindparam("b_kind"), caption=bindparam("b_caption")),
            changed,
        )
    return ids


def _write_facts(
    s: Session,
    list_id: int,
    version_id: int,
    old: dict[str, tuple[TargetRef, Statements]],
    new: dict[str, tuple[TargetRef, Statements]],
    old_ids: dict[tuple[str, str, str], int],
    target_ids: dict[str, int],
    touched: set[str],
) -> None:
    """Insert the facts that appeared and close those that disappeared, for the ``touched``
    targets (the others' facts are the same; ``old`` holds the touched ones' current facts)."""
    st = _t(SanctionsStatement)
    rows: list[dict[str, Any]] = []
    gone: list[dict[str, Any]] = []
    empty: Statements = frozenset()
    for ref in sorted(touched):
        after = new[ref][1] if ref in new else empty
        before = old[ref][1] if ref in old else empty
        if after == before:
            continue
        for prop, value in after - before:
            rows.append(
                {
                    "list_id": list_id,
                    "target_id": target_ids[ref],
                    "prop": prop,
                    "value": value,
                    "from_version_id": version_id,
                    "until_version_id": None,
                }
            )
            if len(rows) >= CHUNK:
                bulk_insert(s, st, rows)
                rows = []
        gone.extend({"b_id": old_ids[(ref, p, v)]} for p, v in before - after)
    bulk_insert(s, st, rows)
    for start in range(0, len(gone), CHUNK):
        s.connection().execute(
            update(st).where(st.c.id == bindparam("b_id")).values(until_version_id=version_id),
            gone[start : start + CHUNK],
        )


def _write_listings(
    s: Session,
    list_id: int,
    version_id: int,
    diff: ListDiff,
    target_ids: dict[str, int],
    hashes: dict[str, str],
    now: dict[str, Listed],
) -> None:
    """Open listings of added targets, close those of removed ones, keep the facts hash of
    changed ones current (open listings updated by their id)."""
    lt = _t(SanctionsListing)
    bulk_insert(
        s,
        lt,
        [
            {
                "list_id": list_id,
                "target_id": target_ids[r.id],
                "from_version_id": version_id,
                "until_version_id": None,
                "facts_hash": hashes[r.id],
            }
            for r in diff.added
        ],
    )
    closed = [now[r.id].listing_id for r in diff.removed]
    for start in range(0, len(closed), CHUNK):
        s.connection().execute(
            update(lt)
            .where(lt.c.id.in_(closed[start : start + CHUNK]))
            .values(until_version_id=version_id)
        )
    changed = [{"b_id": now[c.id].listing_id, "b_hash": hashes[c.id]} for c in diff.changed]
    if changed:
        s.connection().execute(
            update(lt).where(lt.c.id == bindparam("b_id")).values(facts_hash=bindparam("b_hash")),
            changed,
        )
