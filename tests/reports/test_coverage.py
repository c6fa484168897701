"""Evidence coverage: staff say how far the submission records are known complete, per
obligation, for one participant or for all, with history; nothing else says it for them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.selectors import data_revision
from core.writes import StaleVersionError
from reports import domain, services
from reports.coverage import coverage_set, coverage_withdraw
from reports.models import EvidenceCoverage
from reports.standings import obligation_standings
from tests.apiclient import get_json, token_headers
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")
AS_OF = date(2010, 1, 1)


def standing_of(iso3: str, code: str, as_of: date = AS_OF) -> domain.Standing:
    who, what = state(iso3), obligation(code)
    return obligation_standings(as_of=as_of, participant_ids=[who.pk]).standing(who.pk, what.pk)


def test_a_check_for_all_participants_is_kept_with_history_and_makes_the_finding_possible(
    editor, django_capture_on_commit_callbacks
):
    assert standing_of("DEU", "untoc-18-14").state == domain.NOT_YET_CHECKED
    revision = data_revision()
    with django_capture_on_commit_callbacks() as callbacks:
        row = coverage_set(
            obligation=obligation("untoc-18-14"),
            participant=None,
            source="depositary notifications",
            checked_as_of=date(2020, 1, 1),
            actor=editor,
        )
    assert len(callbacks) == 1  # the sweep, after commit
    assert data_revision() == revision + 1
    assert row.history.get().history_user == editor
    standing = standing_of("DEU", "untoc-18-14")
    assert standing.state == domain.NO_SUBMISSION_ON_RECORD
    assert standing.coverage == domain.Coverage(date(2020, 1, 1), "depositary notifications")


def test_a_participant_s_own_row_wins_over_the_row_for_all():
    for who, complete in ((None, True), (state("DEU"), False)):
        coverage_set(
            obligation=obligation("untoc-18-14"),
            participant=who,
            source="depositary notifications",
            checked_as_of=date(2020, 1, 1),
            complete=complete,
        )
    assert standing_of("DEU", "untoc-18-14").state == domain.NOT_YET_CHECKED
    assert standing_of("FRA", "untoc-18-14").state in (
        domain.NO_SUBMISSION_ON_RECORD,
        domain.RECEIVED,
    )


def test_recording_a_submission_does_not_mark_the_records_complete():
    services.submission_record(
        participant=state("DEU"), obligation=obligation("untoc-18-13"), received_on=date(2009, 1, 5)
    )
    assert not EvidenceCoverage.objects.exists()
    assert standing_of("DEU", "untoc-18-13").state == domain.RECEIVED
    assert standing_of("DEU", "untoc-18-14").state == domain.NOT_YET_CHECKED


@pytest.mark.parametrize(
    ("checked_as_of", "source", "field", "rule"),
    [
        (date(2999, 1, 1), "depositary notifications", "checked_as_of", "date_in_future"),
        (date(1999, 1, 1), "depositary notifications", "checked_as_of", "date_before_adoption"),
        (date(2020, 1, 1), "  ", "source", "required"),
    ],
)
def test_a_check_without_a_source_or_a_real_day_is_refused_naming_the_field(
    checked_as_of, source, field, rule
):
    with pytest.raises(ValidationError) as refused:
        coverage_set(
            obligation=obligation("untoc-18-13"),
            participant=None,
            source=source,
            checked_as_of=checked_as_of,
        )
    assert [e.code for e in refused.value.error_dict[field]] == [rule]
    assert not EvidenceCoverage.objects.exists()


def test_a_stale_edit_is_refused_and_a_withdrawal_keeps_the_history():
    what = obligation("untoc-18-13")
    row = coverage_set(
        obligation=what, participant=None, source="UNTC", checked_as_of=date(2020, 1, 1)
    )
    coverage_set(obligation=what, participant=None, source="UNTC", checked_as_of=date(2021, 1, 1))
    with pytest.raises(StaleVersionError):
        coverage_set(
            obligation=what,
            participant=None,
            source="UNTC",
            checked_as_of=date(2022, 1, 1),
            expected_version=row.version,
        )
    coverage_withdraw(coverage=EvidenceCoverage.objects.get())
    assert not EvidenceCoverage.objects.exists()
    history = EvidenceCoverage.history.order_by("history_id")
    assert [h.history_type for h in history] == ["+", "~", "-"]


def test_an_editor_sets_coverage_for_one_participant_in_the_back_office(editor_client, editor):
    response = editor_client.post(
        reverse("admin:reports_evidencecoverage_add"),
        {
            "obligation": obligation("untoc-18-13").pk,
            "participant": state("AUT").pk,
            "complete": "on",
            "source": "depositary notifications",
            "checked_as_of": "2020-01-01",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content
    row = EvidenceCoverage.objects.get()
    assert (row.participant, row.history.get().history_user) == (state("AUT"), editor)
    refused = editor_client.post(
        reverse("admin:reports_evidencecoverage_add"),
        {
            "obligation": obligation("untoc-18-14").pk,
            "source": "depositary notifications",
            "checked_as_of": "2999-01-01",
        },
    )
    assert refused.status_code == 200
    assert "is after today" in refused.content.decode()


def test_the_audit_trail_shows_who_set_coverage(client, editor, viewer):
    coverage_set(
        obligation=obligation("untoc-18-13"),
        participant=state("AUT"),
        source="depositary notifications",
        checked_as_of=date(2020, 1, 1),
        actor=editor,
    )
    rows = get_json(
        client, "history/", {"resource": "coverage", "state": "AUT"}, **token_headers(viewer)
    )["results"]
    assert [(r["resource"], r["user"]) for r in rows] == [("coverage", "spmu-editor")]
