"""The reporting rules, on plain values: no database."""

from datetime import date

import pytest

from instruments import domain as treaty
from reports import domain, flag_rules

# A party that deposited on 14 June 2006 and is bound from 14 July 2006 (Germany's dates).
EARLY_PARTY = treaty.ParticipantStatus(
    status=treaty.PARTY,
    in_force=True,
    consent_date=date(2006, 6, 14),
    consent_kind=treaty.RATIFICATION,
    entry_into_force=date(2006, 7, 14),
)
# A party that deposited on 11 July 2017, bound from 10 August 2017 (Japan's dates).
LATE_PARTY = treaty.ParticipantStatus(
    status=treaty.PARTY,
    in_force=True,
    consent_date=date(2017, 7, 11),
    consent_kind=treaty.ACCESSION,
    entry_into_force=date(2017, 8, 10),
)
# Records known complete, checked against the depositary's notifications as at 2026.
CHECKED = domain.Coverage(date(2026, 1, 1), "depositary notifications")
SIGNATORY = treaty.ParticipantStatus(status=treaty.SIGNATORY, signature_date=date(2000, 12, 12))

CENTRAL_AUTHORITY = domain.ObligationFacts("untoc-18-13", "untoc", "18(13)")
EXTRADITION_BASIS = domain.ObligationFacts(
    "untoc-16-5-a", "untoc", "16(5)(a)", applies_to=domain.PARTIES_IN_CONDITION
)
PREVENTION_AUTHORITY = domain.ObligationFacts(
    "untoc-31-6", "untoc", "31(6)", due_rule=domain.NO_DATE
)
COP_2007 = domain.ObligationFacts(
    "untoc-cop-2007",
    "untoc",
    "COP deadline",
    due_rule=domain.COP_DEADLINE,
    deadline=date(2007, 6, 30),
)
YEAR_AFTER_ENTRY_INTO_FORCE = domain.ObligationFacts(
    "x", "untoc", "x", due_rule=domain.AFTER_ENTRY_INTO_FORCE, due_days=365
)


def test_an_obligation_for_all_parties_applies_to_a_party_but_not_a_signatory():
    assert domain.obligation_applies(CENTRAL_AUTHORITY, EARLY_PARTY)
    assert not domain.obligation_applies(CENTRAL_AUTHORITY, SIGNATORY)
    assert not domain.obligation_applies(CENTRAL_AUTHORITY, treaty.NO_STATUS)


def test_a_party_that_denounced_no_longer_owes_anything():
    denounced = treaty.ParticipantStatus(
        status=treaty.DENOUNCED,
        consent_date=date(2004, 1, 1),
        denunciation_effective=date(2009, 1, 1),
    )
    assert not domain.obligation_applies(CENTRAL_AUTHORITY, denounced)


def test_an_organization_is_not_held_to_obligations_addressed_to_states():
    assert not domain.obligation_applies(CENTRAL_AUTHORITY, EARLY_PARTY, is_organization=True)


def test_a_conditional_obligation_applies_only_where_the_condition_is_on_record():
    assert not domain.obligation_applies(EXTRADITION_BASIS, EARLY_PARTY)
    assert domain.obligation_applies(EXTRADITION_BASIS, EARLY_PARTY, condition_on_record=True)


def test_a_submission_under_a_conditional_article_shows_the_condition_and_counts_as_received():
    received = domain.Received(date(2006, 6, 14), domain.BY_NOTIFICATION)
    standing = domain.obligation_standing(
        EXTRADITION_BASIS, EARLY_PARTY, received, date(2010, 1, 1)
    )
    assert standing.state == domain.RECEIVED
    silent = domain.obligation_standing(EXTRADITION_BASIS, EARLY_PARTY, None, date(2010, 1, 1))
    assert silent.state == domain.NOT_APPLICABLE


def test_at_deposit_falls_due_on_the_date_of_deposit():
    assert domain.due_date(CENTRAL_AUTHORITY, EARLY_PARTY) == date(2006, 6, 14)


def test_days_after_entry_into_force_count_from_the_party_s_own_entry_into_force():
    assert domain.due_date(YEAR_AFTER_ENTRY_INTO_FORCE, EARLY_PARTY) == date(2007, 7, 14)


def test_the_cop_deadline_holds_a_party_bound_by_then_to_30_june_2007():
    assert domain.due_date(COP_2007, EARLY_PARTY) == date(2007, 6, 30)


def test_the_june_2007_deadline_does_not_reach_a_state_bound_only_later():
    # COP decision 3/1 (COP3, October 2006) urged the States that had ratified the
    # Convention to comply by June 2007; Japan, bound from 10 August 2017, owes the
    # per-article notifications only, so no 2007 deadline is said to be missed.
    standing = domain.obligation_standing(
        COP_2007, LATE_PARTY, None, date(2026, 1, 1), coverage=CHECKED
    )
    assert standing.state == domain.NOT_APPLICABLE
    assert domain.obligation_standing(
        CENTRAL_AUTHORITY, LATE_PARTY, None, date(2026, 1, 1), coverage=CHECKED
    ) == domain.Standing(domain.NO_SUBMISSION_ON_RECORD, date(2017, 7, 11), coverage=CHECKED)


def test_a_contracting_state_on_30_june_2007_is_not_held_to_the_deadline():
    # Deposited on 20 June 2007, in force for it on 20 July 2007 (UNTOC art. 38(2)): on
    # 30 June 2007 a contracting State, not yet bound (VCLT art. 2(1)(f), (g) and art. 24).
    deposited_in_june = treaty.ParticipantStatus(
        status=treaty.PARTY,
        consent_date=date(2007, 6, 20),
        entry_into_force=date(2007, 7, 20),
    )
    assert not domain.bound_on(deposited_in_june, date(2007, 6, 30))
    assert not domain.obligation_applies(COP_2007, deposited_in_june)
    assert domain.obligation_applies(COP_2007, EARLY_PARTY)
    assert domain.due_date(COP_2007, EARLY_PARTY) == date(2007, 6, 30)


def test_a_successor_without_a_recorded_date_is_bound_from_its_notification_at_the_latest():
    # Vienna Convention on Succession of States in respect of Treaties, art. 23(1): bound
    # from the date of succession; unrecorded, the notification is the safe answer.
    notified_2006 = treaty.ParticipantStatus(
        status=treaty.PARTY, consent_date=date(2006, 10, 23), consent_kind=treaty.SUCCESSION
    )
    notified_2008 = treaty.ParticipantStatus(
        status=treaty.PARTY, consent_date=date(2008, 3, 1), consent_kind=treaty.SUCCESSION
    )
    assert domain.due_date(COP_2007, notified_2006) == date(2007, 6, 30)
    assert not domain.obligation_applies(COP_2007, notified_2008)


def test_a_retroactive_succession_falls_due_no_earlier_than_its_notification():
    # Bound from 1 January 2006 (the date of succession, VCSST art. 23(1)) but notified only
    # on 1 March 2008: it could not have acted before it notified, so nothing falls due
    # before that day, neither the June 2007 deadline nor a time after entry into force.
    retroactive = treaty.ParticipantStatus(
        status=treaty.PARTY,
        in_force=True,
        consent_date=date(2008, 3, 1),
        consent_kind=treaty.SUCCESSION,
        entry_into_force=date(2006, 1, 1),
    )
    assert domain.bound_on(retroactive, date(2007, 6, 30))
    assert domain.due_date(COP_2007, retroactive) == date(2008, 3, 1)
    within_90_days = domain.ObligationFacts(
        "x", "untoc", "x", due_rule=domain.AFTER_ENTRY_INTO_FORCE, due_days=90
    )
    assert domain.due_date(within_90_days, retroactive) == date(2008, 3, 1)
    assert domain.due_date(CENTRAL_AUTHORITY, retroactive) == date(2008, 3, 1)


def test_before_entry_into_force_a_state_is_a_contracting_state_not_a_party():
    # VCLT art. 2(1)(f) and (g).
    deposited = treaty.ParticipantStatus(
        status=treaty.PARTY,
        in_force=False,
        consent_date=date(2017, 7, 11),
        entry_into_force=date(2017, 8, 10),
    )
    standing = domain.obligation_standing(CENTRAL_AUTHORITY, deposited, None, date(2017, 7, 20))
    assert standing.participant_is == domain.CONTRACTING_STATE_WORD == "contracting State"
    assert domain.party_word(LATE_PARTY) == "party"


def test_no_date_is_invented_where_the_article_sets_none():
    assert domain.due_date(PREVENTION_AUTHORITY, EARLY_PARTY) is None
    standing = domain.obligation_standing(PREVENTION_AUTHORITY, EARLY_PARTY, None, date(2020, 1, 1))
    assert standing.state == domain.NO_DUE_DATE


def test_past_the_due_date_with_records_not_known_complete_is_not_yet_checked():
    as_of = date(2020, 1, 1)
    unchecked = domain.obligation_standing(COP_2007, EARLY_PARTY, None, as_of)
    assert (unchecked.state, unchecked.label) == (domain.NOT_YET_CHECKED, "not yet checked")
    # A check as at a day before the deadline passed says nothing of what came after it.
    early_check = domain.Coverage(date(2007, 6, 30), "depositary notifications")
    assert (
        domain.obligation_standing(COP_2007, EARLY_PARTY, None, as_of, coverage=early_check).state
        == domain.NOT_YET_CHECKED
    )
    found_incomplete = domain.Coverage(date(2019, 1, 1), "depositary notifications", False)
    assert (
        domain.obligation_standing(
            COP_2007, EARLY_PARTY, None, as_of, coverage=found_incomplete
        ).state
        == domain.NOT_YET_CHECKED
    )
    checked = domain.obligation_standing(COP_2007, EARLY_PARTY, None, as_of, coverage=CHECKED)
    assert checked.state == domain.NO_SUBMISSION_ON_RECORD


def test_not_yet_checked_raises_no_flag_and_resolves_an_open_one():
    not_checked = domain.Standing(domain.NOT_YET_CHECKED, date(2007, 6, 30))
    assert flag_rules.flag_next(None, not_checked, date(2020, 1, 1)) is None
    stored = flag_rules.FlagState(due_on=date(2007, 6, 30), raised_on=date(2007, 7, 1))
    resolved = flag_rules.flag_next(stored, not_checked, date(2020, 1, 1))
    assert resolved is not None
    assert (resolved.resolved_on, resolved.resolution) == (date(2020, 1, 1), flag_rules.NOT_CHECKED)
    assert flag_rules.flag_days_overdue(resolved, date(2021, 1, 1)) is None


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (date(2007, 6, 30), domain.NOT_YET_DUE),  # the due date itself
        (date(2007, 7, 30), domain.NOT_YET_DUE),  # last day of a 30-day grace period
        (date(2007, 7, 31), domain.NO_SUBMISSION_ON_RECORD),
    ],
)
def test_no_submission_on_record_only_once_due_date_and_grace_period_have_passed(as_of, state):
    with_grace = domain.ObligationFacts(**{**COP_2007.__dict__, "grace_days": 30})
    standing = domain.obligation_standing(with_grace, EARLY_PARTY, None, as_of, coverage=CHECKED)
    assert standing.state == state


def test_a_late_submission_still_counts_as_received():
    late = domain.Received(date(2012, 1, 5))
    standing = domain.obligation_standing(COP_2007, EARLY_PARTY, late, date(2015, 1, 1))
    assert (standing.state, standing.due_on, standing.received) == (
        domain.RECEIVED,
        date(2007, 6, 30),
        late,
    )


def test_the_earliest_dated_item_on_record_counts_and_an_undated_one_counts_when_alone():
    undated = domain.Received(None, domain.BY_NOTIFICATION)
    first = domain.Received(date(2005, 1, 1), domain.BY_NOTIFICATION)
    second = domain.Received(date(2009, 1, 1), domain.BY_SUBMISSION, submission_id=7)
    assert domain.earliest_received([second, undated, first], date(2010, 1, 1)) == first
    assert domain.earliest_received([second, undated], date(2008, 1, 1)) == undated
    assert domain.earliest_received([second], date(2008, 1, 1)) is None


def test_a_declaration_under_several_articles_matches_each_of_them():
    assert domain.article_matches("18(13)", "18(13)")
    assert domain.article_matches("18(21)", "16(14), 18(21)")
    assert not domain.article_matches("18(1)", "18(13)")
    assert not domain.article_matches("5(3)", "5")


@pytest.mark.parametrize(
    ("until", "days", "bucket"),
    [
        (date(2007, 7, 1), 1, domain.UNDER_1_YEAR),
        (date(2008, 6, 29), 365, domain.UNDER_1_YEAR),
        (date(2008, 6, 30), 366, domain.ONE_TO_5_YEARS),  # one calendar year, across 29 Feb
        (date(2012, 6, 29), 1826, domain.ONE_TO_5_YEARS),
        (date(2012, 6, 30), 1827, domain.OVER_5_YEARS),
    ],
)
def test_days_overdue_and_ageing_count_from_the_due_date(until, days, bucket):
    due = date(2007, 6, 30)
    assert domain.days_overdue(due, until) == days
    assert domain.ageing_bucket(due, until) == bucket


def test_a_due_date_on_29_february_turns_a_year_old_on_1_march_as_a_denunciation_would():
    # The first day on which a full year has passed, as in instruments.domain.
    assert domain.ageing_bucket(date(2008, 2, 29), date(2009, 2, 28)) == domain.UNDER_1_YEAR
    assert domain.ageing_bucket(date(2008, 2, 29), date(2009, 3, 1)) == domain.ONE_TO_5_YEARS


def test_bucket_ranges_select_exactly_the_due_dates_ageing_bucket_puts_in_them():
    as_of = date(2020, 3, 1)
    for bucket in domain.AGEING_BUCKETS:
        after, up_to = domain.bucket_due_range(bucket, as_of)
        for day in (date(2010, 1, 1), date(2015, 3, 1), date(2015, 3, 2), date(2019, 3, 1)):
            inside = (after is None or day > after) and (up_to is None or day <= up_to)
            assert inside == (domain.ageing_bucket(day, as_of) == bucket), (bucket, day)


def test_ageing_in_the_first_years_of_the_calendar_stops_at_its_first_day():
    # A client may ask about any date; the year 3 has no day five years earlier.
    assert domain.years_before(date(3, 5, 1), 5) == date.min
    assert domain.bucket_due_range(domain.OVER_5_YEARS, date(3, 5, 1)) == (None, date.min)
    assert domain.ageing_bucket(date(2, 1, 1), date(3, 5, 1)) == domain.ONE_TO_5_YEARS


OVERDUE = domain.Standing(domain.NO_SUBMISSION_ON_RECORD, date(2007, 6, 30))
TODAY = date(2010, 1, 1)


def test_a_flag_is_raised_when_no_submission_is_on_record_past_the_due_date():
    assert flag_rules.flag_next(None, OVERDUE, TODAY) == flag_rules.FlagState(
        date(2007, 6, 30), TODAY
    )


def test_an_open_flag_stays_as_it_is_when_nothing_changed():
    flag = flag_rules.FlagState(date(2007, 6, 30), date(2009, 1, 1))
    assert flag_rules.flag_next(flag, OVERDUE, TODAY) is flag


def test_an_open_flag_follows_a_corrected_due_date_and_keeps_its_raising_date():
    flag = flag_rules.FlagState(date(2007, 5, 1), date(2009, 1, 1))
    moved = flag_rules.flag_next(flag, OVERDUE, TODAY)
    assert (moved.due_on, moved.raised_on, moved.is_open) == (
        date(2007, 6, 30),
        date(2009, 1, 1),
        True,
    )


def test_a_submission_on_record_resolves_the_flag_naming_it_and_its_date():
    flag = flag_rules.FlagState(date(2007, 6, 30), date(2009, 1, 1))
    received = domain.Standing(
        domain.RECEIVED, date(2007, 6, 30), domain.Received(date(2009, 5, 1), submission_id=3)
    )
    resolved = flag_rules.flag_next(flag, received, TODAY)
    assert resolved == flag_rules.FlagState(
        date(2007, 6, 30),
        date(2009, 1, 1),
        resolved_on=TODAY,
        resolution=domain.BY_SUBMISSION,
        evidence_on=date(2009, 5, 1),
        submission_id=3,
    )
    assert flag_rules.flag_days_overdue(resolved, TODAY) == 671  # 30 Jun 2007 to 1 May 2009


def test_a_flag_that_is_no_longer_due_is_resolved_as_such():
    flag = flag_rules.FlagState(date(2007, 6, 30), date(2009, 1, 1))
    resolved = flag_rules.flag_next(flag, domain.Standing(domain.NOT_APPLICABLE), TODAY)
    assert (resolved.resolution, resolved.resolved_on) == (flag_rules.NO_LONGER_DUE, TODAY)
    assert flag_rules.flag_days_overdue(resolved, TODAY) is None


def test_a_resolved_flag_reopens_when_its_submission_is_gone():
    resolved = flag_rules.FlagState(
        date(2007, 6, 30),
        date(2009, 1, 1),
        resolved_on=date(2009, 6, 1),
        resolution=domain.BY_SUBMISSION,
        submission_id=3,
        notified_on=date(2009, 1, 1),
    )
    assert flag_rules.flag_next(resolved, OVERDUE, TODAY) == flag_rules.FlagState(
        date(2007, 6, 30), TODAY
    )


def test_nothing_is_written_where_no_flag_stands_or_a_resolved_one_stays_resolved():
    assert flag_rules.flag_next(None, domain.Standing(domain.NOT_YET_DUE), TODAY) is None
    resolved = flag_rules.FlagState(
        date(2007, 6, 30), date(2009, 1, 1), resolved_on=date(2009, 6, 1), resolution="submission"
    )
    received = domain.Standing(domain.RECEIVED, date(2007, 6, 30), domain.Received(None))
    assert flag_rules.flag_next(resolved, received, TODAY) is resolved
