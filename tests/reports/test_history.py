"""The compliance records in the audit trail (API history/): the job's changes are the
system's, an editor's are theirs."""

from datetime import date

import pytest
from django.urls import reverse

from reports import services
from reports.models import ComplianceFlag
from reports.tasks import flag_overdue_states, participant_compliance_recheck
from tests.apiclient import get_json
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")

SYSTEM = "compliance check (system)"


def flag_history(client, **params):
    return get_json(client, "history/", {"resource": "flags", **params})["results"]


def test_the_daily_job_s_flags_appear_in_the_history_as_the_system_s(viewer_client):
    flag_overdue_states.apply(kwargs={"as_of": "2010-01-01"})
    entries = flag_history(viewer_client, state="DEU")
    assert {e["values"]["obligation"] for e in entries} == {"untoc-18-14", "untoc-cop-2007"}
    for entry in entries:
        assert (entry["user"], entry["reason"], entry["type"]) == (None, SYSTEM, "created")
        assert entry["values"]["state"] == "DEU"
    everything = get_json(viewer_client, "history/", {"user": "", "page_size": 1000})
    assert everything["count"] >= ComplianceFlag.objects.count()


def test_a_submission_is_the_editor_s_and_the_re_check_it_causes_is_the_system_s(
    viewer_client, editor, django_capture_on_commit_callbacks
):
    flag_overdue_states.apply(kwargs={"as_of": "2010-01-01"})
    with django_capture_on_commit_callbacks() as callbacks:
        services.submission_record(
            participant=state("DEU"),
            obligation=obligation("untoc-cop-2007"),
            received_on=date(2009, 5, 1),
            reference="CTOC/COP/2008/CRP.1",
            actor=editor,
        )
    (recheck,) = callbacks
    participant_compliance_recheck.apply(args=[recheck.args[0]])

    (submitted,) = get_json(viewer_client, "history/", {"resource": "submissions"})["results"]
    assert (submitted["user"], submitted["values"]["obligation"]) == (
        "spmu-editor",
        "untoc-cop-2007",
    )
    resolved, raised = [
        e
        for e in flag_history(viewer_client, state="DEU")
        if e["values"]["obligation"] == ("untoc-cop-2007")
    ]
    assert (raised["type"], resolved["type"]) == ("created", "changed")
    assert (resolved["user"], resolved["reason"]) == (None, SYSTEM)
    changed = {c["field"]: c["new"] for c in resolved["changes"]}
    assert changed["resolution"] == "submission"
    assert changed["evidence_on"] == "2009-05-01"


def test_a_check_an_editor_runs_in_the_back_office_is_theirs(editor_client):
    editor_client.post(reverse("admin:reports_complianceflag_run_check"))
    entries = flag_history(editor_client, page_size=5)
    assert entries
    assert {(e["user"], e["reason"]) for e in entries} == {
        ("spmu-editor", "compliance check run in the back office")
    }


def test_obligations_belong_to_no_participant_and_stay_out_of_a_participant_s_history(
    viewer_client, editor
):
    services.obligation_grace_update(
        obligation=obligation("untoc-cop-2007"), grace_days=30, actor=editor
    )
    resources = {
        e["resource"] for e in get_json(viewer_client, "history/", {"state": "DEU"})["results"]
    }
    assert "obligations" not in resources
    (changed,) = [
        e
        for e in get_json(viewer_client, "history/", {"resource": "obligations"})["results"]
        if e["type"] == "changed"
    ]
    assert (changed["user"], changed["changes"][0]) == (
        "spmu-editor",
        {"field": "grace_days", "old": 0, "new": 30},
    )
