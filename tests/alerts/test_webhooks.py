"""Webhooks end to end, with a receiver on the loopback address (allowed only in the test
settings): registered through the API, signed, retried with backoff, logged."""

import hashlib
import hmac
import json
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from alerts import services
from alerts.models import Delivery, WebhookEndpoint
from instruments import services as treaty_services
from instruments.models import Instrument
from tests.alerts.receiver import receiver_start
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The verification README.md documents, as a receiver would write it."""
    timestamp = headers["Untoc-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old: a replay
    message = timestamp.encode() + b"." + body
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["Untoc-Signature"].removeprefix("v1="))


@pytest.fixture
def receiver():
    state, server = receiver_start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def api_user(db):
    return get_user_model().objects.create_user(
        "mirror", email="mirror@example.org", password="a-long-test-password"
    )


@pytest.fixture
def api_client(client, api_user):
    client.force_login(api_user)
    return client


def register(api_client, url, kinds=("action_recorded",)):
    answer = api_client.post(
        "/api/v1/webhooks/", {"url": url, "kinds": list(kinds)}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def record_signature():
    return treaty_services.action_record(
        participant=participant(),
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test source",
    )


def run_due() -> list[str]:
    """What a worker does every minute (alerts.tasks.webhooks_run), inline."""
    services.events_dispatch()
    return [services.delivery_attempt(pk) for pk in services.deliveries_due()]


def test_an_event_arrives_signed_with_its_id_and_the_secret_is_shown_once(api_client, receiver):
    endpoint = register(api_client, receiver.url)
    assert len(endpoint["secret"]) == 64
    shown = api_client.get(f"/api/v1/webhooks/{endpoint['id']}/").json()
    assert "secret" not in shown
    assert "secret" not in api_client.get("/api/v1/webhooks/").json()[0]
    action = record_signature()
    assert run_due() == ["delivered"]
    (got,) = receiver.received
    assert verify(endpoint["secret"], got.headers, got.body)
    assert not verify("another secret", got.headers, got.body)
    event = json.loads(got.body)
    assert event["kind"] == "action_recorded"
    assert event["state"] == "SSD"
    assert event["new"]["id"] == action.pk
    assert event["recorded_by"] == "recorded by SPMU"
    assert got.headers["Untoc-Event-Id"] == str(event["id"])
    assert run_due() == []  # nothing twice


def test_a_receiver_failing_twice_then_succeeding_gets_the_event_once(api_client, receiver):
    register(api_client, receiver.url)
    receiver.statuses = [500, 503]
    record_signature()
    start = timezone.now()
    assert run_due() == ["pending"]
    with time_machine.travel(start + timedelta(seconds=30)):
        assert run_due() == []  # the first wait (1 minute) is not over
    with time_machine.travel(start + timedelta(seconds=61)):
        assert run_due() == ["pending"]
    with time_machine.travel(start + timedelta(seconds=61 + 301)):
        assert run_due() == ["delivered"]
    ids = {r.headers["Untoc-Event-Id"] for r in receiver.received}
    assert len(receiver.received) == 3
    assert len(ids) == 1
    (delivery,) = Delivery.objects.all()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert [a.response_code for a in delivery.tries.all()] == [500, 503, 200]


def test_a_worker_lost_mid_delivery_leads_to_a_redelivery_with_the_same_event_id(
    api_client, receiver, monkeypatch
):
    register(api_client, receiver.url)
    record_signature()
    services.events_dispatch()
    (delivery_id,) = services.deliveries_due()

    def lost(*args, **kwargs):
        raise SystemExit("the worker was killed")  # after sending, before recording

    monkeypatch.setattr(services, "attempt_record", lost)
    with pytest.raises(SystemExit):
        services.delivery_attempt(delivery_id)
    monkeypatch.undo()
    assert services.deliveries_due() == []  # held by the lost worker's lease
    with time_machine.travel(timezone.now() + services.lease() + timedelta(seconds=1)):
        assert run_due() == ["delivered"]
    first, second = receiver.received
    assert first.headers["Untoc-Event-Id"] == second.headers["Untoc-Event-Id"]


def test_the_log_shows_each_attempt_and_a_redelivery_sends_the_same_event(api_client, receiver):
    endpoint = register(api_client, receiver.url)
    receiver.answer = b"x" * 10_000
    record_signature()
    run_due()
    log = api_client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").json()
    (row,) = log
    assert row["status"] == "delivered"
    assert row["log"][0]["response_code"] == 200
    assert len(row["log"][0]["response_excerpt"]) == 200  # no more of the body is kept
    answer = api_client.post(f"/api/v1/webhooks/{endpoint['id']}/deliveries/{row['id']}/redeliver/")
    assert answer.status_code == 202
    assert run_due() == ["delivered"]
    assert [r.headers["Untoc-Event-Id"] for r in receiver.received] == [str(row["event"])] * 2


def test_a_ping_reaches_the_receiver(api_client, receiver):
    endpoint = register(api_client, receiver.url)
    answer = api_client.post(f"/api/v1/webhooks/{endpoint['id']}/ping/")
    assert answer.status_code == 202
    assert services.delivery_attempt(answer.json()["delivery"]) == "delivered"
    (got,) = receiver.received
    assert json.loads(got.body)["kind"] == "ping"
    assert verify(endpoint["secret"], got.headers, got.body)


def test_a_redirect_is_not_followed(api_client, receiver):
    register(api_client, receiver.url)
    receiver.statuses = [302]
    receiver.location = "http://169.254.169.254/latest/meta-data/"
    record_signature()
    assert run_due() == ["pending"]  # a failure, to be retried
    assert len(receiver.received) == 1
    assert Delivery.objects.get().response_code == 302


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_owner_told(
    api_client, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(api_client, receiver.url)
    receiver.statuses = [500] * 10
    record_signature()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for wait in [0, *services.BACKOFF]:
            now += timedelta(seconds=wait + 1)
            with time_machine.travel(now):
                run_due()
    assert len(receiver.received) == len(services.BACKOFF) + 1
    stored = WebhookEndpoint.objects.get(pk=endpoint["id"])
    assert not stored.is_active
    assert "failed 7 times" in stored.disabled_reason
    assert Delivery.objects.get().status == "failed"
    (message,) = mail.outbox
    assert message.to == ["mirror@example.org"]
    assert receiver.url in message.body
    # Enabled again, it gets what came since; the failed one from the log.
    api_client.post(f"/api/v1/webhooks/{endpoint['id']}/enable/")
    assert WebhookEndpoint.objects.get(pk=endpoint["id"]).is_active


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("ftp://example.org/hook", "https_required"),
        ("https://user:pw@example.org/hook", "host_required"),
        ("https://10.0.0.7/hook", "address_not_public"),
        ("https://169.254.169.254/latest/meta-data/", "address_not_public"),
        ("https://[fd00::1]/hook", "address_not_public"),
        ("https://192.168.1.1/hook", "address_not_public"),
        ("https://no-such-host.invalid/hook", "host_unknown"),
    ],
)
def test_urls_that_could_reach_inside_are_refused_at_registration(api_client, url, rule):
    answer = api_client.post("/api/v1/webhooks/", {"url": url}, content_type="application/json")
    assert answer.status_code == 400
    (problem,) = answer.json()["errors"]
    assert (problem["field"], problem["rule"]) == ("url", rule)
    assert not WebhookEndpoint.objects.exists()


def test_http_and_loopback_are_refused_outside_the_test_settings(api_client, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    for url, rule in [
        ("http://example.org/hook", "https_required"),
        ("https://127.0.0.1/hook", "address_not_public"),
        ("https://localhost/hook", "address_not_public"),
    ]:
        answer = api_client.post("/api/v1/webhooks/", {"url": url}, content_type="application/json")
        assert answer.json()["errors"][0]["rule"] == rule, url


def test_an_address_that_turns_private_after_registration_is_not_sent_to(
    api_client, receiver, settings
):
    register(api_client, receiver.url)
    record_signature()
    settings.WEBHOOKS_ALLOW_LOOPBACK = False  # as if the name now resolved inside
    assert run_due() == ["pending"]
    assert receiver.received == []
    assert Delivery.objects.get().tries.get().error.startswith("address_not_public")


def test_other_clients_neither_see_nor_change_an_endpoint_and_staff_only_read(
    api_client, receiver, client, viewer
):
    endpoint = register(api_client, receiver.url)
    stranger = get_user_model().objects.create_user("stranger", password="a-long-password-1")
    client.force_login(stranger)
    assert client.get("/api/v1/webhooks/").json() == []
    assert client.get(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").status_code == 200
    assert client.post(f"/api/v1/webhooks/{endpoint['id']}/ping/").status_code == 403
    client.logout()
    assert client.get("/api/v1/webhooks/").status_code == 401
