"""Send what is due now: the webhook deliveries and alert e-mails (and, with --digests, the
weekly digests). Celery beat does this every minute; the embedded mode has no beat."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alerts import services, subscriptions


class Command(BaseCommand):
    help = "Queue and send the webhook deliveries and alert e-mails that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--digests", action="store_true", help="Send the weekly digests too.")

    def handle(self, *args: Any, **options: Any) -> None:
        queued = services.events_dispatch()
        outcomes = [services.delivery_attempt(pk) for pk in services.deliveries_due()]
        mails = subscriptions.mails_dispatch()
        digests = subscriptions.digests_dispatch() if options["digests"] else 0
        delivered = outcomes.count("delivered")
        self.stdout.write(
            f"webhooks: {queued} queued, {len(outcomes)} tried, {delivered} delivered; "
            f"e-mails: {mails} queued; digests: {digests} queued"
        )
