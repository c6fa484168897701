"""A real Celery worker killed mid-delivery: the broker hands the delivery's task to the next
worker (the task acknowledges late), the lost attempt's lease has run out, and the receiver
gets the same event again, with the same event id (needs REDIS_URL and PostgreSQL, as the
other worker tests in tests/test_faults.py).

The worker runs the test settings (loopback receivers allowed) on the test database, so the
data it reads are committed: the test is transactional."""

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from alerts import services
from alerts.models import Delivery
from alerts.tasks import webhook_deliver
from core.events import Change
from core.writes import revision_bump
from tests.alerts.receiver import receiver_start
from tests.alerts.test_webhooks import verify
from tests.test_faults import empty_the_broker, process_env, started, wait_for
from untoc_tracker.celery import app as celery_app

LEASE_SECONDS = 10  # the least WEBHOOKS_LEASE_SECONDS allows; the deployment's is 120
VISIBILITY_TIMEOUT = 14  # above the lease: the task handed out again finds the delivery free

pytestmark = [
    pytest.mark.slow,
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL: without a broker nothing hands a lost worker's task to another",
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: a worker process shares the test database only there",
    ),
]


def delivery_worker(log: Path):
    command = [
        *(sys.executable, "-m", "celery", "--app", "untoc_tracker", "worker"),
        *("--pool", "solo", "--loglevel", "INFO"),
        *("--queues", celery_app.conf.task_default_queue),  # this test process's own queue
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
    ]
    environment = process_env(
        DJANGO_SETTINGS_MODULE="untoc_tracker.settings.test",
        REDIS_URL=os.environ["REDIS_URL"],
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        WEBHOOKS_LEASE_SECONDS=str(LEASE_SECONDS),
    )
    return started(command, environment, log)


@pytest.fixture
def stalling_receiver():
    """A receiver that never answers the first delivery, and answers 200 to the next."""
    state, server = receiver_start(stalls=1)
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_leads_to_a_redelivery_with_the_same_event_id(
    stalling_receiver, tmp_path
):
    owner = get_user_model().objects.create_user("mirror", password="a-long-test-password")
    endpoint = services.endpoint_register(owner=owner, url=stalling_receiver.url, kinds=[])
    with transaction.atomic():
        revision_bump([Change(kind="action_recorded", participant="DEU", instrument="untoc")])
    assert services.events_dispatch() == 1
    (delivery_id,) = services.deliveries_due()
    empty_the_broker()

    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    with delivery_worker(first_log) as first:
        webhook_deliver.delay(delivery_id)
        # The worker has sent the delivery and waits for the receiver's answer: kill it there.
        wait_for(lambda: len(stalling_receiver.received) == 1, 60, "the first delivery")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    lost = Delivery.objects.get(pk=delivery_id)
    assert (lost.status, lost.attempts) == ("pending", 0)  # the attempt died unrecorded
    assert not lost.tries.exists()

    time.sleep(VISIBILITY_TIMEOUT + 1)  # the broker hands the task out again after this
    with delivery_worker(second_log) as second:
        wait_for(
            lambda: Delivery.objects.get(pk=delivery_id).status == "delivered",
            90,
            "the second worker to deliver",
        )
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    first_try, second_try = stalling_receiver.received
    event_id = str(Delivery.objects.get(pk=delivery_id).event_id)
    assert first_try.headers["Untoc-Event-Id"] == second_try.headers["Untoc-Event-Id"] == event_id
    assert first_try.headers["Untoc-Delivery"] == second_try.headers["Untoc-Delivery"]
    assert first_try.body == second_try.body
    assert verify(endpoint.secret, second_try.headers, second_try.body)
    delivered = Delivery.objects.get(pk=delivery_id)
    assert (delivered.attempts, delivered.response_code) == (1, 200)
    assert "webhook_deliver" in first_log.read_text()
    assert "succeeded" in second_log.read_text()
