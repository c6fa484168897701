"""Deliveries over https, as outside the embedded mode: a receiver on 127.0.0.1 with a
certificate from a test CA (trustme). Trusted through WEBHOOKS_CA_CERTS, the delivery
succeeds and its signature verifies; a certificate from a CA not trusted fails the attempt,
logged and retried, never sent in clear nor dropped silently."""

import json
import logging
import ssl
from datetime import date

import pytest
import trustme
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from alerts import services
from alerts.models import Delivery
from instruments import services as treaty_services
from instruments.models import Instrument
from tests.alerts.receiver import receiver_start
from tests.alerts.test_webhooks import verify
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture(scope="module")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_receiver(test_ca):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1").configure_cert(context)
    state, server = receiver_start(tls=context)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def ca_bundle(test_ca, tmp_path):
    path = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return str(path)


def endpoint_for(url: str):
    owner = get_user_model().objects.create_user("mirror", password="a-long-test-password")
    return services.endpoint_register(owner=owner, url=url, kinds=["action_recorded"])


def one_delivery() -> int:
    treaty_services.action_record(
        participant=participant(),
        instrument=Instrument.objects.get(code="untoc"),
        kind="signature",
        date=date(2001, 1, 10),
        source="test source",
    )
    services.events_dispatch()
    (delivery_id,) = services.deliveries_due()
    return delivery_id


def test_a_delivery_over_https_to_a_trusted_certificate_succeeds_signed(tls_receiver, ca_bundle):
    assert tls_receiver.url.startswith("https://127.0.0.1:")
    with override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_CA_CERTS=ca_bundle):
        endpoint = endpoint_for(tls_receiver.url)
        delivery_id = one_delivery()
        assert services.delivery_attempt(delivery_id) == "delivered"

    (got,) = tls_receiver.received
    assert verify(endpoint.secret, got.headers, got.body)
    assert got.headers["Untoc-Event-Id"] == str(Delivery.objects.get(pk=delivery_id).event_id)
    assert json.loads(got.body)["kind"] == "action_recorded"
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_an_untrusted_certificate_fails_the_delivery_logged_and_retried(
    tls_receiver, tmp_path, caplog
):
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))  # not the receiver's CA
    with override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_CA_CERTS=str(other_ca)):
        endpoint_for(tls_receiver.url)
        delivery_id = one_delivery()
        with caplog.at_level(logging.WARNING, logger="alerts.services"):
            assert services.delivery_attempt(delivery_id) == "pending"

    assert tls_receiver.received == []  # nothing was sent to a server we could not verify
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, None)
    assert delivery.next_attempt_at > timezone.now()  # retried after the first wait
    (attempt,) = delivery.tries.all()
    assert "certificate verify failed" in attempt.error
    assert f"delivery {delivery_id}" in caplog.text
    assert "certificate verify failed" in caplog.text


def test_the_system_store_does_not_trust_a_test_ca(tls_receiver):
    with override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_CA_CERTS=""):
        endpoint_for(tls_receiver.url)
        delivery_id = one_delivery()
        assert services.delivery_attempt(delivery_id) == "pending"
    assert "certificate verify failed" in Delivery.objects.get(pk=delivery_id).tries.get().error


def test_plain_http_is_refused_outside_the_embedded_mode(tls_receiver):
    with override_settings(WEBHOOKS_ALLOW_HTTP=False):
        http_url = tls_receiver.url.replace("https://", "http://")
        with pytest.raises(Exception, match="https"):
            endpoint_for(http_url)
