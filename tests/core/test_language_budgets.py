"""A page costs the same statements in every language: names, titles and dates come from
per-language data kept in the process, never from a query per row or per language."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.core.test_languages import LANGUAGES, PUBLIC_PAGES, prefixed

pytestmark = pytest.mark.usefixtures("real_data")


def statements(client, path: str) -> int:
    """The statements of one answer built anew (the response cache emptied first)."""
    caches["default"].clear()
    caches["local"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_costs_the_same_statements_in_each_language(client, path):
    for language in LANGUAGES:
        client.get(prefixed(language, path))  # what the process keeps per language, once
    counts = {language: statements(client, prefixed(language, path)) for language in LANGUAGES}
    assert set(counts.values()) == {counts["en"]}, counts


def test_a_name_read_from_the_database_per_row_would_be_seen(client, monkeypatch):
    """The comparison is real: a participant name costing a query outside English is caught."""
    import states.models
    from core.languages import public_code
    from states.models import Participant

    english_name = states.models.participant_name

    def name_with_a_query(iso3, english, language=None):
        if public_code(language) != "en":
            Participant.objects.filter(iso3=iso3).exists()
        return english_name(iso3, english, language)

    monkeypatch.setattr(states.models, "participant_name", name_with_a_query)
    assert statements(client, "/fr/states/DEU/") > statements(client, "/states/DEU/")
