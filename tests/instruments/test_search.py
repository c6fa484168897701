"""Search as a delegation types it: a whole name in any OSCE language, a short form or a code
opens the participant's page; a part of a name lists the participants, each with its status."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instruments import services
from instruments.models import Instrument
from states.search import fold, participant_find
from tests.factories import participant, synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")


def test_names_fold_case_accents_and_punctuation():
    assert fold("Côte d\u2019Ivoire") == "cote d ivoire"
    assert fold("  TÜRKIYE ") == "turkiye"
    assert fold("Österreich") == fold("osterreich")


@pytest.mark.parametrize(
    ("typed", "iso3"),
    [
        ("UK", "GBR"),
        ("uk", "GBR"),
        ("Deutschland", "DEU"),
        ("Allemagne", "DEU"),
        ("allemagne", "DEU"),
        ("Österreich", "AUT"),
        ("osterreich", "AUT"),
        ("Germania", "DEU"),  # Italian
        ("Alemania", "DEU"),  # Spanish
        ("Германия", "DEU"),  # Russian
        ("cote d'ivoire", "CIV"),
        ("USA", "USA"),
        ("Swaziland", "SWZ"),  # a former name, as recorded
        ("deu", "DEU"),  # the code
        ("Germany", "DEU"),
        ("EU", "EUU"),
    ],
)
def test_a_whole_name_short_form_or_code_opens_the_participants_page(client, typed, iso3):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302, typed
    assert response["Location"] == f"/states/{iso3}/"


def test_a_part_of_a_name_lists_each_match_with_its_status_today(client):
    response = client.get("/search/", {"q": "King"})
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    results = {
        li.select_one("a")["href"]: li for li in html.select("#found-participants ~ ul > li")
    }
    assert "/states/GBR/" in results  # United Kingdom
    statuses = [
        s.get_text(" ", strip=True) for s in results["/states/GBR/"].select(".result-status li")
    ]
    assert statuses == [
        "Convention: Party, in force",
        "Trafficking in Persons Protocol: Party, in force",
        "Smuggling of Migrants Protocol: Party, in force",
        "Firearms Protocol: Signatory",  # signed in 2002, not ratified
    ]


def test_a_name_shared_by_several_lists_them_instead_of_choosing(client):
    found = participant_find("Congo")
    assert found.exact is None
    assert {"COD", "COG"} <= {p.iso3 for p in found.participants}
    assert client.get("/search/", {"q": "Congo"}).status_code == 200


def test_a_new_participant_is_found_by_its_recorded_name_at_once(client):
    newcomer = participant()  # South Sudan, a test fixture
    services.action_record(
        participant=newcomer,
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test",
    )
    html = client.get("/search/", {"q": "uth Sud"}).content.decode()
    assert "South Sudan" in html
    assert "Signatory" in html


def test_search_runs_a_fixed_number_of_queries_at_two_sizes(client):
    counts = []
    for size in (5, 60):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/?q=Synthetic").status_code == 200
        counts.append(len(queries))
    # revision (ETag); participants; their former names; the instruments (not held after the
    # write); the found participants' actions; the declarations matching.
    assert counts == [6, 6], [q["sql"] for q in queries.captured_queries]
