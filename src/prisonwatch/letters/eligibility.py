"""Who can be written to on a day, and where.

Rules (docs/letters.md says why):

* **Held on the day** by the project's status rule (:func:`prisonwatch.store.status.held_people`,
  the same for every page and count): the person's latest custody event that has taken effect
  puts them in custody. Nobody released, expelled or deceased — and nobody who ever died in
  custody, even if a later event was recorded by mistake.
* **The facility** is that of the latest event of the *current custody spell* (the events since
  the last release) that names one and has taken effect (``date_start <= day``): an address
  switches on the transfer date, and a future-dated transfer changes nothing until then; a
  transfer to a place that is not a facility record (or not named) leaves no address. When no
  event of the spell names a facility, the latest case's facility is used — only if the person
  was never released before (cases have no dates: after a release and a re-arrest an old case's
  facility may be a place the person left long ago).
* **Flags** (incommunicado, address unknown, no publicity): a flagged person is in no public
  result. **Hidden people** (no public name, :mod:`prisonwatch.store.visibility`) neither, and a
  public reader's view is built from public events, cases, names and sources only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from prisonwatch.model import CUSTODY_EFFECT, EventKind
from prisonwatch.store.schema import Case, Name, Person, Source, StatusEvent
from prisonwatch.store.schema_letters import Facility, PersonFlag
from prisonwatch.store.status import CUSTODY_KINDS, HELD_KINDS, deciding_event, held_people
from prisonwatch.store.visibility import PUBLIC, name_visible

from .counts import letter_counts
from .model import Address, FacilityView, Recipient

#: The recipient line when a facility says nothing else: "Surname Given Patronymic, born YYYY".
DEFAULT_RECIPIENT_FORMAT = "{name}, {birth_year} г. р."
#: The last line of an address for mail from abroad, by the facility's country.
COUNTRY_LINES = {"BY": "REPUBLIC OF BELARUS", "RU": "RUSSIAN FEDERATION"}
_CHUNK = 500
#: Up to this many people are checked one by one (a look-up each), more by one query for all.
_FEW = 20
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_OUT = frozenset(k.value for k, v in CUSTODY_EFFECT.items() if v < 0)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def active_flags(session: Session, person_ids: Sequence[int] | None = None) -> dict[int, set[str]]:
    """person id → the flags set and not cleared."""
    stmt = select(PersonFlag.person_id, PersonFlag.flag).where(PersonFlag.cleared_at.is_(None))
    out: dict[int, set[str]] = {}
    parts = [None] if person_ids is None else list(_chunks(list(person_ids)))
    for part in parts:
        s = stmt if part is None else stmt.where(PersonFlag.person_id.in_(part))
        for pid, flag in session.execute(s):
            out.setdefault(int(pid), set()).add(flag)
    return out


# -- addresses ------------------------------------------------------------------------------


def _cyrillic(text: str | None) -> bool:
    return bool(text and _CYRILLIC.search(text))


def address(f: Facility, language: str) -> Address | None:
    """The facility's address in ``language`` (``be``/``ru``): its name in that language, the
    street, the locality, the region (when written in Cyrillic), the postal code — the order of
    the Belarusian post. None without a name in that language, a postal code or a locality.
    A facility with only a Cyrillic ``name`` uses it for the Russian address."""
    if language == "be":
        name = f.name_be
    else:
        name = f.name_ru or (f.name if _cyrillic(f.name) and not f.name_be else None)
    if not (name and f.postal_code and f.locality):
        return None
    lines = [name]
    if f.street:
        lines.append(f.street)
    lines.append(f.locality)
    if f.region and _cyrillic(f.region):
        lines.append(f.region)
    lines.append(f.postal_code)
    country = COUNTRY_LINES.get(f.country or "BY", (f.country or "").upper())
    return Address(tuple(lines), (*lines, country), language)


def facility_views(
    session: Session, facility_ids: Iterable[int], *, include_private: bool = False
) -> dict[int, FacilityView]:
    ids = sorted(set(facility_ids))
    out: dict[int, FacilityView] = {}
    for part in _chunks(ids):
        rows = session.execute(
            select(Facility, Source)
            .outerjoin(Source, Source.id == Facility.verified_source_id)
            .where(Facility.id.in_(part))
        ).all()
        for f, src in rows:
            shown = src is not None and (include_private or src.visibility == PUBLIC)
            out[f.id] = FacilityView(
                id=f.id,
                name=f.name,
                kind=f.kind,
                region=f.region,
                address_be=address(f, "be"),
                address_ru=address(f, "ru"),
                verified_on=f.verified_on,
                verified_source=(src.url or src.title) if shown and src is not None else None,
            )
    return out


# -- who and where --------------------------------------------------------------------------


def current_facilities(
    session: Session, day: dt.date, person_ids: Sequence[int], *, include_private: bool = False
) -> tuple[dict[int, int | None], set[int]]:
    """(person id → facility id or None, the people who ever died in custody), by the rule of
    the module doc, over the events and cases the reader may see."""
    facility: dict[int, int | None] = {}
    released_before: set[int] = set()
    decided: set[int] = set()  # the current spell's events say where (or that it is unknown)
    died: set[int] = set()
    for part in _chunks(list(person_ids)):
        conds = [
            StatusEvent.person_id.in_(part),
            StatusEvent.kind.in_(CUSTODY_KINDS),
            StatusEvent.date_start <= day,
        ]
        if not include_private:
            conds.append(StatusEvent.visibility == PUBLIC)
        rows = session.execute(
            select(StatusEvent.person_id, StatusEvent.kind, StatusEvent.facility_id)
            .where(*conds)
            .order_by(
                StatusEvent.person_id,
                StatusEvent.date_start,
                StatusEvent.date_precision,
                StatusEvent.id,
            )
        )
        for pid, kind, fid in rows:
            if kind == EventKind.DIED_IN_CUSTODY.value:
                died.add(pid)
            if kind in _OUT:
                facility[pid] = None
                released_before.add(pid)
                decided.discard(pid)
            elif kind in HELD_KINDS and fid is not None:
                facility[pid] = fid
                decided.add(pid)
            elif kind == EventKind.TRANSFERRED.value:
                facility[pid] = None  # moved, and where to is not known (or not a record)
                decided.add(pid)
            else:
                facility.setdefault(pid, None)
        lacking = [
            p
            for p in part
            if facility.get(p) is None and p not in released_before and p not in decided
        ]
        if lacking:
            cconds: list[ColumnElement[bool]] = [
                Case.person_id.in_(lacking),
                Case.facility_id.is_not(None),
            ]
            if not include_private:
                cconds.append(Case.visibility == PUBLIC)
            for pid, fid in session.execute(
                select(Case.person_id, Case.facility_id).where(*cconds).order_by(Case.id)
            ):
                facility[pid] = fid  # the latest case (highest id) wins
    return facility, died


class NameRow(NamedTuple):
    full_text: str
    language: str | None
    kind: str


def _names(
    session: Session, person_ids: Sequence[int], include_private: bool
) -> dict[int, list[NameRow]]:
    """person id → the names the reader sees, primary first (plain rows: no ORM objects)."""
    out: dict[int, list[NameRow]] = {}
    for part in _chunks(list(person_ids)):
        for pid, full, lang, kind in session.execute(
            select(Name.person_id, Name.full_text, Name.language, Name.kind)
            .where(Name.person_id.in_(part), *name_visible(include_private))
            .order_by(Name.person_id, Name.is_primary.desc(), Name.id)
        ):
            out.setdefault(pid, []).append(NameRow(full, lang, kind))
    return out


def envelope_name(names: Sequence[NameRow]) -> str:
    """The name for the envelope: the Russian official name, else the Belarusian one, else any
    name in Cyrillic, else the first name shown."""
    for test in (
        lambda n: n.language == "ru" and n.kind == "official",
        lambda n: n.language == "be" and n.kind == "official",
        lambda n: n.language in ("ru", "be"),
        lambda n: _cyrillic(n.full_text),
    ):
        for n in names:
            if test(n):
                return n.full_text
    return names[0].full_text if names else ""


def recipient_line(fmt: str | None, name: str, birth_date: str | None) -> str:
    """The recipient line by the facility's format (see
    :class:`~prisonwatch.store.schema_letters.Facility`). Without a known birth year, the part
    of the format from the last comma before ``{birth_year}`` is left out."""
    fmt = fmt or DEFAULT_RECIPIENT_FORMAT
    year = birth_date[:4] if birth_date and birth_date[:4].isdigit() else None
    if year is None and "{birth_year}" in fmt:
        head = fmt[: fmt.index("{birth_year}")]
        fmt = head[: head.rfind(",")] if "," in head else head
    words = name.split()
    values = {
        "name": name,
        "surname": words[0] if words else "",
        "given": words[1] if len(words) > 1 else "",
        "patronymic": " ".join(words[2:]),
        "birth_year": year or "",
    }
    try:
        out = fmt.format(**values)
    except (KeyError, IndexError, ValueError):  # a format saved before the check: the name
        out = name
    return " ".join(out.split())


def recipients_for(
    session: Session,
    day: dt.date,
    person_ids: Sequence[int],
    *,
    include_private: bool = False,
    drop_flagged: bool = True,
) -> list[Recipient]:
    """The :class:`Recipient` of each of ``person_ids`` who is eligible on ``day`` (held,
    never died in custody, visible to the reader; not flagged unless ``include_private`` and
    not ``drop_flagged``), in the order of their display names."""
    ids = sorted(set(person_ids))
    if len(ids) <= _FEW:
        ids = [
            p
            for p in ids
            if session.scalar(deciding_event(p, day, include_private=include_private)) in HELD_KINDS
        ]
    else:
        held = set(session.scalars(held_people(day, include_private=include_private)))
        ids = [p for p in ids if p in held]
    flags = active_flags(session, ids)
    if not include_private or drop_flagged:
        ids = [p for p in ids if p not in flags]
    where, died = current_facilities(session, day, ids, include_private=include_private)
    ids = [p for p in ids if p not in died]
    names = _names(session, ids, include_private)
    ids = [p for p in ids if names.get(p)]  # a reader never sees a person without a name
    views = facility_views(
        session,
        (f for p in ids if (f := where.get(p)) is not None),
        include_private=include_private,
    )
    fmts = dict(
        session.execute(
            select(Facility.id, Facility.recipient_format).where(
                Facility.id.in_([v for v in views])
            )
        ).all()
    )
    births: dict[int, str | None] = {}
    for part in _chunks(ids):
        births.update(
            session.execute(select(Person.id, Person.birth_date).where(Person.id.in_(part))).all()
        )
    counts = letter_counts(session, day)
    out = []
    for pid in ids:
        fid = where.get(pid)
        view = views.get(fid) if fid is not None else None
        out.append(
            Recipient(
                person_id=pid,
                display_name=names[pid][0].full_text,
                recipient_line=recipient_line(
                    fmts.get(fid) if fid is not None else None,
                    envelope_name(names[pid]),
                    births.get(pid),
                ),
                facility=view,
                birth_date=births.get(pid),
                letters_90d=counts.get(pid, 0),
                flags=tuple(sorted(flags.get(pid, ()))),
            )
        )
    out.sort(key=lambda r: (r.display_name.casefold(), r.person_id))
    return out


def _matches_address(r: Recipient, needle: str) -> bool:
    f = r.facility
    if f is None:
        return False
    parts = [f.name, f.region or ""]
    for a in (f.address_be, f.address_ru):
        if a is not None:
            parts.extend(a.lines)
    return needle in " ".join(parts).casefold()


def _name_keys(
    session: Session, ids: Sequence[int], include_private: bool
) -> dict[int, list[list[str]]]:
    from prisonwatch.names.keys import search_key  # ICU: only when a query needs it

    out: dict[int, list[list[str]]] = {}
    for pid, names in _names(session, ids, include_private).items():
        out[pid] = [search_key(n.full_text).split() for n in names]
    return out


def _filter(
    session: Session, people: list[Recipient], query: str, include_private: bool
) -> list[Recipient]:
    from prisonwatch.names.keys import search_key

    needle = " ".join(query.split()).casefold()
    words = search_key(query).split()
    keys = _name_keys(session, [r.person_id for r in people], include_private) if words else {}

    def name_hit(pid: int) -> bool:
        return any(
            all(any(k.startswith(w) for k in name) for w in words) for name in keys.get(pid, [])
        )

    return [r for r in people if (words and name_hit(r.person_id)) or _matches_address(r, needle)]


def eligible_recipients(
    session: Session,
    day: dt.date,
    *,
    include_private: bool = False,
    query: str | None = None,
) -> list[Recipient]:
    """Everyone who can be written to on ``day`` (see the module doc), by display name.
    ``include_private``: a reader with private access — private events, cases and names count,
    hidden and flagged people are included (with their ``flags``). ``query``: a name (any
    script or spelling: every word of it starts a word of one of the person's names, by the
    names' search keys) or any part of the address (case-insensitive)."""
    held = list(session.scalars(held_people(day, include_private=include_private)))
    people = recipients_for(
        session, day, held, include_private=include_private, drop_flagged=not include_private
    )
    if query and query.strip():
        people = _filter(session, people, query, include_private)
    return people


__all__ = [
    "DEFAULT_RECIPIENT_FORMAT",
    "active_flags",
    "address",
    "current_facilities",
    "eligible_recipients",
    "envelope_name",
    "facility_views",
    "recipient_line",
    "recipients_for",
]
