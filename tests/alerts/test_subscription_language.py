"""A subscriber changes the language of its e-mails on the page every e-mail links to (the
unsubscribe page), without subscribing again; the subscription stays as it was otherwise."""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alerts import subscriptions
from alerts.models import Subscription
from tests.alerts.test_subscriptions import subscribed_and_confirmed, the_alert_of_a_change

pytestmark = pytest.mark.usefixtures("real_data")


def page_of(subscription: Subscription, prefix: str = "") -> str:
    return f"{prefix}/alerts/unsubscribe/{subscriptions.unsubscribe_token(subscription)}/"


def language_action(subscription: Subscription, prefix: str = "") -> str:
    return f"{prefix}/alerts/language/{subscriptions.unsubscribe_token(subscription)}/"


def test_the_page_an_e_mail_links_to_offers_its_language_and_changing_it_keeps_the_rest(
    client, editor, django_capture_on_commit_callbacks
):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    assert subscription.language == "en"
    page = Client().get(page_of(subscription))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Or keep receiving them in another language" in html
    assert '<option value="en" selected>English</option>' in html
    assert f'action="{language_action(subscription)}"' in html

    # The form's own POST, without a form token, as the unsubscribe button's.
    changed = Client(enforce_csrf_checks=True).post(
        language_action(subscription), {"language": "fr"}
    )
    assert changed.status_code == 200
    assert "Saved. Language of the e-mails: Français" in changed.content.decode()
    stored = Subscription.objects.get(pk=subscription.pk)
    assert stored.language == "fr"
    assert (stored.scope, stored.target, stored.frequency, stored.confirmed_at) == (
        subscription.scope,
        subscription.target,
        subscription.frequency,
        subscription.confirmed_at,
    )

    # The next e-mail is written in French, and its link leads to the French page.
    message = the_alert_of_a_change(editor, django_capture_on_commit_callbacks)
    assert message.subject == "UNTOC Tracker : 1 modification"
    unsubscribe = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    assert unsubscribe == page_of(stored, "/fr")
    french = Client().get(unsubscribe).content.decode()
    assert "Ou continuer à les recevoir dans une autre langue" in french
    assert '<option value="fr" selected>Français</option>' in french


def test_a_language_the_site_does_not_speak_is_refused_naming_the_field(
    client, django_capture_on_commit_callbacks
):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    refused = Client().post(language_action(subscription), {"language": "xx"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Select a valid choice. xx is not one of the available choices." in html
    assert Subscription.objects.get(pk=subscription.pk).language == "en"
    missing = Client().post(language_action(subscription), {})
    assert missing.status_code == 400
    assert Subscription.objects.get(pk=subscription.pk).language == "en"


def test_a_forged_link_changes_nothing(client, django_capture_on_commit_callbacks):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    forged = Client().post("/alerts/language/not-a-signed-token/", {"language": "fr"})
    assert forged.status_code == 400
    assert Subscription.objects.get(pk=subscription.pk).language == "en"


def test_opening_the_language_address_leads_to_the_subscription_s_page(
    client, django_capture_on_commit_callbacks
):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    opened = Client().get(language_action(subscription, "/de"))
    assert opened.status_code == 302
    assert opened["Location"] == page_of(subscription, "/de")


def test_the_service_refuses_an_unknown_language_naming_the_field(
    client, django_capture_on_commit_callbacks
):
    subscription = subscribed_and_confirmed(client, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        subscriptions.subscription_language_set(subscription, "klingon")
    assert "language" in refused.value.message_dict
    assert Subscription.objects.get(pk=subscription.pk).language == "en"
