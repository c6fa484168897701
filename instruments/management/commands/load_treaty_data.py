import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.tables import load_and_report
from instruments.loading import data_load


class Command(BaseCommand):
    help = (
        "Load treaty data from CSV files (default: the data shipped with the tracker). Every "
        "row is checked first; if any is wrong nothing is written and each problem is listed "
        "as 'file: row N, column X: message'. Loading the same files again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="CSV files or folders of CSV files: participants, aliases, instruments, "
            "status tables, declarations, depositary checkpoints, open questions (told apart "
            "by their header).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then write nothing."
        )

    def handle(self, *args: Any, paths: list[str], dry_run: bool, **options: Any) -> None:
        files = _csv_files(paths) if paths else None  # None: the shipped data, in two steps
        show_progress = sys.stderr.isatty() and options["verbosity"] > 0
        load_and_report(
            self,
            lambda: data_load(
                files, dry_run=dry_run, progress=_progress_bar if show_progress else None
            ),
            dry_run=dry_run,
        )


def _csv_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(path.glob("*.csv")))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{text}: no such file or folder")
    if not files:
        raise CommandError("no CSV files found in " + ", ".join(paths))
    return files


def _progress_bar(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(items, total=total, desc=f"Writing {label}", unit="row", file=sys.stderr)
