from typing import Any

from django.core.management.base import BaseCommand

from reports.authority_seed import designations_seed


class Command(BaseCommand):
    help = (
        "Record the competent authorities designated in the notifications already in the "
        "treaty data (UNTOC art. 18(13) and 18(14), FIR art. 13(2)) as the directory's "
        "designations, each with its source. Lists what it left out and why. Run after "
        "load_treaty_data and load_obligations; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = designations_seed()
        for reason in summary.left_out:
            self.stdout.write(f"left out: {reason}")
        self.stdout.write(self.style.SUCCESS(f"Done: {summary.line()}."))
