"""Load generators: wrk (Debian's package) when it is installed, else a Python client.

Both send GET requests for a fixed time to one server on the loopback interface, cycling
through a list of paths (one path for most measurements; many for an uncached page or a
mixed load), and report requests per second and the 50th, 95th and 99th percentile of
latency. Nothing here can address another host: the URL is built from 127.0.0.1 and a port.
"""

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"


@dataclass
class LoadResult:
    label: str
    tool: str
    connections: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int] = field(default_factory=dict)
    paths: int = 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict:
        return asdict(self) | {"error_count": self.error_count}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk_version() -> str:
    if not wrk_available():
        return "not installed"
    found = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (found.stdout or found.stderr).splitlines()[0].strip()


# wrk runs this in each of its threads; `done` reports in one line the benchmark parses.
WRK_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[((counter - 1) %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d,"p50":%%d,"p95":%%d,"p99":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_run(
    label: str,
    port: int,
    paths: list[str],
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    threads: int = 1,
    timeout_seconds: int = 10,
) -> LoadResult:
    script = WRK_SCRIPT % {
        "paths": ", ".join(_lua_string(p) for p in paths),
        "headers": ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in (headers or {}).items()
        ),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        finished = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{max(connections, threads)}",
                f"-d{max(1, round(seconds))}s",
                f"--timeout={timeout_seconds}s",
                "-s",
                handle.name,
                f"http://{LOOPBACK}:{port}{paths[0]}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + timeout_seconds + 30,
        )
    finally:
        Path(handle.name).unlink()
    line = next(x for x in finished.stdout.splitlines() if x.startswith("BENCH "))
    found = json.loads(line.removeprefix("BENCH "))
    duration = found["duration_us"] / 1e6
    errors = {k: found[k] for k in ("connect", "read", "write", "timeout") if found[k]}
    if found["status"]:
        errors["status >= 400"] = found["status"]
    return LoadResult(
        label=label,
        tool="wrk",
        connections=connections,
        seconds=round(duration, 2),
        requests=found["requests"],
        rps=found["requests"] / duration if duration else 0.0,
        p50_ms=found["p50"] / 1000,
        p95_ms=found["p95"] / 1000,
        p99_ms=found["p99"] / 1000,
        errors=errors,
        paths=len(paths),
    )


def python_run(
    label: str,
    port: int,
    paths: list[str],
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    timeout_seconds: int = 10,
) -> LoadResult:
    """`connections` threads, each sending one request after another until time is up.

    Slower than wrk (the client's own work shares the interpreter lock), so its numbers
    are lower bounds, but ratios between endpoints measured the same way stay meaningful.
    """
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        own: list[float] = []
        own_errors: dict[str, int] = {}
        conn: http.client.HTTPConnection | None = None
        while time.perf_counter() < deadline:
            with lock:
                path = paths[next(counter) % len(paths)]
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout_seconds)
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    own_errors["status >= 400"] = own_errors.get("status >= 400", 0) + 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                name = type(error).__name__
                own_errors[name] = own_errors.get(name, 0) + 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            own.append(time.perf_counter() - started)
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(own)
            for name, count in own_errors.items():
                errors[name] = errors.get(name, 0) + count

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    duration = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        label=label,
        tool="python",
        connections=connections,
        seconds=round(duration, 2),
        requests=len(latencies),
        rps=len(latencies) / duration if duration else 0.0,
        p50_ms=quantiles[49] * 1000,
        p95_ms=quantiles[94] * 1000,
        p99_ms=quantiles[98] * 1000,
        errors=errors,
        paths=len(paths),
    )


def run(label: str, port: int, paths: list[str], *, tool: str, **options) -> LoadResult:
    if tool == "wrk":
        return wrk_run(label, port, paths, **options)
    options.pop("threads", None)
    return python_run(label, port, paths, **options)
