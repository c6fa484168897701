import sys
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from instruments.depositary.parsers import FORM_LABELS, TableRefused, status_table_parse
from instruments.depositary.proposals import table_import
from instruments.models import Instrument

# Below this many participants a run takes a moment; above it, a bar shows it is working.
PROGRESS_FROM = 50


class Command(BaseCommand):
    help = (
        "Read the depositary's status table of one instrument (the UN Treaty Collection page "
        "saved as HTML, the table pasted as tab-separated text, or our CSV), compare it with "
        "our records as at the table's date, print the differences and store them for an "
        "editor to accept or reject in the back office. Nothing is written to the treaty data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--instrument", required=True, help="untoc, tip, som or fir: whose table it is."
        )
        parser.add_argument(
            "--form", choices=sorted(FORM_LABELS), help="html, text or csv (default: tell)."
        )
        parser.add_argument(
            "--as-at",
            type=date.fromisoformat,
            help="YYYY-MM-DD: the table's 'Status as at' date, when the file does not say it.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the proposals; store nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        instrument = Instrument.objects.filter(code=options["instrument"].lower()).first()
        if instrument is None:
            codes = ", ".join(Instrument.objects.values_list("code", flat=True))
            raise CommandError(f"--instrument {options['instrument']!r} is not one of: {codes}")
        show = sys.stderr.isatty() and options["verbosity"] > 0
        try:
            table = status_table_parse(path.read_bytes(), options["form"])
            batch, proposals = table_import(
                instrument=instrument,
                table=table,
                origin=path.name,
                status_as_at=options["as_at"],
                dry_run=options["dry_run"],
                progress=_progress_bar if show else None,
            )
        except TableRefused as refused:
            for error in refused.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(
                f"{len(refused.errors)} problem(s) found; nothing was stored."
            ) from None
        for proposal in proposals:
            line = f"line {proposal.line}" if proposal.line else "not in the table"
            self.stdout.write(
                f"{line}: {proposal.participant}: {proposal.get_change_display()}: "
                f"{proposal.old_value} -> {proposal.new_value}"
            )
        counts = Counter(p.get_change_display() for p in proposals)
        made = ", ".join(f"{n} {label.lower()}" for label, n in sorted(counts.items()))
        self.stdout.write(
            f"{instrument.short_title}, {batch.source}: {len(table.rows)} participant(s) read, "
            f"{len(proposals)} proposal(s){': ' + made if made else ''}."
        )
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: nothing was stored."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Stored for review as depositary import {batch.pk}: accept or reject each "
                    f"proposal at /admin/instruments/depositarybatch/{batch.pk}/change/"
                )
            )


def _progress_bar(items: Iterable[Any], total: int) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(
        items,
        total=total,
        desc="Comparing",
        unit="participant",
        file=sys.stderr,
        disable=total < PROGRESS_FROM,
    )
