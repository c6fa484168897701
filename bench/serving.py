"""Serving: gunicorn on 127.0.0.1 with production settings, measured by a load generator.

- `Server` starts and stops gunicorn (the command of docker-compose.yml's web service, bound
  to the loopback interface) in its own process group.
- `measure` checks that the status API, the baseline view and the static file send the same
  bytes, then measures each endpoint for a few seconds, round after round, interleaved, so
  that a drift of the shared machine touches them all alike.
- `bounded_load` is the load run: many clients for a fixed time, a mix of pages and API
  lists, counting every error.
- `page_weights` and `foreign_loads` fetch the pages as a browser would.
"""

import gzip
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.load import LOOPBACK, LoadResult, run

BASE_DIR = Path(__file__).resolve().parent.parent
GZIP = {"Accept-Encoding": "gzip"}


def free_port(first: int = 18100, last: int = 18199) -> int:
    """The first port in the range nothing listens on."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {first} and {last}")


class Server:
    """gunicorn serving the tracker (with the baseline view) on 127.0.0.1:port."""

    def __init__(self, port: int, environment: dict[str, str], workers: int, log: Path) -> None:
        self.port = port
        self.environment = environment
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "untoc_tracker.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
        ]

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at once; see {self.log}")
            try:
                status, _, _ = fetch(self.port, "/api/v1/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET to the server: status, headers (lower-case names), body as sent."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# --- The interleaved measurements ----------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200


def distinct_dates(count: int, offset: int) -> list[str]:
    """`count` different as_of dates, none shared with another offset's window: each request
    of an uncached measurement asks for a page no cache holds."""
    first = date(2004, 1, 1) + timedelta(days=offset)
    return [(first + timedelta(days=i)).isoformat() for i in range(count)]


@dataclass
class Measurements:
    rounds: list[dict[str, LoadResult]]
    checks: dict[str, object]

    def median(self, label: str, metric: str) -> float:
        return statistics.median(getattr(r[label], metric) for r in self.rounds)

    def ratios(self, top: str, bottom: str, metric: str = "rps") -> list[float]:
        """The ratio measured within each round."""
        return [
            getattr(r[top], metric) / getattr(r[bottom], metric)
            for r in self.rounds
            if getattr(r[bottom], metric)
        ]

    def ratio(self, top: str, bottom: str, metric: str = "rps") -> float:
        """The median over rounds of the ratio measured within each round."""
        return statistics.median(self.ratios(top, bottom, metric))


STATUS_API = "status API"
API_ROOT = "API root (no query: the floor of any API answer)"
BASELINE = "baseline view"
STATIC = "static file, same bytes"
PAGE_UNCACHED = "status matrix page, uncached"
PAGE_CACHED = "status matrix page, cached"
NOT_MODIFIED = "status API, conditional GET (304)"
PAGE_NOT_MODIFIED = "status matrix page, conditional GET (304)"


def endpoints_for(
    static_path: str, etags: dict[str, str], dates_per_round: int, round_number: int
) -> list:
    uncached = [
        f"/status/?as_of={d}"
        for d in distinct_dates(dates_per_round, round_number * dates_per_round)
    ]
    return [
        Endpoint(STATUS_API, ["/api/v1/status/"]),
        Endpoint(API_ROOT, ["/api/v1/"]),
        Endpoint(BASELINE, ["/bench/baseline/status/"]),
        Endpoint(STATIC, [static_path]),
        Endpoint(PAGE_UNCACHED, uncached, GZIP),
        Endpoint(PAGE_CACHED, ["/status/"], GZIP),
        Endpoint(NOT_MODIFIED, ["/api/v1/status/"], {"If-None-Match": etags["api"]}, expect=304),
        Endpoint(
            PAGE_NOT_MODIFIED,
            ["/status/"],
            GZIP | {"If-None-Match": etags["page"]},
            expect=304,
        ),
    ]


def same_bytes_check(port: int, static_path: str) -> dict[str, object]:
    """The status API, the baseline and the static file must send identical bytes."""
    _, api_headers, api = fetch(port, "/api/v1/status/")
    _, _, baseline = fetch(port, "/bench/baseline/status/")
    _, _, static = fetch(port, static_path)
    return {
        "status_api_bytes": len(api),
        "baseline_identical": baseline == api,
        "static_identical": static == api,
        "etag": api_headers.get("etag", ""),
    }


def measure(
    port: int,
    static_path: str,
    *,
    tool: str,
    rounds: int,
    seconds: float,
    connections: int,
    warm_seconds: float = 1.0,
    progress=print,
) -> Measurements:
    checks = same_bytes_check(port, static_path)
    _, page_headers, _ = fetch(port, "/status/", GZIP)
    etags = {"api": str(checks["etag"]), "page": page_headers.get("etag", "")}
    checks["conditional_status"] = [
        fetch(port, "/api/v1/status/", {"If-None-Match": etags["api"]})[0],
        fetch(port, "/status/", GZIP | {"If-None-Match": etags["page"]})[0],
    ]
    # Enough distinct dates that no uncached request can meet a cached answer.
    dates_per_round = 3000
    results = []
    # Every worker warmed on every endpoint (templates compiled, connections open), on
    # dates the rounds do not use.
    for endpoint in endpoints_for(static_path, etags, dates_per_round, rounds):
        if not warm_seconds:
            for path in endpoint.paths[:connections]:
                fetch(port, path, endpoint.headers)
            continue
        run(
            endpoint.label,
            port,
            endpoint.paths[:20],
            tool=tool,
            seconds=warm_seconds,
            connections=connections,
            headers=endpoint.headers,
        )
    for number in range(rounds):
        outcome = {}
        for endpoint in endpoints_for(static_path, etags, dates_per_round, number):
            result = run(
                endpoint.label,
                port,
                endpoint.paths,
                tool=tool,
                seconds=seconds,
                connections=connections,
                headers=endpoint.headers,
            )
            if endpoint.label == PAGE_UNCACHED and result.requests > len(endpoint.paths):
                checks["uncached_requests_over_dates"] = True
            outcome[endpoint.label] = result
            progress(
                f"  round {number + 1}/{rounds} {endpoint.label}: {result.rps:.0f} req/s, "
                f"p50 {result.p50_ms:.1f} ms"
            )
        results.append(outcome)
    checks["conditional_status_after"] = [
        fetch(port, "/api/v1/status/", {"If-None-Match": etags["api"]})[0],
        fetch(port, "/status/", GZIP | {"If-None-Match": etags["page"]})[0],
    ]
    return Measurements(results, checks)


LOAD_PATHS = [
    "/",
    "/status/",
    "/api/v1/status/",
    "/states/{code}/",
    "/api/v1/states/",
    "/instruments/untoc/",
    "/api/v1/actions/",
    "/reports/osce-status/",
    "/api/v1/instruments/",
    "/search/?q=Synthetic",
    "/api/v1/declarations/",
    "/feeds/actions/",
    "/compliance/",
]


def bounded_load(
    port: int, participant_code: str, *, tool: str, seconds: float, connections: int
) -> LoadResult:
    """Many clients at once for a fixed time against 127.0.0.1 only, a mix of pages and API
    lists as browsers ask for them (gzip accepted); it stops by itself."""
    paths = [p.format(code=participant_code) for p in LOAD_PATHS]
    return run(
        f"{connections} clients, {seconds:.0f} s, {len(paths)} pages and API lists",
        port,
        paths,
        tool=tool,
        seconds=seconds,
        connections=connections,
        headers=GZIP,
        threads=2,
    )


# --- What a browser loads ------------------------------------------------------------------


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
    import re

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
