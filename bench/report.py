"""The results as a Markdown report: the targets first (bench/targets.py), then every number
behind them."""

from typing import Any

from bench.targets import kb, targets


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
            "next write (from the response cache: no query while the process keeps the revision, "
            "with Redis; the revision's one without); + n: statements "
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
                    kb(w["html_bytes"]),
                    kb(w["html_uncompressed"]),
                    kb(w["assets_bytes"]),
                    kb(w["total_bytes"]),
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


__all__ = ["markdown", "targets"]
