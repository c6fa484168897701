"""Staff keep the depositary's checkpoints and the open questions in the back office."""

from datetime import date

import pytest
from django.urls import reverse

from instruments.models import DepositaryCheckpoint, Instrument, OpenQuestion

pytestmark = pytest.mark.usefixtures("real_data")


def checkpoint_form(**overrides):
    return {
        "instrument": Instrument.objects.get(code="tip").pk,
        "as_at": "2025-01-10",
        "signatories": "117",
        "parties": "183",
        "source": "UN Treaty Collection, chapter XVIII-12-a, status as at 10 January 2025",
    } | overrides


def test_an_editor_adds_a_checkpoint_and_its_history_names_them(editor_client, editor):
    response = editor_client.post(
        reverse("admin:instruments_depositarycheckpoint_add"), checkpoint_form()
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = DepositaryCheckpoint.objects.get(as_at=date(2025, 1, 10))
    assert (added.parties, added.version) == (183, 1)
    assert added.history.first().history_user == editor


def test_a_checkpoint_in_the_future_is_refused_on_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:instruments_depositarycheckpoint_add"), checkpoint_form(as_at="2999-01-01")
    )
    assert response.status_code == 200
    assert "is after today" in response.content.decode()
    assert not DepositaryCheckpoint.objects.filter(as_at=date(2999, 1, 1)).exists()


def test_a_second_editor_saving_over_a_newer_checkpoint_is_refused(editor_client):
    checkpoint = DepositaryCheckpoint.objects.get(instrument__code="fir")
    url = reverse("admin:instruments_depositarycheckpoint_change", args=[checkpoint.pk])
    form = {"signatories": "52", "parties": "124", "source": checkpoint.source, "version": "1"}
    assert editor_client.post(url, form).status_code == 302
    response = editor_client.post(url, form | {"parties": "125"})  # still says version 1
    assert "Someone else changed this record" in response.content.decode()
    checkpoint.refresh_from_db()
    assert (checkpoint.parties, checkpoint.version) == (124, 2)


def test_an_editor_settles_an_open_question_by_deleting_it(editor_client, editor):
    question = OpenQuestion.objects.get(iso3="AFG", instrument__code="som")
    url = reverse("admin:instruments_openquestion_delete", args=[question.pk])
    response = editor_client.post(url, {"post": "yes", "version": str(question.version)})
    assert response.status_code == 302
    assert not OpenQuestion.objects.filter(pk=question.pk).exists()
    assert OpenQuestion.history.filter(id=question.pk).first().history_user == editor


def test_a_viewer_sees_the_open_questions_but_cannot_change_them(viewer_client):
    question = OpenQuestion.objects.first()
    url = reverse("admin:instruments_openquestion_change", args=[question.pk])
    assert viewer_client.get(url).status_code == 200
    assert viewer_client.post(url, {"claim": "changed"}).status_code == 403
