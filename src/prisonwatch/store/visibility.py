"""What a reader without private access may see: the one place the store decides it.

* A fact (name, event, case, source) is public when its ``visibility`` is ``public``.
* A **person** is public when at least one of their names is public. A person whose names are
  all private is *hidden*: absent from everything public — the people list, its CSV and
  totals, the held counts and their breakdowns, the statistics, latest events, exports without
  private fields, the audit log below editor — not only from their own page. Their public
  events and cases are therefore not public either: :func:`event_visible` and
  :func:`case_visible` require the person to be public.

* An **official** (judge, prosecutor, investigator) is shown when linked to a case the reader
  may see (:func:`official_visible`), under public names only; the audit entries about an
  official shown to nobody below editor, or about a private name of one, are private.

Readers with private access (editors, admins; ``include_private=True``) see everything. Derived
data of the ``public`` scope (``person.status_public`` and the tally,
``custody_change`` rows of scope ``public``) is computed with these same rules, and every write
that can change whether a person is public (a name added, edited, made private or removed)
recomputes it in the same transaction.

**The audit log** (:func:`audit_entry_private`): an entry is about a private thing when it is
about a hidden person; a private name, event, case or source (private when written or now);
a citation or an outside figure (claim) whose source is private, or a citation of a private
fact; or a change (update) of a person's relatives' contacts or internal notes. Below editor
such entries are not shown at all (not redacted): even that they exist would tell who has a
private name, an unverified report, a changed contact. Editors see them with their values
redacted, admins in full. Other entries are shown to viewers without the private person fields
(the keys are dropped, not marked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, and_, cast, exists, func, literal, or_
from sqlalchemy.sql.elements import ColumnElement

from prisonwatch.store.schema import (
    PRIVATE_PERSON_FIELDS,
    AuditEntry,
    Case,
    Citation,
    Claim,
    Name,
    ReviewItem,
    Source,
    StatusEvent,
)

PUBLIC = "public"
PRIVATE = "private"


def person_public(person_id: Any) -> ColumnElement[bool]:
    """SQL: the person ``person_id`` (a column or a value) has at least one public name."""
    return exists().where(Name.person_id == person_id, Name.visibility == PUBLIC)


def has_public_name(name_visibilities: Iterable[str]) -> bool:
    """The same rule as :func:`person_public`, over a person's names already loaded."""
    return PUBLIC in name_visibilities


def name_visible(include_private: bool) -> list[ColumnElement[bool]]:
    return [] if include_private else [Name.visibility == PUBLIC]


def event_visible(include_private: bool) -> list[ColumnElement[bool]]:
    """Conditions on ``StatusEvent`` for the reader: public, of a public person."""
    if include_private:
        return []
    return [StatusEvent.visibility == PUBLIC, person_public(StatusEvent.person_id)]


def case_visible(include_private: bool) -> list[ColumnElement[bool]]:
    """Conditions on ``Case`` for the reader: public, of a public person."""
    if include_private:
        return []
    return [Case.visibility == PUBLIC, person_public(Case.person_id)]


def official_visible(include_private: bool) -> list[ColumnElement[bool]]:
    """Conditions on ``Official`` for the reader: linked to at least one case the reader may
    see (a public case of a public person). A judge's or prosecutor's name is a public-record
    court fact, but the registry shows it only through a public case it took part in."""
    if include_private:
        return []
    from prisonwatch.store.schema_officials import Official, OfficialCase

    return [
        exists().where(
            OfficialCase.official_id == Official.id,
            OfficialCase.case_id == Case.id,
            *case_visible(False),
        )
    ]


def source_visible(include_private: bool) -> list[ColumnElement[bool]]:
    return [] if include_private else [Source.visibility == PUBLIC]


def _registry_side_public(key: Any, name: Any) -> ColumnElement[bool]:
    """A review pair's side is fine for a reader without private access unless it is a
    registry person (``person:N``) shown under a name that is not one of N's public names (a
    private name, or any name of a hidden person), or an official (``official:N``) under a
    name that is not public or who is linked to no case the reader may see."""
    from prisonwatch.store.schema_officials import Official, OfficialName

    return or_(
        and_(~key.like("person:%"), ~key.like("official:%")),
        exists().where(
            literal("person:") + cast(Name.person_id, String) == key,
            Name.full_text == name,
            Name.visibility == PUBLIC,
        ),
        # an official (``official:N``): under a public name, and shown to this reader at all
        exists().where(
            literal("official:") + cast(OfficialName.official_id, String) == key,
            OfficialName.full_text == name,
            OfficialName.visibility == PUBLIC,
            Official.id == OfficialName.official_id,
            *official_visible(False),
        ),
    )


def review_item_visible(include_private: bool) -> list[ColumnElement[bool]]:
    """Conditions on ``ReviewItem``: below editor, pairs that would show a private name of a
    registry person (or a hidden person) are left out of the review queue."""
    if include_private:
        return []
    return [
        _registry_side_public(ReviewItem.left_key, ReviewItem.left_name),
        _registry_side_public(ReviewItem.right_key, ReviewItem.right_name),
    ]


#: Keys of audit values that are private facts of a person: never shown below editor.
PRIVATE_AUDIT_KEYS = (*PRIVATE_PERSON_FIELDS, "private_names")
#: Audited kinds that are about the staff, not the registry (accounts, API tokens): their
#: entries are private — a viewer (a journalist, a partner) does not learn who has an account,
#: with which role, or when a token was made.
STAFF_ENTITY_TYPES = ("user", "api_token")
#: Audited kinds of rows with a ``visibility`` column.
_FACTS: tuple[tuple[str, Any], ...] = (
    ("name", Name),
    ("event", StatusEvent),
    ("case", Case),
    ("source", Source),
)


def _value(side: Any, key: str) -> ColumnElement[str]:
    """A text value of an audit before/after JSON object ('' when absent or null)."""
    return func.coalesce(side[key].as_string(), "")


def _private_row(cls: Any, row_id: Any) -> ColumnElement[bool]:
    return exists().where(cls.id == row_id, cls.visibility == PRIVATE)


def _official_shown(official_id: Any) -> ColumnElement[bool]:
    from prisonwatch.store.schema_officials import Official

    return exists().where(Official.id == official_id, *official_visible(False))


def _private_official_name(name_id: Any) -> ColumnElement[bool]:
    from prisonwatch.store.schema_officials import OfficialName

    return _private_row(OfficialName, name_id)


def audit_entry_private() -> ColumnElement[bool]:
    """SQL, on ``AuditEntry``: the entry is about a private thing (see the module doc).
    Never NULL, so ``NOT`` of it is safe."""
    a = AuditEntry.__table__.c
    before, after = a.before, a.after
    source_id = func.coalesce(after["source_id"].as_integer(), before["source_id"].as_integer())
    subject_type = func.coalesce(
        after["subject_type"].as_string(), before["subject_type"].as_string()
    )
    subject_id = func.coalesce(after["subject_id"].as_integer(), before["subject_id"].as_integer())
    return or_(
        # accounts and API tokens: who works on the registry, with which role, is staff business
        a.entity_type.in_(STAFF_ENTITY_TYPES),
        # an organisation is public once a public event of a public person names it: until
        # then its name (say, from a private recognition) stays with the staff
        and_(
            a.entity_type == "organisation",
            ~exists().where(
                StatusEvent.organisation_id == a.entity_id,
                StatusEvent.visibility == PUBLIC,
                person_public(StatusEvent.person_id),
            ),
        ),
        and_(a.person_id.is_not(None), ~person_public(a.person_id)),
        _value(before, "visibility") == PRIVATE,
        _value(after, "visibility") == PRIVATE,
        *(and_(a.entity_type == kind, _private_row(cls, a.entity_id)) for kind, cls in _FACTS),
        and_(a.entity_type.in_(("citation", "claim")), _private_row(Source, source_id)),
        and_(
            a.entity_type == "claim",
            exists().where(
                Claim.id == a.entity_id, Claim.source_id == Source.id, Source.visibility == PRIVATE
            ),
        ),
        and_(
            a.entity_type == "citation",
            or_(
                *(
                    and_(subject_type == kind, _private_row(cls, subject_id))
                    for kind, cls in _FACTS
                    if kind != "source"
                )
            ),
        ),
        and_(
            a.entity_type == "citation",
            exists().where(
                Citation.id == a.entity_id,
                Citation.source_id == Source.id,
                Source.visibility == PRIVATE,
            ),
        ),
        and_(
            a.entity_type == "judgement",
            a.person_id.is_not(None),
            ~exists().where(
                Name.person_id == a.person_id,
                Name.visibility == PUBLIC,
                Name.full_text.in_(
                    [
                        _value(after, "left_name"),
                        _value(after, "right_name"),
                        _value(before, "left_name"),
                        _value(before, "right_name"),
                    ]
                ),
            ),
        ),
        # officials: entries about one shown to no reader below editor (linked to no public
        # case), and about a private name of one
        and_(a.entity_type == "official", ~_official_shown(a.entity_id)),
        and_(
            a.entity_type == "official_name",
            or_(
                ~_official_shown(
                    func.coalesce(
                        after["official_id"].as_integer(), before["official_id"].as_integer()
                    )
                ),
                _private_official_name(a.entity_id),
            ),
        ),
        and_(
            a.entity_type == "person",
            a.action == "update",
            or_(
                *(or_(_value(before, k) != "", _value(after, k) != "") for k in PRIVATE_AUDIT_KEYS)
            ),
        ),
    )


__all__ = [
    "PRIVATE",
    "PRIVATE_AUDIT_KEYS",
    "PUBLIC",
    "STAFF_ENTITY_TYPES",
    "audit_entry_private",
    "case_visible",
    "event_visible",
    "has_public_name",
    "name_visible",
    "official_visible",
    "person_public",
    "review_item_visible",
    "source_visible",
]
