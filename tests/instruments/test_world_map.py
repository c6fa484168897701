"""The map: every participant coloured by its status with one instrument on a date, a link
to its page with its status in its name, the OSCE area outlined; shapes shipped, nothing
from another host."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from instruments import selectors
from instruments.mapshapes import MAP_FILE, shapes
from states.models import Participant
from states.selectors import participant_list
from tests.factories import synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")


def svg(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content.decode(), "html.parser").select_one("svg.world-map")


def parties(as_of: date, code: str) -> int:
    matrix = selectors.status_matrix(
        as_of=as_of, participants=list(participant_list(as_of=as_of)), instrument_codes=[code]
    )
    return matrix.counts()[code]["parties"]


def test_the_shapes_are_shipped_small_and_cover_every_participant():
    assert MAP_FILE.stat().st_size < 300_000
    drawn = shapes()
    missing = [p.iso3 for p in Participant.objects.all() if p.iso3 not in drawn]
    assert missing == []
    assert "d" in drawn["DEU"]
    assert "dot" in drawn["LIE"]  # too small for the coarse shapes: a dot
    assert "dot" in drawn["EUU"]


@pytest.mark.parametrize(("as_of", "code"), [("2005-12-31", "untoc"), ("2010-12-31", "som")])
def test_the_map_colours_the_parties_of_its_date(client, as_of, code):
    drawn = svg(client, f"/map/?as_of={as_of}&instrument={code}")
    coloured = drawn.select("[data-iso3].st-party, [data-iso3].st-party-pending")
    assert len(coloured) == parties(date.fromisoformat(as_of), code)


def test_the_map_recolours_from_2005_to_today(client):
    then = svg(client, "/map/?as_of=2005-12-31")
    now = svg(client, "/map/")
    count = lambda s: len(s.select("[data-iso3].st-party"))  # noqa: E731
    assert count(now) > count(then) > 50


def test_every_participant_is_a_link_named_with_its_status(client):
    drawn = svg(client, "/map/?instrument=fir&as_of=2010-12-31")
    links = drawn.select("a")
    assert len(links) == Participant.objects.count()
    germany = next(a for a in links if a["href"].startswith("/states/DEU/"))
    assert germany["aria-label"] == "Germany: signatory since 3 Sep 2002, not a party"
    assert germany["href"] == "/states/DEU/?as_of=2010-12-31"
    # The OSCE participating States of that date are outlined (56: Mongolia joined in 2012),
    # the Partners dashed.
    on = date(2010, 12, 31)
    outlined = {e["data-iso3"] for e in drawn.select("[data-iso3].osce-ps")}
    dashed = {e["data-iso3"] for e in drawn.select("[data-iso3].osce-partner")}
    assert outlined == {p.iso3 for p in participant_list(osce_role="participating", as_of=on)}
    assert len(outlined) == 56
    assert "MNG" not in outlined
    assert dashed == {p.iso3 for p in participant_list(osce_role="partner", as_of=on)}
    assert not re.search(r'(href|src)="(https?:)?//', str(drawn))


def test_a_bad_instrument_or_date_is_a_400_naming_it(client):
    response = client.get("/map/?instrument=xyz")
    assert response.status_code == 400
    assert "Unknown instrument “xyz”" in response.content.decode()
    early = client.get("/map/?instrument=fir&as_of=2001-01-01")
    assert early.status_code == 400
    assert "Firearms" in early.content.decode()


def test_the_map_runs_a_fixed_number_of_queries_at_two_sizes(client):
    counts = []
    for size in (5, 60):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/map/").status_code == 200
        counts.append(len(queries))
    # revision (ETag); the instruments (not held after the write); participants with their
    # role on the date; their actions.
    assert counts == [4, 4], [q["sql"] for q in queries.captured_queries]
