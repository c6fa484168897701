"""What a delegation found wrong on the pages: the instrument page's participant filter, the
date field, the debug 404, and the index pages."""

import re
from datetime import timedelta
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")


def soup(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.content[:1000]
    return BeautifulSoup(response.content.decode(), "html.parser")


def table_codes(html: BeautifulSoup, selector: str) -> list[str]:
    return [
        re.search(r"/states/([A-Z]{3})/", a["href"]).group(1)
        for a in html.select(f"{selector} tbody th a")
    ]


# --- The instrument page's participant filter --------------------------------------------------


def test_the_instrument_pages_filter_shows_the_participants_its_table_lists(client):
    first = soup(client, "/instruments/untoc/")
    selected = first.select_one("#id_osce_role option[selected]")
    assert selected is not None
    assert selected["value"] == "osce"
    # Show pressed after changing only the date (to today): the same list, not a narrower one.
    today = timezone.localdate().isoformat()
    assert first.select_one("#id_as_of")["value"] == today
    again = soup(client, f"/instruments/untoc/?as_of={today}")
    assert table_codes(again, "table.depositary") == table_codes(first, "table.depositary")
    # Every participant, once asked for: the select says so.
    every = soup(client, "/instruments/untoc/?osce_role=any")
    assert every.select_one("#id_osce_role option[selected]")["value"] == "any"
    assert len(table_codes(every, "table.depositary")) > len(table_codes(first, "table.depositary"))


def test_the_caption_and_citation_name_the_role_as_it_is_written(client):
    html = soup(client, "/instruments/tip/?osce_role=participating")
    caption = html.select_one("#participants-caption").get_text()
    citation = html.select_one("#citation-text").get_text()
    assert "(OSCE participating States)" in caption
    assert "Trafficking in Persons Protocol: OSCE participating States, as at" in citation
    assert "osce participating states" not in (caption + citation)


def test_a_status_page_without_a_filter_shows_the_choices_in_effect(client):
    html = soup(client, "/status/")
    assert html.select_one("#id_osce_role option[selected]")["value"] == "osce"
    assert html.select_one("#id_ordering option[selected]")["value"] == "name"
    assert html.select_one("#id_as_of")["value"] == timezone.localdate().isoformat()


# --- The date field --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "first_day", "words"),
    [
        ("/states/DEU/", "2000-11-15", "from 15 November 2000, when the Convention was adopted"),
        ("/instruments/fir/", "2001-05-31", "from 31 May 2001, when the Firearms Protocol"),
        ("/status/", "2000-11-15", "from 15 November 2000"),
    ],
)
def test_the_date_hint_gives_in_words_the_days_the_field_accepts(client, url, first_day, words):
    field = soup(client, url).select_one("#id_as_of")
    hint = soup(client, url).select_one("#id_as_of_helptext").get_text()
    today = timezone.localdate()
    assert field["type"] == "date"
    assert (field["min"], field["max"]) == (first_day, today.isoformat())
    assert words in hint
    assert f"to today ({today.day} {today:%B %Y})" in hint
    # The browser shows the date in the reader's format: the hint names none.
    assert "YYYY" not in hint


@pytest.mark.parametrize(
    ("as_of", "rule", "message"),
    [
        ("0630-02-01", "before_adoption", "cannot be before 2000-11-15"),
        ((timezone.localdate() + timedelta(days=1)).isoformat(), "after_today", "after today"),
    ],
)
def test_a_date_outside_the_record_is_refused_with_a_message(client, as_of, rule, message):
    html = soup(client, f"/states/DEU/?as_of={as_of}", status=400)
    problem = html.select_one(f'[data-field="as_of"][data-rule="{rule}"]')
    assert problem is not None
    assert message in unescape(problem.get_text())


def test_a_date_before_a_protocols_adoption_is_refused_on_its_page(client):
    """The Firearms Protocol was adopted on 31 May 2001, after the Convention: its page refuses
    a date the Convention's pages accept."""
    html = soup(client, "/instruments/fir/?as_of=2001-01-15", status=400)
    problem = html.select_one('[data-field="as_of"][data-rule="before_adoption"]')
    assert problem is not None
    assert "cannot be before 2001-05-31" in unescape(problem.get_text())
    soup(client, "/instruments/untoc/?as_of=2001-01-15")


# --- Not found, in every mode ----------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("url", ["/no-such-page/", "/states/XXX/", "/instruments/nope/"])
def test_a_bad_address_shows_the_sites_own_404_in_every_mode(client, url, debug):
    with override_settings(DEBUG=debug):
        response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Not found</h1>" in body
    assert 'href="/states/"' in body
    assert "URLconf" not in body
    assert "urlpatterns" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_a_bad_api_address_answers_in_the_apis_error_shape_in_every_mode(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["rule"] == "not_found"


def test_an_address_without_its_slash_still_redirects(client):
    response = client.get("/states/DEU")
    assert response.status_code == 301
    assert response["Location"] == "/states/DEU/"


def test_states_lists_every_participant_by_osce_role(client):
    html = soup(client, "/states/")
    headings = [h.get_text() for h in html.select("main h2")]
    assert headings == [
        "OSCE participating States (57)",
        "OSCE Partners for Co-operation (11)",
        "Other participants (120)",
    ]
    links = [a["href"] for a in html.select("main section a")]
    assert "/states/DEU/" in links
    assert "/states/EUU/" in links
    assert "/states/BRA/" in links


def test_instruments_lists_the_convention_and_its_protocols(client):
    html = soup(client, "/instruments/")
    links = [a["href"] for a in html.select("main .index-list a")]
    assert links == [
        "/instruments/untoc/",
        "/instruments/tip/",
        "/instruments/som/",
        "/instruments/fir/",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # revision (ETag); the instruments (not held yet after the write).
        ("/instruments/", 2),
        # revision (ETag); the participants with their role today.
        ("/states/", 2),
    ],
)
def test_the_index_pages_run_a_fixed_number_of_queries_at_two_sizes(client, url, expected):
    counts = []
    for size in (5, 60):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected], [q["sql"] for q in queries.captured_queries]


def test_the_api_docs_page_has_a_language_and_a_link_back_to_the_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.html["lang"] == "en"
    back = html.select_one("header.docs-header a")
    assert back["href"] == "/"
    assert "UNTOC Tracker" in back.get_text()
    assert html.find("style") is None  # everything from files, under the CSP


def test_the_feeds_entries_cite_their_sources_as_a_reader_would(client):
    body = client.get("/feeds/actions/?state=BTN").content.decode()
    assert (
        "Source: Ministry of Foreign Affairs of Bhutan, press release of 23 March 2023 "
        "(mfa.gov.bt/press-release-585)" in unescape(body)
    )
    assert "Bhutan MFA press release 2023-03-23" not in unescape(body)
