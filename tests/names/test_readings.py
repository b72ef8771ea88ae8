"""Other readings of a spelling (names/readings.py): German/Dutch ch = х, ё written е,
Belarusian ў for л and а for е after ц/ж/ш/ч, an honorific -khan, the Ukrainian -o of a given
name, j marking an iotated vowel after s/z. Each cause has pairs that must match (with the
reading named in the explanation when it is what links them) and pairs that must not — among
them, for every match, the same name with another row's surname."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prisonwatch.names import MATCH_THRESHOLD, compare, default_matcher
from prisonwatch.names.parse import parse_name
from prisonwatch.names.readings import fixed_letters, read_alike, readings
from prisonwatch.names.translit import Lang

DATA = Path(__file__).parent / "data" / "readings.csv"
ROWS = list(csv.DictReader(DATA.open(encoding="utf-8")))
IDS = [f"{r['cause']}:{r['left']}|{r['right']}" for r in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_pair(row: dict[str, str]) -> None:
    result = compare(row["left"], row["right"])
    if row["same"] == "1":
        assert result.score >= MATCH_THRESHOLD, result.why
        assert row["named"] in result.why
    else:
        assert result.score < MATCH_THRESHOLD, result.why


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_fast_score_is_the_explained_score(row: dict[str, str]) -> None:
    # compare() names a reading where score() skips trying it (one edit already): same score
    assert (
        default_matcher().score(row["left"], row["right"])
        == compare(row["left"], row["right"]).score
    )


def _other_surname(row: dict[str, str]) -> str:
    """``row``'s right name with the surname (last word) of another matching row."""
    words = row["right"].split()
    for other in ROWS:
        last = other["right"].split()[-1]
        if other["same"] == "1" and last[:3] != words[-1][:3]:
            return " ".join([*words[:-1], last])
    raise AssertionError("no other surname")


MATCHES = [r for r in ROWS if r["same"] == "1"]


@pytest.mark.parametrize("row", MATCHES, ids=[f"{r['cause']}:{r['left']}" for r in MATCHES])
def test_another_surname_stays_a_non_match(row: dict[str, str]) -> None:
    other = _other_surname(row)
    assert compare(row["left"], other).score < MATCH_THRESHOLD, other


def _labels(word: str, latin: bool) -> set[str]:
    return {label for _skel, labels in readings(word, latin) for label in labels}


@pytest.mark.parametrize(
    ("word", "latin", "label"),
    [
        ("michail", True, "German/Dutch spelling: ch = х"),
        ("artiom", True, "ё written е"),
        ("volk", False, "Belarusian ў for л"),
        ("tsepkalo", False, "Belarusian а for е after ц, ж, ш, ч"),
        ("ayubkhan", False, "honorific -khan (-хан) on one side"),
        ("mykhailo", True, "Ukrainian -o of a given name"),
        ("sjarhej", True, "j marks an iotated vowel (ся, зя, ця)"),
    ],
)
def test_reading_applies(word: str, latin: bool, label: str) -> None:
    assert label in _labels(word, latin)


@pytest.mark.parametrize(
    ("word", "latin", "label"),
    [
        # a transliterated Cyrillic ch is ч: only Latin writers use ch for х
        ("chernov", False, "German/Dutch spelling: ch = х"),
        # the patronymic -vich is English ч (German writes -witsch)
        ("ivanovich", True, "German/Dutch spelling: ch = х"),
        ("ivanovych", True, "German/Dutch spelling: ch = х"),
        # sch and tsch are ш and ч
        ("schubin", True, "German/Dutch spelling: ch = х"),
        # ё only after a consonant (Iosif is not "Esif")
        ("iosif", True, "ё written е"),
        # ў stands for л only before a consonant: not in Alla, Olena, Pavel
        ("alla", False, "Belarusian ў for л"),
        ("olena", False, "Belarusian ў for л"),
        ("pavel", False, "Belarusian ў for л"),
        # а for е only after the hardened ц, ж, ш, ч (Petrov is not Patrov)
        ("petrov", False, "Belarusian а for е after ц, ж, ш, ч"),
        # a name that is only the title, or too short a base
        ("khan", False, "honorific -khan (-хан) on one side"),
        ("bakhan", False, "honorific -khan (-хан) on one side"),
    ],
)
def test_reading_does_not_apply(word: str, latin: bool, label: str) -> None:
    assert label not in _labels(word, latin)


def test_a_reading_must_make_the_skeletons_equal() -> None:
    # Volkov read with ў is Vaukou, one letter from Raukou: no chaining with an edit
    assert read_alike("volkov", "valkav", False, "raukou", "ravkav", True) is None
    assert read_alike("volkov", "valkav", False, "vaukou", "vavkav", True) == (
        "Belarusian ў for л",
    )


def _words(shared_data: Path) -> list[tuple[str, str, bool]]:
    names = [r["left"] for r in ROWS] + [r["right"] for r in ROWS]
    with (shared_data / "names-dev.csv").open(encoding="utf-8") as fh:
        names += [r["name"] for r in csv.DictReader(fh)]
    return [
        (t.feat.ascii, t.feat.skeleton, t.feat.lang is Lang.LATIN)
        for name in names
        for t in parse_name(name).tokens
    ]


def test_no_reading_changes_the_fixed_letters(shared_data: Path) -> None:
    # read_alike skips a pair whose fixed letters differ: that is only safe if no reading ever
    # changes them (checked on every word of names-dev and of the readings table)
    checked = 0
    for ascii_word, skel, latin in _words(shared_data):
        for read, labels in readings(ascii_word, latin):
            assert fixed_letters(read) == fixed_letters(skel), (ascii_word, read, labels)
            checked += 1
    assert checked >= 300  # the check ran over a few hundred readings
