"""What a browser loads: each public page and everything its HTML and stylesheets load, gzip
accepted (`page_weight`), and every request a real Chromium makes while loading it
(`browser_foreign_requests`); a load from another host is counted either way."""

import gzip
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.load import LOOPBACK
from bench.serving import GZIP, fetch


class _Loads(HTMLParser):
    """The URLs an HTML page makes a browser load: scripts, stylesheets, icons, images,
    frames and media (links to follow and forms to submit are not loads)."""

    LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and set(values.get("rel", "").lower().split()) & self.LOADING_LINKS:
            self.urls.append(values.get("href", ""))
        elif tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            self.urls.append(values.get("src", ""))
        elif tag == "object":
            self.urls.append(values.get("data", ""))
        if "style" in values:
            self.urls += _css_urls(values["style"])
        self.urls = [u for u in self.urls if u]


def _css_urls(css: str) -> list[str]:

    found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css)
    return [u for u in found if not u.startswith("data:")]


@dataclass
class PageWeight:
    path: str
    html_bytes: int  # as sent, gzip accepted
    html_uncompressed: int
    assets: dict[str, int]  # asset URL -> bytes as sent
    foreign: list[str]  # URLs on another host

    @property
    def total(self) -> int:
        return self.html_bytes + sum(self.assets.values())


def page_weight(port: int, path: str) -> PageWeight:
    """The page and everything its HTML and stylesheets load, gzip accepted as browsers do."""
    origin = f"http://{LOOPBACK}:{port}"
    _status, headers, body = fetch(port, path, GZIP)
    html = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    parser = _Loads()
    parser.feed(html.decode("utf-8", errors="replace"))
    pending = [urljoin(origin + path, u) for u in parser.urls]
    assets: dict[str, int] = {}
    foreign: list[str] = []
    while pending:
        url = pending.pop()
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        if parts.netloc != f"{LOOPBACK}:{port}":
            foreign.append(url)
            continue
        if url in assets:
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        _, asset_headers, asset = fetch(port, local, GZIP)
        assets[url] = len(asset)
        if asset_headers.get("content-type", "").startswith("text/css"):
            text = (
                gzip.decompress(asset) if asset_headers.get("content-encoding") == "gzip" else asset
            )
            pending += [urljoin(url, u) for u in _css_urls(text.decode("utf-8", errors="replace"))]
    return PageWeight(path, len(body), len(html), assets, foreign)


def browser_foreign_requests(port: int, paths: list[str]) -> dict[str, list[str]] | None:
    """Every request a real Chromium makes while loading each page, to another host; None
    when Chromium or Playwright is not installed (the HTML and CSS check still runs)."""
    chromium = Path(os.environ.get("CHROMIUM_PATH", "").strip() or "/usr/bin/chromium")
    if not chromium.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    origin = f"{LOOPBACK}:{port}"
    found: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium))
        try:
            page = browser.new_page()
            elsewhere: list[str] = []
            page.on(
                "request",
                lambda request: (
                    None
                    if urlsplit(request.url).netloc == origin or request.url.startswith("data:")
                    else elsewhere.append(request.url)
                ),
            )
            for path in paths:
                elsewhere.clear()
                page.goto(f"http://{origin}{path}", wait_until="networkidle")
                found[path] = list(elsewhere)
        finally:
            browser.close()
    return found
