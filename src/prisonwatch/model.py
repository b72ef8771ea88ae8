"""Domain vocabulary shared by every layer: event kinds, name kinds, roles, visibility.

No I/O here. The custody effect of each event kind is defined once, in ``CUSTODY_EFFECT`` (and
the :class:`Status` it leaves, ``STATUS_AFTER``); the rule that turns a person's events into a
status on a date — in Python and in SQL — lives in one module,
:mod:`prisonwatch.store.status_rule`, so it means the same thing everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    DETAINED = "detained"
    RECOGNISED = "recognised"
    SENTENCED = "sentenced"
    TRANSFERRED = "transferred"
    RELEASED_END_OF_TERM = "released_end_of_term"
    PARDONED = "pardoned"
    EXPELLED_ABROAD = "expelled_abroad"
    REFUSED_TO_LEAVE = "refused_to_leave"
    RE_ARRESTED = "re_arrested"
    DIED_IN_CUSTODY = "died_in_custody"
    RECOGNITION_WITHDRAWN = "recognition_withdrawn"
    RELEASED_OTHER = "released_other"


#: +1: the person is in custody from this event on; -1: no longer in custody; 0: no change.
#: ``refused_to_leave``: offered release abroad, refused and was taken back (Statkevich,
#: 2025-09-11): he stays in custody. ``sentenced`` and ``transferred`` confirm custody.
CUSTODY_EFFECT: dict[EventKind, int] = {
    EventKind.DETAINED: 1,
    EventKind.RE_ARRESTED: 1,
    EventKind.SENTENCED: 1,
    EventKind.TRANSFERRED: 1,
    EventKind.REFUSED_TO_LEAVE: 1,
    EventKind.RELEASED_END_OF_TERM: -1,
    EventKind.PARDONED: -1,
    EventKind.EXPELLED_ABROAD: -1,
    EventKind.DIED_IN_CUSTODY: -1,
    EventKind.RELEASED_OTHER: -1,
    EventKind.RECOGNISED: 0,
    EventKind.RECOGNITION_WITHDRAWN: 0,
}


class Status(StrEnum):
    """A person's custody status on a day — derived from events, never entered: the status
    after the deciding event (:mod:`prisonwatch.store.status_rule`), ``unknown`` without one.
    An expulsion abroad is a release (the event kind keeps the detail)."""

    HELD = "held"
    RELEASED = "released"
    DIED = "died"
    UNKNOWN = "unknown"


#: The status a custody event leaves the person in: held after +1, released after −1 (died
#: after a death in custody). Kinds without a custody effect decide nothing.
STATUS_AFTER: dict[EventKind, Status] = {
    k: Status.HELD if v > 0 else Status.DIED if k is EventKind.DIED_IN_CUSTODY else Status.RELEASED
    for k, v in CUSTODY_EFFECT.items()
    if v != 0
}

#: Status words accepted in an import's ``status`` column, mapped to event kinds.
STATUS_ALIASES: dict[str, EventKind] = {
    **{k.value: k for k in EventKind},
    "held": EventKind.DETAINED,
    "in custody": EventKind.DETAINED,
    "arrested": EventKind.DETAINED,
    "released": EventKind.RELEASED_END_OF_TERM,
    "expelled": EventKind.EXPELLED_ABROAD,
    "died": EventKind.DIED_IN_CUSTODY,
    "rearrested": EventKind.RE_ARRESTED,
    "re-arrested": EventKind.RE_ARRESTED,
}


class NameKind(StrEnum):
    OFFICIAL = "official"
    TRANSLITERATION = "transliteration"
    ALIAS = "alias"
    MISSPELLING = "misspelling"


class Script(StrEnum):
    CYRILLIC = "cyrillic"
    LATIN = "latin"
    MIXED = "mixed"
    OTHER = "other"


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def can_edit(self) -> bool:
        return self in (Role.EDITOR, Role.ADMIN)

    def is_admin(self) -> bool:
        return self is Role.ADMIN


class Visibility(StrEnum):
    """Public facts may be shown to anyone allowed to see the registry (viewers, and with
    ``--public`` anonymous readers). Private facts (relatives' contacts, internal notes,
    unverified reports) are shown to editors and admins only and never leave through public
    pages, the public API, exports (unless an admin asks for them) or logs."""

    PUBLIC = "public"
    PRIVATE = "private"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


GENDER_ALIASES: dict[str, Gender] = {
    "m": Gender.MALE,
    "male": Gender.MALE,
    "man": Gender.MALE,
    "м": Gender.MALE,
    "муж": Gender.MALE,
    "мужчина": Gender.MALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "woman": Gender.FEMALE,
    "ж": Gender.FEMALE,
    "жен": Gender.FEMALE,
    "женщина": Gender.FEMALE,
    "other": Gender.OTHER,
    "x": Gender.OTHER,
}


class JudgementDecision(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


class Verdict(StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NO_MATCH = "no-match"


class ConcessionKind(StrEnum):
    """What was given for a deal (:mod:`prisonwatch.store.deals`)."""

    DELISTING = "delisting"
    GENERAL_LICENCE = "general_licence"
    SUSPENSION = "suspension"
    PROGRAMME_CHANGE = "programme_change"
    EMBASSY_REOPENING = "embassy_reopening"
    OTHER = "other"


class LinkCertainty(StrEnum):
    """How sure the link between a concession and a release is: said so by a party
    (``stated_officially``), reported by the press or others (``reported``), or our own
    reading of dates and circumstances (``inferred``)."""

    STATED_OFFICIALLY = "stated_officially"
    REPORTED = "reported"
    INFERRED = "inferred"


#: Events a deal can name: the ways out of custody, and a refusal to leave (offered release
#: abroad as part of the deal, refused and taken back).
DEAL_EVENT_KINDS = frozenset(
    {*(k for k, v in CUSTODY_EFFECT.items() if v < 0), EventKind.REFUSED_TO_LEAVE}
) - {EventKind.DIED_IN_CUSTODY}
