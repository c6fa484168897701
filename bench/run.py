"""`make bench`: build the synthetic dataset, measure, write bench/results/latest.md.

    python -m bench            # the full run (under ten minutes on 2 cores)
    python -m bench --quick    # every step at toy sizes and for a second each (under a minute)

SQLite in a temporary folder by default; with DATABASE_URL naming PostgreSQL, a database on
the same server named after it with "_run" appended (or BENCH_DATABASE_URL), dropped and
made anew at the start. See bench/README.md.
"""

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="toy sizes, one short round")
    parser.add_argument("--scales", help="participants for the query budgets (70,1000)")
    parser.add_argument("--serve-at", type=int, help="participants while serving (1000)")
    parser.add_argument("--sweep-at", help="participants for the sweep (70,1000)")
    parser.add_argument(
        "--services-up-to",
        type=int,
        help="participants whose data go through the importer and services (1000)",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (3)")
    parser.add_argument("--seconds", type=float, help="seconds per endpoint and round (2)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--load-clients", type=int, help="clients in the load run (50)")
    parser.add_argument("--load-seconds", type=float, help="seconds of the load run (30)")
    parser.add_argument("--subscribers", type=int, help="e-mail subscribers in the fan-out (10000)")
    parser.add_argument("--endpoints", type=int, help="webhook endpoints in the fan-out (100)")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "0")))
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument("--name", help="file name of the results (latest; quick with --quick)")
    options = parser.parse_args(argv)
    full = {
        "scales": "70,1000",
        "serve_at": 1000,
        "sweep_at": "70,1000",
        "services_up_to": 1000,
        "rounds": 3,
        "seconds": 2.0,
        "load_clients": 50,
        "load_seconds": 30.0,
        "subscribers": 10_000,
        "endpoints": 100,
        "name": "latest",
    }
    quick = {
        "scales": "20,60",
        "serve_at": 60,
        "sweep_at": "60,150",
        "services_up_to": 60,
        "rounds": 1,
        "seconds": 1.0,
        "load_clients": 10,
        "load_seconds": 3.0,
        "subscribers": 300,
        "endpoints": 10,
        "name": "quick",
    }
    for key, value in (quick if options.quick else full).items():
        if getattr(options, key) is None:
            setattr(options, key, value)
    options.scales = sorted({int(n) for n in options.scales.split(",")})
    options.sweep_at = sorted({int(n) for n in options.sweep_at.split(",")})
    return options


def database_url() -> tuple[str, str]:
    """The benchmark's own database (URL, words for the report); never the tracker's own."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"], "BENCH_DATABASE_URL"
    tracker = os.environ.get("DATABASE_URL", "")
    if tracker.startswith(("postgres://", "postgresql://")):
        base, _, name = tracker.rpartition("/")
        name = name.split("?")[0]
        return f"{base}/{name}_run", f"PostgreSQL database {name}_run"
    folder = tempfile.mkdtemp(prefix="untoc-bench-")
    return f"sqlite:///{folder}/bench.sqlite3", "SQLite file in a temporary folder"


def postgres_recreate(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    base, _, name = url.rpartition("/")
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def environment_prepare(url: str, static_root: Path) -> dict[str, str]:
    """The production environment every step runs in (this process and gunicorn)."""
    values = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Plain HTTP on 127.0.0.1: in production TLS ends at the proxy in front of gunicorn,
        # which the benchmark does not run; otherwise every answer would be a redirect to
        # https. The rest of the production settings (CSP, headers, sessions) stay.
        "DJANGO_HTTPS": "false",
        "DATABASE_URL": url,
        "BENCH_STATIC_ROOT": str(static_root),
        # One client makes every request: at the production rate (120/minute) the API would
        # answer 429 after two seconds. Raised for the run, still counted per request (per
        # second, so the throttle's record of recent requests stays as short as in production).
        "API_ANON_THROTTLE_RATE": "100000/second",
    }
    os.environ.update(values)
    return dict(os.environ)


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    started = time.perf_counter()
    url, where = database_url()
    if url.startswith("postgres"):
        postgres_recreate(url)
    work = Path(tempfile.mkdtemp(prefix="untoc-bench-work-"))
    environment = environment_prepare(url, work / "static")
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from bench import steps

    try:
        results = steps.run_all(options, environment, work, where)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)
        if url.startswith("sqlite:///"):
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    from bench.report import markdown

    text = markdown(results)
    options.output.mkdir(parents=True, exist_ok=True)
    (options.output / f"{options.name}.md").write_text(text)
    (options.output / f"{options.name}.json").write_text(
        json.dumps(results, indent=2, default=str) + "\n"
    )
    print(text)
    print(f"Written: {options.output / f'{options.name}.md'} (and .json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
