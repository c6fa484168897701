"""The back office as SPMU editors and delegations use it for obligations and flags."""

from datetime import date

import pytest
from django.urls import reverse

from reports import services, sweep
from reports.models import ComplianceFlag, Submission
from reports.tasks import participant_compliance_recheck
from tests.reports.conftest import obligation, open_flags, state

pytestmark = pytest.mark.usefixtures("real_data")


def submission_form(**overrides):
    data = {
        "participant": state("DEU").pk,
        "obligation": obligation("untoc-cop-2007").pk,
        "received_on": "2009-05-01",
        "reference": "CTOC/COP/2008/CRP.1",
        "note": "",
    }
    return data | overrides


def test_an_editor_records_a_submission_and_after_the_job_runs_the_flag_is_resolved(
    editor_client, editor, django_capture_on_commit_callbacks
):
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    changelist = editor_client.get(
        reverse("admin:reports_complianceflag_changelist"), {"status": "open", "q": "Germany"}
    )
    assert "no submission on record" in changelist.content.decode()

    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(reverse("admin:reports_submission_add"), submission_form())
    assert response.status_code == 302, response.content
    submission = Submission.objects.get(participant=state("DEU"))
    assert submission.history.get().history_user == editor

    (recheck,) = callbacks
    participant_compliance_recheck.apply(args=[recheck.args[0]])
    flag = ComplianceFlag.objects.get(participant=state("DEU"), obligation__code="untoc-cop-2007")
    assert (flag.resolution, flag.submission, flag.evidence_on) == (
        "submission",
        submission,
        date(2009, 5, 1),
    )
    resolved = editor_client.get(
        reverse("admin:reports_complianceflag_changelist"), {"status": "resolved"}
    )
    assert "Germany" in resolved.content.decode()


def test_a_submission_dated_in_the_future_is_refused_on_its_field(editor_client):
    response = editor_client.post(
        reverse("admin:reports_submission_add"), submission_form(received_on="2999-01-01")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["received_on"]
    assert not Submission.objects.exists()


def test_an_editor_runs_the_compliance_check_now_from_the_flag_list(editor_client, editor):
    page = editor_client.get(reverse("admin:reports_complianceflag_changelist"))
    assert "Run compliance check now" in page.content.decode()
    response = editor_client.post(reverse("admin:reports_complianceflag_run_check"), follow=True)
    assert response.status_code == 200
    (message,) = [str(m) for m in response.context["messages"]]
    assert "open flag(s) - no submission on record" in message
    flag = next(iter(open_flags().values()))
    assert flag.history.get().history_user == editor  # run by a person, not the nightly job


def test_a_delegation_viewer_sees_flags_but_cannot_run_the_check_or_record(viewer_client):
    page = viewer_client.get(reverse("admin:reports_complianceflag_changelist"))
    assert page.status_code == 200
    assert "Run compliance check now" not in page.content.decode()
    assert viewer_client.post(reverse("admin:reports_complianceflag_run_check")).status_code == 403
    assert not ComplianceFlag.objects.exists()
    assert viewer_client.get(reverse("admin:reports_submission_add")).status_code == 403


def test_an_editor_changes_the_grace_period_but_not_the_catalogue(editor_client):
    cop = obligation("untoc-cop-2007")
    url = reverse("admin:reports_obligation_change", args=[cop.pk])
    response = editor_client.post(url, {"grace_days": "30", "version": cop.version})
    assert response.status_code == 302, response.content
    cop.refresh_from_db()
    assert (cop.grace_days, cop.deadline) == (30, date(2007, 6, 30))
    stale = editor_client.post(url, {"grace_days": "45", "version": 1})
    assert "Someone else changed this record" in stale.content.decode()
    assert editor_client.get(reverse("admin:reports_obligation_add")).status_code == 403


def test_the_obligation_and_cop_session_pages_show_their_sources(viewer_client):
    cop = obligation("untoc-cop-2007")
    page = viewer_client.get(reverse("admin:reports_obligation_change", args=[cop.pk]))
    assert "OSCE SPMU report on OSCE-UNODC co-operation for the COP, 2007" in page.content.decode()
    sessions = viewer_client.get(reverse("admin:reports_copsession_changelist"))
    assert "Vienna" in sessions.content.decode()


def test_a_delegation_viewer_reads_a_submission_without_changing_it(viewer_client):
    submission = services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 1),
        reference="C.N.55.2009",
    )
    url = reverse("admin:reports_submission_change", args=[submission.pk])
    page = viewer_client.get(url)
    assert page.status_code == 200
    assert "C.N.55.2009" in page.content.decode()
    assert viewer_client.post(url, submission_form(note="changed")).status_code == 403


def test_deleting_a_submission_a_colleague_changed_since_the_confirmation_is_refused(
    editor_client,
):
    submission = services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-14"),
        received_on=date(2009, 5, 1),
        reference="C.N.55.2009",
    )
    url = reverse("admin:reports_submission_delete", args=[submission.pk])
    assert 'name="version" value="1"' in editor_client.get(url).content.decode()
    services.submission_update(submission=submission, note="checked by a colleague")
    refused = editor_client.post(url, {"post": "yes", "version": "1"}, follow=True)
    assert "Nothing was deleted" in refused.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()
    deleted = editor_client.post(url, {"post": "yes", "version": "2"}, follow=True)
    assert deleted.status_code == 200
    assert not Submission.objects.filter(pk=submission.pk).exists()
