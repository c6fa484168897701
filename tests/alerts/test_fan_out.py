"""The fan-out runs in a worker in a fixed number of queries whatever the number of
endpoints and subscribers (the benchmark's 10,000 subscribers are not measured here)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from alerts import services, subscriptions
from alerts.models import Delivery, Subscription, WebhookEndpoint
from core.events import Change
from core.writes import revision_bump


def three_events() -> None:
    with transaction.atomic():
        revision_bump([Change(kind="action_recorded", participant="DEU") for _ in range(3)])


@pytest.mark.django_db
def test_queueing_for_1_or_100_endpoints_costs_the_same_queries():
    owner = get_user_model().objects.create_user("mirror", password="a-long-test-password")
    services.endpoint_register(owner=owner, url="http://127.0.0.1:9/hook", kinds=[])
    counts = []
    for more in (0, 99):
        WebhookEndpoint.objects.bulk_create(
            WebhookEndpoint(owner=owner, url=f"https://example.org/{n}", secret="s" * 64)
            for n in range(more)
        )
        three_events()
        with CaptureQueriesContext(connection) as queries:
            services.events_dispatch()
        counts.append(len(queries))
    # The cursor (ensured, then locked), the events, the endpoints, the deliveries (one
    # INSERT), the cursor's update, and the savepoints around them.
    assert counts[0] == counts[1]
    assert Delivery.objects.count() == 3 + 3 * 100


@pytest.mark.django_db
def test_queueing_e_mails_for_10_or_1000_subscribers_costs_the_same_queries(
    django_capture_on_commit_callbacks,
):
    subscriptions.subscription_confirm(
        Subscription.objects.create(
            email="a@example.org", scope="everything", frequency="immediate"
        )
    )
    counts, sent = [], []
    for more in (9, 990):
        Subscription.objects.bulk_create(
            Subscription(
                email=f"s{more}-{n}@example.org",
                scope="participant",
                target="DEU",
                frequency="immediate",
                confirmed_at="2026-01-01T00:00:00Z",
            )
            for n in range(more)
        )
        three_events()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as calls,
        ):
            subscriptions.mails_dispatch()
        counts.append(len(queries))
        sent.append(len(calls))
    assert counts[0] == counts[1]
    assert sent == [10, 1000]  # one e-mail per subscriber, sent by workers


@pytest.mark.django_db
def test_the_command_sends_what_is_due(django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("alerts_run", "--digests", stdout=out)
    assert out.getvalue().startswith("webhooks: 0 queued, 0 tried, 0 delivered; e-mails: 0")
