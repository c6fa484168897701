"""The benchmark's targets, each beside what the run measured (the head of the report)."""

from typing import Any

MATRIX_PAGE = "/status/"
PAGE_WEIGHT_LIMIT = 150 * 1024


def kb(count: int) -> str:
    return f"{count / 1024:.1f} KB"


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met); met is None when the run did not measure it."""
    rows: list[tuple[str, str, bool | None]] = []
    budgets = results.get("budgets", {})
    sizes = sorted(budgets, key=int)
    if sizes:
        by_path: dict[str, list[int]] = {}
        for size in sizes:
            for budget in budgets[size]:
                by_path.setdefault(budget["path"], []).append(budget["queries"])
        unequal = [path for path, counts in by_path.items() if len(set(counts)) > 1]
        rows.append(
            (
                f"query counts equal at every N ({', '.join(f'{int(s):,}' for s in sizes)})",
                "equal for every page and API list"
                if not unequal
                else "differ for " + ", ".join(unequal),
                not unequal,
            )
        )
        matrix = max(b["queries"] for s in sizes for b in budgets[s] if b["path"] == MATRIX_PAGE)
        rows.append(("status matrix page <= 4 queries", f"{matrix} queries", matrix <= 4))
        api = {
            b["name"]: (b["without_authentication"], b["authentication"])
            for s in sizes
            for b in budgets[s]
            if b["kind"] == "api"
        }
        worst = max(v[0] for v in api.values())
        over = [f"{name} {n}" for name, (n, _) in api.items() if n > 3]
        rows.append(
            (
                "API lists <= 3 queries + authentication",
                f"at most {worst} + authentication"
                + (f" (over: {', '.join(over)})" if over else ""),
                worst <= 3,
            )
        )
    serving_results = results.get("serving")
    if serving_results:
        rows += _serving_targets(serving_results)
    sweeps = results.get("sweeps", [])
    if sweeps:
        by_run: dict[int, set[int]] = {}
        for sweep in sweeps:
            by_run.setdefault(sweep["run"], set()).add(sweep["statements"])
        fixed = all(len(counts) == 1 for counts in by_run.values())
        rows.append(
            (
                "sweep: a fixed number of statements at any N",
                "; ".join(
                    f"{s['participants']:,} run {s['run']}: {s['statements']}" for s in sweeps
                ),
                fixed,
            )
        )
        largest = max(s["participants"] for s in sweeps)
        slowest = max(s["seconds"] for s in sweeps if s["participants"] == largest)
        rows.append(
            (
                f"sweep under 1 s at {largest:,} participants",
                f"{slowest:.2f} s ({results['versions']['database']})",
                slowest < 1,
            )
        )
        largest_runs = [s for s in sweeps if s["participants"] == largest]
        writing = [s for s in largest_runs if s["changed"]]
        rows.append(
            (
                f"the sweep writes at {largest:,} participants (flags raised, resolved, reopened)",
                "; ".join(
                    f"run {s['run']}: {s['changed']:,} flags, {s['seconds']:.2f} s" for s in writing
                )
                or "no run changed a flag",
                bool(writing),
            )
        )
        second = [s for s in sweeps if s["run"] == 2]
        changed = sum(s["changed"] + s["history_rows_written"] for s in second)
        moved = any(s["revision_moved"] for s in second)
        rows.append(
            (
                "a second sweep changes 0 rows",
                f"{changed} rows" + (", revision moved" if moved else ""),
                changed == 0 and not moved,
            )
        )
    if serving_results:
        foreign = [u for w in serving_results["weights"] for u in w["foreign"]]
        browser = serving_results.get("browser_foreign")
        if browser:
            foreign += [u for urls in browser.values() for u in urls]
        how = "HTML and CSS parsed" + (", and Chromium's requests" if browser else "")
        rows.append(
            (
                "no page loads anything from another host",
                f"{len(foreign)} foreign loads ({how})",
                not foreign,
            )
        )
        matrix = next(w for w in serving_results["weights"] if w["path"] == MATRIX_PAGE)
        rows.append(
            (
                "status matrix page <= 150 KB transferred",
                f"{kb(matrix['total_bytes'])} (HTML {kb(matrix['html_bytes'])} gzip, "
                f"assets {kb(matrix['assets_bytes'])})",
                matrix["total_bytes"] <= PAGE_WEIGHT_LIMIT,
            )
        )
        bounded = serving_results["load"]
        rows.append(
            (
                "bounded load run: p99 <= 150 ms, 0 errors",
                f"p99 {bounded['p99_ms']:.0f} ms, {bounded['error_count']} errors in "
                f"{bounded['requests']:,} requests",
                bounded["error_count"] == 0 and bounded["p99_ms"] <= 150,
            )
        )
    fan = results.get("fanout")
    if fan:
        alone, followed = fan["write_without_followers"], fan["write"]
        rows.append(
            (
                "recording a treaty action: the same statements whatever its followers",
                f"{followed['statements']} with {fan['subscribers']:,} subscribers and "
                f"{fan['endpoints']:,} endpoints, {alone['statements']} with none",
                followed["statements"] == alone["statements"],
            )
        )
        worker_seconds = sum(fan[k]["seconds"] for k in ("dispatch", "deliveries", "e_mails"))
        everyone = fan["e_mails_sent"] == fan["subscribers"] and (
            fan["requests_received"] == fan["deliveries_delivered"] == fan["endpoints"]
        )
        rows.append(
            (
                "fan-out: every subscriber e-mailed and every endpoint delivered to, once",
                f"{fan['e_mails_sent']:,} e-mails, {fan['deliveries_delivered']:,} deliveries "
                f"in {worker_seconds:.1f} s in the worker",
                everyone,
            )
        )
    if "total_seconds" in results:
        limit = 60 if results.get("quick") else 600
        rows.append(
            (
                f"the run takes under {limit // 60} minute{'s' if limit > 60 else ''}",
                f"{results['total_seconds']:.0f} s",
                results["total_seconds"] < limit,
            )
        )
    return rows


def _serving_targets(serving_results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    ratios = serving_results["ratios"]
    checks = serving_results["checks"]
    warm = {
        name.removeprefix("warm: ").removesuffix(" / static file (req/s)"): value
        for name, value in ratios.items()
        if name.endswith(" / static file (req/s)")
    }
    worst = min(warm, key=warm.__getitem__)
    below = [f"{name} {value:.2f}" for name, value in warm.items() if value < 0.8]
    sizes = "" if checks.get("static_sizes_close") else " (static sizes NOT equal)"
    cold = ratios["status API, cold / baseline, cold (req/s)"]
    identical = checks["baseline_identical"] and checks["static_identical"]
    return [
        (
            f"every public GET warm >= 0.8 x the static file of the same size ({len(warm)})",
            f"lowest {warm[worst]:.2f} x ({worst})"
            + (f"; below: {', '.join(below)}" if below else "")
            + sizes,
            not below and not sizes,
        ),
        (
            "cold (a new answer each request) >= 1.0 x the plain-Django baseline",
            f"status API {cold:.2f} x" + ("" if identical else " (bytes NOT identical)"),
            cold >= 1.0 and identical,
        ),
    ]
