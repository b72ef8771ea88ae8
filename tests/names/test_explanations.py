"""An explanation names the difference that is actually there (issue 16 §5): every folding
rule's label is checked against the pair it fires on."""

from __future__ import annotations

import pytest

from prisonwatch.names import compare

CASES = [
    # (left, right, labels that must be named, labels that must not be)
    ("Статкевич", "Статкевіч", ["и/і"], ["я/е", "iotated"]),
    ("Лукашенко", "Лукашэнка", ["е/э", "a/o vowel reduction"], ["iotated", "я/е"]),
    ("Колесникова", "Калеснікава", ["a/o vowel reduction", "и/і"], ["я/е", "iotated"]),
    ("Сергей", "Сяргей", ["я/е"], ["a/o"]),
    ("Тихановский", "Ціханоўскі", ["ц/т", "ў/в", "и/і"], ["iotated", "я/е"]),
    ("Statkevich", "Статкевіч", [], ["iotated", "я/е", "German"]),
    ("Statkewitsch", "Статкевіч", ["German spelling", "w = v"], ["iotated"]),
    ("Statkevich", "Statkievič", ["iotated vowel"], ["German"]),
    ("Lukashenko", "Лукашэнка", ["a/o vowel reduction"], ["iotated"]),
]


@pytest.mark.parametrize(("left", "right", "named", "absent"), CASES)
def test_explanation_names_the_real_difference(
    left: str, right: str, named: list[str], absent: list[str]
) -> None:
    why = compare(left, right).why
    for label in named:
        assert label in why, (label, why)
    for label in absent:
        assert label not in why, (label, why)
