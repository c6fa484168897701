"""Messages made in Python read in the reader's language, and labels put inside a sentence
keep their capital where the language wants it (German nouns)."""

import io
from datetime import date

import pytest
from django.test import override_settings
from django.utils import translation

from core.rest.parsers import BodyRefused, StrictJSONParser
from instruments import domain
from instruments.filters import order_words
from instruments.templatetags.treaty import status_details


def _refusal(body: bytes) -> str:
    with pytest.raises(BodyRefused) as refused:
        StrictJSONParser().parse(io.BytesIO(body))
    return refused.value.problems[0].message


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_an_api_refusal_reads_in_the_active_language():
    body = b'{"note": "longer than ten bytes"}'
    assert _refusal(body) == "The body is larger than 10 bytes."
    with translation.override("fr"):
        assert _refusal(body) == "Le corps de la requête dépasse 10 octets."
    with translation.override("de"):
        assert _refusal(body) == "Der Inhalt ist größer als 10 Bytes."


def test_a_kind_of_consent_in_a_sentence_keeps_its_capital_only_in_german():
    ratified = domain.ParticipantStatus(
        status=domain.PARTY,
        in_force=True,
        consent_date=date(2006, 6, 14),
        consent_kind="ratification",
        entry_into_force=date(2006, 7, 14),
    )
    assert status_details(ratified)[0].startswith("ratification ")
    with translation.override("fr"):
        assert status_details(ratified)[0].startswith("ratification ")
    with translation.override("de"):
        assert "Ratifikation" in status_details(ratified)[0]


def test_an_ordering_in_a_sentence_reads_as_the_language_writes_it():
    assert order_words("name") == "name, A to Z"
    assert order_words("-consent_date") == "consent date, latest first"
    assert order_words("unknown") == "unknown"
    with translation.override("de"):
        assert order_words("name") == "Name, A bis Z"
