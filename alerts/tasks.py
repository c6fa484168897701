"""Celery tasks of the alerts: thin wrappers that call one service.

Both are safe to run twice or at once (a locked cursor and unique deliveries; a lease per
delivery), so they acknowledge late: a worker lost mid-task leaves its message for another.
"""

from typing import Any

from celery import shared_task

from alerts import services
from core.tasks import AfterCommitTask


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
