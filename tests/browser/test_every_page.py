"""Every page in a real browser: no serious or critical axe-core violation, nothing wider
than a phone's screen, a screenshot of each at desktop and phone width into screenshots/,
and the filters working without JavaScript or a mouse."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each kind of page once, at a size that shows its whole layout; axe-core takes seconds on
# a table of every participant and finds nothing more there.
PAGES = [
    ("home", "/"),
    ("status", "/status/?as_of=2007-06-30&osce_role=participating"),
    ("status-sorted", "/status/?osce_role=partner&instrument=untoc,tip&ordering=-consent_date"),
    ("status-bad-filters", "/status/?as_of=garbage&osce_role=xyz"),
    ("participant", "/states/AUT/?as_of=2007-06-30"),
    ("instrument", "/instruments/tip/?osce_role=osce"),
    ("compliance", "/compliance/"),
    ("report", "/reports/osce-status/?as_of=2007-06-30"),
    ("data-quality", "/data-quality/"),
    ("authorities", "/authorities/?osce_role=any"),
    ("search", "/search/?q=central authority"),
    ("changes", "/changes/?state=DEU"),
    ("subscribe", "/alerts/subscribe/"),
    ("bad-request", "/states/AUT/?as_of=2007-13-45"),
    ("not-found", "/states/XXX/"),
    ("map", "/map/?instrument=som&as_of=2010-12-31"),
    ("participants", "/states/"),
    ("instruments", "/instruments/"),
    ("feed-changes", "/feeds/changes/"),
    ("focal-login", "/focal/login/"),
    ("focal-invitation-renew", "/focal/invitation/renew/"),
    ("focal-invitation-refused", "/focal/invitation/not-a-genuine-token/"),
]
BLOCKING = {"serious", "critical"}


def test_every_page_passes_axe_and_is_photographed_at_desktop_and_phone_width(browsing):
    """axe-core runs once per page, at desktop width: its rules (names, contrast, structure)
    read the same markup at both widths, and a run on a long table takes seconds."""
    axe = Axe()
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browsing(viewport=viewport).page
        for name, url in PAGES:
            response = page.goto(url)
            assert response.status in (200, 400, 404), (url, response.status)
            if width_name == "desktop":
                for violation in axe.run(page).response["violations"]:
                    if violation["impact"] in BLOCKING:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        problems.append(f"{url}: {violation['id']} ({targets})")
            page.screenshot(path=SCREENSHOTS / f"{name}-{width_name}.png", full_page=True)
            # Nothing may be wider than a phone's screen except inside a scrolling table.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(
                    f"{width_name} {url}: the page is {overflow}px wider than the screen"
                )
    assert problems == []


def test_the_status_filters_work_without_javascript(browsing):
    page = browsing(javascript=False).page
    page.goto("/status/")
    page.get_by_label("Status as at:", exact=True).fill("2006-01-01")
    page.get_by_label("Participants:", exact=True).select_option("any")
    page.get_by_role("checkbox", name="Convention").check()
    page.get_by_label("Only these participants:", exact=True).fill("deu, fra")
    page.get_by_label("Sort by:", exact=True).select_option("-consent_date")
    page.get_by_role("main").get_by_role("button", name="Show").click()
    expect(page).to_have_url(
        re.compile(r"/status/\?as_of=2006-01-01&osce_role=any&instrument=untoc&state=deu%2C\+?fra")
    )
    rows = page.locator("table.status-table tbody tr")
    # France ratified on 29 Oct 2002; Germany had only signed by 1 January 2006.
    expect(rows.locator("th")).to_have_text(["France FRA", "Germany DEU"])
    expect(rows.nth(1).locator("td")).to_contain_text("Signatory")
    # The buttons that need a script stay hidden.
    expect(page.get_by_role("button", name="Copy citation")).to_be_hidden()


def test_a_keyboard_user_skips_to_the_content_and_sees_where_the_focus_is(browsing):
    page = browsing().page
    page.goto("/status/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused


def test_the_api_docs_pass_axe(browsing):
    """Held to the site's rule: language, contrast (Swagger UI's colours darkened in
    static/css/api-docs.css), a way back to the site, and no control inside another (its
    operation buttons hold their paths as text: no deep links)."""
    page = browsing().page
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="← UNTOC Tracker")).to_have_attribute("href", "/")
    blocking = [
        f"{v['id']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []


@pytest.mark.parametrize("language", ["fr", "de", "it", "ru", "es"])
def test_every_public_page_passes_axe_in_each_language(browsing, language):
    """The walk above (English), axe-core only, under each other language's prefix: the
    translations and the passages marked lang="en" keep the pages' names, contrast and
    languages valid."""
    axe = Axe()
    page = browsing(viewport=DESKTOP).page
    problems = []
    for _name, url in PAGES:
        if url.startswith("/feeds/"):
            continue  # a feed is not a page
        address = f"/{language}{url}"
        response = page.goto(address)
        assert response.status in (200, 400, 404), (address, response.status)
        assert page.locator("html").get_attribute("lang") == language, address
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{address}: {violation['id']} ({targets})")
    assert problems == []
