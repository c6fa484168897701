"""Celery tasks of the alerts: thin wrappers that call one service.

Both are safe to run twice or at once (a locked cursor and unique deliveries; a lease per
delivery), so they acknowledge late: a worker lost mid-task leaves its message for another.
"""

import logging
import smtplib
from typing import Any

from celery import shared_task

from alerts import services, subscriptions
from core.tasks import AfterCommitTask

logger = logging.getLogger(__name__)


class WebhookTask(AfterCommitTask):
    abstract = True
    # A delivery not sent now is found by the next run (every minute): deliveries_due.
    catch_up = "the next webhooks run will catch up"


@shared_task(base=WebhookTask, acks_late=True, reject_on_worker_lost=True)
def webhooks_run() -> dict[str, Any]:
    """Every minute: queue the new events for the endpoints, then send each delivery that is
    due (a first try, a retry whose wait is over, or one a lost worker left)."""
    queued = services.events_dispatch()
    due = services.deliveries_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return {"queued": queued, "sent": len(due)}


@shared_task(base=WebhookTask, acks_late=True, reject_on_worker_lost=True)
def webhook_deliver(delivery_id: int) -> str:
    """Try one delivery (services.delivery_attempt); its outcome."""
    return services.delivery_attempt(delivery_id)


class MailTask(AfterCommitTask):
    abstract = True
    catch_up = "the e-mail was not queued; the change stays on /changes/"

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Every retry used up: said loudly, never lost silently.
        logger.error("Gave up sending alert e-mail %r after its retries: %s", args, exc)


@shared_task(
    base=MailTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=6,
)
def subscription_mail(kind: str, subscription_id: int, event_ids: list[int]) -> dict[str, Any]:
    """Send one subscription e-mail ("confirm" or "changes"); retried when the mail server
    fails, with backoff, and logged."""
    return subscriptions.mail_send(kind, subscription_id, event_ids)


@shared_task(base=MailTask, acks_late=True, reject_on_worker_lost=True)
def alert_mails_run() -> dict[str, Any]:
    """Every minute: one e-mail per immediate subscription for the changes it follows."""
    return {"queued": subscriptions.mails_dispatch()}


@shared_task(base=MailTask, acks_late=True, reject_on_worker_lost=True)
def alert_digests_run() -> dict[str, Any]:
    """Weekly: one digest per weekly subscription of the changes since its last."""
    return {"queued": subscriptions.digests_dispatch()}
