import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.snapshot import outside_records_counts, snapshot_write, summary_lines


class Command(BaseCommand):
    help = (
        "Write every treaty, obligation and submission record, with its history, to one "
        "JSON file (standard output without PATH). The same data give the same bytes. "
        "import_snapshot restores it into an empty database. Focal points, their invitations "
        "and submissions are not in it. For production backups use pg_dump (README, "
        "Reliability)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", metavar="PATH", help="the file to write.")

    def handle(self, *args: Any, path: str | None, **options: Any) -> None:
        if path in (None, "-"):
            counts = snapshot_write(sys.stdout)
            report = self.stderr
        else:
            target = Path(path)
            if not target.parent.is_dir():
                raise CommandError(f"{target.parent}: no such folder")
            # Written beside the target and moved into place, so a failed export never
            # leaves a truncated file where a good one was.
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("w", encoding="utf-8", newline="\n") as out:
                    counts = snapshot_write(out)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
            report = self.stdout
        for line in summary_lines(counts):
            report.write(line)
        left_out = outside_records_counts()
        if left_out:
            described = ", ".join(f"{count} {name}" for name, count in left_out.items())
            report.write(f"Not in the snapshot (kept only by the database's backups): {described}.")
        if path not in (None, "-"):
            self.stdout.write(self.style.SUCCESS(f"Snapshot written to {path}."))
