"""One EU Financial Sanctions Files entity, from either the XML or the CSV: the records of a
``sanctionEntity`` as dictionaries keyed by the XML attribute names (the CSV columns are mapped
onto them), turned into a :class:`Target` the same way for both formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from prisonwatch.sanctions.formats import _values as v
from prisonwatch.sanctions.model import Target, TargetKind

Record = dict[str, str]

AUTHORITY = "EU"
LIST_NAME = "EU FSF"


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def _add_unique(records: list[Record], record: Record) -> None:
    if any(record.values()) and record not in records:
        records.append(record)


@dataclass
class EuEntity:
    logical_id: str
    position: str  # where the entity starts, for messages
    attrs: Record = field(default_factory=dict)  # euReferenceNumber, designationDate, ...
    subject_type: str = ""
    remarks: list[str] = field(default_factory=list)
    regulations: list[Record] = field(default_factory=list)
    names: list[Record] = field(default_factory=list)
    citizenships: list[Record] = field(default_factory=list)
    birthdates: list[Record] = field(default_factory=list)
    identifications: list[Record] = field(default_factory=list)
    addresses: list[Record] = field(default_factory=list)

    def add(self, kind: str, record: Record) -> None:
        """Add a sub-record once (the CSV repeats them over rows)."""
        _add_unique(getattr(self, kind), record)

    def kind(self) -> TargetKind | None:
        code = self.subject_type.strip().lower()
        if code == "person":
            return TargetKind.PERSON
        if code == "enterprise":
            # the EU has no vessel type: ships are enterprises with an IMO identification
            if any(_id_type(i) == "imo" for i in self.identifications):
                return TargetKind.VESSEL
            return TargetKind.ORGANISATION
        return None

    def caption(self) -> str:
        """No EU name is marked primary: take the English or unmarked name the EU created
        first (smallest nameAlias logicalId), so the choice does not depend on file order."""

        def rank(n: Record) -> tuple[int, int, str]:
            lang = n.get("nameLanguage", "").strip().upper()
            lid = n.get("logicalId", "").strip()
            return (
                0 if lang in ("", "EN") else 1,
                int(lid) if lid.isdigit() else 1 << 62,
                n.get("wholeName", ""),
            )

        named = [n for n in self.names if n.get("wholeName", "").strip()]
        if not named:
            return ""
        return " ".join(min(named, key=rank)["wholeName"].split())

    def target(self) -> Target:
        kind = self.kind()
        if kind is None:
            raise ValueError(f"subjectType {self.subject_type!r} is neither person nor enterprise")
        caption = self.caption()
        if not caption:
            raise ValueError("the entity has no nameAlias with a wholeName")
        t = Target(id=self.logical_id, kind=kind, caption=caption)
        t.add("name", caption)
        t.add("authorityId", self.attrs.get("euReferenceNumber"))
        t.add("unscId", self.attrs.get("unitedNationId"))
        t.add("notes", self.attrs.get("designationDetails"))
        for remark in self.remarks:
            t.add("notes", remark)
        self._names(t, caption)
        self._regulations(t)
        for c in self.citizenships:
            t.add(
                "nationality",
                v.country(c.get("countryIso2Code", ""), c.get("countryDescription", "")),
            )
        for b in self.birthdates:
            self._birth(t, b)
        for i in self.identifications:
            self._identification(t, i)
        for a in self.addresses:
            t.add(
                "address",
                v.join(
                    a.get("street"),
                    a.get("poBox"),
                    a.get("zipCode"),
                    a.get("city"),
                    a.get("region"),
                    a.get("place"),
                    a.get("countryDescription"),
                ),
            )
            t.add(
                "country", v.country(a.get("countryIso2Code", ""), a.get("countryDescription", ""))
            )
            t.add("notes", a.get("remark"))
        return t

    def _names(self, t: Target, caption: str) -> None:
        for n in self.names:
            whole = " ".join(n.get("wholeName", "").split())
            if whole and whole != caption:
                strong = n.get("strong", "true")
                t.add("weakAlias" if strong and not _true(strong) else "alias", whole)
            if t.kind is TargetKind.PERSON:
                t.add("firstName", n.get("firstName"))
                t.add("middleName", n.get("middleName"))
                t.add("lastName", n.get("lastName"))
                t.add("gender", v.gender(n.get("gender", "")))
            t.add("title", n.get("title"))
            t.add("position", n.get("function"))
            t.add("notes", n.get("remark"))

    def _regulations(self, t: Target) -> None:
        originals: list[str] = []
        for r in self.regulations:
            t.add("program", r.get("programme"))
            t.add("sourceUrl", r.get("publicationUrl"))
            if r.get("regulationType", "").strip().lower() == "regulation":
                d = v.any_date(r.get("entryIntoForceDate", "")) or v.any_date(
                    r.get("publicationDate", "")
                )
                if d:
                    originals.append(d)
        designated = v.any_date(self.attrs.get("designationDate", ""))
        # the designation date; else the original act's entry into force. Amendments are not
        # listing dates (a later amendment would otherwise read as a relisting).
        t.add("listingDate", designated or (min(originals) if originals else None))

    def _birth(self, t: Target, b: Record) -> None:
        calendar_type = b.get("calendarType", "").strip().upper()
        year, month, day = (
            b.get("year", "").strip(),
            b.get("monthOfYear", "").strip(),
            b.get("dayOfMonth", "").strip(),
        )
        written = v.join(b.get("birthdate"), v.join(year, month, day, sep="-"), sep=" / ")
        place = v.join(b.get("place"), b.get("city"), b.get("region"), b.get("countryDescription"))
        t.add("birthPlace", place)
        if calendar_type and calendar_type != "GREGORIAN":
            # e.g. ISLAMIC (Hijri) year/month/day: never read as a Gregorian date
            if written:
                t.add("notes", f"Date of birth in the {calendar_type.lower()} calendar: {written}")
            return
        found: list[str] = []
        full = v.any_date(b.get("birthdate", ""))
        if full:
            found.append(full)
        elif year.isdigit():
            part = v.iso(
                year
                + (f"-{int(month):02d}" if month.isdigit() else "")
                + (f"-{int(day):02d}" if month.isdigit() and day.isdigit() else "")
            )
            if part:
                found.append(part)
        else:
            for key in ("yearRangeFrom", "yearRangeTo"):
                y = v.iso(b.get(key, "").strip())
                if y:
                    found.append(y)
            if len(found) == 2:
                t.add("notes", f"Born between {found[0]} and {found[1]}")
        for d in found:
            t.add("birthDate", d)
        if found and _true(b.get("circa")):
            t.add("notes", f"Date of birth {' / '.join(found)} is approximate (circa)")
        t.add("notes", b.get("remark"))

    def _identification(self, t: Target, i: Record) -> None:
        number = " ".join((i.get("number") or i.get("latinNumber") or "").split())
        if not number:
            return
        code = _id_type(i)
        if code == "imo":
            digits = "".join(ch for ch in number if ch.isdigit())
            t.add("imoNumber", f"IMO{digits}" if len(digits) == 7 else number)
        elif code == "passport":
            t.add("passportNumber", number)
        elif code in ("regnumber", "registrationnumber"):
            t.add("registrationNumber", number)
        else:
            t.add("idNumber", number)
        latin = i.get("latinNumber", "").strip()
        if latin and latin != number:
            t.add("idNumber" if code != "passport" else "passportNumber", latin)
        desc = i.get("identificationTypeDescription", "") or code
        for flag, words in (
            ("knownFalse", "known to be false"),
            ("knownExpired", "known to have expired"),
            ("reportedLost", "reported lost"),
            ("revokedByIssuer", "revoked by the issuer"),
        ):
            if _true(i.get(flag)):
                t.add("notes", f"{desc} {number} is {words}")
        t.add("notes", i.get("remark"))


def _id_type(i: Record) -> str:
    return i.get("identificationTypeCode", "").strip().lower()
