"""A delegation's path through the tracker, in a real browser, checked against the data:
home -> its own State -> the date 30 June 2007 -> the OSCE participating States ->
download -> the printable report."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from instruments import profiles, selectors
from states.models import Participant
from states.selectors import participant_list
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ON = date(2007, 6, 30)


def cell_texts(row) -> list[str]:
    return [" ".join(text.split()) for text in row.locator("td").all_inner_texts()]


def test_a_delegation_finds_its_state_sets_the_date_filters_and_prints_the_report(browsing):
    tab = browsing()
    page = tab.page

    # Home: the counts and the chart are there; the delegation searches for its State.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "OSCE participating States and Partners"
    )
    expect(page.locator("svg.chart")).to_be_visible()
    page.get_by_role("searchbox", name="Search participants and declarations").fill("Austria")
    page.get_by_role("button", name="Search", exact=True).click()

    # A whole name opens its own State's page; then as at 30 June 2007.
    expect(page).to_have_url(re.compile(r"/states/AUT/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Austria")
    page.get_by_label("Status as at:", exact=True).fill("2007-06-30")
    page.get_by_role("main").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/states/AUT/\?as_of=2007-06-30$"))
    austria = Participant.objects.get(iso3="AUT")
    profile = profiles.participant_profile(austria, as_of=ON, today=timezone.localdate())
    standing = page.locator("table.standing tbody tr")
    expect(standing).to_have_count(4)
    for index, (instrument, _, as_of) in enumerate(profile.rows):
        row = standing.nth(index)
        expect(row.locator("th")).to_have_text(instrument.short_title)
        as_at_cell = cell_texts(row)[0]  # the status first
        assert as_at_cell.startswith({"party": "Party", "signatory": "Signatory"}[as_of.status])
    # Austria ratified the Smuggling of Migrants Protocol on 30 November 2007.
    assert cell_texts(standing.nth(2))[0] == "Signatory signed 12 Dec 2000"
    expect(page.locator(".citation")).to_contain_text("Status as at 30 June 2007 — cite as")

    # All States on that date, then only the OSCE participating States.
    page.get_by_role("link", name="All States as at 30 June 2007").click()
    expect(page).to_have_url(re.compile(r"/status/\?as_of=2007-06-30$"))
    page.get_by_label("Participants:", exact=True).select_option("participating")
    page.get_by_role("main").get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/status/\?as_of=2007-06-30&osce_role=participating"))
    participating = list(participant_list(osce_role="participating", as_of=ON))
    rows = page.locator("table.status-table tbody tr")
    expect(rows).to_have_count(len(participating))
    expect(rows.locator("th")).to_have_text([p.name + " " + p.iso3 for p in participating])
    matrix = selectors.status_matrix(
        as_of=ON, participants=participant_list(osce_role="participating", as_of=ON)
    )
    words = {"party": "Party", "signatory": "Signatory", "none": "No action on record"}
    for index, who in enumerate(participating):
        shown = [
            text.split(",")[0].split("\n")[0]
            for text in rows.nth(index).locator("td .st-word").all_inner_texts()
        ]
        expected = [words[matrix.status(who.pk, i.code).status] for i in matrix.instruments]
        assert shown == expected, who.name
    counts = matrix.counts()
    footer = page.locator("table.status-table tfoot tr")
    assert cell_texts(footer.nth(0)) == [
        str(counts[i.code]["signatories"]) for i in matrix.instruments
    ]
    expect(page.locator(".currency")).to_contain_text("complete to 27 January 2014")
    expect(page.locator(".currency")).to_contain_text("later actions partial")
    permalink = page.locator("a.permalink")
    expect(permalink).to_have_attribute(
        # On the configured site address, never the Host header a client sent.
        "href",
        f"{settings.SITE_URL}/status/?as_of=2007-06-30&osce_role=participating",
    )

    # The download links: the table as on screen, and the API's exports of exactly this view.
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute(
        "href", "/status/table.csv?as_of=2007-06-30&osce_role=participating"
    )
    expect(page.get_by_role("link", name="Excel (XLSX)")).to_have_attribute(
        "href", "/status/table.xlsx?as_of=2007-06-30&osce_role=participating"
    )
    expect(
        page.get_by_role("link", name="CSV, one row per participant and instrument")
    ).to_have_attribute(
        "href", "/api/v1/status/?format=csv&as_of=2007-06-30&osce_role=participating"
    )

    # The printable report for the same date.
    page.get_by_role("link", name="The OSCE status report as at 30 June 2007").click()
    expect(page).to_have_url(re.compile(r"/reports/osce-status/\?as_of=2007-06-30$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Status of the UN Convention against Transnational Organized Crime and its Protocols: "
        "OSCE participating States and Partners"
    )
    osce = selectors.status_matrix(
        as_of=ON, participants=participant_list(osce_role="osce", as_of=ON)
    )
    participating_ids = [p.pk for p in osce.participants if p.role_on == "participating"]
    summary = osce.counts(participating_ids)
    summary_rows = page.locator("#summary-caption").locator("xpath=..").locator("tbody tr")
    for index, instrument in enumerate(osce.instruments):
        numbers = cell_texts(summary_rows.nth(index))[:2]
        assert numbers == [
            str(summary[instrument.code]["signatories"]),
            str(summary[instrument.code]["parties"]),
        ]
    not_party = page.locator(".report-not-party")
    expect(not_party).to_contain_text("Austria — signatory")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator("#report-title")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(
        path=SCREENSHOTS / "osce-status-report-2007-06-30.pdf", prefer_css_page_size=True
    )
    # One page for the summary, one or more per instrument, one for the States not yet party.
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 6


def test_the_download_gives_the_rows_on_screen(browsing):
    """The table as on screen (/status/table.csv|xlsx) and the API's long format."""
    tab = browsing()
    page = tab.page
    page.goto("/status/?as_of=2007-06-30&osce_role=participating")
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    href = csv_link.get_attribute("href")
    answer = page.request.get(href)
    assert answer.status == 200, f"{href} answered {answer.status}"

    with page.expect_download() as download:
        csv_link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0].endswith("OSCE participating States, as at 30 June 2007")
    blank = lines.index([])
    headings, rows = lines[blank + 1], lines[blank + 2 :]
    austria = dict(zip(headings, next(r for r in rows if r[1] == "AUT"), strict=True))
    assert austria["Convention — Status"] == "Party, in force"
    assert austria["Convention — Consent"] == "2004-09-23"
    assert austria["Smuggling of Migrants Protocol — Status"] == "Signatory"  # ratified 30 Nov 2007
    participating = set(
        participant_list(osce_role="participating", as_of=ON).values_list("iso3", flat=True)
    )
    codes = [r[1] for r in rows]
    assert set(codes) <= participating
    on_screen = page.locator(".status-table tbody th .code").all_inner_texts()
    assert codes == on_screen

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    values = list(workbook.active.iter_rows(values_only=True))
    header = [str(v) for v in next(r for r in values if r and r[0] == "Participant")]
    found = dict(zip(header, next(r for r in values if r[1] == "AUT"), strict=True))
    assert found["Smuggling of Migrants Protocol — Status"] == "Signatory"

    # The long machine format: one row per participant and instrument.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV, one row per participant and instrument").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    machine = [r for r in csv.DictReader(io.StringIO(text)) if r["state"] == "AUT"]
    assert {r["instrument"]: r["status"] for r in machine}["som"] == "signatory"
