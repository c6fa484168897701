"""The public pages as a delegation reads them: what they show, against the data."""

import re
from datetime import date
from html import unescape
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from instruments import profiles, records, selectors, services
from instruments.models import Instrument
from states.models import Participant
from states.selectors import OSCE_ROLE_GROUPS, participant_list
from tests.factories import participant, synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")

ATOM = "{http://www.w3.org/2005/Atom}"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:2000]
    return unescape(response.content.decode())


def words(html: str) -> str:
    """The text a reader sees, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_codes(html: str) -> list[str]:
    """The participant codes of a table's rows, in order."""
    return re.findall(r'<th scope="row"><a href="/states/([A-Z]{3})/', html)


def status_cell(html: str, iso3: str, column: int) -> str:
    """The text of one cell of the status table: the row of `iso3`, the `column`th
    instrument (0-based), tags removed."""
    row = re.search(rf'<tr><th scope="row"><a href="/states/{iso3}/.*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[column]).split())


# --- Home -----------------------------------------------------------------------------------


def test_home_counts_signatories_and_parties_worldwide_and_in_the_osce_area(client):
    html = page(client, "/")
    today = timezone.localdate()
    matrix = selectors.status_matrix(as_of=today)
    osce = [p.pk for p in matrix.participants if p.osce_role in OSCE_ROLE_GROUPS["osce"]]
    world, area = matrix.counts(), matrix.counts(osce)
    for instrument in matrix.instruments:
        row = re.search(rf">{instrument.short_title}</a></th>(.*?)</tr>", html, re.S).group(1)
        numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
        code = instrument.code
        # The OSCE area first: on a phone its columns are in view without scrolling.
        assert numbers == [
            area[code]["signatories"],
            area[code]["parties"],
            world[code]["signatories"],
            world[code]["parties"],
        ]
    # A known fact: the Convention has far more parties worldwide than in the OSCE area.
    assert world["untoc"]["parties"] > area["untoc"]["parties"] > 50
    assert f"as at {today.day} {today:%B %Y}" in html
    assert f"Status as at {today.day} {today:%B %Y} — cite as" in words(html)


def test_home_counts_as_at_a_chosen_date_with_a_permalink(client):
    html = page(client, "/?as_of=2003-09-29")  # the day the Convention entered into force
    matrix = selectors.status_matrix(as_of=date(2003, 9, 29))
    parties = matrix.counts()["untoc"]["parties"]
    row = re.search(r">Convention</a></th>(.*?)</tr>", html, re.S).group(1)
    assert int(re.findall(r'<td class="num">(\d+)</td>', row)[3]) == parties  # worldwide
    assert "Signatories and parties as at 29 September 2003" in html
    assert f'href="{settings.SITE_URL}/?as_of=2003-09-29"' in html
    assert "Enter the date as YYYY-MM-DD" in page(client, "/?as_of=someday", status=400)


def test_home_lists_the_latest_actions_newest_first_and_a_new_one_comes_first(client):
    html = page(client, "/")
    dates = re.findall(r'<li><time datetime="(\d{4}-\d\d-\d\d)"', html)
    assert len(dates) == 10
    assert dates == sorted(dates, reverse=True)

    who = participant()  # South Sudan, a test fixture
    services.action_record(
        participant=who,
        instrument=Instrument.objects.get(code="untoc"),
        kind="accession",  # a signature today is outside the window (art. 36(1))
        date=timezone.localdate(),
        source="test",
    )
    html = page(client, "/")
    first = re.search(r'<ol class="action-list">\s*<li>(.*?)</li>', html, re.S).group(1)
    assert "South Sudan" in first
    assert "Accession (a) of the" in first


def test_the_chart_and_its_table_give_the_same_numbers(client):
    html = page(client, "/")
    today = timezone.localdate()
    history = profiles.party_history(
        osce_roles=OSCE_ROLE_GROUPS["osce"], first_year=2000, today=today
    )
    table = re.search(r'id="parties-table-caption".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    years = re.findall(r'<tr><th scope="row">(\d{4})', table)
    assert years == [str(y) for y in range(2000, today.year + 1)]
    table_rows = [
        [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    assert table_rows == [counts for _, counts in history.rows()]
    assert table_rows[0] == [0, 0, 0, 0]  # nobody was a party in 2000

    # Read the values back from the SVG: y = bottom - (bottom - top) * value / y_max.
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    y_max = max(int(t) for t in re.findall(r'text-anchor="end">(\d+)</text>', svg))
    grid = [float(y) for y in re.findall(r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg)]
    bottom, top = max(grid), min(grid)
    lines = re.findall(r'<polyline class="line series-\d" points="([^"]+)"', svg)
    assert len(lines) == 4
    for column, points in enumerate(lines):
        values = [
            round((bottom - float(p.split(",")[1])) * y_max / (bottom - top))
            for p in points.split()
        ]
        assert values == [row[column] for row in table_rows]


# --- The status table ---------------------------------------------------------------------


def test_status_defaults_to_today_and_the_osce_participating_states_and_partners(client):
    html = page(client, "/status/")
    expected = list(
        participant_list(osce_role="osce").values_list("iso3", flat=True)
    )  # by name, as the page sorts
    assert row_codes(html) == expected
    assert len(expected) == 68
    today = timezone.localdate()
    assert f"Status as at {today.day} {today:%B %Y} — cite as" in words(html)


def test_status_on_30_june_2007_shows_germany_in_force_and_austria_a_signatory(client):
    html = page(client, "/status/?as_of=2007-06-30&osce_role=participating&view=detailed")
    # The participating States of that date: 56, Mongolia (2012) not yet among them.
    assert len(row_codes(html)) == 56
    assert "MNG" not in row_codes(html)
    germany = status_cell(html, "DEU", 0)
    assert germany.startswith("Party, in force")
    assert "ratification 14 Jun 2006" in germany
    assert "in force since 14 Jul 2006" in germany
    assert status_cell(html, "AUT", 2) == "Signatory signed 12 Dec 2000"  # SOM: ratified Nov 2007
    assert status_cell(html, "DEU", 3).startswith("Signatory")  # Firearms: signed only


def test_status_on_1_january_2006_shows_germany_a_signatory_only(client):
    html = page(client, "/status/?as_of=2006-01-01&state=DEU&view=detailed")
    assert row_codes(html) == ["DEU"]
    assert status_cell(html, "DEU", 0) == "Signatory signed 12 Dec 2000"


def test_a_participant_outside_the_chosen_role_is_not_shown_and_the_page_says_why(client):
    html = page(client, "/status/?state=BRA")
    assert row_codes(html) == []
    assert "No participant matches these filters" in html
    assert row_codes(page(client, "/status/?state=BRA&osce_role=any")) == ["BRA"]


def test_status_filters_by_instrument_and_state_and_sorts_by_date(client):
    html = page(
        client, "/status/?as_of=2010-01-01&instrument=som&state=DEU,AUT,FRA&ordering=-consent_date"
    )
    assert re.findall(r'<a class="col-link" href="/instruments/(\w+)/', html) == ["som"]
    # Austria ratified the Smuggling Protocol on 30 Nov 2007, Germany on 14 Jun 2006, France
    # on 29 Oct 2002: latest first.
    assert row_codes(html) == ["AUT", "DEU", "FRA"]
    ascending = page(
        client, "/status/?as_of=2010-01-01&instrument=som&state=DEU,AUT,FRA&ordering=consent_date"
    )
    assert row_codes(ascending) == ["FRA", "DEU", "AUT"]


def test_status_says_how_complete_the_data_are(client):
    html = page(client, "/status/?as_of=2007-06-30")
    assert (
        "Convention and Trafficking in Persons Protocol: complete to 27 January 2014; "
        "Smuggling of Migrants Protocol and Firearms Protocol: complete to 10 July 2014; "
        "later actions partial." in html
    )
    only_som = page(client, "/status/?instrument=som")
    assert "Smuggling of Migrants Protocol: complete to 10 July 2014; later actions partial." in (
        only_som
    )


def test_the_permalink_reproduces_the_view(client):
    html = page(client, "/status/?osce_role=participating&as_of=2007-06-30&instrument=tip,untoc")
    permalink = re.search(r'<a class="permalink" href="([^"]+)"', html).group(1)
    assert permalink == (
        f"{settings.SITE_URL}/status/?as_of=2007-06-30&osce_role=participating&instrument=untoc,tip"
    )
    again = page(client, permalink.removeprefix(settings.SITE_URL))
    table = re.compile(r'<table class="status-table[^"]*">.*?</table>', re.S)
    assert table.search(again).group(0) == table.search(html).group(0)


def test_a_permalink_made_today_names_todays_date(client):
    html = page(client, "/status/")
    today = timezone.localdate().isoformat()
    assert f'href="{settings.SITE_URL}/status/?as_of={today}&osce_role=osce"' in html


def test_the_downloads_are_the_api_exports_of_exactly_this_view(client):
    html = page(client, "/status/?as_of=2007-06-30&osce_role=participating")
    links = re.findall(r'<a class="button-secondary" href="(/api/[^"]+)" download>', html)
    assert links == [
        "/api/v1/status/?format=csv&as_of=2007-06-30&osce_role=participating",
        "/api/v1/status/?format=xlsx&as_of=2007-06-30&osce_role=participating",
    ]
    html = page(
        client,
        "/status/?as_of=2007-06-30&instrument=tip&instrument=untoc&state=deu,aut"
        "&ordering=-entry_into_force",
    )
    links = re.findall(r'<a class="button-secondary" href="(/api/[^"]+)" download>', html)
    assert links[0] == (
        "/api/v1/status/?format=csv&as_of=2007-06-30&osce_role=osce&instrument=untoc,tip"
        "&state=DEU,AUT&ordering=-entry_into_force"
    )
    assert links[1].startswith("/api/v1/status/?format=xlsx&as_of=2007-06-30&osce_role=osce")


def test_all_participants_can_be_shown(client):
    html = page(client, "/status/?osce_role=any")
    assert len(row_codes(html)) == Participant.objects.count()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=garbage", "Enter the date as YYYY-MM-DD, for example 2007-06-30."),
        ("as_of=2007-02-30", "2007-02-30 is not a date in the calendar."),
        ("as_of=1999-12-31", "The date cannot be before 2000-11-15, when the United Nations"),
        ("as_of=2999-01-01", "The date cannot be after today"),
        ("osce_role=xyz", "Unknown OSCE role “xyz”; use one of osce, participating,"),
        ("instrument=abc", "Unknown instrument code “abc”."),
        ("instrument=untoc,abc", "Unknown instrument code “abc”"),
        ("state=XYZ", "Unknown participant code “XYZ”."),
        ("state=AUT,12", "“12” is not a participant code"),
        ("ordering=size", "Unknown sort order “size”"),
    ],
)
def test_a_bad_status_filter_is_a_400_naming_the_parameter(client, query, message):
    html = page(client, f"/status/?{query}", status=400)
    parameter = query.split("=")[0]
    assert message in html
    assert f"({parameter})</a>: " in html  # the error summary names the parameter
    assert 'aria-invalid="true"' in html
    assert '<table class="status-table">' not in html


# --- A participant's page ------------------------------------------------------------------


def test_a_participant_page_shows_each_instrument_today_and_as_of_the_date(client):
    html = page(client, "/states/AUT/?as_of=2007-06-30")
    assert "<h1>Austria</h1>" in html
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a href=\"/instruments/(\w+)/.*?</tr>", html, re.S)
    assert rows == ["untoc", "tip", "som", "fir"]
    som = re.search(r'<a href="/instruments/som/[^"]*">.*?</tr>', html, re.S).group(0)
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r"<td[^>]*>(.*?)</td>", som, re.S)
    ]
    # The status first (as at 30 June 2007, then today), then the record's dates.
    assert cells[0] == "Signatory signed 12 Dec 2000"
    assert cells[1].startswith("Party, in force")
    assert cells[2:6] == ["12 Dec 2000", "30 Nov 2007", "Ratification", "30 Dec 2007"]
    assert "Status as at 30 June 2007 — cite as" in words(html)


def test_a_participant_page_gives_declarations_with_their_text_and_a_timeline(client):
    html = page(client, "/states/AUT/")
    assert "Objection to Belarus's interpretative declaration" in html
    # Its source, as a citation.
    assert "Austrian Federal Law Gazette (BGBl.) III No. 57/2025 (scope announcement)" in html
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    dates = re.findall(r'<time datetime="([\d-]+)"', timeline)
    assert dates == sorted(dates)
    actions = records.action_list_latest(limit=100, participant_codes=["AUT"])
    assert {f'id="action-{a.pk}"' for a in actions} <= set(re.findall(r'id="action-\d+"', timeline))
    assert "Entry into force of the Convention for Austria" in timeline
    assert '<time datetime="2004-10-23">' in timeline  # 30 days after the 23 Sep 2004 deposit


def test_a_participant_page_shows_what_it_owes_the_cop_and_what_is_on_record(client):
    # Germany notified its central authority (art. 18(13)) with its ratification of
    # 14 Jun 2006; no language notification (art. 18(14)) is on record.
    html = page(client, "/states/DEU/?as_of=2010-01-01")
    section = html[html.index('id="obligations-heading"') :]
    section = section[: section.index("</section>")]
    rows = {
        re.sub(r"<[^>]+>", "", head): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells)).strip()
        for head, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', section, re.S)
    }
    central = rows["UNTOC art. 18(13): Central authority for mutual legal assistance"]
    # The "Owed as" column: a party by 2010 (the Convention in force for Germany), where
    # before entry into force it would read "contracting State".
    assert central == "party 14 Jun 2006 Received 14 Jun 2006 (a notification in the treaty data)"
    languages = rows["UNTOC art. 18(14): Language for mutual legal assistance requests"]
    # Due since 14 Jun 2006, but no one has checked the records for it: "no submission on
    # record" is said only where the records are known complete.
    assert languages == (
        "party 14 Jun 2006 Not yet checked: the tracker\u2019s records for this obligation are "
        "not known complete"
    )
    assert rows["UNTOC art. 31(6): Prevention authority"] == (
        "party no due date set No due date set"
    )
    assert "not a finding that a State failed to act" in section


def test_a_participant_that_is_no_party_owes_nothing(client):
    html = page(client, "/states/JPN/?as_of=2010-01-01")  # a signatory only in 2010
    assert "No obligation owed to the Conference of the Parties applies to Japan" in html


def test_a_participant_found_by_a_former_name_shows_it(client):
    html = page(client, "/states/MKD/")
    assert "also listed as “The former Yugoslav Republic of Macedonia”" in html


def test_a_lower_case_code_redirects_to_the_canonical_address(client):
    response = client.get("/states/aut/?as_of=2007-06-30")
    assert response.status_code == 301
    assert response["Location"] == "/states/AUT/?as_of=2007-06-30"


def test_a_participants_downloads_are_its_rows_of_the_status_export(client):
    html = page(client, "/states/AUT/?as_of=2007-06-30")
    links = re.findall(r'<a class="button-secondary" href="(/api/[^"]+)" download>', html)
    assert links[0] == "/api/v1/status/?format=csv&state=AUT&osce_role=any&as_of=2007-06-30"


# --- An instrument's page ------------------------------------------------------------------


def test_an_instrument_page_lists_participants_as_the_depositary_does(client):
    html = page(client, "/instruments/fir/?as_of=2014-07-10&osce_role=any")
    row = re.search(r"/states/AZE/[^>]*>Azerbaijan</a></th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[2] == "3 Dec 2004 a"  # accession (after the status and the signature)
    bahamas = re.search(r">Bahamas</a></th>(.*?)</tr>", html, re.S).group(1)
    assert "(kind not recorded)" in bahamas
    # Only participants that had acted by the date are listed, as in the depositary's table.
    assert "/states/DEU/" in html  # signed in 2002
    assert ">Andorra</a>" not in html


def test_an_instrument_page_counts_and_gives_the_entry_into_force_rule(client):
    html = page(client, "/instruments/untoc/?as_of=2007-06-30&osce_role=any")
    matrix = selectors.status_matrix(as_of=date(2007, 6, 30), instrument_codes=["untoc"])
    counts = matrix.counts()["untoc"]
    assert f"<strong>{counts['signatories']}</strong> signatories" in html
    assert f"<strong>{counts['parties']}</strong> parties, {counts['in_force']} in force" in html
    assert "In force since <strong>29 September 2003</strong>" in html
    assert "the 40th instrument of ratification, acceptance, approval or accession" in html
    assert "90th day after its deposit" in html
    assert "30th day after that participant's deposit" in html
    assert "Not bound by art. 35(2)" in html  # Algeria's reservation, in the declarations list


def test_a_protocol_page_states_article_37(client):
    assert "UNTOC art. 37(2)" in page(client, "/instruments/tip/")


def test_unknown_participants_and_instruments_are_404(client):
    assert client.get("/states/XXX/").status_code == 404
    assert client.get("/states/TOOLONG/").status_code == 404
    assert client.get("/instruments/nope/").status_code == 404


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/states/AUT/?as_of=2007-13-01", "2007-13-01 is not a date in the calendar."),
        ("/instruments/tip/?osce_role=xyz", "Unknown OSCE role “xyz”"),
        ("/instruments/tip/?as_of=soon", "Enter the date as YYYY-MM-DD"),
        ("/reports/osce-status/?as_of=yesterday", "Enter the date as YYYY-MM-DD"),
        ("/feeds/actions/?instrument=xyz", "Unknown instrument code “xyz”"),
        ("/feeds/actions/?state=ZZZ", "Unknown participant code “ZZZ”."),
        ("/search/?q=" + "x" * 101, "Give at most 100 characters."),
        ("/instruments/fir/?as_of=2001-01-01", "when the Protocol against the Illicit"),
    ],
)
def test_bad_parameters_on_any_page_are_a_400_saying_why(client, url, message):
    assert message in page(client, url, status=400)


# --- Search, feed, compliance ----------------------------------------------------------------


def test_search_finds_participants_by_name_former_name_and_code(client):
    # A whole name, former name or code opens the participant's page.
    assert client.get("/search/?q=Swaziland")["Location"] == "/states/SWZ/"  # now Eswatini
    assert client.get("/search/?q=aut")["Location"] == "/states/AUT/"
    assert re.search(r'<a href="/states/AUT/">Austria</a>', page(client, "/search/?q=Austr"))
    assert "No participant's name, former name or code matches “Atlantis”" in page(
        client, "/search/?q=Atlantis"
    )


def test_search_finds_declarations_by_their_words(client):
    html = page(client, "/search/?q=interpretative declaration")
    assert "Objection to Belarus's interpretative declaration" in html
    assert "/states/AUT/" in html


def test_an_empty_search_explains_what_to_type(client):
    assert "Type a participant's name" in page(client, "/search/?q=")


def test_the_feed_is_atom_with_the_latest_actions_newest_first(client):
    response = client.get("/feeds/actions/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    latest = records.action_list_latest(limit=1)[0]
    assert entries[0].find(f"{ATOM}id").text == f"untoc-tracker:action:{latest.pk}"
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/states/{latest.participant.iso3}/#action-{latest.pk}")


def test_the_feed_filters_by_instrument_and_state(client):
    feed = ElementTree.fromstring(client.get("/feeds/actions/?instrument=tip&state=AUT").content)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == [
        "Austria: Ratification of the Trafficking in Persons Protocol, 15 Sep 2005",
        "Austria: Signature of the Trafficking in Persons Protocol, 12 Dec 2000",
    ]
    assert "instrument tip; participant AUT" in feed.find(f"{ATOM}title").text


# --- What every page shares ------------------------------------------------------------------

PAGES = [
    "/",
    "/status/",
    "/states/AUT/",
    "/instruments/untoc/",
    "/compliance/",
    "/reports/osce-status/",
    "/search/?q=Austr",  # a part of a name: the results page
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_landmarks_a_skip_link_and_the_search_box(client, url):
    html = page(client, url)
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'role="search" action="/search/"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert "<footer" in html


@pytest.mark.parametrize("url", PAGES)
def test_no_page_loads_anything_from_another_host(client, url):
    html = page(client, url)
    # A rel="alternate" link names the page in another language or format; nothing loads it
    # (hreflang alternates are absolute URLs, as search engines want them).
    html = re.sub(r'<link rel="alternate" hreflang=[^>]*>', "", html)
    loaded = re.findall(r'<(?:script|img|link|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert loaded
    assert [u for u in loaded if re.match(r"(https?:)?//", u)] == []


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_an_etag_and_answers_304_until_the_data_change(client, url):
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.action_record(
        participant=participant(),
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test",
    )
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag


def test_pages_only_answer_reads(client):
    assert client.post("/status/").status_code == 405
    assert client.head("/status/").status_code == 200


def test_what_the_query_string_says_is_shown_escaped(client):
    response = client.get("/status/?osce_role=<script>alert(1)</script>&state=<b>")
    assert response.status_code == 400
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    found = client.get("/search/?q=<img src=x>")
    assert b"<img src=x>" not in found.content


# --- Queries: a fixed number whatever the number of participants ------------------------------


# Each request follows a write (the synthetic participants), so nothing is held in memory yet:
# the instruments are read once (and then held for the revision), and the page is built.
# Every language costs the same: its names and titles come from data files read once per
# process, not from the database; each page is counted in English and under one prefix.
@pytest.mark.parametrize("prefix", ["", "/ru"])
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # revision (ETag, citation, key of the instruments held); the instruments; status
        # matrix: participants (each with its role on the date), actions; party history:
        # role periods, then the actions of the participants with a role; latest actions
        # with participants and instruments.
        ("/", 7),
        ("/?as_of=2007-06-30", 7),
        # revision; the instruments (filter form and matrix); status matrix: participants,
        # actions.
        ("/status/", 4),
        ("/status/?osce_role=any&as_of=2007-06-30&ordering=-consent_date", 4),
        # ... and the check that the `state` codes exist.
        ("/status/?state=AUT,DEU", 5),
        # The table downloaded: the page's queries, the same whatever the format.
        ("/status/table.xlsx?osce_role=any&as_of=2007-06-30", 4),
        ("/status/table.csv?state=AUT,DEU&status=party", 5),
        # revision; participant; its former names; its OSCE role periods; the instruments;
        # profile: actions, declarations; compliance standings: obligations, participant,
        # actions, submissions and notifications (one query), evidence coverage; its
        # competent authorities designated (with their obligations and instruments).
        ("/states/AUT/", 13),
        # revision; the instruments (the one shown among them); status matrix: participants,
        # actions; declarations with participants.
        ("/instruments/untoc/", 5),
        # revision; the instruments; status matrix: participants, actions (no declarations).
        ("/instruments/untoc/table.xlsx?osce_role=any", 4),
        # revision; the instruments; status matrix: OSCE-area participants, actions;
        # compliance standings: obligations, participants, actions, submissions and
        # notifications (one query), evidence coverage; the role periods of participants
        # whose role that year is known only to the year.
        ("/reports/osce-status/?as_of=2007-06-30", 10),
        # revision (ETag); participants; their former names (names are matched in memory,
        # accents folded); the instruments; the found participants' actions (each result
        # shows its status); declarations matching.
        ("/search/?q=Synthetic", 6),
        # revision; the instruments for the filter; actions with participants and instruments.
        ("/feeds/actions/", 3),
        # ... and the check that the `state` codes exist.
        ("/feeds/actions/?state=AUT", 4),
        # revision (ETag); the instruments (for the as_of rules); obligations (the filter);
        # the group's participant ids; compliance standings: obligations, participants,
        # actions, submissions and notifications (one query), evidence coverage; the last
        # check's date.
        ("/compliance/", 10),
        ("/compliance/?as_of=2008-01-01&osce_role=any&bucket=1_to_5_years", 10),
        # revision; the instruments; the designations with their participants, obligations
        # and instruments (the OSCE role group read inside the same query).
        ("/authorities/", 3),
        ("/authorities/?osce_role=any&ordering=-since", 3),
        # ... and the check that the `state` codes exist.
        ("/authorities/?state=AUT,DEU&instrument=untoc", 4),
    ],
)
def test_each_page_runs_a_fixed_number_of_queries_at_two_sizes(client, prefix, url, expected):
    counts = []
    for size in (5, 60):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(prefix + url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [expected, expected], [q["sql"] for q in queries.captured_queries]


def test_the_synthetic_participants_do_appear_on_the_pages_counted(client):
    """The query-count test is only worth something if the added rows are really read."""
    synthetic_participants(3)
    assert len(row_codes(page(client, "/status/"))) == 71
    assert "Synthetic participant" in page(client, "/search/?q=Synthetic")
