"""Breakdown dimensions: each maps every person to one or more group labels.

The groups are fixed for a query (they do not change with the day counted), so the identity
``held(end) − held(start) = inflow − outflow`` holds within every group:

* ``region``, ``gender``: the person's fields (``unknown`` when empty);
* ``article``: every criminal-code article of the person's cases (a person with several
  articles counts under each, so the groups add up to more than the total; ``unknown`` when no
  article is recorded);
* ``age``: age band on a reference day (by default the last day of the query), from
  ``Person.birth_start``; a person stays in one band for the whole query;
* ``organisation``: every organisation that has recognised the person by the reference day
  (``none`` when none has). For recognition flows this dimension uses each organisation's own
  recognitions and withdrawals.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.sql.selectable import Subquery

from prisonwatch.model import EventKind
from prisonwatch.stats.periods import add_months
from prisonwatch.store.schema import Case, CaseArticle, Organisation, Person, StatusEvent
from prisonwatch.store.visibility import case_visible, event_visible

UNKNOWN = "unknown"
#: (label, lowest age, highest age + 1 or None)
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 18", 0, 18),
    ("18-29", 18, 30),
    ("30-39", 30, 40),
    ("40-49", 40, 50),
    ("50-59", 50, 60),
    ("60-69", 60, 70),
    ("70+", 70, None),
)


PID = Person.id.label("person_id")


class Dimension(StrEnum):
    REGION = "region"
    GENDER = "gender"
    ARTICLE = "article"
    AGE = "age"
    ORGANISATION = "organisation"


def _age_band(ref: dt.date) -> object:
    """CASE expression: the band of ``Person.birth_start`` on ``ref``. Age ≥ a  ⇔  born on or
    before ``ref`` minus a years, so the bands are date comparisons that run on any backend."""
    whens = []
    for label, low, _high in reversed(AGE_BANDS):
        whens.append((Person.birth_start <= add_months(ref, -12 * low), literal(label)))
    return case((Person.birth_start.is_(None), literal(UNKNOWN)), *whens, else_=literal(UNKNOWN))


def group_map(
    dimension: Dimension, *, reference_day: dt.date, include_private: bool = False
) -> Subquery:
    """Subquery (person_id, grp) over all people for the dimension."""
    stmt: Select[int, str]
    if dimension is Dimension.REGION:
        stmt = select(PID, func.coalesce(Person.region, literal(UNKNOWN)).label("grp"))
    elif dimension is Dimension.GENDER:
        stmt = select(PID, func.coalesce(Person.gender, literal(UNKNOWN)).label("grp"))
    elif dimension is Dimension.AGE:
        stmt = select(PID, _age_band(reference_day).label("grp"))  # type: ignore[attr-defined]
    elif dimension is Dimension.ARTICLE:
        conds = [Case.id == CaseArticle.case_id, *case_visible(include_private)]
        arts = (
            select(CaseArticle.person_id.label("pid"), CaseArticle.article.label("article"))
            .join(Case, and_(*conds))
            .distinct()
            .subquery("arts")
        )
        stmt = (
            select(PID, func.coalesce(arts.c.article, literal(UNKNOWN)).label("grp"))
            .select_from(Person)
            .outerjoin(arts, arts.c.pid == Person.id)
        )
    else:
        rconds = [
            StatusEvent.kind == EventKind.RECOGNISED.value,
            StatusEvent.date_start <= reference_day,
        ]
        rconds += event_visible(include_private)
        orgs = (
            select(StatusEvent.person_id.label("pid"), Organisation.name.label("org"))
            .join(Organisation, Organisation.id == StatusEvent.organisation_id)
            .where(and_(*rconds))
            .distinct()
            .subquery("orgs")
        )
        stmt = (
            select(PID, func.coalesce(orgs.c.org, literal("none")).label("grp"))
            .select_from(Person)
            .outerjoin(orgs, orgs.c.pid == Person.id)
        )
    return stmt.distinct().subquery("groups")


__all__ = ["AGE_BANDS", "UNKNOWN", "Dimension", "group_map"]
