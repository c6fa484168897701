"""A focal point chooses for itself the language the tracker writes to it in: from its own
page, the next e-mail follows; a language the site does not speak is refused, naming the
field, and nothing changes."""

import pytest
from django.core import mail
from django.test import Client

from focal.models import FocalPoint
from tests.focal.conftest import signed_in, submitted
from tests.focal.test_review import decide


def test_the_focal_point_picks_spanish_and_the_next_decision_comes_in_spanish(
    austria_fp, editor, django_capture_on_commit_callbacks
):
    client = signed_in(austria_fp)
    page = client.get("/focal/")
    assert page.status_code == 200
    assert page.context["language_form"]["language"].value() == "en"

    answer = client.post("/focal/language/", {"language": "es"}, follow=True)
    assert answer.redirect_chain[-1][0] == "/focal/"
    stored = FocalPoint.objects.get(pk=austria_fp.focal_point.pk)
    assert stored.language == "es"
    assert stored.history.latest().history_user == austria_fp.user
    assert "E-mails in: Español." in answer.content.decode()

    pending = submitted(austria_fp)
    with django_capture_on_commit_callbacks(execute=True):
        decide(pending, editor, "reject", comment="No consta.")
    decided = mail.outbox[-1]
    assert decided.to == [austria_fp.user.email]
    assert "/es/focal/submissions/" in decided.body
    assert decided.subject != "UNTOC Tracker: your submission was rejected"


@pytest.mark.parametrize("value", ["xx", "", "en-gb"])
def test_a_language_the_site_does_not_speak_is_refused_naming_the_field(austria_fp, value):
    client = signed_in(austria_fp)
    answer = client.post("/focal/language/", {"language": value})
    assert answer.status_code == 400
    errors = answer.context["language_form"].errors
    assert list(errors) == ["language"]
    assert "Language of the e-mails" in answer.content.decode()
    assert FocalPoint.objects.get(pk=austria_fp.focal_point.pk).language == "en"


def test_only_a_signed_in_focal_point_may_choose_and_only_by_post(austria_fp, editor):
    anonymous = Client().post("/focal/language/", {"language": "ru"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/focal/login/")
    staff = Client()
    staff.force_login(editor)
    assert staff.post("/focal/language/", {"language": "ru"}).status_code == 302
    assert signed_in(austria_fp).get("/focal/language/").status_code == 405
    assert FocalPoint.objects.get(pk=austria_fp.focal_point.pk).language == "en"
