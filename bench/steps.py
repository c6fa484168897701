"""The benchmark's steps in order, inside the Django process `python -m bench` set up.

1. Migrate the benchmark's database; load the instruments and the obligations catalogue;
   make an SPMU editor (who gets the sweep's digest) and a delegation viewer with a token;
   record two obligations' records as checked complete (bench/sweep.py), so the sweep
   raises flags.
2. Collect the static files into a temporary STATIC_ROOT.
3. For each N in increasing order, grow the synthetic dataset to N participants, then:
   query budgets (the sizes in --scales); serving and the load run (--serve-at); the
   sweep, four runs (--sweep-at; bench/sweep.py).
4. On the largest dataset, the alerts' fan-out: one treaty action recorded with
   --subscribers e-mail subscribers and --endpoints webhook endpoints following it.
"""

import os
import platform
import secrets
import statistics
import sys
import time
from argparse import Namespace
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bench import dataset, fanout, load, queries, serving, sweep
from bench.weights import browser_foreign_requests, page_weight


def _timed(results: dict, name: str, started: float) -> None:
    results.setdefault("step_seconds", {})[name] = round(time.perf_counter() - started, 1)


def say(text: str) -> None:
    print(text, flush=True)


def staff_prepare() -> str:
    """An SPMU editor with an e-mail address and a delegation viewer; the viewer's token."""
    os.environ.setdefault("UNTOC_STAFF_PASSWORD", secrets.token_urlsafe(24))
    call_command(
        "create_staff_user",
        "--editor",
        "bench-editor",
        "--email",
        "spmu@example.org",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    call_command("create_staff_user", "--viewer", "bench-viewer", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    viewer = get_user_model().objects.get(username="bench-viewer")
    from core.models import ApiToken

    _, token = ApiToken.objects.create(user=viewer, name="benchmark")
    return token


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except OSError:
        memory = ""
    return {
        "platform": platform.platform(),
        "cpu": model or platform.processor(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def versions(tool: str) -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for package in ("django", "djangorestframework", "gunicorn", "whitenoise", "psycopg2-binary"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["database"] = database_version()
    found["load generator"] = (
        load.wrk_version() if tool == "wrk" else "Python client (bench/load.py)"
    )
    return found


def settings_summary(options: Namespace, where: str, workers: int) -> dict[str, Any]:
    return {
        "DEBUG": settings.DEBUG,
        "database": f"{connection.vendor} ({where})",
        "CONN_MAX_AGE": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "caches": {
            name: conf["BACKEND"].rsplit(".", 1)[-1] for name, conf in settings.CACHES.items()
        },
        "static files": settings.STORAGES["staticfiles"]["BACKEND"].rsplit(".", 1)[-1],
        "middleware": [m.rsplit(".", 1)[-1] for m in settings.MIDDLEWARE],
        "throttle (anonymous)": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"],
        "gunicorn": f"{workers} sync workers on 127.0.0.1",
        "measurements": (
            f"{options.rounds} interleaved rounds x {options.seconds:g} s per endpoint, "
            f"{options.connections} connections"
        ),
        "load run": f"{options.load_clients} clients x {options.load_seconds:g} s",
        "scales": options.scales,
        "serving at": options.serve_at,
        "sweep at": options.sweep_at,
        "fan-out": f"{options.subscribers:,} subscribers, {options.endpoints:,} endpoints",
        "written through the services up to": options.services_up_to,
        "quick": options.quick,
    }


def run_all(options: Namespace, environment: dict[str, str], work: Path, where: str) -> dict:
    tool = options.tool
    if tool == "auto":
        tool = "wrk" if load.wrk_available() else "python"
    results: dict[str, Any] = {"quick": options.quick}
    results["machine"] = machine()

    started = time.perf_counter()
    say("Migrating the benchmark's database")
    call_command("migrate", verbosity=0)
    dataset.reference_data_load()
    token = staff_prepare()
    sweep.coverage_record(dataset.SOURCE, dataset.LAST_DATE)
    sweep.first_sweep()
    _timed(results, "migrate and reference data", started)

    started = time.perf_counter()
    call_command("collectstatic", verbosity=0, interactive=False)
    _timed(results, "collectstatic", started)

    results["versions"] = versions(tool)
    results["settings"] = settings_summary(options, where, options.workers)
    results["dataset"] = []
    results["budgets"] = {}
    results["sweeps"] = []
    host = "127.0.0.1"
    code = next(dataset.synthetic_codes())  # the first synthetic participant's page

    for size in sorted(set(options.scales) | {options.serve_at} | set(options.sweep_at)):
        say(f"Growing the dataset to {size:,} participants")
        grown = dataset.grow(size, through_services_up_to=options.services_up_to)
        results["dataset"].append(vars(grown) | dataset.dataset_counts())
        say(f"  {grown.created:,} added in {grown.seconds:.1f} s")
        if size in options.scales:
            started = time.perf_counter()
            budgets = queries.measure(host, code, token)
            results["budgets"][size] = [
                vars(b) | {"without_authentication": b.without_authentication} for b in budgets
            ]
            _timed(results, f"query budgets at {size}", started)
        if size == options.serve_at:
            results["serving"] = serve(options, environment, work, tool, code, results)
        if size in options.sweep_at:
            say(f"Sweeping at {size:,} participants")
            started = time.perf_counter()
            results["sweeps"] += [
                r.as_dict() for r in sweep.sweep_runs(size, dataset.SOURCE, dataset.LAST_DATE)
            ]
            _timed(results, f"sweeps at {size}", started)
    say(f"Alerts fan-out: {options.subscribers:,} subscribers, {options.endpoints:,} endpoints")
    started = time.perf_counter()
    results["fanout"] = fanout.measure(options.subscribers, options.endpoints).as_dict()
    _timed(results, "alerts fan-out", started)
    return results


def serve(
    options: Namespace,
    environment: dict[str, str],
    work: Path,
    tool: str,
    code: str,
    results: dict,
) -> dict:
    started = time.perf_counter()
    port = options.port or serving.free_port()
    # Nothing kept from an earlier run (a shared Redis may hold answers keyed by the same
    # revision numbers of another database).
    queries.caches_clear()
    # Each public GET's answer, as gunicorn will send it to 127.0.0.1:port, written into
    # STATIC_ROOT for whitenoise to serve as a plain file of the same size (the status API's:
    # of the same bytes).
    client = Client(HTTP_HOST=f"127.0.0.1:{port}")
    static_paths = {}
    for name, path, headers in serving.public_gets(code):
        wsgi_headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        body = client.get(path, **wsgi_headers).content
        static_file = Path(settings.STATIC_ROOT) / "bench" / f"{len(static_paths)}.bin"
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(body)
        static_paths[name] = f"/{settings.STATIC_URL.strip('/')}/bench/{static_file.name}"
    queries.caches_clear()

    server = serving.Server(port, environment, options.workers, work / "gunicorn.log")
    say(f"Serving on 127.0.0.1:{port} ({options.workers} gunicorn workers, load by {tool})")
    server.start()
    _timed(results, "gunicorn start", started)
    try:
        started = time.perf_counter()
        measured = serving.measure(
            port,
            static_paths,
            code,
            tool=tool,
            rounds=options.rounds,
            seconds=options.seconds,
            connections=options.connections,
            warm_seconds=0 if options.quick else 1,
            progress=say,
        )
        _timed(results, "interleaved measurements", started)
        started = time.perf_counter()
        pages = [path.format(code=code) for _, path in queries.PAGES] + ["/api/docs/"]
        weights = [page_weight(port, path) for path in pages]
        # A real browser's requests too, except in a quick run (Chromium takes its time).
        browser = None if options.quick else browser_foreign_requests(port, pages)
        _timed(results, "page weights and other hosts", started)
        started = time.perf_counter()
        say(f"Load run: {options.load_clients} clients for {options.load_seconds:g} s")
        bounded = serving.bounded_load(
            port, code, tool=tool, seconds=options.load_seconds, connections=options.load_clients
        )
        _timed(results, "load run", started)
    finally:
        server.stop()
    log = (work / "gunicorn.log").read_text(errors="replace")
    ratios = {
        serving.warm_label(name) + " / static file (req/s)": measured.ratios(
            serving.warm_label(name), serving.static_label(name)
        )
        for name, _, _ in serving.PUBLIC_GETS
    }
    ratios |= {
        "status API, warm / baseline (req/s)": measured.ratios(
            serving.warm_label(serving.STATUS_API), serving.BASELINE
        ),
        "status API, cold / baseline, cold (req/s)": measured.ratios(
            serving.COLD_API, serving.COLD_BASELINE
        ),
        "status matrix page, warm / cold (req/s)": measured.ratios(
            serving.warm_label("status matrix page"), serving.COLD_PAGE
        ),
        "API: 304 / warm 200 (p50 latency)": measured.ratios(
            serving.NOT_MODIFIED, serving.warm_label(serving.STATUS_API), "p50_ms"
        ),
        "page: 304 / cold 200 (p50 latency)": measured.ratios(
            serving.PAGE_NOT_MODIFIED, serving.COLD_PAGE, "p50_ms"
        ),
    }
    return {
        "port": port,
        "participants": options.serve_at,
        "checks": measured.checks,
        "rounds": [{k: v.as_dict() for k, v in r.items()} for r in measured.rounds],
        "median": {
            label: {
                metric: round(measured.median(label, metric), 2)
                for metric in ("rps", "p50_ms", "p95_ms", "p99_ms")
            }
            for label in measured.rounds[0]
        },
        "ratios": {name: statistics.median(values) for name, values in ratios.items()},
        "ratios_by_round": ratios,
        "errors_in_measurements": sum(v.error_count for r in measured.rounds for v in r.values()),
        "weights": [
            {
                "path": w.path,
                "html_bytes": w.html_bytes,
                "html_uncompressed": w.html_uncompressed,
                "assets_bytes": sum(w.assets.values()),
                "total_bytes": w.total,
                "foreign": w.foreign,
            }
            for w in weights
        ],
        "browser_foreign": browser,
        "load": bounded.as_dict(),
        "server_log_errors": [
            line for line in log.splitlines() if "Traceback" in line or "ERROR" in line
        ][:20],
    }
