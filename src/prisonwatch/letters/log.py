"""The letters log: "I sent a letter" from anyone, editors' corrections, and the readings made
of it — fewest letters first, and a pick weighted towards fewer letters.

Nothing personal is stored. The rate limit keys a client (the caller passes what identifies it,
e.g. the IP address) with an HMAC whose key changes every day and never leaves the process
(``PRISONWATCH_SECRET_KEY`` when set, so that several workers of one app agree; otherwise a
random key per process); the ``letter_throttle`` rows hold only those hashes and a count, and
are deleted two days later. The log itself holds the person, the day and the count.

Limits per client and day (the real date, not the day a letter says it was sent):
:data:`MAX_PER_CLIENT_PER_DAY` letters in all, and :data:`MAX_PER_PERSON_PER_DAY` for one
person; a letter is logged within :data:`MAX_DAYS_BACK` days of sending.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import random
import secrets
from collections.abc import Sequence

from sqlalchemy.orm import Session

from prisonwatch.store.letters import add_correction, add_letter, bump_counter, forget_counters
from prisonwatch.store.schema import Person, utcnow
from prisonwatch.validation import FieldError, check_text

from .counts import WINDOW_DAYS, letter_counts
from .eligibility import eligible_recipients, recipients_for
from .model import Recipient

MAX_PER_CLIENT_PER_DAY = 20
MAX_PER_PERSON_PER_DAY = 1
#: How many days after sending a letter can still be logged.
MAX_DAYS_BACK = 7
#: The largest correction an editor may make at once.
MAX_CORRECTION = 10_000

_PROCESS_KEY = secrets.token_bytes(32)


class LetterError(Exception):
    """A letter that cannot be logged."""


class NotEligible(LetterError):
    """The person cannot be written to (not held, released, flagged, hidden, unknown)."""


class RateLimited(LetterError):
    """This client logged too many letters today; ``retry_after`` until the next day."""

    def __init__(self, message: str, retry_after: dt.timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _secret() -> bytes:
    env = os.environ.get("PRISONWATCH_SECRET_KEY")
    return env.encode() if env else _PROCESS_KEY


def client_hash(client_key: str, day: dt.date, *parts: object) -> str:
    """A keyed hash of the client for ``day`` (never stored beyond two days)."""
    msg = "|".join([day.isoformat(), client_key, *(str(p) for p in parts)]).encode()
    return hmac.new(_secret(), msg, hashlib.sha256).hexdigest()[:64]


def _today() -> dt.date:
    """The real date (UTC), by which the limits count — not the day a letter says it was sent
    (tests replace it)."""
    return utcnow().date()


def _throttle(session: Session, client_key: str, person_id: int, day: dt.date) -> None:
    """Count the letter against the client's limits of ``day`` (the real date)."""
    now = utcnow()
    forget_counters(session, now - dt.timedelta(days=2))
    tomorrow = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    wait = max(tomorrow - now, dt.timedelta(minutes=1))
    # one key order for every caller (client first), so concurrent writers never deadlock
    if bump_counter(session, "c:" + client_hash(client_key, day), now) > MAX_PER_CLIENT_PER_DAY:
        raise RateLimited(
            f"at most {MAX_PER_CLIENT_PER_DAY} letters can be logged a day from one place", wait
        )
    if (
        bump_counter(session, "p:" + client_hash(client_key, day, person_id), now)
        > MAX_PER_PERSON_PER_DAY
    ):
        raise RateLimited("this letter is already logged today", wait)


def log_letter(session: Session, person_id: int, *, client_key: str, day: dt.date) -> None:
    """Log a letter sent on ``day`` to the person, for the client ``client_key``. ``day`` is
    today for the caller, or up to :data:`MAX_DAYS_BACK` days before (a letter posted last
    week); later or earlier days are refused (:class:`~prisonwatch.validation.FieldError`).
    The limits count by the real date, whatever ``day`` says, so old days cannot be used to log
    more. Raises :class:`NotEligible` unless the person is eligible for a public reader on
    ``day`` (so a flagged or hidden person cannot be probed this way either),
    :class:`RateLimited` over the limits — then the caller rolls the transaction back and
    nothing is counted."""
    today = _today()
    if day > today + dt.timedelta(days=1):
        raise FieldError("sent_on", f"{day} is in the future")
    if day < today - dt.timedelta(days=MAX_DAYS_BACK):
        raise FieldError("sent_on", f"a letter is logged within {MAX_DAYS_BACK} days of sending")
    if not recipients_for(session, day, [person_id]):
        raise NotEligible(f"person {person_id} cannot be written to")
    _throttle(session, client_key or "-", person_id, today)
    add_letter(session, person_id, day)


def correct_count(session: Session, person_id: int, delta: int, *, actor: str, reason: str) -> None:
    """An editor's correction of the person's count (a row with ``delta``, dated today, so
    it counts for the next 90 days), audited with the reason. Callers check the role."""
    if not isinstance(delta, int) or delta == 0 or abs(delta) > MAX_CORRECTION:
        raise FieldError("delta", f"a correction is a non-zero whole number up to {MAX_CORRECTION}")
    why = check_text("reason", reason, limit=2000)
    if not why:
        raise FieldError("reason", "a correction needs a reason")
    if session.get(Person, person_id) is None:
        raise NotEligible(f"no person with id {person_id}")
    add_correction(session, person_id, delta, _today(), actor=actor, reason=why)


def _tie(day: dt.date, person_id: int) -> str:
    """A tie-break that changes every day: people with as few letters are not always shown
    in the same (alphabetical) order, so the first of them do not take every letter."""
    return hashlib.sha256(f"{day.isoformat()}|{person_id}".encode()).hexdigest()


def fewest_letters(
    session: Session, day: dt.date, *, limit: int = 10, include_private: bool = False
) -> list[Recipient]:
    """Eligible people with an address, fewest letters logged in the last 90 days first
    (ties in an order that changes daily)."""
    return fewest_among(
        eligible_recipients(session, day, include_private=include_private), day, limit=limit
    )


def with_address(people: Sequence[Recipient]) -> list[Recipient]:
    """Those of ``people`` whose facility has an address in at least one language."""
    return [r for r in people if r.facility is not None and r.facility.has_address]


def fewest_among(people: Sequence[Recipient], day: dt.date, *, limit: int = 10) -> list[Recipient]:
    """:func:`fewest_letters` over an eligible list computed once (a page that shows the pick,
    the fewest list and the birthdays reads the eligible people once)."""
    ranked = sorted(with_address(people), key=lambda r: (r.letters_90d, _tie(day, r.person_id)))
    return ranked[: max(0, limit)]


def weight(letters: int) -> float:
    """The chance of being picked relative to others: 1 / (1 + letters in 90 days)."""
    return 1.0 / (1 + max(0, letters))


def pick(session: Session, day: dt.date, *, rng: random.Random) -> Recipient | None:
    """One eligible person with an address (public scope), at random with :func:`weight`
    (someone without letters is twice as likely as someone with one, eleven times as likely
    as someone with ten). None when nobody can be picked."""
    return choose(with_address(eligible_recipients(session, day)), rng)


def choose(people: Sequence[Recipient], rng: random.Random) -> Recipient | None:
    """One of ``people`` (give it :func:`with_address` of an eligible list) at random
    with :func:`weight`, in person id order, so a seeded ``rng`` gives the same person for the
    same candidates; None for none."""
    if not people:
        return None
    ordered = sorted(people, key=lambda r: r.person_id)
    return rng.choices(ordered, weights=[weight(r.letters_90d) for r in ordered])[0]


__all__ = [
    "MAX_DAYS_BACK",
    "MAX_PER_CLIENT_PER_DAY",
    "MAX_PER_PERSON_PER_DAY",
    "WINDOW_DAYS",
    "LetterError",
    "NotEligible",
    "RateLimited",
    "choose",
    "correct_count",
    "fewest_among",
    "fewest_letters",
    "letter_counts",
    "log_letter",
    "pick",
    "weight",
    "with_address",
]
