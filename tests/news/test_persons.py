"""Finding people: the registry's names as the Belarusian name lexicon, and linking."""

from __future__ import annotations

from prisonwatch.news.extract import extract_claims
from prisonwatch.news.linking import PersonLinker, nominative
from prisonwatch.news.persons import name_stem, registry_lexicon


def test_registry_names_find_a_belarusian_name_the_ner_misses() -> None:
    text = "Ігнат Сідорчык вызвалены."
    assert extract_claims(text, "be") == []
    claims = extract_claims(text, "be", known_names=registry_lexicon(["Сідорчык Ігнат"]))
    assert [(c.status, c.person, c.quote) for c in claims] == [
        ("released", "Ігнат Сідорчык", "Ігнат Сідорчык вызвалены")
    ]


def test_sentence_opening_word_is_not_part_of_the_name() -> None:
    claims = extract_claims("Вызвалены Ўладзь Шчэцькі.", "be")
    assert [c.person for c in claims] == ["Ўладзь Шчэцькі"]


def test_name_stems_meet_case_forms() -> None:
    assert name_stem("Марыя") == "мары" and "марыю".startswith(name_stem("Марыя"))
    assert name_stem("Ігар") == "ігар"


def test_nominative_and_cross_script_linking() -> None:
    assert nominative("Марию Колесникову") == "Мария Колесникова"
    linker = PersonLinker(
        [(1, "Мікалай Статкевіч"), (2, "Марыя Калеснікава"), (3, "Віктар Бабарыка")]
    )
    for name, lang, want in (
        ("Mikal Statkevich", "en", 1),
        ("Марию Колесникову", "ru", 2),
        ("Віктара Бабарыкі", "be", 3),
    ):
        hit = linker.link(name, lang)
        assert hit is not None and hit.person_id == want and hit.score >= 0.8, name
    assert linker.link("Ihar Losik", "en") is None
