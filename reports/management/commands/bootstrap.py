"""One command for what a new deployment needs, used by `make run` and docker-compose alike."""

import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Make the database ready to serve: apply the migrations, load the shipped treaty data "
        "and the obligations catalogue, record the competent authorities the notifications on "
        "record designate, compile the message catalogues if there are any, and "
        "run the compliance check. Safe to run again: each step changes only what is missing "
        "or out of date, and a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-compliance",
            action="store_true",
            help="Do not run the compliance check (the daily job will).",
        )

    def handle(self, *args: Any, skip_compliance: bool, **options: Any) -> None:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("database", migrations_apply),
            ("treaty data", lambda: last_line_of("load_treaty_data")),
            ("obligations", lambda: last_line_of("load_obligations")),
            ("authorities", lambda: last_line_of("load_authorities")),
            ("messages", messages_compile),
        ]
        if not skip_compliance:
            steps.append(("compliance", compliance_check))
        for name, step in steps:
            self.stdout.write(f"{name + ':':<13} {step()}")
        if not get_user_model().objects.filter(is_staff=True, is_active=True).exists():
            self.stdout.write(
                "No staff login yet: manage.py create_staff_user --editor NAME (or --viewer)"
            )
        self.stdout.write(self.style.SUCCESS("Ready."))


def migrations_apply() -> str:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0)
    if not pending:
        return "up to date, no migration to apply"
    return f"applied {len(pending)} migration(s)"


def last_line_of(command: str, **options: Any) -> str:
    """Run a command quietly and keep its summary (its last line)."""
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip()]
    return lines[-1].removeprefix("Done: ") if lines else "done"


def compliance_check() -> str:
    out = io.StringIO()
    call_command("check_compliance", stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip()]
    # The first line says as of when and how many flags are open; the last what changed.
    return f"{lines[0]} {lines[-1].removeprefix('Done: ')}"


def messages_compile() -> str:
    # Babel's writer (core's compile_catalogues): no GNU gettext needed to run the site.
    return last_line_of("compile_catalogues").removesuffix(".")
