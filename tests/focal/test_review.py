"""SPMU's review: approve (a submission on record, through reports' services, and the
compliance re-check after commit), return with a comment, reject with a reason; the focal
point is told each time; nobody decides their own; every step is in the history."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from core.writes import RuleError, StaleVersionError
from focal import services
from focal.models import FocalSubmission
from focal.services import FocalRuleError
from reports.models import Submission
from states.roles import SPMU_EDITORS
from tests.focal.conftest import central_authority, signed_in, submitted

pytestmark = pytest.mark.django_db


def decide(submission, editor, decision, comment="", capture=None):
    return services.submission_decide(
        submission=submission,
        decision=decision,
        comment=comment,
        actor=editor,
        expected_version=submission.version,
    )


def test_approving_records_the_submission_and_rechecks_the_state_after_commit(
    austria_fp, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import tasks

    sent = []
    monkeypatch.setattr(
        tasks.participant_compliance_recheck,
        "apply_async",
        lambda args=None, kwargs=None, **kw: sent.append(tuple(args)),
    )
    pending = submitted(austria_fp)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approved = decide(pending, editor, "approve")
        assert sent == []  # nothing before the commit
    assert callbacks
    assert sent == [([austria_fp.focal_point.participant_id],)]
    record = Submission.objects.get()
    assert (record.participant.iso3, record.obligation.code) == ("AUT", "untoc-18-13")
    assert record.received_on == date(2024, 3, 1)
    assert record.reference == "C.N.100.2024.TREATIES-XVIII-12"
    assert record.history.get().history_user == editor
    assert approved.submission == record
    assert (approved.state, approved.decided_by) == ("approved", editor)
    assert mail.outbox[-1].to == ["focal@austria.example"]
    assert "approved" in mail.outbox[-1].subject


def test_approving_changes_austria_s_standing_with_art_18_13(austria_fp, editor):
    from reports.standings import obligation_standings

    def received():
        standings = obligation_standings(participant_ids=[austria_fp.focal_point.participant_id])
        row = next(r for r in standings.rows() if r["obligation"] == "untoc-18-13")
        return row["received_by"], row["received_on"]

    before = received()
    decide(submitted(austria_fp, notified_on="2004-09-24"), editor, "approve")
    assert received() == ("submission", date(2004, 9, 24))
    assert received() != before


def test_returning_asks_for_changes_and_the_focal_point_resubmits(
    austria_fp, editor, django_capture_on_commit_callbacks
):
    pending = submitted(austria_fp)
    with django_capture_on_commit_callbacks(execute=True):
        returned = decide(pending, editor, "return", "Give the department's phone number.")
    assert returned.state == "returned"
    assert "Give the department's phone number." in mail.outbox[-1].body
    client = signed_in(austria_fp)
    page = f"/focal/submissions/{returned.pk}/"
    assert "Give the department" in client.get(page).content.decode()
    data = central_authority(phone="+43 1 52152 0", version=returned.version)
    assert client.post(page, data).status_code == 302
    returned.refresh_from_db()
    assert client.post(f"{page}submit/", {"version": returned.version}).status_code == 302
    returned.refresh_from_db()
    assert (returned.state, returned.phone) == ("submitted", "+43 1 52152 0")


def test_rejecting_needs_a_reason_and_tells_the_focal_point(
    austria_fp, editor, django_capture_on_commit_callbacks
):
    pending = submitted(austria_fp)
    with pytest.raises(FocalRuleError) as refused:
        decide(pending, editor, "reject", "  ")
    assert [v.rule for v in refused.value.violations] == ["comment_required"]
    with django_capture_on_commit_callbacks(execute=True):
        rejected = decide(pending, editor, "reject", "Not notified to the depositary.")
    assert rejected.state == "rejected"
    assert "Not notified to the depositary." in mail.outbox[-1].body
    assert not Submission.objects.exists()


def test_nobody_decides_their_own_submission(austria_fp):
    user = austria_fp.user
    user.groups.add(Group.objects.get(name=SPMU_EDITORS))
    pending = submitted(austria_fp)
    with pytest.raises(FocalRuleError) as refused:
        decide(pending, user, "approve")
    assert [v.rule for v in refused.value.violations] == ["own_submission"]
    assert not Submission.objects.exists()


def test_a_draft_cannot_be_decided_nor_anything_twice(austria_fp, editor):
    from tests.focal.conftest import draft

    with pytest.raises(FocalRuleError):
        decide(draft(austria_fp), editor, "approve")
    FocalSubmission.objects.all().delete()
    pending = submitted(austria_fp)
    stale = FocalSubmission.objects.get(pk=pending.pk)
    decide(pending, editor, "approve")
    with pytest.raises(StaleVersionError):
        decide(stale, editor, "approve")
    assert Submission.objects.count() == 1


def test_every_step_is_in_the_history_with_who_and_when(austria_fp, editor):
    pending = submitted(austria_fp)
    returned = decide(pending, editor, "return", "Add the address.")
    resubmitted = services.submission_submit(submission=returned, actor=austria_fp.user)
    decide(resubmitted, editor, "approve")
    steps = [
        (h.state, h.history_user.username, h.history_date is not None)
        for h in pending.history.order_by("history_date", "history_id")
    ]
    focal, spmu = austria_fp.user.username, editor.username
    assert steps == [
        ("draft", focal, True),
        ("submitted", focal, True),
        ("returned", spmu, True),
        ("submitted", focal, True),
        ("approved", spmu, True),
    ]


def test_the_review_queue_in_the_back_office(austria_fp, germany_fp, editor, viewer):
    from tests.focal.conftest import draft

    pending = submitted(austria_fp)
    hidden = draft(germany_fp)
    spmu = Client()
    spmu.force_login(editor)
    queue = spmu.get("/admin/focal/focalsubmission/")
    assert queue.status_code == 200
    assert list(queue.context["cl"].result_list) == [pending]  # drafts are not SPMU's
    page = spmu.get(f"/admin/focal/focalsubmission/{pending.pk}/change/")
    assert page.context["decision_form"] is not None
    assert spmu.get(f"/admin/focal/focalsubmission/{hidden.pk}/change/").status_code == 302
    answer = spmu.post(
        f"/admin/focal/focalsubmission/{pending.pk}/decide/",
        {"decision": "approve", "comment": "", "version": pending.version},
    )
    assert answer.status_code == 302
    pending.refresh_from_db()
    assert pending.state == "approved"
    # The same decision sent again (a second editor's page, opened before): told, not twice.
    again = spmu.post(
        f"/admin/focal/focalsubmission/{pending.pk}/decide/",
        {"decision": "approve", "comment": "", "version": pending.version - 1},
        follow=True,
    )
    assert "decided this submission first" in again.content.decode()
    assert Submission.objects.count() == 1
    # Delegation viewers see nothing of focal points.
    looker = Client()
    looker.force_login(viewer)
    assert looker.get("/admin/focal/focalsubmission/").status_code == 403


def test_spmu_downloads_a_submitted_attachment_but_not_a_draft_s(austria_fp, editor, viewer):
    from focal.files import CheckedFile
    from tests.focal.conftest import draft, pdf_bytes

    pdf = CheckedFile("n.pdf", "application/pdf", pdf_bytes())
    pending = services.submission_submit(
        submission=draft(austria_fp, files=[pdf]), actor=austria_fp.user
    )
    attachment = pending.attachments.get()
    url = f"/focal/submissions/{pending.pk}/attachments/{attachment.pk}/"
    spmu = Client()
    spmu.force_login(editor)
    assert spmu.get(url).status_code == 200
    looker = Client()
    looker.force_login(viewer)
    assert looker.get(url).status_code == 404
    FocalSubmission.objects.filter(pk=pending.pk).update(state="draft")
    assert spmu.get(url).status_code == 404


def test_an_approved_designation_enters_the_directory_and_the_public_reads_only_its_name(
    austria_fp, editor
):
    """The issue's walk, its end: SPMU approves Austria's art. 18(13) central authority; the
    directory names it in effect, with the approval as its source; an anonymous visitor reads
    the authority's name but not the contact point, the signed-in focal point reads both."""
    from reports.authorities import designation_list

    approved = decide(submitted(austria_fp), editor, "approve")
    (designation,) = designation_list(participant_ids=[austria_fp.focal_point.participant_id])
    assert (designation.obligation.code, designation.authority_name) == (
        "untoc-18-13",
        "Federal Ministry of Justice",
    )
    assert designation.contact_person == "Department IV 4"
    assert designation.notified_on == date(2024, 3, 1)
    assert designation.submission == approved.submission
    assert "C.N.100.2024.TREATIES-XVIII-12" in designation.source
    assert designation.history.get().history_user == editor

    page = Client(HTTP_HOST="127.0.0.1").get("/authorities/?participant=AUT")
    assert "Federal Ministry of Justice" in page.content.decode()
    assert "Department IV 4" not in page.content.decode()
    own = signed_in(austria_fp).get("/authorities/?participant=AUT")
    assert own.status_code == 200
    assert "Department IV 4" in own.content.decode()


def test_a_designation_older_than_the_one_in_effect_is_refused_and_nothing_is_approved(
    austria_fp, editor
):
    decide(submitted(austria_fp), editor, "approve")
    older = submitted(austria_fp, notified_on="2010-05-05", depositary_reference="C.N.1.2010")
    with pytest.raises(RuleError) as refused:
        decide(older, editor, "approve")
    assert "notified_on" in refused.value.message_dict
    older.refresh_from_db()
    assert older.state == "submitted"
    assert Submission.objects.count() == 1


def test_focal_points_designate_under_the_obligations_the_directory_lists():
    from focal.domain import DESIGNATIONS
    from reports.authorities import DESIGNATING

    assert set(DESIGNATIONS) == set(DESIGNATING)
