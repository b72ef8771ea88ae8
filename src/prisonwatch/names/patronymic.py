"""Patronymics from a father's given name, by the rules of Belarusian and Russian.

Russian: a hard consonant takes -ович/-овна (Александрович); -й after a vowel becomes
-евич/-евна (Сергей → Сергеевич, Николай → Николаевич); -ий becomes -ьевич (Юрий → Юрьевич,
Геннадий → Геннадьевич) or, after two consonants, -иевич (Дмитрий → Дмитриевич); -ь becomes
-евич (Игорь → Игоревич); -а/-я becomes -ич/-инична (Илья → Ильич, Кузьма → Кузьмич).
Belarusian: the same shapes with its spelling — -авіч/-аўна (Аляксандравіч), -евіч/-еўна
(Сяргей → Сяргеевіч, Васіль → Васілевіч), an apostrophe after a hard consonant (Юрый → Юр'евіч),
-ыевіч after two consonants (Дзмітрый → Дзмітрыевіч), -іч (Ілья → Ільіч), ў → в before
the suffix (Станіслаў → Станіслававіч).
Names whose stem changes are listed (Павел → Паўлавіч/Павлович, Пётр → Пятровіч/Петрович,
Лев → Львовіч/Львович, Міхаіл → Міхайлавіч/Михайлович).
"""

from __future__ import annotations

from typing import Literal

Language = Literal["be", "ru"]

_VOWELS = set("аеёиоуыэюяі")
_BE_HARD = set("рбпвмфжшч")

#: (language, father's name) → masculine patronymic, where the stem changes
_IRREGULAR: dict[tuple[Language, str], str] = {
    ("be", "Павел"): "Паўлавіч",
    ("ru", "Павел"): "Павлович",
    ("be", "Пётр"): "Пятровіч",
    ("ru", "Пётр"): "Петрович",
    ("ru", "Петр"): "Петрович",
    ("be", "Леў"): "Львовіч",
    ("ru", "Лев"): "Львович",
    ("be", "Міхаіл"): "Міхайлавіч",
    ("ru", "Михаил"): "Михайлович",
}


def _masculine(father: str, lang: Language) -> str:
    irregular = _IRREGULAR.get((lang, father))
    if irregular:
        return irregular
    low = father.lower()
    suffix = "віч" if lang == "be" else "вич"
    if low.endswith(("а", "я")) and len(low) > 2 and low[-2] not in _VOWELS:
        return father[:-1] + ("іч" if lang == "be" else "ич")
    if low.endswith(("ий", "ый")):
        stem = father[:-2]
        two_consonants = len(stem) >= 2 and not (_VOWELS & set(stem[-2:].lower()))
        if two_consonants:
            return stem + ("ые" if lang == "be" else "ие") + suffix
        if lang == "be":
            return stem + ("'е" if stem[-1].lower() in _BE_HARD else "е") + suffix
        return stem + "ье" + suffix
    if low.endswith("й") and len(low) > 1 and low[-2] in _VOWELS:
        return father[:-1] + "е" + suffix
    if low.endswith("ь"):
        return father[:-1] + "е" + suffix
    if lang == "be" and low.endswith("ў"):  # ў is в before a vowel: Станіслаў → Станіслававіч
        father = father[:-1] + "в"
    return father + ("а" if lang == "be" else "о") + suffix


def patronymic(father: str, lang: Language, *, female: bool = False) -> str:
    """The patronymic a child of ``father`` bears in ``lang``: Сяргей → Сяргеевіч (be),
    Сяргеўна for a daughter; Сергей → Сергеевич / Сергеевна (ru)."""
    male = _masculine(father.strip(), lang)
    if not female:
        return male
    if lang == "be":
        if male.endswith("віч"):
            return male[: -len("віч")] + "ўна"
        return male[: -len("іч")] + "інічна"  # Ільіч → Ільінічна
    if male.endswith("вич"):
        return male[: -len("вич")] + "вна"
    return male[: -len("ич")] + "инична"  # Ильич → Ильинична
