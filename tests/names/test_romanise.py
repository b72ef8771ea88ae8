"""Passport-style Latin for display: the spellings readers know, not ICU's BGN output."""

from __future__ import annotations

import pytest

from prisonwatch.names import compare
from prisonwatch.names.romanise import passport_latin
from prisonwatch.names.translit import Lang

BE = Lang.BELARUSIAN
RU = Lang.RUSSIAN
UK = Lang.UKRAINIAN

CASES = [
    # Belarusian: as Belarusian passports and the press write them
    ("Мікалай Статкевіч", BE, "Mikalai Statkevich"),  # as the seed article writes him
    ("Генадзь", BE, "Henadz"),
    ("Алег", BE, "Aleh"),
    ("Яўген", BE, "Yauhen"),
    ("Дзмітрый", BE, "Dzmitry"),
    ("Юрый", BE, "Yury"),
    ("Аляксандр Лукашэнка", BE, "Aliaksandr Lukashenka"),
    ("Святлана Ціханоўская", BE, "Sviatlana Tsikhanouskaya"),
    ("Марыя Калеснікава", BE, "Maryia Kalesnikava"),
    ("Алесь Бяляцкі", BE, "Ales Bialiatski"),
    ("Віктар Бабарыка", BE, "Viktar Babaryka"),
    ("Сяргей", BE, "Siarhei"),
    ("Таццяна", BE, "Tatsiana"),
    ("Наталля", BE, "Natallia"),
    ("Надзея", BE, "Nadzeya"),
    ("Вольга", BE, "Volha"),
    ("Ефім", BE, "Yefim"),
    ("Мар’яна", BE, "Maryana"),
    ("СТАТКЕВІЧ Мікалай", BE, "STATKEVICH Mikalai"),
    # Russian: ICAO Doc 9303 (2013), as Russian passports print since 2013
    ("Николай Статкевич", RU, "Nikolai Statkevich"),
    ("Сергей Сергеевич", RU, "Sergei Sergeevich"),
    ("Юрий", RU, "Iurii"),
    ("Дмитрий", RU, "Dmitrii"),
    ("Наталья", RU, "Natalia"),
    ("Пётр", RU, "Petr"),
    ("Подъячев", RU, "Podieiachev"),
    # Ukrainian: the national system of 2010
    ("Олена Зеленська", UK, "Olena Zelenska"),
    ("Євген Йосипович", UK, "Yevhen Yosypovych"),
    ("Їжак", UK, "Yizhak"),
]


@pytest.mark.parametrize(("cyrillic", "lang", "latin"), CASES)
def test_passport_spelling(cyrillic: str, lang: Lang, latin: str) -> None:
    assert passport_latin(cyrillic, lang) == latin


def test_language_is_read_from_the_letters_when_not_given() -> None:
    assert passport_latin("Мікалай Статкевіч") == "Mikalai Statkevich"  # і: Belarusian
    assert passport_latin("Дмитрий") == "Dmitrii"  # nothing Belarusian: Russian


def test_latin_and_digits_are_left_alone() -> None:
    assert passport_latin("Mikalai Statkevich") == "Mikalai Statkevich"
    assert passport_latin("Статкевіч (1956), Minsk") == "Statkevich (1956), Minsk"


@pytest.mark.parametrize(("cyrillic", "lang", "latin"), CASES[:12] + CASES[19:23])
def test_the_matcher_reads_the_passport_spelling_as_the_same_name(
    cyrillic: str, lang: Lang, latin: str
) -> None:
    assert compare(cyrillic, latin).score >= 0.8
