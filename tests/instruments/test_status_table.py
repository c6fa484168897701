"""The status table as a delegation uses it: filtered by status, sorted by a column heading
without JavaScript, the legend first, one line per participant unless asked for detail."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from instruments import domain, selectors
from instruments.models import Instrument
from instruments.services import action_record
from states.models import Participant
from states.selectors import participant_list

pytestmark = pytest.mark.usefixtures("real_data")


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.content[:1000]
    return BeautifulSoup(response.content.decode(), "html.parser")


def row_names(html: BeautifulSoup) -> list[str]:
    return [a.get_text() for a in html.select(".status-table tbody th a")]


def test_one_filter_lists_the_participating_states_not_party_to_the_smuggling_protocol(client):
    url = "/status/?osce_role=participating&instrument=som&status=not_party"
    html = soup(client, url)
    participating = list(participant_list(osce_role="participating"))
    matrix = selectors.status_matrix(
        as_of=timezone.localdate(),
        participants=participating,
        instrument_codes=["som"],
    )
    expected = [p.name for p in participating if matrix.status(p.pk, "som").status != domain.PARTY]
    assert expected  # some participating States are not parties
    assert row_names(html) == expected
    assert "not a party" in html.select_one("#status-caption").get_text()
    # The API answers the same filter with the same rows.
    api = client.get(
        "/api/v1/status/",
        {
            "osce_role": "participating",
            "instrument": "som",
            "status": "not_party",
            "page_size": 1000,
        },
    ).json()
    assert [r["state_name"] for r in api["results"]] == expected
    assert {r["status"] for r in api["results"]} <= {"signatory", "none", "denounced"}


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("party", {("party", True), ("party", False)}),
        ("party_in_force", {("party", True)}),
        ("signatory", {("signatory", False)}),
        ("none", {("none", False)}),
    ],
)
def test_each_status_keeps_only_participants_with_it(client, status, allowed):
    api = client.get(
        "/api/v1/status/",
        {"instrument": "fir", "status": status, "osce_role": "any", "page_size": 1000},
    ).json()
    assert api["results"]
    assert {(r["status"], r["in_force"]) for r in api["results"]} <= allowed


def test_a_column_heading_sorts_by_that_instrument_without_javascript(client):
    first = soup(client, "/status/?osce_role=participating")
    fir = next(th for th in first.select(".status-table thead th") if "Firearms" in th.get_text())
    assert fir["aria-sort"] == "none"
    sorted_page = soup(client, "/status/" + fir.select_one("a.sort")["href"])
    heading = next(
        th for th in sorted_page.select(".status-table thead th") if "Firearms" in th.get_text()
    )
    assert heading["aria-sort"] == "ascending"
    words = [
        row.select("td")[3].select_one(".st-word").get_text()
        for row in sorted_page.select(".status-table tbody tr")
    ]
    order = ["Party", "Contracting State", "Signatory", "Denounced", "No action on record"]
    assert words == sorted(words, key=order.index)
    assert words[0] == "Party"
    assert words[-1] != "Party"
    # Again: reversed; the other filters kept.
    again = heading.select_one("a.sort")["href"]
    assert "ordering=-status%3Afir" in again
    assert "osce_role=participating" in again
    reversed_page = soup(client, "/status/" + again)
    assert row_names(reversed_page)[0] != row_names(sorted_page)[0]


def test_the_participant_heading_sorts_by_name_and_back(client):
    html = soup(client, "/status/")
    name = html.select_one(".status-table thead th")
    assert name["aria-sort"] == "ascending"
    backwards = soup(client, "/status/" + name.select_one("a")["href"])
    assert row_names(backwards) == row_names(html)[::-1]


def test_the_legend_comes_before_the_table_and_cells_are_one_line_by_default(client):
    html = soup(client, "/status/?as_of=2007-06-30")
    body = str(html.select_one("main"))
    assert body.index('class="legend"') < body.index('class="status-table')
    assert "compact-cells" in html.select_one(".status-table")["class"]
    germany = next(r for r in html.select(".status-table tbody tr") if "DEU" in r.th.get_text())
    cells = [" ".join(td.get_text(" ", strip=True).split()) for td in germany.select("td")]
    assert cells[0] == "Party 14 Jul 2006"
    detailed_link = html.find("a", string="Show every date in each cell")["href"]
    detailed = soup(client, "/status/" + detailed_link)
    assert "compact-cells" not in detailed.select_one(".status-table")["class"]
    germany = [r for r in detailed.select(".status-table tbody tr") if "DEU" in r.th.get_text()]
    assert "ratification 14 Jun 2006" in germany[0].select("td")[0].get_text(" ")


def test_a_bad_status_is_a_400_naming_it_on_page_and_api(client):
    page = client.get("/status/?status=bogus")
    api = client.get("/api/v1/status/?status=bogus")
    assert page.status_code == api.status_code == 400
    assert api.json()["errors"][0]["field"] == "status"
    assert "Unknown status “bogus”" in page.content.decode()


def test_the_denounced_filter_lists_a_party_once_its_denunciation_takes_effect(client):
    """No participant has denounced an instrument in the shipped data: one does here, through
    the services, and the filter finds it from the day the denunciation takes effect."""
    query = {"instrument": "fir", "status": "denounced", "osce_role": "any", "page_size": 1000}
    assert client.get("/api/v1/status/", query).json()["results"] == []
    party = client.get(
        "/api/v1/status/", {**query, "status": "party_in_force", "as_of": "2014-01-01"}
    ).json()["results"][0]

    action_record(
        participant=Participant.objects.get(iso3=party["state"]),
        instrument=Instrument.objects.get(code="fir"),
        kind=domain.DENUNCIATION,
        date=date(2015, 3, 2),
        source="Depositary notification (test)",
    )

    # FIR art. 20: effective one year after the Secretary-General receives it.
    before = client.get("/api/v1/status/", {**query, "as_of": "2016-03-01"}).json()
    assert before["results"] == []
    after = client.get("/api/v1/status/", {**query, "as_of": "2016-03-02"}).json()
    assert [(r["state"], r["status"]) for r in after["results"]] == [(party["state"], "denounced")]
    page = soup(client, "/status/?instrument=fir&status=denounced&osce_role=any&as_of=2016-03-02")
    assert row_names(page) == [party["state_name"]]
