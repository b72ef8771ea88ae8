"""Writing facilities: add, edit, verify, and turning the free text of cases and events into
facility records.

Every change goes through :class:`Facilities` (validated by :mod:`prisonwatch.validation`,
audited as ``facility`` entries in the same transaction). The free-text ``facility`` columns of
``case_file`` and ``status_event`` stay as written (history); their ``facility_id`` is set by
:func:`link_case` / :func:`link_event`, which the registry writer calls, and by migration
``0009_letters`` for the rows that existed before (the same rules, :func:`facility_key`,
:func:`guess_kind` and :func:`split_address`, in plain Python so the migration can use them).

A free-text facility is matched to a record by :func:`facility_key` of its name (case, spaces
and punctuation folded) against ``name``, ``name_be`` and ``name_ru``; no match creates a
record named as written, with the kind guessed from the name and the address split from the
case's ``facility_address`` (postal code, locality, the rest as the street) — but only for a
public case or event: the text of a private one (an unverified report) is linked to a facility
that exists and never creates one (records and their audit entries are public).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import String, literal, select, update
from sqlalchemy.orm import Session

from prisonwatch.store import audit
from prisonwatch.store.schema import Case, Source, StatusEvent
from prisonwatch.store.schema_letters import FACILITY_KINDS, Facility
from prisonwatch.store.visibility import PUBLIC
from prisonwatch.validation import FieldError, check_text


class FacilityError(Exception):
    """Base class of facility errors."""


class FacilityNotFound(FacilityError):
    pass


#: Placeholders a recipient format may use.
RECIPIENT_FIELDS = ("name", "surname", "given", "patronymic", "birth_year")
#: The longest accepted value of each facility field.
LIMITS = {
    "name": 300,
    "name_be": 300,
    "name_ru": 300,
    "kind": 20,
    "region": 200,
    "postal_code": 20,
    "locality": 200,
    "street": 300,
    "country": 2,
    "recipient_format": 200,
    "note": 10_000,
}


@dataclass
class FacilityInput:
    name: str
    kind: str = "other"
    name_be: str | None = None
    name_ru: str | None = None
    region: str | None = None
    postal_code: str | None = None
    locality: str | None = None
    street: str | None = None
    country: str = "BY"
    recipient_format: str | None = None
    note: str | None = None


EDITABLE = tuple(f.name for f in fields(FacilityInput))

# -- pure helpers (also used by migration 0009_letters) -------------------------------------

_PUNCT = re.compile(r"[\s\"'«»“”„.,;:()№#-]+")


def facility_key(text: str) -> str:
    """The matching key of a facility name: lower case, punctuation and spaces folded, so
    "ИК-1, Новополоцк" and "ик 1 новополоцк" are one facility."""
    return _PUNCT.sub(" ", text.casefold()).strip()


_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sizo", ("sizo", "сизо", "сiзa", "сізa", "сізо", "pre-trial", "следственн", "следчы")),
    ("remand", ("remand", "ivs", "ивс", "ізаляцыі часовага", "temporary detention", "цип", "ціп")),
    ("prison", ("prison", "турма", "тюрьма")),
    (
        "penal_colony",
        ("colony", "калонія", "колония", "ик-", "ік-", "ик ", "ік ", "исправительн", "выпраўлен"),
    ),
)


def guess_kind(name: str) -> str:
    """The kind of a facility from words of its name (``other`` when none fits)."""
    low = name.casefold() + " "
    for kind, words in _KIND_WORDS:
        if any(w in low for w in words):
            return kind
    return "other"


_ADDRESS = re.compile(r"^(?P<street>.*?)[,\s]*\b(?P<pc>\d{6})\b[,\s]*(?P<rest>.*)$")


def split_address(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(street, postal code, locality) of a free-text address: the 6-digit Belarusian postal
    code, the words after it as the locality, the words before it as the street. Without a
    postal code everything is the street."""
    if not text or not text.strip():
        return None, None, None
    t = " ".join(text.split())
    m = _ADDRESS.match(t)
    if m is None:
        return t, None, None
    street = m.group("street").strip(" ,") or None
    rest = m.group("rest").strip(" ,")
    locality, _, after = rest.partition(",")
    if after.strip():
        street = ", ".join(x for x in (street, after.strip()) if x)
    return street, m.group("pc"), locality.strip() or None


def check_recipient_format(value: str | None) -> str | None:
    """A recipient format uses only :data:`RECIPIENT_FIELDS` as placeholders."""
    v = check_text("recipient_format", value, limit=LIMITS["recipient_format"])
    if v is None:
        return None
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(v) if f is not None]
    except ValueError as exc:
        raise FieldError("recipient_format", f"not a format: {exc}") from exc
    bad = [n for n in names if n not in RECIPIENT_FIELDS]
    if bad:
        allowed = ", ".join("{" + f + "}" for f in RECIPIENT_FIELDS)
        raise FieldError("recipient_format", f"unknown placeholder {{{bad[0]}}}; use {allowed}")
    if "name" not in names and "surname" not in names:
        raise FieldError("recipient_format", "the format needs {name} or {surname}")
    return v


def _clean(field_name: str, value: Any) -> Any:
    if field_name == "kind":
        v = (check_text("kind", value, limit=LIMITS["kind"]) or "other").lower()
        v = v.replace(" ", "_").replace("-", "_")
        if v not in FACILITY_KINDS:
            raise FieldError("kind", f"{value!r} is not one of {', '.join(FACILITY_KINDS)}")
        return v
    if field_name == "country":
        v = (check_text("country", value, limit=LIMITS["country"]) or "BY").upper()
        if not (len(v) == 2 and v.isascii() and v.isalpha()):
            raise FieldError("country", f"{value!r} is not a two-letter country code")
        return v
    if field_name == "recipient_format":
        return check_recipient_format(value)
    if field_name == "name":
        name = check_text("name", value, limit=LIMITS["name"])
        if not name:
            raise FieldError("name", "a facility needs a name")
        return name
    if field_name not in LIMITS:
        raise FieldError(field_name, f"not a facility field; use one of {', '.join(EDITABLE)}")
    return check_text(field_name, value, limit=LIMITS[field_name])


def _names_of(f: Facility) -> list[str]:
    return [n for n in (f.name, f.name_be, f.name_ru) if n]


# -- the writer -----------------------------------------------------------------------------


@dataclass
class Facilities:
    session: Session
    actor: str
    context: str | None = None
    _keys: dict[str, int] | None = field(default=None, repr=False)
    _missed: set[str] = field(default_factory=set, repr=False)

    def _audit(
        self, action: str, f: Facility, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> None:
        audit.record(
            self.session,
            actor=self.actor,
            action=action,
            entity_type="facility",
            entity_id=f.id,
            before=before,
            after=after,
            context=self.context,
        )

    def get(self, facility_id: int) -> Facility:
        f = self.session.get(Facility, facility_id)
        if f is None:
            raise FacilityNotFound(f"no facility with id {facility_id}")
        return f

    def add(self, data: FacilityInput) -> Facility:
        """A new facility; refused when one of its names is already another facility's."""
        values = {k: _clean(k, getattr(data, k)) for k in EDITABLE}
        self._check_unique(values, None)
        f = Facility(**values)
        self.session.add(f)
        self.session.flush()
        self._audit("create", f, None, audit.snapshot(f))
        self._remember(f)
        return f

    def edit(self, facility_id: int, changes: dict[str, Any]) -> Facility:
        f = self.get(facility_id)
        before = audit.snapshot(f)
        for key, value in changes.items():
            if key not in EDITABLE:
                raise FieldError(key, f"not an editable facility field; use {', '.join(EDITABLE)}")
            setattr(f, key, _clean(key, value))
        self._check_unique({k: getattr(f, k) for k in ("name", "name_be", "name_ru")}, f.id)
        self.session.flush()
        b, a = audit.diff(before, audit.snapshot(f))
        if a:
            self._audit("update", f, b, a)
            self._keys = None  # a name may have changed
        return f

    def verify(self, facility_id: int, day: dt.date, source_id: int | None) -> Facility:
        """Record that the address proved right on ``day`` (by ``source_id``). An older day
        than the one recorded is refused: the newest verification stands."""
        f = self.get(facility_id)
        if day > dt.date.today() + dt.timedelta(days=1):
            raise FieldError("verified_on", f"{day} is in the future")
        if f.verified_on is not None and day < f.verified_on:
            raise FieldError(
                "verified_on", f"the address was already verified on {f.verified_on}, after {day}"
            )
        if source_id is not None and self.session.get(Source, source_id) is None:
            raise FacilityNotFound(f"no source with id {source_id}")
        return self.edit_verified(f, day, source_id)

    def edit_verified(self, f: Facility, day: dt.date, source_id: int | None) -> Facility:
        before = audit.snapshot(f)
        f.verified_on, f.verified_source_id = day, source_id
        self.session.flush()
        b, a = audit.diff(before, audit.snapshot(f))
        if a:
            self._audit("verify", f, b, a)
        return f

    def find(self, text: str, *, _again: bool = True) -> Facility | None:
        """The facility whose name (in any language) has the key of ``text``. Facilities are
        few (a country's prisons): their keys are read once per writer and kept, and read again
        on the first miss of a key (another writer in the transaction may have added it)."""
        key = facility_key(text)
        if not key:
            return None
        if self._keys is None or (key not in self._keys and key not in self._missed):
            self._keys = {}
            for f in self.session.scalars(select(Facility).order_by(Facility.id)):
                self._remember(f)
        fid = self._keys.get(key)
        if fid is None:
            self._missed.add(key)
            return None
        found = self.session.get(Facility, fid)
        if found is None or key not in {facility_key(n) for n in _names_of(found)}:
            self._keys, self._missed = None, set()  # renamed or deleted meanwhile
            return self.find(text, _again=False) if _again else None
        return found

    def _check_unique(self, values: dict[str, Any], own_id: int | None) -> None:
        for key in ("name", "name_be", "name_ru"):
            text = values.get(key)
            other = self.find(text) if text else None
            if other is not None and other.id != own_id:
                raise FieldError(key, f"{text!r} is already the facility {other.id} ({other.name})")

    def _remember(self, f: Facility) -> None:
        if self._keys is None:
            return
        for n in _names_of(f):
            self._keys.setdefault(facility_key(n), f.id)
        self._missed.clear()

    def resolve(
        self, text: str | None, address: str | None = None, *, create: bool = True
    ) -> Facility | None:
        """The facility named ``text`` (free text of a case or event): found by its key, or
        created with the kind guessed from the name and the address split from ``address``.
        An address given for a known facility that has none fills it in. ``create=False`` (the
        text of a private fact): only found — a facility record and its audit entry are public,
        and must not reveal what an unverified report says."""
        name = check_text("facility", text, limit=LIMITS["name"])
        if not name:
            return None
        found = self.find(name)
        if not create:
            return found
        street, pc, locality = split_address(address)
        if found is not None:
            if address and not (found.street or found.postal_code or found.locality):
                self.edit(found.id, {"street": street, "postal_code": pc, "locality": locality})
            return found
        return self.add(
            FacilityInput(
                name=name, kind=guess_kind(name), street=street, postal_code=pc, locality=locality
            )
        )

    def link_case(self, case: Case) -> None:
        """Set the case's ``facility_id`` from its free text (NULL when it has none)."""
        f = self.resolve(case.facility, case.facility_address, create=case.visibility == PUBLIC)
        fid = f.id if f is not None else None
        if case.facility_id != fid:
            self.session.execute(update(Case).where(Case.id == case.id).values(facility_id=fid))
            case.facility_id = fid

    def link_event(self, event: StatusEvent) -> None:
        """Set the event's ``facility_id`` from its free text (NULL when it has none)."""
        f = self.resolve(event.facility, create=event.visibility == PUBLIC)
        fid = f.id if f is not None else None
        if event.facility_id != fid:
            self.session.execute(
                update(StatusEvent).where(StatusEvent.id == event.id).values(facility_id=fid)
            )
            event.facility_id = fid

    def sync_free_text(self) -> int:
        """Set ``facility_id`` of every case and event whose free-text facility names another
        facility than the one linked (or none is linked): for rows written in bulk (the
        importer) or by other means than the registry writer. Returns how many changed.

        Set-based: each distinct (text, address, public or not) is resolved once and written
        with one UPDATE — an import of 100,000 people names a few hundred facilities, and a
        row-by-row update made the PostgreSQL import 70 % slower. Public rows go first, so
        a facility a public row creates is there for the private rows that name it (a private
        row never creates one)."""
        changed = 0
        specs: tuple[tuple[Any, Any, Any], ...] = (
            (Case, Case.facility, Case.facility_address),
            (StatusEvent, StatusEvent.facility, None),
        )
        for table, text_col, addr_col in specs:
            public = (table.visibility == PUBLIC).label("public")
            addr = addr_col if addr_col is not None else literal(None, String).label("addr")
            groups = self.session.execute(
                select(text_col, addr, public).where(text_col.is_not(None)).distinct()
            ).all()
            for text, address, is_public in sorted(groups, key=lambda g: not g[2]):
                want = self.resolve(text, address, create=bool(is_public))
                want_id = want.id if want is not None else None
                conds = [
                    text_col == text,
                    table.visibility == PUBLIC if is_public else table.visibility != PUBLIC,
                    table.facility_id.is_distinct_from(want_id),
                ]
                if addr_col is not None:
                    conds.append(addr_col == address if address is not None else addr_col.is_(None))
                result = self.session.execute(
                    update(table).where(*conds).values(facility_id=want_id),
                    execution_options={"synchronize_session": False},
                )
                changed += result.rowcount or 0  # type: ignore[attr-defined]
        return changed


def list_facilities(session: Session) -> list[Facility]:
    return list(session.scalars(select(Facility).order_by(Facility.name, Facility.id)))


__all__ = [
    "EDITABLE",
    "Facilities",
    "FacilityError",
    "FacilityInput",
    "FacilityNotFound",
    "check_recipient_format",
    "facility_key",
    "guess_kind",
    "list_facilities",
    "split_address",
]
