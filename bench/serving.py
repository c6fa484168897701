"""Serving: gunicorn on 127.0.0.1 with production settings, measured by a load generator.

- `Server` starts and stops gunicorn (the command of docker-compose.yml's web service, bound
  to the loopback interface) in its own process group.
- `measure` checks that the status API and the baseline view send the same bytes and that
  each static file is as large as the answer it stands beside, then measures each endpoint
  for a few seconds, round after round, interleaved, so that a drift of the shared machine
  touches them all alike: every public GET warm beside its static twin, the status API and
  page cold (a new date each request) beside the baseline, and the 304s.
- `bounded_load` is the load run: many clients for a fixed time, a mix of pages and API
  lists, counting every error.
- bench/weights.py fetches the pages as a browser would.
"""

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
from pathlib import Path

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


# Every public GET the benchmark serves: (name, path, headers). Pages as browsers ask for
# them (gzip accepted), API lists as API clients do.
PUBLIC_GETS = [
    ("home page", "/", GZIP),
    ("status matrix page", "/status/", GZIP),
    (
        "status matrix page, OSCE participating States, TIP",
        "/status/?osce_role=participating&instrument=tip",
        GZIP,
    ),
    ("participant page", "/states/{code}/", GZIP),
    ("instrument page", "/instruments/untoc/", GZIP),
    ("compliance page", "/compliance/", GZIP),
    ("OSCE status report", "/reports/osce-status/", GZIP),
    ("search", "/search/?q=Synthetic", GZIP),
    ("Atom feed", "/feeds/actions/", GZIP),
    ("status API", "/api/v1/status/", {}),
    (
        "status API, filtered",
        "/api/v1/status/?osce_role=participating&instrument=untoc&ordering=-consent_date",
        {},
    ),
    ("status API, as of 2010", "/api/v1/status/?as_of=2010-01-01&page=2", {}),
    ("states API", "/api/v1/states/", {}),
    ("instruments API", "/api/v1/instruments/", {}),
    ("actions API", "/api/v1/actions/", {}),
    ("declarations API", "/api/v1/declarations/", {}),
]
STATUS_API = "status API"
BASELINE = "baseline view"
STATIC = "static file, same bytes as the status API"
COLD_API = "status API, cold (a new date each request)"
COLD_BASELINE = "baseline view, cold (the same dates)"
COLD_PAGE = "status matrix page, cold (a new date each request)"
NOT_MODIFIED = "status API, conditional GET (304)"
PAGE_NOT_MODIFIED = "status matrix page, conditional GET (304)"


def warm_label(name: str) -> str:
    return f"warm: {name}"


def static_label(name: str) -> str:
    return f"static file as large as: {name}"


def public_gets(code: str) -> list[tuple[str, str, dict[str, str]]]:
    return [(name, path.format(code=code), headers) for name, path, headers in PUBLIC_GETS]


def endpoints_for(
    static_paths: dict[str, str],
    etags: dict[str, str],
    code: str,
    dates_per_round: int,
    round_number: int,
) -> list:
    """The measurements of one round. Warm: each public GET asked again and again (served
    from the response cache after its first request), beside a static file of the same size.
    Cold: each request asks for another `as_of`, so each is built anew as after a write."""
    dates = distinct_dates(dates_per_round, round_number * dates_per_round)
    endpoints = [Endpoint(BASELINE, ["/bench/baseline/status/"])]
    for name, path, headers in public_gets(code):
        endpoints.append(Endpoint(warm_label(name), [path], headers))
        endpoints.append(Endpoint(static_label(name), [static_paths[name]]))
    endpoints += [
        Endpoint(COLD_API, [f"/api/v1/status/?as_of={d}" for d in dates]),
        Endpoint(COLD_BASELINE, [f"/bench/baseline/status/?as_of={d}" for d in dates]),
        Endpoint(COLD_PAGE, [f"/status/?as_of={d}" for d in dates], GZIP),
        Endpoint(NOT_MODIFIED, ["/api/v1/status/"], {"If-None-Match": etags["api"]}, expect=304),
        Endpoint(
            PAGE_NOT_MODIFIED,
            ["/status/"],
            GZIP | {"If-None-Match": etags["page"]},
            expect=304,
        ),
    ]
    return endpoints


def same_bytes_check(port: int, static_paths: dict[str, str], code: str) -> dict[str, object]:
    """The status API and the baseline must send identical bytes, and each static file the
    same number of bytes as the answer it stands beside."""
    _, api_headers, api = fetch(port, "/api/v1/status/")
    _, _, baseline = fetch(port, "/bench/baseline/status/")
    _, _, static = fetch(port, static_paths[STATUS_API])
    sizes = {}
    for name, path, headers in public_gets(code):
        _, _, body = fetch(port, path, headers)
        _, _, twin = fetch(port, static_paths[name])
        sizes[name] = (len(body), len(twin))
    return {
        "status_api_bytes": len(api),
        "baseline_identical": baseline == api,
        "static_identical": static == api,
        "static_sizes": sizes,
        # gzip adds up to 100 random bytes to each answer (Django's GZipMiddleware, against
        # BREACH), so a gzipped page and its static twin may differ by that much.
        "static_sizes_close": all(abs(a - b) <= 100 for a, b in sizes.values()),
        "etag": api_headers.get("etag", ""),
    }


def measure(
    port: int,
    static_paths: dict[str, str],
    code: str,
    *,
    tool: str,
    rounds: int,
    seconds: float,
    connections: int,
    warm_seconds: float = 1.0,
    progress=print,
) -> Measurements:
    checks = same_bytes_check(port, static_paths, code)
    _, page_headers, _ = fetch(port, "/status/", GZIP)
    etags = {"api": str(checks["etag"]), "page": page_headers.get("etag", "")}
    checks["conditional_status"] = [
        fetch(port, "/api/v1/status/", {"If-None-Match": etags["api"]})[0],
        fetch(port, "/status/", GZIP | {"If-None-Match": etags["page"]})[0],
    ]
    # Enough distinct dates that no cold request can meet a cached answer.
    dates_per_round = 3000
    results = []
    # Every worker warmed on every endpoint (templates compiled, connections open), on
    # dates the rounds do not use.
    for endpoint in endpoints_for(static_paths, etags, code, dates_per_round, rounds):
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
        for endpoint in endpoints_for(static_paths, etags, code, dates_per_round, number):
            result = run(
                endpoint.label,
                port,
                endpoint.paths,
                tool=tool,
                seconds=seconds,
                connections=connections,
                headers=endpoint.headers,
            )
            if endpoint.label == COLD_API and result.requests > len(endpoint.paths):
                checks["cold_requests_over_dates"] = True
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
    "/api/v1/status/?osce_role=participating&instrument=untoc&ordering=-consent_date",
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
