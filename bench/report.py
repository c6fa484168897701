"""The results as a Markdown report: the targets first, then every number behind them."""

from typing import Any

from bench import serving

MATRIX_PAGE = "/status/"
PAGE_WEIGHT_LIMIT = 150 * 1024


def _kb(count: int) -> str:
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
                f"{_kb(matrix['total_bytes'])} (HTML {_kb(matrix['html_bytes'])} gzip, "
                f"assets {_kb(matrix['assets_bytes'])})",
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


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(results: dict[str, Any]) -> str:
    title = "quick run (toy sizes, not for comparison)" if results.get("quick") else "full run"
    lines = [f"# UNTOC Tracker benchmark: {title}", ""]
    lines += ["## Targets", ""]
    lines += _table(
        ["target", "measured", "met"],
        [[t, m, {True: "yes", False: "**no**", None: "-"}[ok]] for t, m, ok in targets(results)],
    )

    lines += ["## Machine, versions, settings", ""]
    facts = [[k, v] for k, v in results["machine"].items()]
    facts += [[k, v] for k, v in results["versions"].items()]
    facts += [
        [k, v if not isinstance(v, list | dict) else str(v)] for k, v in results["settings"].items()
    ]
    lines += _table(["", ""], facts)

    lines += ["## Dataset", ""]
    lines += _table(
        [
            "participants",
            "treaty actions",
            "declarations",
            "submissions",
            "through services",
            "built in",
        ],
        [
            [
                f"{d['participants']:,}",
                f"{d['treaty_actions']:,}",
                f"{d['declarations']:,}",
                f"{d['submissions']:,}",
                f"{d['through_services']:,} of {d['created']:,} added",
                f"{d['seconds']:.1f} s",
            ]
            for d in results["dataset"]
        ],
    )

    budgets = results.get("budgets", {})
    if budgets:
        sizes = sorted(budgets, key=int)
        lines += [
            "## Query budgets",
            "",
            "Each answer built anew (never from the response cache), with the instruments held "
            "in memory for the current revision as after any earlier request; in brackets, with "
            "every cache empty (the first request after a write), then as served until the "
            "next write (from the response cache: the revision's one query); + n: statements "
            "that only authenticate the caller.",
            "",
        ]
        first = budgets[sizes[0]]
        rows = []
        for index, budget in enumerate(first):
            cells = []
            for size in sizes:
                b = budgets[size][index]
                cell = str(b["without_authentication"])
                if b["authentication"]:
                    cell += f" + {b['authentication']}"
                cell += f" ({b['cold']}; served {b.get('cached', '-')})"
                if b["status"] != 200:
                    cell += f" (HTTP {b['status']})"
                cells.append(cell)
            rows.append([budget["kind"], f"`{budget['path']}`", *cells])
        lines += _table(["", "path", *(f"N={int(s):,}" for s in sizes)], rows)

    serving_results = results.get("serving")
    if serving_results:
        lines += [
            f"## Serving at N={serving_results['participants']:,} (medians of the rounds)",
            "",
        ]
        checks = serving_results["checks"]
        lines += [
            f"Same bytes: status API {checks['status_api_bytes']:,} bytes; baseline "
            f"{'identical' if checks['baseline_identical'] else 'DIFFERENT'}; static file "
            f"{'identical' if checks['static_identical'] else 'DIFFERENT'}; the other static "
            "files "
            + (
                "as large as their answers (within gzip's random bytes)"
                if checks.get("static_sizes_close")
                else "NOT as large as their answers"
            )
            + ". Conditional GET "
            f"answered {checks['conditional_status']} (and {checks['conditional_status_after']} "
            "after the rounds). Errors during the measurements: "
            f"{serving_results['errors_in_measurements']}.",
            "",
        ]
        rows = [
            [
                label,
                f"{m['rps']:.0f}",
                f"{m['p50_ms']:.1f}",
                f"{m['p95_ms']:.1f}",
                f"{m['p99_ms']:.1f}",
            ]
            for label, m in serving_results["median"].items()
        ]
        bounded = serving_results["load"]
        rows.append(
            [
                f"load run: {bounded['label']}",
                f"{bounded['rps']:.0f}",
                f"{bounded['p50_ms']:.1f}",
                f"{bounded['p95_ms']:.1f}",
                f"{bounded['p99_ms']:.1f}",
            ]
        )
        lines += _table(["endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms"], rows)
        lines += [
            f"Load run errors: {bounded['error_count']} ({bounded['errors'] or 'none'}) in "
            f"{bounded['requests']:,} requests.",
            "",
        ]
        lines += ["Ratios (the median of the ratios measured within each round):", ""]
        by_round = serving_results.get("ratios_by_round", {})
        lines += _table(
            ["ratio", "median", "round by round"],
            [
                [name, f"{value:.2f}", " / ".join(f"{v:.2f}" for v in by_round.get(name, []))]
                for name, value in serving_results["ratios"].items()
            ],
        )
        lines += ["Page weights (gzip accepted, as a browser asks):", ""]
        lines += _table(
            ["page", "HTML sent", "HTML uncompressed", "assets", "total", "other hosts"],
            [
                [
                    f"`{w['path']}`",
                    _kb(w["html_bytes"]),
                    _kb(w["html_uncompressed"]),
                    _kb(w["assets_bytes"]),
                    _kb(w["total_bytes"]),
                    len(w["foreign"]),
                ]
                for w in serving_results["weights"]
            ],
        )
        if serving_results.get("browser_foreign") is None:
            lines += [
                "Chromium not available: only the HTML and CSS were checked for other hosts.",
                "",
            ]

    sweeps = results.get("sweeps", [])
    if sweeps:
        lines += [
            "## Compliance sweep (every participant, as of today)",
            "",
            "Statements that read or write; in brackets BEGIN/COMMIT, which Django lists with "
            "them. The job ran once on the empty database first, as in any deployment a day "
            "old. The records under art. 18(13) and 18(14) are taken as checked complete for "
            "every participant, so parties with nothing on record are flagged (bench/sweep.py).",
            "",
        ]
        lines += _table(
            [
                "participants",
                "run",
                "after",
                "statements",
                "seconds",
                "rows changed",
                "raised",
                "resolved",
                "reopened",
                "open",
                "history rows",
            ],
            [
                [
                    f"{s['participants']:,}",
                    s["run"],
                    s.get("after", ""),
                    f"{s['statements']} (+{s['transaction_control']})",
                    f"{s['seconds']:.2f}",
                    s["changed"],
                    s["raised"],
                    s["resolved"],
                    s.get("reopened", ""),
                    s["open"],
                    s["history_rows_written"],
                ]
                for s in sweeps
            ],
        )
    fan = results.get("fanout")
    if fan:
        lines += [
            "## Alerts fan-out",
            "",
            f"One treaty action recorded through the service with {fan['subscribers']:,} "
            f"confirmed e-mail subscribers and {fan['endpoints']:,} webhook endpoints following "
            "it. The write only adds the event; the worker's every-minute tasks expand it into "
            "one delivery per endpoint and one queued e-mail per subscriber, and each queued "
            "task then runs as a solo worker runs it: deliveries are signed HTTP POSTs to a "
            "receiver on 127.0.0.1, e-mails go to an in-memory outbox. Statements that read "
            "or write; in brackets BEGIN/COMMIT and savepoints.",
            "",
        ]

        def stage(name: str, key: str, outcome: str) -> list[Any]:
            s = fan[key]
            return [
                name,
                f"{s['statements']:,} (+{s['transaction_control']:,})",
                f"{s['seconds']:.3f}",
                outcome,
            ]

        lines += _table(
            ["stage", "statements", "seconds", "outcome"],
            [
                stage("(a) the write, before any follower existed", "write_without_followers", ""),
                stage("(a) the write, with the followers", "write", "one event"),
                stage(
                    "(b) fan-out: webhooks_run + alert_mails_run",
                    "dispatch",
                    f"{fan['deliveries_queued']:,} deliveries, "
                    f"{fan['e_mails_queued']:,} e-mails queued",
                ),
                stage(
                    "(b) sending: every webhook_deliver",
                    "deliveries",
                    f"{fan['deliveries_delivered']:,} delivered, "
                    f"{fan['requests_received']:,} received",
                ),
                stage(
                    "(b) sending: every subscription_mail",
                    "e_mails",
                    f"{fan['e_mails_sent']:,} e-mails sent",
                ),
            ],
        )
    if results.get("step_seconds"):
        lines += ["## Time taken", ""]
        lines += _table(
            ["step", "seconds"],
            [[k, v] for k, v in results["step_seconds"].items()]
            + [["dataset", round(sum(d["seconds"] for d in results["dataset"]), 1)]]
            + [["total", results.get("total_seconds", "")]],
        )
    return "\n".join(lines)


__all__ = ["markdown", "serving", "targets"]
