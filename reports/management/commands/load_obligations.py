from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.tables import load_and_report
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
        load_and_report(self, lambda: catalogue_load(files, dry_run=dry_run), dry_run=dry_run)
