"""The one parser of the people filter (store/people_filter.py), as the web's query string and
the CLI's options give it text."""

from __future__ import annotations

import datetime as dt

import pytest

from prisonwatch.store.people import PeopleFilter
from prisonwatch.store.people_filter import FilterError, parse_people_filter, parse_sort


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, PeopleFilter()),
        ({"status": "held", "region": "  Minsk "}, PeopleFilter(status="held", region="Minsk")),
        ({"status": "", "text": "   "}, PeopleFilter()),  # empty means no filter
        ({"text": " Ivan   Petrov "}, PeopleFilter(text="Ivan Petrov")),  # spaces folded
        ({"min_sentence_months": 12}, PeopleFilter(min_sentence_months=12)),  # the CLI's int
        ({"max_sentence_months": "1200"}, PeopleFilter(max_sentence_months=1200)),
        ({"detained_from": "2020-09-01"}, PeopleFilter(detained_from=dt.date(2020, 9, 1))),
        ({"gender": "female", "unknown_key": "x"}, PeopleFilter(gender="female")),
    ],
)
def test_parses(raw: dict[str, str | int], expected: PeopleFilter) -> None:
    assert parse_people_filter(raw) == expected


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"status": "escaped"}, "status", "use one of held, released, died, unknown"),
        ({"gender": "x"}, "gender", "use one of male, female, other"),
        ({"min_sentence_months": "ten"}, "min_sentence_months", "not a whole number"),
        ({"max_sentence_months": -1}, "max_sentence_months", "must be between 0 and 1200"),
        ({"detained_to": "2020-09"}, "detained_to", "use a full date YYYY-MM-DD"),
        ({"article": "3" * 31}, "article", "longer than 30 characters (31)"),
        ({"text": "x" * 301}, "text", "longer than 300 characters (301)"),
        ({"region": "Minsk\u202e"}, "region", "U+202E"),
    ],
)
def test_refuses_naming_the_field(raw: dict[str, str | int], field: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_people_filter(raw)
    assert caught.value.field == field and message in caught.value.message
    assert str(caught.value) == f"{field}: {caught.value.message}"
    assert str(next(iter(raw.values()))) not in message  # the value is not echoed


def test_sort() -> None:
    assert parse_sort(None) == parse_sort(" ") == "name"
    assert parse_sort("-detained") == "-detained"
    with pytest.raises(FilterError, match="sort: use one of name, -name"):
        parse_sort("age")
