from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from instruments.importing import ImportRefused
from reports.importing import catalogue_load


class Command(BaseCommand):
    help = (
        "Load the catalogue of reporting obligations and the sessions of the Conference of the "
        "Parties (default: the tables shipped in reports/data/). Every row is checked first; if "
        "any is wrong nothing is written. Loading the same files again changes nothing. Run "
        "after load_treaty_data: obligations refer to the instruments."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="*", metavar="PATH", help="obligations and COP session CSV files."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then write nothing."
        )

    def handle(self, *args: Any, paths: list[str], dry_run: bool, **options: Any) -> None:
        files = [Path(p) for p in paths] or None
        for path in files or []:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            summary = catalogue_load(files, dry_run=dry_run)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(refused.errors)} problem(s) found; nothing was written."
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {summary.changed} record(s)."))
