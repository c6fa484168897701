"""Every table on every page, measured in a real browser at a laptop's, a desktop's and a
phone's width: at 1366 and 1920 px no table is wider than its box and no cell clips its text;
at 390 px a table either fits or scrolls inside its box with a visible cue, its first column
in view, the status first. And the answer first: a participant's verdicts within the first
screen at every width."""

import pytest

from tests.conftest import facts_accept_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {
    "laptop": {"width": 1366, "height": 900},
    "desktop": {"width": 1920, "height": 1080},
    "phone": {"width": 390, "height": 844},
}
PAGES = [
    "/",
    "/status/",
    "/status/?osce_role=any&view=detailed",
    "/status/?as_of=2007-06-30&osce_role=participating&instrument=som&status=not_party",
    "/states/",
    "/states/DEU/",
    "/states/AUT/?as_of=2007-06-30",
    "/instruments/",
    "/instruments/untoc/",
    "/instruments/fir/?osce_role=any",
    "/compliance/",
    "/compliance/?as_of=2010-01-01&osce_role=any",
    "/reports/osce-status/",
    "/data-quality/",
    "/authorities/?osce_role=any",
    "/search/?q=central authority",
    "/search/?q=Rep",
    "/map/?instrument=tip&as_of=2008-12-31",
    "/changes/",
]

# For each table: its width, its box's width, the cells that clip their text, whether its
# box scrolls sideways and shows the cue, and its column headings.
MEASURE = """() => [...document.querySelectorAll('main table')].map((table, index) => {
  const box = table.closest('.table-scroll') || table.parentElement;
  const cue = box.classList.contains('table-scroll')
    ? getComputedStyle(box, '::before').content : '';
  return {
    index,
    caption: (table.caption ? table.caption.textContent : table.className).trim().slice(0, 60),
    width: Math.round(table.getBoundingClientRect().width),
    box: box.clientWidth,
    scrolls: box.classList.contains('table-scroll') && getComputedStyle(box).overflowX === 'auto',
    cue,
    clipped: [...table.querySelectorAll('td, th')]
      .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
      .map(cell => cell.textContent.trim().slice(0, 30)).slice(0, 3),
    headings: [...table.querySelectorAll('thead tr:last-child th')]
      .map(th => th.textContent.trim()),
  };
})"""


def test_every_table_fits_at_1366_and_1920_and_scrolls_with_a_cue_on_a_phone(browsing):
    facts_accept_all()  # the data as they stand once reviewed, and events for /changes/
    problems = []
    for name, viewport in WIDTHS.items():
        page = browsing(viewport=viewport).page
        for url in PAGES:
            response = page.goto(url)
            assert response.status == 200, url
            tables = page.evaluate(MEASURE)
            assert tables or url in ("/states/", "/instruments/"), url
            for t in tables:
                where = f"{name} {url} table {t['index']} ({t['caption']})"
                if t["clipped"]:
                    problems.append(f"{where}: cells clip their text: {t['clipped']}")
                if name != "phone":
                    if t["width"] > t["box"] + 1:
                        problems.append(f"{where}: {t['width']}px in a {t['box']}px box")
                    continue
                if t["width"] > t["box"] + 1 and not (t["scrolls"] and "Scroll" in t["cue"]):
                    problems.append(f"{where}: {t['width']}px, no sideways scroll with a cue")
                if "Status" in t["headings"][2:]:
                    problems.append(f"{where}: the status is not first: {t['headings']}")
    assert problems == []


def test_on_a_phone_the_home_pages_osce_columns_are_in_view_without_scrolling(browsing):
    page = browsing(viewport=WIDTHS["phone"]).page
    page.goto("/")
    table = page.locator("table.counts")
    box = table.locator("xpath=ancestor::div[contains(@class,'table-scroll')]").bounding_box()
    osce = table.locator("thead tr").nth(0).locator("th").nth(0)
    assert "OSCE" in osce.inner_text()
    cells = table.locator("tbody tr").first.locator("td")
    for index in (0, 1):  # the OSCE area's signatories and parties
        cell = cells.nth(index).bounding_box()
        assert cell["x"] + cell["width"] <= box["x"] + box["width"], index


@pytest.mark.parametrize("name", list(WIDTHS))
def test_a_participants_verdicts_are_within_the_first_screen(browsing, name):
    facts_accept_all()  # Germany's 2021 Firearms consent, once an editor has accepted it
    viewport = WIDTHS[name]
    page = browsing(viewport=viewport).page
    page.goto("/states/DEU/")
    verdicts = page.locator(".verdict")
    assert verdicts.count() == 4
    for index in range(4):
        box = verdicts.nth(index).bounding_box()
        assert box["y"] + box["height"] <= viewport["height"], (name, index)
        assert box["x"] + box["width"] <= viewport["width"], (name, index)
    firearms = verdicts.nth(3).inner_text()
    assert "Firearms Protocol" in firearms
    assert "party, in force since 13 Nov 2021" in firearms
    # No sideways scrolling on the page itself.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_status_tables_headings_stay_in_view_while_it_scrolls(browsing):
    page = browsing(viewport=WIDTHS["laptop"]).page
    page.goto("/status/?osce_role=any")
    region = page.locator(".table-scroll.table-tall")
    heading = page.locator(".status-table thead th").first
    region.evaluate("box => box.scrollTo(0, 2000)")
    region_top = region.bounding_box()["y"]
    top = heading.bounding_box()["y"]
    assert abs(top - region_top) <= 2, (top, region_top)
