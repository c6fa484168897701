"""The alerts in the back office: staff look, nothing is changed there; a subscriber's
address is shown to no one, an endpoint's secret neither; the delivery log shows every
attempt. (Who reaches which screen: tests/test_permission_matrix.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alerts.admin import masked
from alerts.models import Attempt, Delivery, Subscription, WebhookEndpoint
from core.events import Change
from core.models import Event
from core.writes import revision_bump

ADDRESS = "delegation.head@example.org"


@pytest.fixture
def subscription(db):
    return Subscription.objects.create(
        email=ADDRESS,
        scope="participant",
        target="AUT",
        frequency="immediate",
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser(
        "administrator", password="a-long-test-password"
    )


@pytest.fixture
def logged_delivery(db, editor):
    endpoint = WebhookEndpoint.objects.create(
        owner=editor, url="https://mirror.example.org/hook", secret="f" * 64, kinds=[]
    )
    revision_bump([Change(kind="action_recorded", participant="AUT")])
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=Event.objects.order_by("pk").last(), attempts=1
    )
    Attempt.objects.create(delivery=delivery, response_code=503, response_excerpt="overloaded")
    return delivery


def test_an_address_is_masked_to_its_first_letter_and_domain():
    assert masked(ADDRESS) == "d…@example.org"
    assert masked("not-an-address") == "…"


@pytest.mark.parametrize("who", ["viewer", "editor", "administrator"])
def test_no_one_sees_a_subscriber_s_address(client, subscription, who, request):
    client.force_login(request.getfixturevalue(who))
    for path in (
        "/admin/alerts/subscription/",
        f"/admin/alerts/subscription/{subscription.pk}/change/",
    ):
        page = client.get(path)
        assert page.status_code == 200
        text = page.content.decode()
        assert "d…@example.org" in text
        assert ADDRESS not in text
        assert "delegation.head" not in text


def test_only_an_administrator_finds_a_subscription_by_its_exact_address(
    client, subscription, viewer, administrator
):
    Subscription.objects.create(email="other@example.org", scope="everything", frequency="weekly")
    client.force_login(viewer)
    # Without a search, the viewer's list ignores the address asked for: both rows.
    listed = client.get("/admin/alerts/subscription/", {"q": ADDRESS}).content.decode()
    assert "o…@example.org" in listed
    assert "d…@example.org" in listed
    client.force_login(administrator)
    found = client.get("/admin/alerts/subscription/", {"q": ADDRESS}).content.decode()
    assert "d…@example.org" in found
    assert "o…@example.org" not in found
    part = client.get("/admin/alerts/subscription/", {"q": "delegation"}).content.decode()
    assert "d…@example.org" not in part  # a part of an address finds nothing


def test_staff_change_nothing_and_only_an_administrator_ends_a_subscription(
    client, subscription, editor, administrator
):
    client.force_login(editor)
    change = f"/admin/alerts/subscription/{subscription.pk}/change/"
    assert client.post(change, {"frequency": "weekly"}).status_code == 403
    delete = f"/admin/alerts/subscription/{subscription.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    client.force_login(administrator)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_endpoint_is_shown_without_its_secret(client, logged_delivery, viewer):
    client.force_login(viewer)
    endpoint = logged_delivery.endpoint
    for path in (
        "/admin/alerts/webhookendpoint/",
        f"/admin/alerts/webhookendpoint/{endpoint.pk}/change/",
    ):
        text = client.get(path).content.decode()
        assert "https://mirror.example.org/hook" in text
        assert "f" * 64 not in text


def test_the_delivery_log_shows_each_attempt(client, logged_delivery, viewer):
    client.force_login(viewer)
    listed = client.get("/admin/alerts/delivery/").content.decode()
    assert f"{logged_delivery.event_id}: Treaty action recorded" in listed
    page = client.get(f"/admin/alerts/delivery/{logged_delivery.pk}/change/")
    assert page.status_code == 200
    assert "overloaded" in page.content.decode()
    assert "503" in page.content.decode()


@pytest.mark.parametrize(
    ("path", "probe"),
    [
        ("/admin/alerts/webhookendpoint/", {"secret__startswith": "f"}),
        ("/admin/alerts/subscription/", {"email__startswith": "delegation"}),
        ("/admin/alerts/subscription/", {"email__regex": "^d.*@example"}),
        ("/admin/alerts/delivery/", {"endpoint__secret__startswith": "f"}),
        ("/admin/core/apitoken/", {"digest__startswith": "a"}),
    ],
)
@pytest.mark.parametrize("who", ["viewer", "administrator"])
def test_a_list_cannot_be_filtered_to_probe_a_secret_or_an_address(
    client, logged_delivery, subscription, path, probe, who, request
):
    """The count a filtered list shows would answer yes or no, a character at a time: only
    the lists' own filters are taken; any other lookup is a 400."""
    client.force_login(request.getfixturevalue(who))
    answer = client.get(path, probe)
    # A viewer does not reach the tokens' list at all.
    expected = 403 if (who, path) == ("viewer", "/admin/core/apitoken/") else 400
    assert answer.status_code == expected, answer.content[:300]
    assert "delegation.head" not in answer.content.decode()


def test_the_declared_filters_still_filter(client, logged_delivery, subscription, viewer):
    client.force_login(viewer)
    Subscription.objects.create(email="other@example.org", scope="everything", frequency="weekly")
    weekly = client.get("/admin/alerts/subscription/", {"frequency__exact": "weekly"})
    assert weekly.status_code == 200
    assert "o…@example.org" in weekly.content.decode()
    assert "d…@example.org" not in weekly.content.decode()
    unconfirmed = client.get("/admin/alerts/subscription/", {"confirmed_at__isempty": "1"})
    assert unconfirmed.status_code == 200
    assert "d…@example.org" not in unconfirmed.content.decode()
    active = client.get("/admin/alerts/delivery/", {"endpoint__is_active__exact": "1"})
    assert active.status_code == 200
