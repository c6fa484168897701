"""The compliance sweep on the shipped data: which flags it raises, resolves and reopens."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.selectors import data_revision
from instruments import services as treaty_services
from instruments.models import Instrument
from reports import flag_rules, services, sweep
from reports.models import ComplianceFlag, EvidenceCoverage
from reports.selectors import flag_entry, flag_list
from tests.factories import synthetic_participants
from tests.reports.conftest import obligation, open_flags, state

pytestmark = pytest.mark.usefixtures("real_data", "records_checked")

COP_DEADLINE = date(2007, 6, 30)


def test_parties_by_the_deadline_without_a_submission_are_flagged_from_30_june_2007():
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    flags = open_flags(obligation__code="untoc-cop-2007")
    germany = flags["DEU", "untoc-cop-2007"]
    assert germany.due_on == COP_DEADLINE
    assert germany.raised_on == date(2010, 1, 1)
    assert "no submission on record" in str(germany)
    # Every flag stands for a party bound by the deadline, and each is due that day.
    assert {f.due_on for (iso3, _), f in flags.items() if iso3 in {"DEU", "ALB", "FRA"}} == {
        COP_DEADLINE
    }


def test_no_flag_is_raised_the_day_of_the_deadline_only_after_it():
    sweep.compliance_sweep(as_of=COP_DEADLINE)
    assert ("DEU", "untoc-cop-2007") not in open_flags()
    sweep.compliance_sweep(as_of=date(2007, 7, 1))
    assert ("DEU", "untoc-cop-2007") in open_flags()


def test_a_grace_period_delays_the_flag_by_its_days():
    cop = obligation("untoc-cop-2007")
    services.obligation_grace_update(obligation=cop, grace_days=30)
    sweep.compliance_sweep(as_of=date(2007, 7, 30))
    assert ("DEU", "untoc-cop-2007") not in open_flags()
    sweep.compliance_sweep(as_of=date(2007, 7, 31))
    assert open_flags()["DEU", "untoc-cop-2007"].due_on == COP_DEADLINE


def test_non_parties_are_never_flagged():
    sweep.compliance_sweep(as_of=date(2025, 1, 1))
    # Iran signed and never ratified; Japan is a party only from 2017; the Congo has not acted.
    flagged = {iso3 for iso3, _ in open_flags()}
    assert "IRN" not in flagged
    assert "COG" not in flagged
    assert not ComplianceFlag.objects.filter(participant=state("IRN")).exists()


@pytest.mark.usefixtures("post2014_facts_accepted")  # Japan's 2017 acceptance
def test_a_state_bound_after_june_2007_owes_the_articles_not_the_2007_deadline():
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    assert not ComplianceFlag.objects.filter(participant=state("JPN")).exists()

    # Japan acceded on 11 July 2017 and is bound from 10 August 2017: art. 18(13) fell due
    # at its deposit; the COP urged only the States bound by June 2007 (decision 3/1).
    sweep.compliance_sweep(as_of=date(2026, 1, 2))
    japan = {code: f for (iso3, code), f in open_flags().items() if iso3 == "JPN"}
    assert japan["untoc-18-13"].due_on == date(2017, 7, 11)  # at deposit
    assert "untoc-cop-2007" not in japan
    # Liechtenstein, bound from 2008, neither.
    assert ("LIE", "untoc-cop-2007") not in open_flags()
    # Germany, bound from 14 July 2006, was held to 30 June 2007.
    assert open_flags()["DEU", "untoc-cop-2007"].due_on == date(2007, 6, 30)


def test_without_a_check_of_the_records_nothing_is_flagged_and_open_flags_resolve():
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    assert open_flags()
    EvidenceCoverage.objects.all().delete()
    result = sweep.compliance_sweep(as_of=date(2010, 1, 2))
    assert not open_flags()
    assert result.open == 0
    assert result.raised == 0
    resolutions = set(ComplianceFlag.objects.values_list("resolution", flat=True))
    assert resolutions >= {flag_rules.NOT_CHECKED}
    assert "no_submission_on_record" not in resolutions


def test_notifications_already_in_the_treaty_data_count_as_received_on_their_dates():
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    flags = open_flags()
    # Latvia notified its central authority and languages with its ratification in 2001.
    assert ("LVA", "untoc-18-13") not in flags
    assert ("LVA", "untoc-18-14") not in flags
    # Germany notified its central authority on deposit, but no language notification is
    # on record: only that one is flagged.
    assert ("DEU", "untoc-18-13") not in flags
    assert flags["DEU", "untoc-18-14"].due_on == date(2006, 6, 14)
    # Liechtenstein's central-authority notification has no date in the source; it counts.
    assert ("LIE", "untoc-18-13") not in flags


def test_a_notification_counts_only_from_its_date():
    # Spain notified its central authority on 17 April 2007, after its 2002 deposit.
    sweep.compliance_sweep(as_of=date(2007, 1, 1))
    assert open_flags()["ESP", "untoc-18-13"].due_on == date(2002, 3, 1)
    sweep.compliance_sweep(as_of=date(2007, 4, 17))
    spain = ComplianceFlag.objects.get(participant=state("ESP"), obligation__code="untoc-18-13")
    assert (spain.resolution, spain.evidence_on) == ("notification", date(2007, 4, 17))


def test_a_notification_staff_record_later_resolves_the_flag_on_re_check(
    django_capture_on_commit_callbacks,
):
    sweep.compliance_sweep(as_of=date(2025, 1, 1))
    assert ("DEU", "untoc-18-14") in open_flags()
    with django_capture_on_commit_callbacks() as callbacks:
        treaty_services.declaration_record(
            participant=state("DEU"),
            instrument=Instrument.objects.get(code="untoc"),
            kind="notification",
            article="18(14)",
            date=date(2006, 6, 14),
            made_at="deposit",
            summary="Languages accepted (test entry)",
            source="test",
        )
    (recheck,) = callbacks
    assert recheck.args == ([state("DEU").pk],)
    sweep.compliance_recheck(participant_ids=recheck.args[0])
    flag = ComplianceFlag.objects.get(participant=state("DEU"), obligation__code="untoc-18-14")
    assert (flag.resolution, flag.evidence_on) == ("notification", date(2006, 6, 14))


def test_organizations_and_articles_without_a_date_raise_no_flags():
    sweep.compliance_sweep(as_of=date(2025, 1, 1))
    assert not ComplianceFlag.objects.filter(participant=state("EUU")).exists()
    assert not ComplianceFlag.objects.filter(
        obligation__code__in=["untoc-31-6", "untoc-32-5", "som-8-6", "fir-13-2"]
    ).exists()
    # Conditional obligations: the record shows the condition only through the notification,
    # which also satisfies it.
    assert not ComplianceFlag.objects.filter(
        obligation__code__in=["untoc-5-3", "untoc-16-5-a"]
    ).exists()


def test_a_submission_resolves_the_flag_and_its_lateness_is_kept(
    django_capture_on_commit_callbacks,
):
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    germany = state("DEU")
    with (
        django_capture_on_commit_callbacks(),
        time_machine.travel(date(2010, 1, 2), tick=False),
    ):
        submission = services.submission_record(
            participant=germany,
            obligation=obligation("untoc-cop-2007"),
            received_on=date(2009, 5, 1),
            reference="CTOC/COP/2008/CRP.1",
        )
    result = sweep.compliance_sweep(as_of=date(2010, 1, 2))
    assert result.resolved == 1
    flag = ComplianceFlag.objects.get(participant=germany, obligation__code="untoc-cop-2007")
    assert (flag.resolved_on, flag.resolution, flag.submission) == (
        date(2010, 1, 2),
        "submission",
        submission,
    )
    entry = flag_entry(flag_list(state="DEU", obligation="untoc-cop-2007").get(), date(2010, 6, 1))
    assert (entry["open"], entry["received_on"], entry["days_overdue"]) == (
        False,
        date(2009, 5, 1),
        671,
    )


def test_deleting_the_submission_reopens_the_flag(django_capture_on_commit_callbacks):
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    with django_capture_on_commit_callbacks():
        submission = services.submission_record(
            participant=state("DEU"),
            obligation=obligation("untoc-cop-2007"),
            received_on=date(2009, 5, 1),
        )
    sweep.compliance_sweep(as_of=date(2010, 1, 2))
    with django_capture_on_commit_callbacks():
        services.submission_delete(submission=submission)
    result = sweep.compliance_sweep(as_of=date(2010, 1, 3))
    assert result.reopened == 1
    flag = open_flags()["DEU", "untoc-cop-2007"]
    assert (flag.raised_on, flag.submission, flag.resolution) == (date(2010, 1, 3), None, "")


def test_a_corrected_deposit_moves_the_due_date_of_the_open_flag(
    django_capture_on_commit_callbacks,
):
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    germany = state("DEU")
    ratification = germany.actions.get(instrument__code="untoc", kind="ratification")
    with django_capture_on_commit_callbacks() as callbacks:
        treaty_services.action_update(action=ratification, date=date(2006, 6, 1))
    (recheck,) = callbacks
    result = sweep.compliance_recheck(participant_ids=recheck.args[0], as_of=date(2010, 1, 1))
    assert result.updated == 1
    assert open_flags()["DEU", "untoc-18-14"].due_on == date(2006, 6, 1)


def test_days_overdue_and_ageing_buckets_on_frozen_dates():
    def codes(bucket):
        return [f.obligation.code for f in flag_list(state="DEU", bucket=bucket)]

    # Germany: languages (art. 18(14)) due at its deposit, 14 June 2006; the COP deadline,
    # 30 June 2007.
    with time_machine.travel(date(2008, 6, 29), tick=False):
        sweep.compliance_sweep()
        (cop,) = flag_list(state="DEU", obligation="untoc-cop-2007")
        entry = flag_entry(cop, date(2008, 6, 29))
        assert (entry["days_overdue"], entry["ageing_bucket"]) == (365, "under_1_year")
        assert codes("under_1_year") == ["untoc-cop-2007"]
        assert codes("1_to_5_years") == ["untoc-18-14"]
    with time_machine.travel(date(2008, 6, 30), tick=False):
        assert codes("under_1_year") == []
        assert codes("1_to_5_years") == ["untoc-18-14", "untoc-cop-2007"]
    with time_machine.travel(date(2012, 6, 30), tick=False):
        assert codes("over_5_years") == ["untoc-18-14", "untoc-cop-2007"]
        (cop,) = flag_list(state="DEU", obligation="untoc-cop-2007")
        assert flag_entry(cop, date(2012, 6, 30))["days_overdue"] == 1827


def test_a_second_run_changes_nothing_and_sends_no_second_digest(
    editor_with_email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep.compliance_sweep(as_of=date(2010, 1, 1))
    revision = data_revision()
    flags = set(ComplianceFlag.objects.values_list("participant_id", "obligation_id", "due_on"))
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep.compliance_sweep(as_of=date(2010, 1, 1))
    assert first.raised > 300
    assert first.digest_flags == first.raised
    assert (second.changed, second.unchanged, second.digest_flags) == (0, first.raised, 0)
    assert flags == set(
        ComplianceFlag.objects.values_list("participant_id", "obligation_id", "due_on")
    )
    assert data_revision() == revision  # nothing changed, so no new ETags
    (digest,) = mail.outbox
    assert digest.to == ["spmu-editor@example.org"]
    assert f"{first.raised} new flag(s) - no submission on record" in digest.subject
    assert "Germany: UNTOC art. 18(14)" in digest.body
    assert "no submission on record" in digest.body


def test_flags_a_re_check_raised_reach_editors_in_the_next_sweep_s_digest(
    editor_with_email, django_capture_on_commit_callbacks
):
    sweep.compliance_recheck(participant_ids=[state("DEU").pk], as_of=date(2010, 1, 1))
    assert len(open_flags()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.compliance_sweep(as_of=date(2010, 1, 1))
    assert result.digest_flags == result.raised + 2
    (digest,) = mail.outbox
    assert "Germany: UNTOC COP deadline" in digest.body


def test_the_sweep_s_writes_appear_in_the_history_as_the_system_s():
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    revision = data_revision()
    flag = ComplianceFlag.objects.get(participant=state("DEU"), obligation__code="untoc-18-14")
    (entry,) = flag.history.all()
    assert (entry.history_user, entry.history_type) == (None, "+")
    assert entry.history_change_reason == "compliance check (system)"
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    assert data_revision() == revision


def test_each_history_row_copies_its_flag_as_written_and_names_who_ran_the_check(
    django_capture_on_commit_callbacks, editor
):
    with time_machine.travel(datetime(2010, 1, 1, 9, 30, tzinfo=UTC), tick=False):
        first = sweep.compliance_sweep(as_of=date(2010, 1, 1))
    germany = state("DEU")
    with django_capture_on_commit_callbacks():
        services.submission_record(
            participant=germany,
            obligation=obligation("untoc-cop-2007"),
            received_on=date(2009, 5, 1),
        )
    sweep.compliance_sweep(as_of=date(2010, 1, 2), actor=editor)

    History = ComplianceFlag.history.model
    assert History.objects.filter(history_type="+").count() == first.raised
    for flag in ComplianceFlag.objects.all():
        latest = flag.history.order_by("-history_date", "-history_id").first()
        assert {f.attname: getattr(latest, f.attname) for f in History.tracked_fields} == {
            f.attname: getattr(flag, f.attname) for f in History.tracked_fields
        }
    raised = History.objects.get(
        participant_id=germany.pk, obligation__code="untoc-cop-2007", history_type="+"
    )
    assert (raised.history_date, raised.history_user) == (
        datetime(2010, 1, 1, 9, 30, tzinfo=UTC),
        None,
    )
    resolved = History.objects.get(
        participant_id=germany.pk, obligation__code="untoc-cop-2007", history_type="~"
    )
    assert (resolved.history_user, resolved.history_change_reason, resolved.resolution) == (
        editor,
        "compliance check run in the back office",
        "submission",
    )
    assert History.objects.filter(history_type="~").count() == 1


def test_a_dry_run_reports_what_would_change_and_writes_nothing():
    revision = data_revision()
    result = sweep.compliance_sweep(as_of=date(2010, 1, 1), dry_run=True)
    assert result.raised > 300
    assert not ComplianceFlag.objects.exists()
    assert data_revision() == revision


def test_the_sweep_runs_the_same_statements_for_5_and_400_more_participants(editor_with_email):
    sweep.compliance_sweep(as_of=date(2010, 1, 1))
    counts = []
    for size in (5, 400):
        synthetic_participants(size)
        with CaptureQueriesContext(connection) as queries:
            result = sweep.compliance_sweep(as_of=date(2010, 1, 1))
        assert result.raised == 3 * size  # art. 18(13), 18(14) and the COP deadline each
        counts.append(len(queries))
    # 1 take turns (update the ComplianceCheck row); 2 lock the participants (editors of
    # theirs take turns with the sweep); 3 obligations with their instruments and
    # Conventions; 4 participants; 5 treaty actions; 6 what was received (submissions and
    # notifications in one UNION); 7 evidence coverage; 8 stored flags; 9 digest
    # recipients; 10 the new flags (one INSERT); 11 their history (one INSERT,
    # simple-history's bulk_create_with_history); 12 data revision; 13 the events of the
    # standings that changed (one INSERT, core.events); plus the savepoint and
    # its release around the sweep inside the test's transaction. (Flags that change add
    # one UPDATE and one history INSERT, bulk_update_with_history.) The 1,200 flags fit one
    # INSERT now that Django is told SQLite's real limit (untoc_tracker/apps.py), where 999
    # parameters would have taken 11.
    assert counts[0] == counts[1] == 15


def test_flags_that_change_are_written_in_the_same_statements_for_5_and_400_more(editor):
    """Flags raised while no editor has an e-mail address are announced, and so changed
    (notified_on), by the first sweep after one has: an update of every flag at once."""
    counts = []
    for size in (5, 400):
        synthetic_participants(size)
        editor.email = ""
        editor.save()
        sweep.compliance_sweep(as_of=date(2010, 1, 1))
        editor.email = "spmu-editor@example.org"
        editor.save()
        with CaptureQueriesContext(connection) as queries:
            result = sweep.compliance_sweep(as_of=date(2010, 1, 1))
        assert result.digest_flags >= 3 * size
        assert result.raised == 0
        counts.append(len(queries))
    # As above, but the flags are changed, not new: 11 one UPDATE of every changed flag
    # (bulk_update_with_history); 12 their history rows in one INSERT. A digest mark changes
    # nothing public: no event.
    assert counts[0] == counts[1] == 14
