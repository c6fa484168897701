"""Where the browser tests find Chromium, and what they do when it is missing.

Chromium is CHROMIUM_PATH, or /usr/bin/chromium (Debian's package) when that is not set.
On a developer's machine without Chromium the browser tests say so and skip; in CI
(`CI=true`) a missing browser is a failure, never a skip, so the suite cannot go green
without having driven a real browser.
"""

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")


def chromium_path(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("CHROMIUM_PATH", "").strip() or DEFAULT_CHROMIUM)


CHROMIUM = chromium_path()
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_browser(
    chromium: Path = CHROMIUM, *, playwright_installed: bool | None = None
) -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if playwright_installed is None:
        playwright_installed = shutil.which("playwright") is not None or _importable("playwright")
    if not playwright_installed:
        return "Playwright for Python is not installed (make install installs the dev extras)"
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        return (
            f"Chromium is not installed at {chromium} (apt-get install chromium, or name "
            "another with CHROMIUM_PATH)"
        )
    return None


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def outcome_without_browser(environ: Mapping[str, str] = os.environ) -> str:
    """ "fail" in CI, "skip" elsewhere."""
    return "fail" if in_ci(environ) else "skip"


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None
