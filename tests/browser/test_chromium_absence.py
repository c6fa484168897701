"""Without Chromium the browser tests skip on a developer's machine and fail in CI."""

from pathlib import Path

from tests.browser.chromium import (
    DEFAULT_CHROMIUM,
    chromium_path,
    in_ci,
    missing_browser,
    outcome_without_browser,
)


def test_a_missing_chromium_is_named(tmp_path):
    reason = missing_browser(tmp_path / "chromium", playwright_installed=True)
    assert reason == (
        f"Chromium is not installed at {tmp_path / 'chromium'} (apt-get install chromium, or "
        "name another with CHROMIUM_PATH)"
    )


def test_chromium_path_names_the_browser_and_debian_s_is_the_default():
    assert chromium_path({"CHROMIUM_PATH": "/opt/chromium/chrome"}) == Path("/opt/chromium/chrome")
    assert chromium_path({"CHROMIUM_PATH": ""}) == DEFAULT_CHROMIUM
    assert chromium_path({}) == Path("/usr/bin/chromium")


def test_a_file_that_cannot_run_is_not_a_browser(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("not a browser")
    assert missing_browser(fake, playwright_installed=True) is not None


def test_a_missing_playwright_is_named():
    reason = missing_browser(Path("/bin/sh"), playwright_installed=False)
    assert reason.startswith("Playwright for Python is not installed")


def test_an_executable_chromium_is_enough():
    assert missing_browser(Path("/bin/sh"), playwright_installed=True) is None


def test_in_ci_a_missing_browser_fails_and_elsewhere_it_skips():
    assert outcome_without_browser({"CI": "true"}) == "fail"
    assert outcome_without_browser({"CI": "1"}) == "fail"
    assert outcome_without_browser({}) == "skip"
    assert outcome_without_browser({"CI": "false"}) == "skip"
    assert not in_ci({"CI": ""})
