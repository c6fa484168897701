"""Writes to submissions and obligations go through the services: rules, history, re-check."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.selectors import data_revision
from core.writes import StaleVersionError
from reports import services
from reports.models import Submission
from reports.tasks import flag_overdue_states, participant_compliance_recheck, rechecks
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2024, 1, 1), tick=False):
        yield date(2024, 1, 1)


def record(**overrides):
    values = {
        "participant": state("ALB"),
        "obligation": obligation("untoc-18-13"),
        "received_on": date(2008, 3, 3),
        "reference": "C.N.123.2008.TREATIES-4",
    } | overrides
    return services.submission_record(**values)


def test_recording_a_submission_keeps_its_history_and_counts_the_revision(
    editor, django_capture_on_commit_callbacks
):
    revision = data_revision()
    with django_capture_on_commit_callbacks() as callbacks:
        submission = record(actor=editor)
    (entry,) = submission.history.all()
    assert (entry.history_user, entry.history_type) == (editor, "+")
    assert data_revision() == revision + 1
    (recheck,) = callbacks
    assert recheck.func == participant_compliance_recheck.delay
    assert recheck.args == ([state("ALB").pk],)


def test_writes_to_several_participants_in_one_batch_send_one_re_check(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks() as callbacks,
        transaction.atomic(),
        rechecks.batched(),
    ):
        record()
        record(participant=state("FRA"))
    (recheck,) = callbacks
    assert recheck.args == (sorted([state("ALB").pk, state("FRA").pk]),)


def test_a_submission_from_the_future_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        record(received_on=date(2024, 2, 1))
    assert refused.value.error_dict["received_on"][0].code == "date_in_future"
    assert not Submission.objects.exists()


def test_a_submission_before_the_instrument_existed_is_refused():
    with pytest.raises(ValidationError) as refused:
        record(received_on=date(1999, 1, 1))
    assert refused.value.error_dict["received_on"][0].code == "date_before_adoption"


def test_the_same_submission_recorded_twice_is_refused_with_a_clear_message():
    record()
    with pytest.raises(ValidationError) as refused:
        record(reference="another reference")
    (error,) = refused.value.error_dict["received_on"]
    assert error.code == "submission_recorded_once"
    assert "already recorded; edit that one" in error.message
    assert Submission.objects.count() == 1


def test_an_update_with_a_stale_version_is_refused_and_changes_nothing():
    submission = record()
    services.submission_update(submission=submission, expected_version=1, note="checked")
    with pytest.raises(StaleVersionError):
        services.submission_update(submission=submission, expected_version=1, note="lost")
    submission.refresh_from_db()
    assert (submission.note, submission.version) == ("checked", 2)


def test_the_participant_of_a_submission_cannot_be_changed():
    with pytest.raises(TypeError):
        services.submission_update(submission=record(), participant=state("FRA"))


def test_deleting_a_submission_keeps_a_history_entry_naming_who(editor):
    submission = record()
    services.submission_delete(submission=submission, actor=editor, expected_version=1)
    assert not Submission.objects.exists()
    deleted = Submission.history.filter(history_type="-").get()
    assert deleted.history_user == editor


def test_a_grace_period_change_is_kept_with_history_and_schedules_a_sweep(
    editor, django_capture_on_commit_callbacks
):
    cop = obligation("untoc-cop-2007")
    with django_capture_on_commit_callbacks() as callbacks:
        services.obligation_grace_update(
            obligation=cop, grace_days=90, actor=editor, expected_version=cop.version
        )
    cop.refresh_from_db()
    assert cop.grace_days == 90
    assert cop.history.order_by("-history_id").first().history_user == editor
    (sweep,) = callbacks
    assert sweep.func == flag_overdue_states.delay
    with pytest.raises(StaleVersionError):
        services.obligation_grace_update(obligation=cop, grace_days=10, expected_version=1)
