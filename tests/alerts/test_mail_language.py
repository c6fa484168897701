"""A subscriber's e-mails come in the language it subscribed in: their text, and links to the
pages in that language; each subscriber of one digest run in its own."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from alerts import subscriptions
from alerts.models import Subscription
from tests.alerts.test_subscriptions import (
    GERMANY,
    germany_notifies_a_central_authority,
    run_mails,
    the_alert_of_a_change,
)

pytestmark = pytest.mark.usefixtures("real_data")

SITE = settings.SITE_URL


def subscribed(capture, path="/alerts/subscribe/", **fields):
    client = Client()
    with capture() as callbacks:
        answer = client.post(path, {"frequency": "weekly", **GERMANY, **fields})
        assert answer.status_code == 200, answer.content
    run_mails(callbacks)
    confirmation = mail.outbox[-1]
    subscription = Subscription.objects.get(email=fields.get("email", GERMANY["email"]))
    return client, subscription, confirmation


def confirmed(client, confirmation, prefix: str) -> None:
    start = confirmation.body.index(f"{SITE}{prefix}/alerts/confirm/")
    link = confirmation.body[start:].split()[0]
    assert client.post(link.removeprefix(SITE)).status_code == 200


def digests(capture, editor) -> list:
    mail.outbox.clear()
    germany_notifies_a_central_authority(editor)
    with capture() as callbacks:
        assert subscriptions.digests_dispatch() >= 1
    # The worker's own language is neither subscriber's: each message sets its own.
    with translation.override("de"):
        run_mails(callbacks)
    return list(mail.outbox)


def test_a_french_subscriber_s_confirmation_and_digest_come_in_french(
    editor, django_capture_on_commit_callbacks
):
    client, subscription, confirmation = subscribed(
        django_capture_on_commit_callbacks, "/fr/alerts/subscribe/"
    )
    assert subscription.language == "fr"
    assert confirmation.subject == "UNTOC Tracker : confirmez votre abonnement"
    assert f"{SITE}/fr/alerts/confirm/" in confirmation.body
    assert f"<{SITE}/fr/alerts/unsubscribe/" in confirmation.extra_headers["List-Unsubscribe"]
    confirmed(client, confirmation, "/fr")
    (digest,) = digests(django_capture_on_commit_callbacks, editor)
    assert digest.subject == "UNTOC Tracker : 1 modification"
    assert f"{SITE}/fr/changes/#event-" in digest.body
    assert f"{SITE}/fr/alerts/unsubscribe/" in digest.body
    assert "Changes you follow" not in digest.body


def test_an_english_subscriber_s_stay_in_english_without_a_prefix(
    editor, django_capture_on_commit_callbacks
):
    client, subscription, confirmation = subscribed(django_capture_on_commit_callbacks)
    assert subscription.language == "en"
    assert confirmation.subject == "UNTOC Tracker: confirm your subscription"
    assert f"{SITE}/alerts/confirm/" in confirmation.body
    confirmed(client, confirmation, "")
    (digest,) = digests(django_capture_on_commit_callbacks, editor)
    assert digest.subject == "UNTOC Tracker: 1 change"
    assert f"{SITE}/changes/#event-" in digest.body
    assert "/en/" not in digest.body
    assert "/fr/" not in digest.body


def test_one_digest_run_writes_to_each_subscriber_in_its_language(
    editor, django_capture_on_commit_callbacks
):
    for email, path in [
        ("english@example.org", "/alerts/subscribe/"),
        ("russian@example.org", "/ru/alerts/subscribe/"),
        ("french@example.org", "/fr/alerts/subscribe/"),
    ]:
        client, _subscription, confirmation = subscribed(
            django_capture_on_commit_callbacks, path, email=email
        )
        confirmed(client, confirmation, path.removesuffix("/alerts/subscribe/"))
    subjects = {m.to[0]: m.subject for m in digests(django_capture_on_commit_callbacks, editor)}
    assert subjects == {
        "english@example.org": "UNTOC Tracker: 1 change",
        "russian@example.org": "UNTOC Tracker: 1 изменение",
        "french@example.org": "UNTOC Tracker : 1 modification",
    }


def test_the_language_chosen_on_the_form_wins_over_the_page_s(
    django_capture_on_commit_callbacks,
):
    _client, subscription, confirmation = subscribed(
        django_capture_on_commit_callbacks, "/fr/alerts/subscribe/", language="ru"
    )
    assert subscription.language == "ru"
    assert confirmation.subject == "UNTOC Tracker: подтвердите подписку"
    assert f"{SITE}/ru/alerts/confirm/" in confirmation.body


def test_the_subscribe_page_offers_its_own_language_first(client):
    page = client.get("/fr/alerts/subscribe/")
    assert page.context["form"]["language"].value() == "fr"
    assert '<option value="fr" selected>Français</option>' in page.content.decode()


def test_a_language_the_site_does_not_speak_is_refused_naming_the_field(client):
    answer = client.post("/alerts/subscribe/", {"frequency": "weekly", **GERMANY, "language": "xx"})
    assert answer.status_code == 400
    assert list(answer.context["form"].errors) == ["language"]
    assert not Subscription.objects.exists()
    with pytest.raises(ValidationError) as refused:
        subscriptions.subscription_request(
            email="a@example.org", scope="everything", target="", frequency="weekly", language="xx"
        )
    assert list(refused.value.message_dict) == ["language"]
    assert not Subscription.objects.exists()


def test_the_back_office_shows_a_subscription_s_language(client, viewer):
    subscription = Subscription.objects.create(
        email="a@example.org", scope="everything", frequency="weekly", language="es"
    )
    client.force_login(viewer)
    page = client.get(f"/admin/alerts/subscription/{subscription.pk}/change/")
    assert "Español" in page.content.decode()
    listed = client.get("/admin/alerts/subscription/", {"language__exact": "es"})
    assert listed.status_code == 200
    assert "Español" in listed.content.decode()


def test_an_instant_alert_comes_in_the_subscriber_s_language(
    editor, django_capture_on_commit_callbacks
):
    client, _subscription, confirmation = subscribed(
        django_capture_on_commit_callbacks, "/es/alerts/subscribe/", frequency="immediate"
    )
    confirmed(client, confirmation, "/es")
    alert = the_alert_of_a_change(editor, django_capture_on_commit_callbacks)
    assert alert.subject == "UNTOC Tracker: 1 cambio"
    assert f"{SITE}/es/changes/#event-" in alert.body
