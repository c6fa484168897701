"""A participant's page answers first: one line per instrument, the status and its date."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from instruments import domain
from instruments.templatetags.treaty import verdict

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.mark.parametrize(
    ("status", "line"),
    [
        (
            domain.ParticipantStatus(status=domain.SIGNATORY, signature_date=date(2002, 9, 3)),
            "signatory since 3 Sep 2002, not a party",
        ),
        (
            domain.ParticipantStatus(
                status=domain.PARTY,
                in_force=True,
                consent_date=date(2006, 6, 14),
                entry_into_force=date(2006, 7, 14),
            ),
            "party, in force since 14 Jul 2006",
        ),
        (
            domain.ParticipantStatus(
                status=domain.PARTY,
                in_force=False,
                consent_date=date(2017, 7, 11),
                entry_into_force=date(2017, 8, 10),
            ),
            "contracting State since 11 Jul 2017, not yet in force (in force from 10 Aug 2017)",
        ),
        (
            domain.ParticipantStatus(
                status=domain.DENOUNCED,
                denunciation_date=date(2010, 1, 1),
                denunciation_effective=date(2011, 1, 1),
            ),
            "denounced, no longer a party since 1 Jan 2011",
        ),
        (domain.NO_STATUS, "no action on record, not a party"),
    ],
)
def test_each_status_reads_as_one_line_with_its_date(status, line):
    assert verdict(status) == line


def verdicts(client, url: str) -> tuple[BeautifulSoup, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    lines = [" ".join(li.get_text(" ", strip=True).split()) for li in html.select(".verdict")]
    return html, lines


@pytest.mark.usefixtures("post2014_facts_accepted")  # Germany's 2021 Firearms consent
def test_the_verdicts_come_first_on_a_participants_page(client):
    html, lines = verdicts(client, "/states/DEU/?as_of=2005-01-01")
    assert html.select_one("#verdict-heading").get_text() == "Status as at 1 January 2005"
    assert lines == [
        "Convention : signatory since 12 Dec 2000, not a party "
        "today: party, in force since 14 Jul 2006",
        "Trafficking in Persons Protocol : signatory since 12 Dec 2000, not a party "
        "today: party, in force since 14 Jul 2006",
        "Smuggling of Migrants Protocol : signatory since 12 Dec 2000, not a party "
        "today: party, in force since 14 Jul 2006",
        "Firearms Protocol : signatory since 3 Sep 2002, not a party "
        "today: party, in force since 13 Nov 2021",
    ]
    # The answer is the first section of the page; the date form is inside it, the
    # citation below the detail.
    first = html.select_one("main section")
    assert first["class"] == ["verdicts"]
    assert first.select_one("#id_as_of")["value"] == "2005-01-01"
    body = str(html.select_one("main"))
    assert body.index('class="verdicts"') < body.index("standing-heading")
    assert body.index("standing-heading") < body.index('class="citation"')


def test_today_the_verdicts_give_one_line_each(client):
    html, lines = verdicts(client, "/states/DEU/")
    assert html.select_one("#verdict-heading").get_text().startswith("Status today, ")
    assert lines[0] == "Convention : party, in force since 14 Jul 2006"
    assert html.select_one(".verdict")["class"] == ["verdict", "st-party"]
