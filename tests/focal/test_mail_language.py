"""A focal point is written to in the language SPMU chose when inviting it: the invitation,
then each decision, with links to its pages in that language. SPMU's own e-mails stay in
English."""

import re
from base64 import b32encode
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from focal import invitations, services
from focal.models import FocalPoint, Invitation
from states.models import Participant
from tests.focal.conftest import submitted
from tests.focal.test_review import decide

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
PASSWORD = "a-long-focal-password"


def invite(client, capture, **fields):
    austria = Participant.objects.get(iso3="AUT")
    with capture(execute=True):
        return client.post(
            "/admin/focal/invitation/add/",
            {"participant": austria.pk, "email": "focal@austria.example", **fields},
        )


def test_a_russian_focal_point_is_invited_and_told_each_decision_in_russian(
    real_data, editor_client, editor, django_capture_on_commit_callbacks
):
    answer = invite(editor_client, django_capture_on_commit_callbacks, language="ru")
    assert answer.status_code == 302, answer.content
    invitation = mail.outbox[-1]
    assert invitation.subject == "UNTOC Tracker: приглашение выполнять функции контактного пункта"
    token = re.search(rf"{SITE}/ru/focal/invitation/(\S+)/", invitation.body).group(1)
    assert Invitation.objects.get().language == "ru"
    # The link opens the invitation's page in Russian.
    assert Client().get(f"/ru/focal/invitation/{token}/").status_code == 200

    key = invitations.totp_key_new()
    code = pyotp.TOTP(b32encode(bytes.fromhex(key)).decode()).now()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = invitations.invitation_accept(
            token=token, password=PASSWORD, totp_key=key, code=code
        )
    assert enrolment.focal_point.language == "ru"

    class Enrolled:  # what tests.focal.conftest.submitted needs
        focal_point = enrolment.focal_point
        user = enrolment.user

    editor.email = "spmu@example.org"
    editor.save()
    returned = None
    for decision, state in [("reject", "отклонено"), ("return", "возвращено")]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            pending = submitted(Enrolled)
        with django_capture_on_commit_callbacks(execute=True):
            returned = decide(pending, editor, decision, comment="Not notified to the depositary.")
        (to_editors, decided) = mail.outbox
        # SPMU is told in English whatever the focal point's language.
        assert to_editors.subject == "UNTOC Tracker: a submission to review"
        assert f"{SITE}/admin/focal/focalsubmission/{pending.pk}/change/" in to_editors.body
        assert decided.to == ["focal@austria.example"]
        assert decided.subject.startswith("UNTOC Tracker: ваше представление — ")
        assert state in decided.body
        assert f"{SITE}/ru/focal/submissions/{pending.pk}/" in decided.body
        assert "Not notified to the depositary." in decided.body
        assert "Your submission" not in decided.body

    mail.outbox.clear()
    pending = services.submission_submit(submission=returned, actor=enrolment.user)
    with django_capture_on_commit_callbacks(execute=True):
        decide(pending, editor, "approve")
    approved = mail.outbox[-1]
    assert approved.subject == "UNTOC Tracker: ваше представление — утверждено"
    assert "утверждено: теперь оно зарегистрировано" in approved.body


def test_an_english_focal_point_is_written_to_in_english(
    austria_fp, editor, django_capture_on_commit_callbacks
):
    assert austria_fp.focal_point.language == "en"
    pending = submitted(austria_fp)
    with django_capture_on_commit_callbacks(execute=True):
        decide(pending, editor, "reject", comment="Not notified to the depositary.")
    decided = mail.outbox[-1]
    assert decided.subject == "UNTOC Tracker: your submission was rejected"
    assert f"{SITE}/focal/submissions/{pending.pk}/" in decided.body


@pytest.mark.parametrize(
    ("cookie", "expected"), [(None, "en"), ("fr", "fr")], ids=["english", "french"]
)
def test_an_invitation_is_in_the_editor_s_language_unless_another_is_chosen(
    real_data, editor_client, django_capture_on_commit_callbacks, cookie, expected
):
    if cookie:
        editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    form = editor_client.get("/admin/focal/invitation/add/")
    assert form.context["adminform"].form["language"].value() == expected
    assert invite(editor_client, django_capture_on_commit_callbacks).status_code == 302
    assert Invitation.objects.get().language == expected
    prefix = "" if expected == "en" else f"/{expected}"
    assert f"{SITE}{prefix}/focal/invitation/" in mail.outbox[-1].body


def test_a_renewed_invitation_keeps_its_language_and_spmu_is_told_in_english(
    real_data, editor_client, editor, django_capture_on_commit_callbacks
):
    editor.email = "spmu@example.org"
    editor.save()
    invite(editor_client, django_capture_on_commit_callbacks, language="ru")
    later = timezone.now() + timedelta(days=settings.FOCAL_INVITATION_DAYS, minutes=1)
    mail.outbox.clear()
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        # Asked for on the French page: the invitation stays in Russian.
        answer = Client().post("/fr/focal/invitation/renew/", {"email": "focal@austria.example"})
    assert answer.status_code == 200
    sent = {m.to[0]: m for m in mail.outbox}
    assert f"{SITE}/ru/focal/invitation/" in sent["focal@austria.example"].body
    assert sent["spmu@example.org"].subject == "UNTOC Tracker: invitation link sent again"
    assert f"{SITE}/admin/focal/invitation/" in sent["spmu@example.org"].body
    assert [i.language for i in Invitation.objects.all()] == ["ru", "ru"]


def test_a_language_the_site_does_not_speak_is_refused_naming_the_field(
    real_data, editor_client, editor, django_capture_on_commit_callbacks
):
    answer = invite(editor_client, django_capture_on_commit_callbacks, language="xx")
    assert answer.status_code == 200
    assert list(answer.context["adminform"].form.errors) == ["language"]
    with pytest.raises(invitations.ValidationError) as refused:
        invitations.invitation_send(
            participant=Participant.objects.get(iso3="AUT"),
            email="focal@austria.example",
            actor=editor,
            language="xx",
        )
    assert list(refused.value.message_dict) == ["language"]
    assert not Invitation.objects.exists()
    assert not FocalPoint.objects.exists()
