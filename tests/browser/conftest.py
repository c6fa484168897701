"""A real Chromium driving the tracker on a live server, for the tests in this folder.

Live-server tests are transactional: the tables are emptied after each one, so each test
loads the shipped data again (the `site` fixture) before the browser asks for a page. The
first load goes through the importer; later ones load a dump of its result, three times
faster.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.browser.chromium import CHROMIUM, LAUNCH_ARGS, missing_browser, outcome_without_browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium():
    reason = missing_browser()
    if reason:
        if outcome_without_browser() == "fail":
            pytest.fail(f"{reason}; CI=true requires the browser tests to run.", pytrace=False)
        pytest.skip(f"Browser tests skipped: {reason}.")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in this thread, and Django refuses
    # database calls made from a thread with a running loop unless told they are safe here:
    # the test code and the live server never share a connection at the same time.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def shipped_data_dump(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shipped-data") / "shipped.json"


@pytest.fixture
def site(chromium, live_server, shipped_data_dump) -> str:
    """The live server's address, with the shipped data loaded."""
    from reports.models import Obligation
    from states.models import Participant

    if not Participant.objects.exists():
        if shipped_data_dump.exists():
            call_command("loaddata", str(shipped_data_dump), verbosity=0)
        else:
            call_command("load_treaty_data", verbosity=0)
    if not shipped_data_dump.exists():
        call_command(
            "dumpdata", "states", "instruments", output=str(shipped_data_dump), verbosity=0
        )
    if not Obligation.objects.exists():
        # The catalogue of obligations (compliance, focal points' submissions) is not in
        # the dump: after a flush, load it again too.
        call_command("load_obligations", verbosity=0)
    return live_server.url


def is_csp_violation(text: str) -> bool:
    """Chromium reports what the Content-Security-Policy blocked as a console error."""
    return "Content Security Policy" in text


class Browsing:
    """A browser tab on the live server that notes every request to another host and
    everything the Content-Security-Policy blocked."""

    def __init__(self, chromium, site: str, *, viewport: dict, javascript: bool = True) -> None:
        self.site = site
        self.context = chromium.new_context(
            viewport=viewport,
            base_url=site,
            accept_downloads=True,
            java_script_enabled=javascript,
            locale="en-GB",
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.elsewhere: list[str] = []
        self.csp_violations: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.csp_violations.append(f"{self.page.url}: {message.text}")
                if is_csp_violation(message.text)
                else None
            ),
        )
        host = urlsplit(site).netloc
        self.page.on(
            "request",
            lambda request: (
                None
                if urlsplit(request.url).netloc == host or request.url.startswith("data:")
                else self.elsewhere.append(request.url)
            ),
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def browsing(chromium, site):
    """Open tabs with `browsing(viewport=..., javascript=...)`; each is closed afterwards,
    none may have asked another host for anything, and the Content-Security-Policy may have
    blocked nothing on any page."""
    opened: list[Browsing] = []

    def open_tab(viewport: dict = DESKTOP, javascript: bool = True) -> Browsing:
        tab = Browsing(chromium, site, viewport=viewport, javascript=javascript)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()
    assert [url for tab in opened for url in tab.elsewhere] == []
    assert [v for tab in opened for v in tab.csp_violations] == []


# axe-core's impacts that fail a page; "moderate" and "minor" findings are left to review.
BLOCKING = {"serious", "critical"}


def axe_blocking(page) -> list[str]:
    """The serious and critical axe-core violations on the page, each with where it is."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{page.url}: {v['id']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]
