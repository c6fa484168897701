"""Every write of the webhooks: registering an endpoint, queueing the events for it, each
attempt and its outcome, a ping, a redelivery.

The writer of an event does nothing for the endpoints: `events_dispatch`, run by a worker,
reads the stream after its cursor (as an API client does with ?since=) and queues one
delivery per event and endpoint that wants it. Each delivery is tried by a worker
(`delivery_attempt`) under a lease, so a worker lost mid-delivery leaves it to be tried
again, with the same event id, once the lease has run out.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import webhooks
from alerts.models import Attempt, Delivery, DispatchCursor, WebhookEndpoint
from core.languages import speaking
from core.models import Event

logger = logging.getLogger(__name__)

# Waits after each failed attempt: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h; seven attempts
# over about 21 hours, then the delivery is given up and the endpoint disabled.
BACKOFF = [60, 300, 1800, 7200, 21600, 43200]
DISPATCH_BATCH = 1000


def _latest_event_id() -> int:
    return Event.objects.aggregate(last=Max("pk"))["last"] or 0


def _cursor_ensure() -> None:
    DispatchCursor.objects.get_or_create(pk=1, defaults={"last_event_id": _latest_event_id()})


def _settings_check(url: str, kinds: list[str]) -> None:
    try:
        webhooks.url_check(url)
    except webhooks.UrlRefused as refused:
        raise ValidationError({"url": [ValidationError(str(refused), code=refused.rule)]}) from None
    unknown = sorted(set(kinds) - set(Event.Kind.values))
    if unknown:
        message = f"Unknown kinds: {', '.join(unknown)}."
        raise ValidationError({"kinds": [ValidationError(message, code="unknown_code")]})


def endpoint_register(*, owner: Any, url: str, kinds: list[str]) -> WebhookEndpoint:
    """Register an endpoint after checking its URL (alerts.webhooks.url_check); it receives
    the events recorded from now on. Its secret is in the returned row: show it once."""
    _settings_check(url, kinds)
    with transaction.atomic():
        _cursor_ensure()
        return WebhookEndpoint.objects.create(
            owner=owner,
            url=url,
            kinds=sorted(set(kinds)),
            secret=webhooks.secret_new(),
            starts_after_event=_latest_event_id(),
        )


def endpoint_update(
    endpoint: WebhookEndpoint, *, url: str | None = None, kinds: list[str] | None = None
) -> WebhookEndpoint:
    """Change an endpoint's URL (checked again) or kinds."""
    url = endpoint.url if url is None else url
    kinds = endpoint.kinds if kinds is None else sorted(set(kinds))
    _settings_check(url, kinds)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=url, kinds=kinds)
    endpoint.refresh_from_db()
    return endpoint


def events_dispatch() -> int:
    """Queue the events recorded since the last run for every active endpoint that wants
    them; how many deliveries were queued. Safe to run twice, or at once: the cursor row is
    locked, and a delivery is unique per endpoint and event. A fixed number of queries per
    batch, whatever the number of endpoints."""
    _cursor_ensure()
    with transaction.atomic():
        cursor = DispatchCursor.objects.select_for_update().get(pk=1)
        events = list(
            Event.objects.filter(pk__gt=cursor.last_event_id)
            .order_by("pk")
            .only("pk", "kind")[:DISPATCH_BATCH]
        )
        if not events:
            return 0
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True))
        rows = [
            Delivery(endpoint=endpoint, event=event)
            for event in events
            for endpoint in endpoints
            if endpoint.wants(event.kind) and event.pk > endpoint.starts_after_event
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        cursor.last_event_id = events[-1].pk
        cursor.save(update_fields=["last_event_id"])
    return len(rows)


def deliveries_due(now: datetime | None = None, limit: int = 500) -> list[int]:
    """The deliveries whose time has come (a first try, a retry, or a lapsed lease)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
    ).order_by("next_attempt_at", "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def lease() -> timedelta:
    """How long an attempt holds its delivery (WEBHOOKS_LEASE_SECONDS): after it, a delivery
    a lost worker left is tried again."""
    return timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)


def _lease_take(delivery_id: int, now: datetime) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if (
            delivery is None
            or delivery.status != Delivery.Status.PENDING
            or not delivery.endpoint.is_active
            or delivery.next_attempt_at > now
        ):
            return None
        delivery.next_attempt_at = now + lease()
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def delivery_attempt(delivery_id: int, now: datetime | None = None) -> str:
    """Try one delivery, if it is due and no other worker holds it; what came of it.

    1. Take a lease on it (a lost worker's delivery is tried again after lease()).
    2. Send it, signed, to the URL checked again (alerts.webhooks.send).
    3. Record the attempt: delivered; or retried after the next wait of BACKOFF; or, past
       the last, given up, the endpoint disabled and its owner told.
    """
    now = now or timezone.now()
    delivery = _lease_take(delivery_id, now)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    body = webhooks.body_of(webhooks.payload(delivery.event, delivery.pk))
    outcome = webhooks.send(endpoint.url, endpoint.secret, body, delivery.event_id, delivery.pk)
    return attempt_record(delivery, outcome, timezone.now())


def attempt_record(delivery: Delivery, outcome: webhooks.Outcome, now: datetime) -> str:
    with transaction.atomic():
        stored = Delivery.objects.select_for_update().get(pk=delivery.pk)
        Attempt.objects.create(
            delivery=stored,
            at=now,
            response_code=outcome.status,
            response_excerpt=outcome.excerpt[: webhooks.EXCERPT_LENGTH],
            error=outcome.error[:300],
        )
        stored.attempts += 1
        stored.last_attempt_at = now
        stored.response_code = outcome.status
        if outcome.ok:
            stored.status = Delivery.Status.DELIVERED
        elif stored.attempts > len(BACKOFF):
            stored.status = Delivery.Status.FAILED
            _endpoint_disable(delivery.endpoint, stored)
        else:
            stored.next_attempt_at = now + timedelta(seconds=BACKOFF[stored.attempts - 1])
        stored.save()
    if not outcome.ok:
        # Kept in the delivery log (the Attempt), and said in the worker's log too.
        logger.warning(
            "webhook delivery %s (event %s) to endpoint %s failed, attempt %s: %s; now %s",
            stored.pk,
            stored.event_id,
            stored.endpoint_id,
            stored.attempts,
            outcome.error or f"HTTP {outcome.status}",
            stored.status,
        )
    return stored.status


def _endpoint_disable(endpoint: WebhookEndpoint, delivery: Delivery) -> None:
    reason = (
        f"Disabled on {timezone.now():%Y-%m-%d %H:%M} UTC: delivery {delivery.pk} failed "
        f"{delivery.attempts} times over about a day. Fix the receiver, then enable the "
        "endpoint again and redeliver from its log."
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_reason=reason)
    owner_email = getattr(endpoint.owner, "email", "")
    if owner_email:
        # In the site's default language: no language is recorded for an API client.
        with speaking(None):
            subject = _("UNTOC Tracker: your webhook endpoint was disabled")
            body = _("Your endpoint %(url)s was disabled.") % {"url": endpoint.url}
        transaction.on_commit(
            lambda: send_mail(
                subject, f"{body}\n\n{reason}\n", settings.DEFAULT_FROM_EMAIL, [owner_email]
            ),
            robust=True,
        )
    logger.warning("webhook endpoint %s disabled: %s", endpoint.pk, reason)


def endpoint_enable(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, disabled_reason="")


def ping_queue(endpoint: WebhookEndpoint) -> Delivery:
    """A test delivery without an event, tried at once."""
    return Delivery.objects.create(endpoint=endpoint, event=None)


def redelivery_queue(delivery: Delivery) -> Delivery:
    """Send a delivery again from the log, with the same event id, with a fresh run of
    retries; its earlier attempts stay in the log."""
    with transaction.atomic():
        stored = Delivery.objects.select_for_update().get(pk=delivery.pk)
        stored.status = Delivery.Status.PENDING
        stored.attempts = 0
        stored.next_attempt_at = timezone.now()
        stored.save(update_fields=["status", "attempts", "next_attempt_at"])
    return stored
