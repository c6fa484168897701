from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from instruments.candidates import (
    CANDIDATES_FILE,
    OPEN_QUESTION_COLUMNS,
    STATUS_COLUMNS,
    candidates_sort,
    csv_write,
)
from instruments.importing import ImportRefused


class Command(BaseCommand):
    help = (
        "Decide which facts of a candidates file (default: the shipped "
        "post2014_candidates.csv) become treaty actions and which stay open questions, "
        "against the recorded actions. Prints each decision; with --status-out and "
        "--questions-out writes the accepted rows as a status table and the rest as an "
        "open-questions table, both loadable with load_treaty_data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(CANDIDATES_FILE), metavar="PATH")
        parser.add_argument("--status-out", metavar="CSV", help="write the accepted rows here")
        parser.add_argument("--questions-out", metavar="CSV", help="write the open questions")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            sort = candidates_sort(Path(path))
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(refused.errors)} problem(s) found.") from None
        for decision in sort.decisions:
            c = decision.candidate
            verdict = "action" if decision.accepted else "open question"
            why = f": {decision.reason}" if decision.reason else ""
            self.stdout.write(f"row {c.row}: {c.participant}, {c.instrument}: {verdict}{why}")
        if options["status_out"]:
            csv_write(Path(options["status_out"]), STATUS_COLUMNS, sort.status_rows())
        if options["questions_out"]:
            csv_write(
                Path(options["questions_out"]), OPEN_QUESTION_COLUMNS, sort.open_question_rows()
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(sort.accepted)} action(s), {len(sort.open)} open question(s)."
            )
        )
