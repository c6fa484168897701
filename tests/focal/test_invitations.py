"""Inviting a focal point: SPMU sends a one-use, expiring link; the invitee sets a password
and enrols an authenticator (checked with a code) and gets recovery codes once. A link used
twice, expired or unknown is refused with a way to ask for a new one."""

import difflib
import re
from base64 import b32encode
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from focal import invitations
from focal.models import FocalPoint, Invitation
from states.models import Participant

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-focal-password"


def invite(editor_client, django_capture_on_commit_callbacks, email="focal@austria.example"):
    austria = Participant.objects.get(iso3="AUT")
    with django_capture_on_commit_callbacks(execute=True):
        answer = editor_client.post(
            "/admin/focal/invitation/add/", {"participant": austria.pk, "email": email}
        )
    assert answer.status_code == 302, answer.content
    link = re.search(r"http://\S+/focal/invitation/(\S+)/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return f"/focal/invitation/{link.group(1)}/"


def code_shown(page) -> str:
    secret = page.context["secret"].replace(" ", "")
    return pyotp.TOTP(secret).now()


@pytest.fixture
def link(real_data, editor, django_capture_on_commit_callbacks):
    spmu = Client()
    spmu.force_login(editor)
    return invite(spmu, django_capture_on_commit_callbacks)


def test_an_invited_focal_point_sets_a_password_and_a_second_factor(link, client, editor):
    assert mail.outbox[-1].to == ["focal@austria.example"]
    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content
    assert "otpauth://totp/" in content
    answer = client.post(
        link, {"password": PASSWORD, "password_again": PASSWORD, "code": code_shown(page)}
    )
    assert answer.status_code == 200
    codes = answer.context["codes"]
    assert len(codes) == 10
    assert all(code in answer.content.decode() for code in codes)
    assert answer["Cache-Control"].count("no-store") == 1
    focal_point = FocalPoint.objects.get()
    assert (focal_point.participant.iso3, focal_point.invited_by, focal_point.active) == (
        "AUT",
        editor,
        True,
    )
    assert not focal_point.user.is_staff
    assert TOTPDevice.objects.filter(user=focal_point.user).count() == 1
    assert StaticToken.objects.filter(device__user=focal_point.user).count() == 10
    assert Invitation.objects.get().used_at is not None
    # Signed in with both factors: the home page opens.
    assert client.get("/focal/").status_code == 200
    # Not the back office.
    assert client.get("/admin/").status_code == 302


def test_a_link_used_twice_is_refused_with_a_way_to_ask_for_a_new_one(link, client):
    page = client.get(link)
    data = {"password": PASSWORD, "password_again": PASSWORD, "code": code_shown(page)}
    assert client.post(link, data).status_code == 200
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert 'action="/focal/invitation/renew/"' in again.content.decode()
    assert client.post(link, data).status_code == 410
    assert FocalPoint.objects.count() == 1


def test_an_expired_link_is_refused(link, client, settings):
    later = timezone.now() + timedelta(days=settings.FOCAL_INVITATION_DAYS, minutes=1)
    with time_machine.travel(later):
        answer = client.get(link)
    assert answer.status_code == 410
    assert "expired" in answer.content.decode()


def test_an_unknown_link_is_not_found(real_data, client):
    answer = client.get("/focal/invitation/not-a-genuine-token/")
    assert answer.status_code == 404
    assert "Ask for a new link" in answer.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"code": "000000"}, "code", "wrong_code"),
        ({"password": "password", "password_again": "password"}, "password", "password_too_common"),
        ({"password_again": "something-else-entirely"}, "password_again", "mismatch"),
    ],
)
def test_a_wrong_code_or_a_weak_password_stores_nothing(link, client, change, field, rule):
    page = client.get(link)
    data = {"password": PASSWORD, "password_again": PASSWORD, "code": code_shown(page)} | change
    if field == "code":
        data["code"] = "000000" if code_shown(page) != "000000" else "111111"
    answer = client.post(link, data)
    assert answer.status_code == 400
    assert rule in [e.code for e in answer.context["form"].errors.as_data()[field]]
    assert not FocalPoint.objects.exists()
    assert Invitation.objects.get().used_at is None


def test_the_secret_stays_the_same_while_the_invitee_tries_again(link, client):
    first = client.get(link).context["secret"]
    assert client.get(link).context["secret"] == first


def test_an_expired_invitation_is_sent_again_on_request_and_spmu_is_told(
    link, client, editor, django_capture_on_commit_callbacks, settings
):
    editor.email = "spmu@example.org"
    editor.save()
    later = timezone.now() + timedelta(days=settings.FOCAL_INVITATION_DAYS, minutes=1)
    sent = len(mail.outbox)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/focal/invitation/renew/", {"email": "Focal@Austria.example"})
        unknown = client.post("/focal/invitation/renew/", {"email": "nobody@example.org"})
    assert answer.status_code == unknown.status_code == 200
    # Nothing says whether the address was invited.
    assert answer.content.decode() == unknown.content.decode(), difflib.unified_diff(
        answer.content.decode().splitlines(), unknown.content.decode().splitlines()
    )
    new = mail.outbox[sent:]
    assert sorted(m.to[0] for m in new) == ["focal@austria.example", "spmu@example.org"]
    assert Invitation.objects.filter(withdrawn_at__isnull=True).count() == 1
    # The old link no longer works; the new one does.
    with time_machine.travel(later):
        assert client.get(link).status_code == 404
        new_link = re.search(r"/focal/invitation/(\S+)/", new[0].body + new[1].body).group(0)
        assert client.get(new_link).status_code == 200


def test_a_staff_address_cannot_be_invited(real_data, editor_client, editor):
    editor.username = editor.email = "spmu@example.org"
    editor.save()
    answer = editor_client.post(
        "/admin/focal/invitation/add/",
        {"participant": Participant.objects.get(iso3="AUT").pk, "email": editor.username},
    )
    assert answer.status_code == 200
    assert "cannot be staff" in answer.content.decode()
    assert not Invitation.objects.exists()


def test_an_invitation_keeps_only_the_hash_of_its_token(link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = Invitation.objects.get()
    assert stored.token_hash == invitations.token_hash(token)
    assert token not in stored.token_hash


def test_the_authenticator_key_shown_is_the_one_enrolled(link, client):
    page = client.get(link)
    client.post(link, {"password": PASSWORD, "password_again": PASSWORD, "code": code_shown(page)})
    device = TOTPDevice.objects.get()
    assert b32encode(device.bin_key).decode() == page.context["secret"].replace(" ", "")


def test_asking_for_new_links_is_bounded_per_client_address_as_well_as_per_address(
    link, editor, django_capture_on_commit_callbacks, settings
):
    """Ten requests an hour from one client, whatever the addresses typed; the eleventh is
    told to wait and sends nothing, while another client is still answered."""
    later = timezone.now() + timedelta(days=settings.FOCAL_INVITATION_DAYS, minutes=1)
    one = Client(REMOTE_ADDR="198.51.100.7")
    sent = len(mail.outbox)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        answers = [
            one.post("/focal/invitation/renew/", {"email": f"n{n}@example.org"}).status_code
            for n in range(invitations_per_client())
        ]
        busy = one.post("/focal/invitation/renew/", {"email": "focal@austria.example"})
        other = Client(REMOTE_ADDR="203.0.113.9").post(
            "/focal/invitation/renew/", {"email": "nobody@example.org"}
        )
    assert answers == [200] * invitations_per_client()
    assert busy.status_code == 429
    assert "Too many requests from your connection: nothing was sent" in busy.content.decode()
    # The invited address was not sent a new link by the refused request.
    assert mail.outbox[sent:] == []
    assert Invitation.objects.filter(withdrawn_at__isnull=True).get().used_at is None
    assert other.status_code == 200


def invitations_per_client() -> int:
    from focal.views_auth import RENEWALS_PER_CLIENT_PER_HOUR

    return RENEWALS_PER_CLIENT_PER_HOUR
