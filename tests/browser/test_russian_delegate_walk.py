"""A Russian-speaking delegate opens the site, picks Русский, finds Germany by its Russian name
and prints the OSCE report in Russian as at 30 June 2007."""

import re
from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from instruments.templatetags.treaty import long_day
from reports.views import REPORT_TITLE
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_russian_delegate_finds_germany_and_prints_the_report_in_russian(browsing):
    page = browsing().page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    # Search in Russian: the whole name opens the participant's page.
    page.get_by_role("search").get_by_role("searchbox").fill("Германия")
    page.get_by_role("search").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/ru/states/DEU/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Германия")

    # The report as at 30 June 2007, in Russian, laid out for print.
    page.goto("/reports/osce-status/?as_of=2007-06-30")  # the choice is remembered
    expect(page).to_have_url(re.compile(r"/ru/reports/osce-status/\?as_of=2007-06-30$"))
    with translation.override("ru"):
        title = str(REPORT_TITLE)
        on = long_day(date(2007, 6, 30))
    assert "ОБСЕ" in title
    assert "июня 2007" in on
    expect(page.locator("#report-title")).to_have_text(title)
    expect(page.locator("main")).to_contain_text(on)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#report-title")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(
        path=SCREENSHOTS / "osce-status-report-2007-06-30-ru.pdf", prefer_css_page_size=True
    )
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 6
