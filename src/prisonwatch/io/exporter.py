"""``prisonwatch export``: the registry as CSV (the import columns, so an export imports back
unchanged), JSON Lines (one person per line, everything public about them) or
FollowTheMoney-style JSON Lines (``Person`` entities with ``name``, ``alias``, ``firstName``,
``fatherName``, ``lastName``, ``birthDate``, ``nationality``).

Private facts (private names, cases, events and sources; relatives' contacts and internal notes)
are left out unless ``include_private`` is set — the CLI allows that only to an admin.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.io.csvsafe import SafeDictWriter
from prisonwatch.io.files import create_owner_only
from prisonwatch.io.importer import FIELDS
from prisonwatch.model import EventKind
from prisonwatch.names.script import detect_script
from prisonwatch.store.db import Database
from prisonwatch.store.people import PersonView, person_view
from prisonwatch.store.schema import Identifier, Person
from prisonwatch.store.visibility import person_public

FORMATS = ("csv", "jsonl", "ftm")
ProgressFn = Callable[[int, int], None]


def _people(session: Session, include_private: bool) -> list[int]:
    """Everyone, or without private data the public people only (a person whose names are all
    private is hidden: :mod:`prisonwatch.store.visibility`)."""
    stmt = select(Person.id).order_by(Person.id)
    if not include_private:
        stmt = stmt.where(person_public(Person.id))
    return list(session.scalars(stmt))


def _views(
    session: Session, include_private: bool, progress: ProgressFn | None
) -> Iterator[PersonView]:
    ids = _people(session, include_private)
    today = dt.date.today()
    for i, pid in enumerate(ids, 1):
        yield person_view(session, pid, include_private=include_private, on=today)
        if progress and (i % 500 == 0 or i == len(ids)):
            progress(i, len(ids))


def csv_row(v: PersonView, scheme: str, ext_id: str | None) -> dict[str, str]:
    row = dict.fromkeys(FIELDS, "")
    row["id"] = ext_id or f"pw-{v.id}"
    row["name"] = v.names[0].text if v.names else ""
    row["name_alt"] = "; ".join(n.text for n in v.names[1:])
    row["birth_date"] = v.birth_date or ""
    row["gender"] = v.gender or ""
    row["region"] = v.region or ""
    det = next((e for e in v.events if e.kind == EventKind.DETAINED.value), None)
    row["detained_on"] = det.date if det else ""
    if v.cases:
        c = v.cases[0]
        for f in ("articles", "court", "judge", "sentence", "facility", "facility_address"):
            row[f] = getattr(c, f) or ""
    last = v.events[-1] if v.events else None
    if last is not None:
        row["status"] = last.kind
        row["status_date"] = last.date
        if last.kind in (EventKind.RECOGNISED.value, EventKind.RECOGNITION_WITHDRAWN.value):
            row["recognised_by"] = last.organisation or ""
        if last.kind == EventKind.EXPELLED_ABROAD.value:
            row["destination_country"] = last.destination_country or ""
        urls = [s.url for s in last.sources if s.url]
        if urls:
            row["source_url"] = urls[0]
    return row


_PATRONYMIC_ENDINGS = (
    "vich",
    "vych",
    "vič",
    "wicz",
    "ovna",
    "evna",
    "ivna",
    "aŭna",
    "auna",
    "ich",
    "вич",
    "віч",
    "вна",
    "ўна",
    "ична",
    "інічна",
)


def split_name(full: str) -> dict[str, str]:
    """Best-effort first/father/last name for FtM export. Patronymic found by its ending; the
    surname is the ALL-CAPS token, else the first token in Cyrillic (registry order
    ``Surname Given Patronymic``), else the last token in Latin. Returns {} when unsure."""
    tokens = full.replace(",", " ").split()
    if len(tokens) < 2 or len(tokens) > 4:
        return {}
    out: dict[str, str] = {}
    pat_idx = next(
        (i for i, t in enumerate(tokens) if len(t) > 4 and t.lower().endswith(_PATRONYMIC_ENDINGS)),
        None,
    )
    caps = [i for i, t in enumerate(tokens) if t.isupper() and len(t) > 1]
    rest = [i for i in range(len(tokens)) if i != pat_idx]
    if len(caps) == 1 and caps[0] in rest:
        last = caps[0]
    elif pat_idx is not None and pat_idx > 0 and len(rest) == 2:
        # "Given Patronymic Surname" or "Surname Given Patronymic"
        last = rest[0] if rest[0] != pat_idx - 1 else rest[1]
    elif detect_script(full).value == "cyrillic":
        last = rest[0]
    else:
        last = rest[-1]
    givens = [i for i in rest if i != last]
    if len(givens) != 1:
        return {}
    out["lastName"] = tokens[last]
    out["firstName"] = tokens[givens[0]]
    if pat_idx is not None:
        out["fatherName"] = tokens[pat_idx]
    return out


def ftm_entity(v: PersonView, include_private: bool) -> dict[str, Any]:
    from followthemoney import model

    ent = model.make_entity("Person")
    ent.id = f"prisonwatch-{v.id}"
    if v.names:
        ent.add("name", v.names[0].text)
        for n in v.names[1:]:
            ent.add("alias", n.text)
        for key, val in split_name(v.names[0].text).items():
            ent.add(key, val)
    if v.birth_date:
        ent.add("birthDate", v.birth_date)
    if v.nationality:
        ent.add("nationality", v.nationality, quiet=True)
    if v.gender:
        ent.add("gender", v.gender, quiet=True)
    if v.region:
        ent.add("address", v.region, quiet=True)
    if v.public_notes:
        ent.add("notes", v.public_notes)
    if include_private and v.internal_notes:
        ent.add("notes", v.internal_notes)
    data = ent.to_dict()
    data["datasets"] = ["prisonwatch"]
    return data


def export(
    db: Database,
    out: IO[str],
    fmt: str,
    *,
    include_private: bool = False,
    id_scheme: str = "list",
    progress: ProgressFn | None = None,
) -> int:
    """Write the registry to ``out``; returns the number of people written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    n = 0
    with db.session() as s:
        ext_ids = dict(
            s.execute(
                select(Identifier.person_id, Identifier.value).where(Identifier.scheme == id_scheme)
            ).all()
        )
        writer = None
        if fmt == "csv":
            # cells a spreadsheet would run are neutralised; the importer restores them
            writer = SafeDictWriter(out, fieldnames=list(FIELDS), lineterminator="\n")
            writer.writeheader()
        for v in _views(s, include_private, progress):
            if fmt == "csv":
                assert writer is not None
                writer.writerow(csv_row(v, id_scheme, ext_ids.get(v.id)))
            elif fmt == "jsonl":
                d = v.as_dict()
                if not include_private:
                    d.pop("relatives_contact", None)
                    d.pop("internal_notes", None)
                out.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                out.write(
                    json.dumps(ftm_entity(v, include_private), ensure_ascii=False, sort_keys=True)
                    + "\n"
                )
            n += 1
    return n


def export_to_path(db: Database, path: Path, fmt: str, **kw: Any) -> int:
    """Write to a temporary file next to ``path`` and rename it, so a failed export never
    leaves a half-written file. An export with private fields is written owner-only (0600)."""
    tmp = path.with_name(path.name + ".part")
    try:
        if kw.get("include_private"):
            create_owner_only(tmp)  # private fields: readable by the owner only
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = export(db, fh, fmt, **kw)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n
