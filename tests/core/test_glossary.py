"""The glossary of treaty terms (locale/glossary.csv) and the check translations run against it."""

import pytest

from core.glossary import glossary, glossary_problems

LANGUAGES = ["fr", "de", "it", "ru", "es"]
REQUIRED = [
    "ratification",
    "acceptance",
    "approval",
    "accession",
    "succession",
    "signature",
    "entry into force",
    "depositary notification",
    "party",
    "contracting State",
    "reservation",
    "declaration",
    "denunciation",
    "participating State",
    "Partner for Co-operation",
    "Conference of the Parties",
]


def test_the_glossary_gives_every_required_term_in_each_language_with_its_source():
    terms = {term.english: term for term in glossary()}
    assert set(REQUIRED) <= set(terms)
    for term in terms.values():
        assert term.source
        for language in LANGUAGES:
            assert term.names[language], (term.english, language)
            # The stem is part of the term itself, so the term passes its own check.
            stems = term.stems[language].casefold().split("|")
            assert any(stem in term.names[language].casefold() for stem in stems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_term_passes_the_check_in_its_own_words(language):
    for term in glossary():
        assert glossary_problems(f"the {term.english}", term.names[language], language) == []


def test_a_translation_that_uses_another_word_is_named():
    assert glossary_problems("Date of accession", "Дата вступления", "ru") == [
        "'accession' should be 'присоединение' (UNTERM; UNTOC art. 36(4) in each language's text)"
    ]
    assert glossary_problems("Date of accession", "Дата присоединения", "ru") == []
    # "States Parties" is the longer term: no second problem about "party" alone.
    assert glossary_problems("States Parties", "États parties", "fr") == []
    assert len(glossary_problems("States Parties", "Staaten", "de")) == 1


def test_codes_the_translation_keeps_as_they_are_are_not_terms():
    # A parameter's values and a field's name stay English in every language.
    assert (
        glossary_problems(
            "status: party, signatory, denounced", "statut : party, signatory, denounced", "fr"
        )
        == []
    )
    assert glossary_problems("sort by signature_date", "trier par signature_date", "es") == []
    # A term translated with another word is still named.
    assert len(glossary_problems("Denounced", "Retiré", "fr")) == 1
