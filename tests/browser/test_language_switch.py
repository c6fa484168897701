"""A reader switches the status view from English to Russian and stays on the same view, with
the same date and instrument; the choice is remembered for the next unprefixed link."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("javascript", [True, False])
def test_switching_to_russian_keeps_the_status_view_and_its_filters(browsing, javascript):
    page = browsing(javascript=javascript).page
    page.goto("/status/?as_of=2007-06-30&instrument=tip")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    rows_in_english = page.locator("main table tbody tr").count()
    assert rows_in_english > 0

    switch = page.get_by_role("navigation", name="Language")
    switch.get_by_role("link", name="Русский").click()

    expect(page).to_have_url(re.compile(r"/ru/status/\?as_of=2007-06-30&instrument=tip$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # The same view: the same rows, the names in Russian, the date still set.
    assert page.locator("main table tbody tr").count() == rows_in_english
    expect(page.locator("main table tbody")).to_contain_text("Германия")
    expect(page.locator("#id_as_of, input[name=as_of]").first).to_have_value("2007-06-30")
    expect(page.locator("nav.language-switch [aria-current]")).to_have_text("Русский")

    # Remembered: an unprefixed link (as a colleague would send) opens in Russian.
    page.goto("/states/DEU/")
    expect(page).to_have_url(re.compile(r"/ru/states/DEU/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Германия")
