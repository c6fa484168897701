"""The directory of competent authorities with its entries (the shipped notifications
seeded as bootstrap seeds them), in a real browser: no serious or critical axe-core
violation, nothing wider than a phone's screen outside its scrolling table, and the filters
working without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["/authorities/?osce_role=any", "/states/LVA/"]


@pytest.fixture
def seeded(site):
    call_command("load_obligations", verbosity=0)
    call_command("load_authorities", verbosity=0)
    return site


def test_the_directory_with_its_entries_passes_axe_and_fits_a_phone(seeded, browsing):
    problems = []
    for viewport in (DESKTOP, PHONE):
        page = browsing(viewport=viewport).page
        for url in PAGES:
            assert page.goto(url).status == 200
            expect(
                page.get_by_role("table", name="Competent authorities")
                .or_(page.locator("table.authorities"))
                .first
            ).to_be_visible()
            if viewport is DESKTOP:
                for violation in Axe().run(page).response["violations"]:
                    if violation["impact"] in {"serious", "critical"}:
                        problems.append(f"{url}: {violation['id']}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{url} at {viewport['width']}px: {overflow}px too wide")
    assert problems == []


def test_the_directory_filters_without_javascript(seeded, browsing):
    page = browsing(javascript=False).page
    page.goto("/authorities/")
    page.get_by_label("Participants:", exact=True).select_option("any")
    page.get_by_role("checkbox", name="UNTOC art. 18(14): languages accepted").check()
    page.get_by_role("main").get_by_role("button", name="Show").click()
    rows = page.locator("table.authorities tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Latvia")
    expect(rows.first).to_contain_text("English or Latvian")
