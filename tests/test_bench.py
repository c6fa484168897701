"""The benchmark (bench/) cannot rot: its quick mode runs every step here, at toy sizes.

Only what does not depend on the machine's speed is asserted (speed is the benchmark's to
measure, never a test's): the same bytes from the API, the baseline and the static file,
304s answered, no errors under load, query counts equal at both sizes, sweeps that raise,
resolve and reopen flags in the same statements at both sizes, and a second sweep that
changes nothing.
"""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.load import python_run
from bench.serving import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_quick_benchmark_runs_every_step_and_writes_its_report(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(tmp_path)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-4000:]
    report = (tmp_path / "quick.md").read_text()
    for heading in (
        "## Targets",
        "## Query budgets",
        "## Serving",
        "## Compliance sweep",
        "## Alerts fan-out",
    ):
        assert heading in report
    results = json.loads((tmp_path / "quick.json").read_text())
    assert {"machine", "versions", "settings", "dataset"} <= set(results)

    serving = results["serving"]
    assert serving["checks"]["baseline_identical"]
    assert serving["checks"]["static_identical"]
    assert serving["checks"]["static_sizes_close"]
    assert serving["checks"]["conditional_status"] == [304, 304]
    assert serving["errors_in_measurements"] == 0
    assert serving["load"]["error_count"] == 0
    assert serving["load"]["requests"] > 0
    assert not [w["foreign"] for w in serving["weights"] if w["foreign"]]
    assert serving["server_log_errors"] == []

    budgets = results["budgets"]
    small, large = (budgets[size] for size in sorted(budgets, key=int))
    assert [b["queries"] for b in small] == [b["queries"] for b in large]
    assert all(b["status"] == 200 for b in small + large)
    # Asked again, every public answer comes from the response cache (history/ is
    # staff-only: never shared): with Redis, the process keeps the revision, no query;
    # without it, the revision's one query (core/revision.py).
    revision_reads = 0 if os.environ.get("REDIS_URL") else 1
    assert {b["cached"] for b in small + large if "history" not in b["path"]} == {revision_reads}

    # The alerts' fan-out: the write costs the same with its followers as without; the
    # worker queues and sends one delivery per endpoint and one e-mail per subscriber.
    fan = results["fanout"]
    assert (fan["subscribers"], fan["endpoints"]) == (300, 10)
    assert fan["write"]["statements"] == fan["write_without_followers"]["statements"]
    assert fan["deliveries_queued"] == fan["deliveries_delivered"] == fan["endpoints"]
    assert fan["requests_received"] == fan["endpoints"]
    assert fan["e_mails_queued"] == fan["e_mails_sent"] == fan["subscribers"]

    sweeps = results["sweeps"]
    runs = {number: [s for s in sweeps if s["run"] == number] for number in (1, 2, 3, 4)}
    assert all(len(at_sizes) == 2 for at_sizes in runs.values())
    # The same statements at both sizes, run by run, writing or not.
    assert all(len({s["statements"] for s in at_sizes}) == 1 for at_sizes in runs.values())
    # Parties with nothing on record under the obligations checked complete are flagged...
    assert all(s["raised"] > 0 and s["revision_moved"] for s in runs[1])
    # ...a second run at once changes nothing...
    assert all(s["changed"] == s["history_rows_written"] == 0 for s in runs[2])
    assert not any(s["revision_moved"] for s in runs[2])
    # ...a withdrawn check resolves its flags, and recorded again reopens them.
    assert all(s["resolved"] > 0 and s["resolved"] == s["history_rows_written"] for s in runs[3])
    assert all(s["reopened"] > 0 for s in runs[4])


class _Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 404 if self.path == "/missing" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


def test_the_python_load_client_counts_requests_latencies_and_errors():
    """The load generator used where wrk is not installed."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        result = python_run("mixed", port, ["/", "/missing"], seconds=0.5, connections=3)
    finally:
        server.shutdown()
        server.server_close()
    assert result.requests > 10
    # Every other request asks for the missing path (give or take those in flight).
    assert abs(result.errors["status >= 400"] - result.requests / 2) <= 3
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
