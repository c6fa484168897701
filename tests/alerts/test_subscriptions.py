"""E-mail subscriptions: double opt-in, one e-mail per change followed, one-click
unsubscribe, no mail bombing; one send through a real SMTP server."""

import re
import socket
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from aiosmtpd.controller import Controller
from celery.exceptions import Retry
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import subscriptions
from alerts.models import Subscription
from alerts.tasks import subscription_mail
from instruments import services as treaty_services
from instruments.models import Instrument
from states.models import Participant

pytestmark = pytest.mark.usefixtures("real_data")

GERMANY = {"email": "delegation@example.org", "scope": "participant", "target": "DEU"}


def subscribe(client, **fields):
    return client.post("/alerts/subscribe/", {"frequency": "immediate", **GERMANY, **fields})


def run_mails(callbacks) -> None:
    """Run the e-mail tasks the captured commits would have sent to a worker."""
    for callback in callbacks:
        if getattr(callback, "func", None) == subscription_mail.delay:
            subscription_mail.apply(args=callback.args).get()


def link(text: str, path: str) -> str:
    return re.search(rf"https?://\S+({path}\S+/)", text).group(1)


def germany_notifies_a_central_authority(editor) -> None:
    """(A test entry: Germany's record already holds every consent it gave.)"""
    treaty_services.declaration_record(
        participant=Participant.objects.get(iso3="DEU"),
        instrument=Instrument.objects.get(code="fir"),
        kind="notification",
        article="13(2)",
        date=date(2024, 5, 2),
        summary="Central authority (test entry).",
        source="test source",
        actor=editor,
    )


def the_alert_of_a_change(editor, capture):
    """Germany notifies a central authority; the one alert e-mail the next run sends."""
    mail.outbox.clear()
    germany_notifies_a_central_authority(editor)
    with capture() as callbacks:
        assert subscriptions.mails_dispatch() == 1
    run_mails(callbacks)
    (message,) = mail.outbox
    return message


def subscribed_and_confirmed(client, capture, **fields) -> Subscription:
    with capture() as callbacks:
        assert subscribe(client, **fields).status_code == 200
    run_mails(callbacks)
    confirm = link(mail.outbox[-1].body, "/alerts/confirm/")
    assert client.post(confirm).status_code == 200
    return Subscription.objects.get(email=GERMANY["email"])


def test_subscribe_confirm_and_receive_one_e_mail_naming_the_change(
    client, editor, django_capture_on_commit_callbacks
):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    assert subscription.confirmed_at is not None
    message = the_alert_of_a_change(editor, django_capture_on_commit_callbacks)
    assert message.to == [GERMANY["email"]]
    assert "Germany (fir): Declaration recorded, recorded by SPMU." in message.body
    assert "/changes/#event-" in message.body
    assert editor.username not in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # One click, as a mail client does it: a POST without any form token.
    one_click = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe).path, {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.exists()


def test_nothing_is_sent_before_the_link_is_opened(
    client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        subscribe(client)
    run_mails(callbacks)
    confirm_page = client.get(link(mail.outbox[0].body, "/alerts/confirm/"))
    assert confirm_page.status_code == 200  # a page with a button: opening it confirms nothing
    mail.outbox.clear()
    germany_notifies_a_central_authority(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        subscriptions.mails_dispatch()
    run_mails(callbacks)
    assert mail.outbox == []


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(
    client, django_capture_on_commit_callbacks
):
    subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    first = subscribe(client, email="someone.else@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        again = subscribe(client)
    run_mails(callbacks)
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert [m.to for m in mail.outbox] == []  # the subscribed address got nothing new


def test_one_confirmation_per_address_per_day_and_a_bound_per_client(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            subscribe(client, email="victim@example.org")
    run_mails(callbacks)
    assert len(mail.outbox) == 1
    answers = [subscribe(client, email=f"a{n}@example.org").status_code for n in range(10)]
    assert answers[-1] == 429  # 13 requests from one client in the hour


def test_behind_a_proxy_each_client_has_its_own_bound(client, settings):
    """Behind one proxy every request comes from the proxy's address: the client is the
    address the proxy appended (core.security.client_address), not the connection's."""
    settings.PROXY_COUNT = 1

    def from_address(address: str, n: int) -> int:
        return client.post(
            "/alerts/subscribe/",
            {"frequency": "immediate", **GERMANY, "email": f"a{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.9, {address}",
            REMOTE_ADDR="10.0.0.2",
        ).status_code

    answers = [from_address("203.0.113.5", n) for n in range(13)]
    assert answers[-1] == 429
    assert from_address("203.0.113.6", 99) == 200


def test_a_confirmation_link_expires_after_three_days(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        subscribe(client)
    run_mails(callbacks)
    confirm = link(mail.outbox[0].body, "/alerts/confirm/")
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        assert client.post(confirm).status_code == 400
    assert client.post(confirm.replace("/confirm/", "/confirm/x")).status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_a_bad_form_names_the_field(client):
    answer = subscribe(client, target="XYZ")
    assert answer.status_code == 400
    assert answer.context["form"].errors.as_data()["target"][0].code == "unknown_code"
    assert subscribe(client, email="not an address").status_code == 400
    assert not Subscription.objects.exists()


def test_the_weekly_digest_lists_the_week_once(client, editor, django_capture_on_commit_callbacks):
    subscribed_and_confirmed(
        client, django_capture_on_commit_callbacks, frequency="weekly", scope="osce", target=""
    )
    mail.outbox.clear()
    germany_notifies_a_central_authority(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        assert subscriptions.mails_dispatch() == 0  # not an immediate subscription
        assert subscriptions.digests_dispatch() == 1
        assert subscriptions.digests_dispatch() == 0  # nothing new since
    run_mails(callbacks)
    (digest,) = mail.outbox
    assert "Germany (fir)" in digest.body


@pytest.fixture
def smtp_server():
    """A real SMTP server on the loopback address (aiosmtpd), keeping what it receives."""

    class Keep:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 Message accepted"

    handler = Keep()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it started by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_a_message_goes_through_a_real_smtp_server(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    handler, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with django_capture_on_commit_callbacks() as callbacks:
        subscribe(client)
    run_mails(callbacks)
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == [GERMANY["email"]]
    text = envelope.content.decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    assert "/alerts/confirm/" in text


def test_a_failed_send_is_retried_then_logged(
    settings, caplog, django_capture_on_commit_callbacks, client
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks() as callbacks:
        subscribe(client)
    (callback,) = [c for c in callbacks if getattr(c, "func", None) == subscription_mail.delay]
    # The first failure asks for a retry (in 30 s, then doubling up to an hour)...
    with pytest.raises(Retry):
        subscription_mail.apply(args=callback.args, throw=True, retries=0)
    # ...and the last, once every retry is used up, is logged.
    last = subscription_mail.apply(
        args=callback.args, retries=subscription_mail.max_retries, throw=False
    )
    assert last.failed()
    assert "Gave up sending alert e-mail" in caplog.text
