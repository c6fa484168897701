from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from instruments.consistency import data_check


class Command(BaseCommand):
    help = (
        "Re-check every stored treaty fact against the rules (e.g. after hand entry) and list "
        "violations, then the known gaps. Exits with an error when a rule is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-gaps", action="store_true", help="List violations only.")

    def handle(self, *args: Any, no_gaps: bool, **options: Any) -> None:
        report = data_check()
        for line in report.violations:
            self.stdout.write(self.style.ERROR(f"violation: {line}"))
        if not no_gaps:
            for line in report.gaps:
                self.stdout.write(f"gap: {line}")
        self.stdout.write(
            f"{len(report.violations)} violation(s), {len(report.gaps)} gap(s) "
            f"in {report.actions} actions of {report.participants} participants."
        )
        if report.violations:
            raise CommandError("treaty data break the rules listed above")
