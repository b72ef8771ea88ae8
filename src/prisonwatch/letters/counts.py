"""Letters logged per person over a window of days (the letters log's one reading)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prisonwatch.store.schema_letters import LetterLog

#: The window of "fewest letters" and of the figures: letters logged as sent in the last 90 days.
WINDOW_DAYS = 90


def letter_counts(session: Session, day: dt.date, *, days: int = WINDOW_DAYS) -> dict[int, int]:
    """person id → letters logged as sent in the ``days`` days up to and including ``day``
    (``sent_on`` in (day - days, day]), editors' corrections included; people whose sum is 0
    are left out and a negative sum (over-corrected) counts as 0."""
    since = day - dt.timedelta(days=days)
    rows = session.execute(
        select(LetterLog.person_id, func.sum(LetterLog.count_delta))
        .where(LetterLog.sent_on > since, LetterLog.sent_on <= day)
        .group_by(LetterLog.person_id)
    )
    return {int(pid): int(n) for pid, n in rows if n and int(n) > 0}
