"""A focal point removes a file from its own draft or returned submission: a POST with the
CSRF token and the version it saw; the row goes with a history row naming who and when, and
the file leaves the storage only once the removal has committed. Not from a submission sent
to SPMU or decided; another State's answers 404."""

import os

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from focal import services
from focal.files import CheckedFile
from focal.models import Attachment
from tests.focal.conftest import draft, pdf_bytes, png_bytes, signed_in

pytestmark = pytest.mark.django_db


def with_files(enrolled, **changes):
    return draft(
        enrolled,
        files=[
            CheckedFile("note-verbale.pdf", "application/pdf", pdf_bytes()),
            CheckedFile("stamp.png", "image/png", png_bytes()),
        ],
        **changes,
    )


def remove_url(attachment: Attachment) -> str:
    return f"/focal/submissions/{attachment.submission_id}/attachments/{attachment.pk}/remove/"


def path_of(attachment: Attachment) -> str:
    return attachment.file.path


def test_a_focal_point_removes_a_file_from_its_draft_and_the_file_goes_after_commit(
    austria_fp, django_capture_on_commit_callbacks
):
    saved = with_files(austria_fp)
    note, stamp = saved.attachments.order_by("original_name")
    client = signed_in(austria_fp)
    with django_capture_on_commit_callbacks() as callbacks:
        answer = client.post(remove_url(note), {"version": saved.version})
        # The row is gone; the file is still there until the transaction has committed.
        assert not Attachment.objects.filter(pk=note.pk).exists()
        assert os.path.exists(path_of(note))
    for callback in callbacks:
        callback()
    assert answer.status_code == 302
    assert answer["Location"] == f"/focal/submissions/{saved.pk}/"
    assert not os.path.exists(path_of(note))
    assert os.path.exists(path_of(stamp))
    assert list(saved.attachments.all()) == [stamp]
    saved.refresh_from_db()
    assert saved.version == 2
    # History: the attachment's removal, and the submission's new version saying which.
    removal = Attachment.history.get(id=note.pk, history_type="-")
    assert removal.history_user == austria_fp.user
    assert removal.original_name == "note-verbale.pdf"
    latest = saved.history.latest("history_date")
    assert latest.history_change_reason == "attachment removed: note-verbale.pdf"
    assert latest.history_user == austria_fp.user
    shown = [str(m) for m in get_messages(answer.wsgi_request)]
    assert shown == ["note-verbale.pdf was removed."]


def test_a_file_is_removed_from_a_submission_spmu_returned(austria_fp, editor):
    pending = services.submission_submit(submission=with_files(austria_fp), actor=austria_fp.user)
    returned = services.submission_decide(
        submission=pending, decision="return", comment="Attach the signed note.", actor=editor
    )
    note = returned.attachments.get(original_name="note-verbale.pdf")
    answer = signed_in(austria_fp).post(remove_url(note), {"version": returned.version})
    assert answer.status_code == 302
    assert returned.attachments.count() == 1


@pytest.mark.parametrize("state", ["submitted", "approved", "rejected"])
def test_a_file_of_a_submission_sent_to_spmu_or_decided_stays(
    austria_fp, editor, state, django_capture_on_commit_callbacks
):
    sent = services.submission_submit(submission=with_files(austria_fp), actor=austria_fp.user)
    if state != "submitted":
        decision = {"approved": "approve", "rejected": "reject"}[state]
        sent = services.submission_decide(
            submission=sent, decision=decision, comment="Not a designation.", actor=editor
        )
    note = sent.attachments.get(original_name="note-verbale.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in(austria_fp).post(remove_url(note), {"version": sent.version})
    assert answer.status_code == 302
    shown = [str(m) for m in get_messages(answer.wsgi_request)]
    assert shown == [
        f"Nothing was removed. This submission is {sent.get_state_display()}: its "
        "attachments can no longer be removed."
    ]
    assert Attachment.objects.filter(pk=note.pk).exists()
    assert os.path.exists(path_of(note))
    assert not Attachment.history.filter(history_type="-").exists()


def test_another_state_s_attachment_is_not_found_and_stays(austria_fp, germany_fp):
    theirs = with_files(germany_fp)
    mine = with_files(austria_fp)
    note = theirs.attachments.get(original_name="note-verbale.pdf")
    client = signed_in(austria_fp)
    assert client.post(remove_url(note), {"version": theirs.version}).status_code == 404
    # Nor through the address of Austria's own submission.
    mixed = f"/focal/submissions/{mine.pk}/attachments/{note.pk}/remove/"
    assert client.post(mixed, {"version": mine.version}).status_code == 404
    assert Attachment.objects.filter(pk=note.pk).exists()
    assert os.path.exists(path_of(note))


def test_removing_needs_a_post_with_the_csrf_token_and_the_version_seen(austria_fp):
    saved = with_files(austria_fp)
    note = saved.attachments.get(original_name="note-verbale.pdf")
    client = signed_in(austria_fp)
    assert client.get(remove_url(note)).status_code == 405
    strict = signed_in(austria_fp, Client(enforce_csrf_checks=True))
    assert strict.post(remove_url(note), {"version": saved.version}).status_code == 403
    # A page opened before another change: nothing is removed, and the focal point is told.
    answer = client.post(remove_url(note), {"version": saved.version + 1}, follow=True)
    assert "Nothing was removed: this submission changed since you opened it." in (
        answer.content.decode()
    )
    missing = client.post(remove_url(note), {}, follow=True)
    assert "Nothing was removed: the form did not say which version you saw." in (
        missing.content.decode()
    )
    assert Attachment.objects.filter(pk=note.pk).exists()


def test_a_removal_rolled_back_keeps_the_row_and_the_file(
    austria_fp, monkeypatch, django_capture_on_commit_callbacks
):
    saved = with_files(austria_fp)
    note = saved.attachments.get(original_name="note-verbale.pdf")

    def fails(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record_save", fails)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.attachment_remove(
            submission=saved, attachment_pk=note.pk, actor=austria_fp.user, expected_version=1
        )
    assert Attachment.objects.filter(pk=note.pk).exists()
    assert os.path.exists(path_of(note))


def test_the_page_of_a_draft_offers_a_button_per_file_and_a_submitted_one_none(austria_fp):
    saved = with_files(austria_fp)
    client = signed_in(austria_fp)
    page = client.get(f"/focal/submissions/{saved.pk}/").content.decode()
    assert page.count('action="/focal/submissions/') == 4  # edit, submit, two removals
    assert 'aria-label="Remove note-verbale.pdf"' in page
    services.submission_submit(submission=saved, actor=austria_fp.user)
    page = client.get(f"/focal/submissions/{saved.pk}/").content.decode()
    assert "/remove/" not in page
