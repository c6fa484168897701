"""The Content-Security-Policy in a real browser: the API docs and the back office work under
it with nothing blocked, and an injected inline script does not run.

The `browsing` fixture fails any test whose pages had something blocked (a console error
from the policy); these tests visit the pages the other browser tests do not.
"""

import re

import pytest
from playwright.sync_api import expect

from instruments.models import TreatyAction

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-test-password"  # the fixtures' (tests/conftest.py)


def test_the_api_docs_render_swagger_ui_under_the_policy(browsing):
    page = browsing().page
    page.goto("/api/docs/")
    # Swagger UI is drawn by scripts: its operations appear only if they ran.
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.get_by_text("/api/v1/status/", exact=True).first).to_be_visible()
    expect(page.get_by_text("/api/v1/auth/token/", exact=True).first).to_be_visible()


def test_an_editor_works_through_the_back_office_under_the_policy(browsing, editor):
    page = browsing().page
    page.goto("/admin/")
    page.get_by_label("Username:").fill(editor.username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_contain_text("UNTOC Tracker back office")

    action = TreatyAction.objects.order_by("pk").first()
    history_id = action.history.order_by("pk").first().pk
    base = f"/admin/instruments/treatyaction/{action.pk}"
    for url in (
        "/admin/instruments/treatyaction/",
        "/admin/instruments/treatyaction/add/",
        f"{base}/change/",
        f"{base}/history/",
        f"{base}/history/{history_id}/",
        "/admin/reports/complianceflag/",
        "/admin/states/participant/?q=austria",
        "/admin/password_change/",
    ):
        response = page.goto(url)
        assert response.status == 200, (url, response.status)

    # The participant field's autocomplete is a script (select2) that must still work.
    page.goto("/admin/instruments/treatyaction/add/")
    page.locator(".field-participant .select2-selection").click()
    page.locator(".select2-search__field").fill("austr")
    expect(page.locator(".select2-results__option", has_text="Austria")).to_be_visible()

    # The sidebar's filter box is a script too.
    page.goto("/admin/instruments/treatyaction/")
    page.locator("#nav-filter").fill("declar")
    expect(page.locator("#nav-sidebar").get_by_role("link", name="Treaty actions")).to_be_hidden()


def test_an_injected_inline_script_does_not_run(browsing):
    tab = browsing()
    page = tab.page
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_timeout(200)
    assert any("inline script" in v for v in tab.csp_violations), tab.csp_violations
    # Seen and refused, as it should be: not a violation of the pages themselves.
    tab.csp_violations.clear()
