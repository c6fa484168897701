from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import domain
from reports.sweep import compliance_sweep


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Run the compliance check now: raise, update and resolve the flags that say no "
        "submission is on record past an obligation's due date, as the daily job does, and "
        "print a summary. SPMU editors get one e-mail digest of new flags."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", metavar="DATE", help="Check as of this date (YYYY-MM-DD); default today."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args: Any, as_of: str | None, dry_run: bool, **options: Any) -> None:
        try:
            result = compliance_sweep(as_of=_date(as_of) if as_of else None, dry_run=dry_run)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self.stdout.write(
            f"Compliance as of {result.as_of:%d %b %Y}, {result.participants} participants: "
            f"{result.open} open flag(s) - no submission on record."
        )
        self.stdout.write(
            f"  raised {result.raised}, reopened {result.reopened}, updated {result.updated}, "
            f"resolved {result.resolved}, unchanged {result.unchanged}"
        )
        for reference, count in sorted(result.open_by_obligation.items()):
            self.stdout.write(f"  {reference}: {count} open")
        if result.open:
            ageing = ", ".join(
                f"{label} {result.open_by_bucket.get(bucket, 0)}"
                for bucket, label in domain.AGEING_BUCKETS.items()
            )
            self.stdout.write(f"  overdue: {ageing}")
        if result.digest_flags:
            verb = "would go" if dry_run else "goes"
            self.stdout.write(
                f"  a digest of {result.digest_flags} new flag(s) {verb} to "
                f"{result.digest_recipients} SPMU editor(s)"
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: changed {result.changed} flag(s)."))
