from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.snapshot import DatabaseNotEmpty, snapshot_read, snapshot_restore, summary_lines
from reports.snapshot_check import SnapshotRefused


class Command(BaseCommand):
    help = (
        "Restore a file written by export_snapshot into an empty (migrated) database. The "
        "whole file is checked first; if anything is wrong, or the database already holds "
        "tracker data, nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="the snapshot file.")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        try:
            text = snapshot_read(source)
        except UnicodeDecodeError:
            raise CommandError(f"{source}: not UTF-8 text; nothing was written.") from None
        try:
            counts = snapshot_restore(text)
        except DatabaseNotEmpty as error:
            raise CommandError(f"{error} Nothing was written.") from None
        except SnapshotRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{source.name}: {problem}")
            raise CommandError(
                f"{len(refused.problems)} problem(s) found; nothing was written."
            ) from None
        for line in summary_lines(counts):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Restored {source}."))
