"""What a delegation prints and what its browser shows of a feed, in a real Chromium: every
printed page of a long table repeats the title and the "as at" date and says "Page N of M";
an Atom feed opens as a page listing its entries."""

import io
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import DESKTOP, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def printed_pages(page) -> list[str]:
    """The text of each page of the PDF Chromium prints (A4, the site's print stylesheet)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(prefer_css_page_size=True)
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    ("url", "header"),
    [
        (
            "/status/?as_of=2007-06-30&osce_role=any&view=detailed",
            "Status table as at 30 June 2007",
        ),
        (
            "/instruments/fir/?as_of=2014-07-10&osce_role=any",
            "Firearms Protocol · as at 10 July 2014",
        ),
    ],
)
def test_every_printed_page_repeats_the_title_the_date_and_its_number(browsing, url, header):
    page = browsing().page
    page.goto(url)
    pages = printed_pages(page)
    assert len(pages) >= 3, "a table of every participant takes several pages"
    for number, text in enumerate(pages, start=1):
        assert header in text, f"page {number}: {text[:200]}"
        assert f"Page {number} of {len(pages)}" in text, f"page {number}: {text[-200:]}"
    # The frame's head is for paper only: on screen the page starts with the site's header.
    expect(page.locator(".running-header")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_visible()


def test_an_atom_feed_opens_in_the_browser_as_a_page_of_its_entries(browsing):
    url = "/feeds/actions/?state=DEU"
    tab = browsing()
    page = tab.page
    atom = page.request.get(url, headers={"Accept": "application/atom+xml"})
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(atom.body())
    titles = [
        e.findtext("atom:title", namespaces=ATOM_NS) for e in feed.iterfind("atom:entry", ATOM_NS)
    ]
    assert titles

    response = page.goto(url)
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        feed.findtext("atom:title", namespaces=ATOM_NS)
    )
    expect(page.locator(".feed-entry-title")).to_have_text(titles)
    expect(page.locator(".feed-entry-summary").first).to_contain_text("Source: ")
    # The site's own stylesheet styles it (same origin; nothing blocked, nothing elsewhere).
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href)")
    assert f"{tab.site}/static/css/site.css" in sheets
    # How to subscribe, and the way back.
    expect(page.locator("a.feed-address")).to_have_attribute(
        "href", feed.find("atom:link[@rel='self']", ATOM_NS).get("href")
    )
    page.screenshot(path=SCREENSHOTS / "feed-actions-desktop.png", full_page=True)
    problems = [
        f"{v['id']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert problems == []
    # Made on the server: no browser XSLT, so no deprecation banner and nothing inline.
    assert page.locator("xslt-warning-banner").count() == 0

    page.get_by_role("link", name="UNTOC Tracker home").click()
    expect(page).to_have_url(f"{tab.site}/")


def test_the_status_table_is_one_line_per_participant_on_a_wide_screen(browsing):
    """The compact cells (the status and its date) hold on one line at desktop width; only
    a long name may take a second line."""
    page = browsing(viewport=DESKTOP).page
    page.goto("/status/?osce_role=participating")
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.status-table tbody td')].map(cell => {
            const word = cell.querySelector('.st-word'), date = cell.querySelector('.st-date');
            return [word.getBoundingClientRect().top, date.getBoundingClientRect().top,
                    getComputedStyle(cell).whiteSpace];
        })"""
    )
    assert cells
    assert all(abs(word - date) < 4 and space == "nowrap" for word, date, space in cells)
    heights = sorted(
        page.evaluate(
            """() => [...document.querySelectorAll('.status-table tbody tr')].map(
                row => row.getBoundingClientRect().height)"""
        )
    )
    assert heights[len(heights) // 2] < 40  # most rows: one line
