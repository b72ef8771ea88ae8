"""search_key: one ASCII key for the spellings of one name."""

from __future__ import annotations

import pytest

from prisonwatch.names import search_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Лукашэнка", "LUKASHENKO"),
        ("Lukasjenko", "Łukašenka"),
        ("Статкевіч", "Statkewitsch"),
        ("Statkiewicz", "Statkevich"),
        ("Ціханоўскі", "Tikhanovsky"),
        ("Калеснікава", "Kolesnikova"),
    ],
)
def test_same_key_for_spellings_of_one_name(a: str, b: str) -> None:
    assert search_key(a) == search_key(b)


@pytest.mark.parametrize(("a", "b"), [("Lukashenka", "Milinkevich"), ("Фабричный", "Бидонько")])
def test_different_names_different_keys(a: str, b: str) -> None:
    assert search_key(a) != search_key(b)


def test_key_is_lowercase_ascii_in_written_order() -> None:
    key = search_key("Аляксандр  Рыгоравіч ЛУКАШЭНКА")
    assert key.isascii() and key == key.lower()
    assert key.split() == [
        search_key("Аляксандр"),
        search_key("Рыгоравіч"),
        search_key("Лукашэнка"),
    ]
    assert key.startswith(search_key("Alexandr")[:5])
