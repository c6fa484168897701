"""The map's year slider in a real browser: it recolours the map for the year without
reloading the page, with the right count of parties; without JavaScript the date form does
the same."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from instruments import selectors
from states.selectors import participant_list

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTIES = ".world-map [data-iso3].st-party, .world-map [data-iso3].st-party-pending"
# The same, in the table beside the map: one row per participant.
TABLE_PARTIES = ".map-table td.st-party, .map-table td.st-party-pending"


def parties(as_of: date, code: str = "untoc") -> int:
    matrix = selectors.status_matrix(
        as_of=as_of, participants=list(participant_list(as_of=as_of)), instrument_codes=[code]
    )
    return matrix.counts()[code]["parties"]


def test_the_slider_recolours_the_map_for_2005_and_today_without_reloading(browsing):
    page = browsing(viewport={"width": 1366, "height": 900}).page
    page.goto("/map/?instrument=som")
    page.evaluate("window.notReloaded = true")
    slider = page.locator("#map-year")
    expect(slider).to_be_visible()
    slider.fill("2005")  # a range input takes the value and fires input
    expect(page.locator("#map-year-shown")).to_have_text("2005")
    expect(page.locator("h1")).to_contain_text("31 December 2005")
    expect(page.locator(PARTIES)).to_have_count(parties(date(2005, 12, 31), "som"))
    expect(page.locator(TABLE_PARTIES)).to_have_count(parties(date(2005, 12, 31), "som"))
    expect(page.locator("#map-caption")).to_contain_text("31 December 2005")
    expect(page).to_have_url(re.compile(r"/map/\?instrument=som&as_of=2005-12-31$"))
    slider.fill(str(timezone.localdate().year))
    expect(page.locator(PARTIES)).to_have_count(parties(timezone.localdate(), "som"))
    expect(page.locator(TABLE_PARTIES)).to_have_count(parties(timezone.localdate(), "som"))
    assert page.evaluate("window.notReloaded") is True
    assert parties(timezone.localdate(), "som") > parties(date(2005, 12, 31), "som")


def test_without_javascript_the_date_form_shows_the_map_for_a_date(browsing):
    page = browsing(javascript=False).page
    page.goto("/map/")
    expect(page.locator("#map-year")).to_be_hidden()
    page.get_by_label("Status as at:", exact=True).fill("2005-12-31")
    page.get_by_role("main").get_by_role("button", name="Show").click()
    expect(page.locator(PARTIES)).to_have_count(parties(date(2005, 12, 31)))
    expect(page.locator(TABLE_PARTIES)).to_have_count(parties(date(2005, 12, 31)))
    germany = page.get_by_role("link", name=re.compile(r"^Germany: signatory since"))
    expect(germany.first).to_have_attribute("href", "/states/DEU/?as_of=2005-12-31")
