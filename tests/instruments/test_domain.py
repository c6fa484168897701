"""The treaty rules, on plain values: no database."""

from datetime import date, timedelta

import pytest

from instruments import domain
from instruments.domain import Action, EntryIntoForceRule, InstrumentFacts

RULE = EntryIntoForceRule()
UNTOC = InstrumentFacts("untoc", "Convention", date(2000, 11, 15), RULE, None, date(2003, 9, 29))
TIP = InstrumentFacts(
    "tip", "Trafficking in Persons Protocol", date(2000, 11, 15), RULE, "untoc", date(2003, 12, 25)
)
FIR = InstrumentFacts(
    "fir", "Firearms Protocol", date(2001, 5, 31), RULE, "untoc", date(2005, 7, 3)
)
FACTS = {"untoc": UNTOC, "tip": TIP, "fir": FIR}
TODAY = date(2026, 11, 26)


def sig(when: date, ref: object = None) -> Action:
    return Action(domain.SIGNATURE, when, ref=ref)


def consent(kind: str, when: date, effective: date | None = None, ref: object = None) -> Action:
    return Action(kind, when, effective, ref=ref)


# --- Entry into force of an instrument -------------------------------------------------------


def forty_deposits(last: date) -> list[tuple[date, bool]]:
    return [(last - timedelta(days=i), False) for i in range(40)]


def test_convention_enters_into_force_90_days_after_the_40th_instrument():
    deposits = forty_deposits(date(2003, 7, 1))
    assert domain.instrument_entry_into_force(RULE, deposits) == date(2003, 9, 29)


def test_39_instruments_do_not_bring_the_convention_into_force():
    deposits = forty_deposits(date(2003, 7, 1))[:39]
    assert domain.instrument_entry_into_force(RULE, deposits) is None


def test_an_organizations_instrument_does_not_count_towards_the_40():
    deposits = forty_deposits(date(2003, 7, 1))
    deposits[0] = (date(2003, 7, 1), True)  # the 40th is the European Union's
    deposits.append((date(2003, 8, 1), False))  # so the 40th State comes a month later
    assert domain.instrument_entry_into_force(RULE, deposits) == date(2003, 8, 1) + timedelta(90)


def test_a_rule_that_counts_organizations_counts_them():
    deposits = forty_deposits(date(2003, 7, 1))
    deposits[0] = (date(2003, 7, 1), True)
    counting = EntryIntoForceRule(organizations_count=True)
    assert domain.instrument_entry_into_force(counting, deposits) == date(2003, 9, 29)


def test_a_protocol_never_enters_into_force_before_the_convention():
    deposits = forty_deposits(date(2003, 6, 1))
    result = domain.instrument_entry_into_force(RULE, deposits, date(2003, 9, 29), is_protocol=True)
    assert result == date(2003, 9, 29)


def test_a_protocol_without_the_convention_in_force_is_not_in_force():
    deposits = forty_deposits(date(2003, 6, 1))
    assert domain.instrument_entry_into_force(RULE, deposits, None, is_protocol=True) is None


# --- Entry into force for a participant ------------------------------------------------------


def test_germany_ratified_on_14_june_2006_so_in_force_30_days_later():
    ratification = consent(domain.RATIFICATION, date(2006, 6, 14))
    assert domain.participant_entry_into_force(RULE, ratification, date(2003, 9, 29)) == date(
        2006, 7, 14
    )


def test_an_early_deposit_waits_for_the_instruments_own_entry_into_force():
    early = consent(domain.RATIFICATION, date(2001, 9, 6))
    assert domain.participant_entry_into_force(RULE, early, date(2003, 9, 29)) == date(2003, 9, 29)


def test_a_deposit_just_after_the_40th_is_never_before_the_instrument():
    after_fortieth = consent(domain.RATIFICATION, date(2003, 7, 2))
    result = domain.participant_entry_into_force(RULE, after_fortieth, date(2003, 9, 29))
    assert result == date(2003, 9, 29)


def test_a_succession_binds_from_the_date_of_succession_not_30_days_after_notice():
    montenegro = consent(domain.SUCCESSION, date(2006, 10, 23), effective=date(2006, 6, 3))
    assert domain.participant_entry_into_force(RULE, montenegro, date(2003, 9, 29)) == date(
        2006, 6, 3
    )


def test_a_succession_without_a_recorded_date_of_succession_has_no_invented_date():
    succession = consent(domain.SUCCESSION, date(2006, 10, 23))
    assert domain.participant_entry_into_force(RULE, succession, date(2003, 12, 25)) is None


def test_no_entry_into_force_for_a_participant_while_the_instrument_is_not_in_force():
    assert (
        domain.participant_entry_into_force(RULE, consent("accession", date(2002, 1, 1)), None)
        is None
    )


# --- Status on a date ----------------------------------------------------------------------

GERMANY = [sig(date(2000, 12, 12)), consent(domain.RATIFICATION, date(2006, 6, 14))]


def status(actions, as_of, eif=date(2003, 9, 29), convention_denounced_on=None):
    return domain.participant_status(actions, as_of, RULE, eif, convention_denounced_on)


def test_before_any_action_the_status_is_none():
    assert status(GERMANY, date(2000, 12, 1)) == domain.NO_STATUS


def test_germany_was_a_signatory_only_on_1_january_2006():
    result = status(GERMANY, date(2006, 1, 1))
    assert result.status == domain.SIGNATORY
    assert result.signature_date == date(2000, 12, 12)
    assert result.consent_date is None
    assert not result.in_force


def test_germany_was_a_party_not_yet_in_force_on_1_july_2006():
    result = status(GERMANY, date(2006, 7, 1))
    assert (result.status, result.in_force) == (domain.PARTY, False)
    assert result.entry_into_force == date(2006, 7, 14)


def test_germany_was_a_party_in_force_on_30_june_2007():
    result = status(GERMANY, date(2007, 6, 30))
    assert (result.status, result.in_force) == (domain.PARTY, True)
    assert result.consent_kind == domain.RATIFICATION
    assert result.consent_mark == ""


def test_a_consent_whose_kind_is_not_recorded_has_no_kind_and_says_so():
    result = status([consent(domain.CONSENT_KIND_NOT_RECORDED, date(2010, 2, 17))], TODAY)
    assert result.status == domain.PARTY
    assert result.consent_kind is None
    assert not result.consent_kind_recorded


def test_an_accession_carries_the_depositarys_mark():
    result = status([consent(domain.ACCESSION, date(2008, 2, 8))], TODAY)
    assert result.consent_mark == "a"


def test_a_denunciation_takes_effect_one_year_after_receipt():
    actions = [*GERMANY, Action(domain.DENUNCIATION, date(2020, 3, 1))]
    pending = status(actions, date(2021, 2, 28))
    assert (pending.status, pending.in_force) == (domain.PARTY, True)
    assert pending.denunciation_effective == date(2021, 3, 1)
    effective = status(actions, date(2021, 3, 1))
    assert (effective.status, effective.in_force) == (domain.DENOUNCED, False)


def test_a_denunciation_received_on_29_february_takes_effect_on_1_march():
    assert domain.denunciation_takes_effect(date(2024, 2, 29)) == date(2025, 3, 1)


def test_denouncing_the_convention_denounces_its_protocols():
    protocol = [consent(domain.ACCESSION, date(2005, 1, 1))]
    result = status(protocol, date(2022, 1, 1), convention_denounced_on=date(2021, 3, 1))
    assert result.status == domain.DENOUNCED
    assert result.denunciation_effective == date(2021, 3, 1)


def test_a_successor_is_in_force_from_its_date_of_succession():
    montenegro = [consent(domain.SUCCESSION, date(2006, 10, 23), effective=date(2006, 6, 3))]
    result = status(montenegro, date(2006, 10, 23))
    assert result.in_force
    assert result.entry_into_force == date(2006, 6, 3)


def test_a_successor_without_a_date_of_succession_is_in_force_once_it_notified():
    result = status([consent(domain.SUCCESSION, date(2006, 10, 23))], date(2007, 1, 1))
    assert result.status == domain.PARTY
    assert result.in_force
    assert result.entry_into_force is None


# --- Which action may follow which -----------------------------------------------------------


def rules_broken(actions_by_code, today=TODAY):
    return sorted(v.rule for v in domain.participant_violations(actions_by_code, FACTS, today))


def test_a_signature_then_a_ratification_breaks_nothing():
    assert rules_broken({"untoc": GERMANY}) == []


def test_a_ratification_without_a_signature_is_refused():
    assert rules_broken({"untoc": [consent(domain.RATIFICATION, date(2004, 1, 1))]}) == [
        "consent_requires_signature"
    ]


@pytest.mark.parametrize("kind", [domain.ACCESSION, domain.SUCCESSION])
def test_accession_and_succession_need_no_signature(kind):
    assert rules_broken({"untoc": [consent(kind, date(2004, 1, 1))]}) == []


def test_a_signature_after_the_consent_is_refused():
    actions = [consent(domain.ACCESSION, date(2004, 1, 1)), sig(date(2004, 2, 1))]
    assert rules_broken({"untoc": actions}) == ["signature_precedes_consent"]


def test_a_signature_and_consent_on_the_same_day_are_in_order():
    actions = [consent(domain.RATIFICATION, date(2002, 12, 12)), sig(date(2002, 12, 12))]
    assert rules_broken({"untoc": actions}) == []


def test_a_second_signature_is_refused():
    actions = [sig(date(2000, 12, 12)), sig(date(2000, 12, 13))]
    assert rules_broken({"untoc": actions}) == ["one_signature"]


def test_a_second_consent_without_denunciation_is_refused():
    actions = [*GERMANY, consent(domain.ACCESSION, date(2008, 1, 1))]
    assert rules_broken({"untoc": actions}) == ["one_consent"]


def test_a_new_consent_after_a_denunciation_is_allowed():
    actions = [
        *GERMANY,
        Action(domain.DENUNCIATION, date(2010, 1, 1)),
        consent(domain.ACCESSION, date(2015, 1, 1)),
    ]
    assert rules_broken({"untoc": actions}) == []


def test_only_a_party_may_denounce():
    actions = [sig(date(2000, 12, 12)), Action(domain.DENUNCIATION, date(2010, 1, 1))]
    assert rules_broken({"untoc": actions}) == ["denunciation_requires_party"]


def test_no_action_before_the_instrument_was_adopted():
    assert rules_broken({"fir": [sig(date(2001, 5, 30))]}) == ["date_before_adoption"]


def test_no_action_after_today():
    assert rules_broken({"untoc": [sig(TODAY + timedelta(days=1))]}) == ["date_in_future"]


def test_a_bound_from_date_belongs_to_a_succession_only():
    accession = consent(domain.ACCESSION, date(2006, 10, 23), effective=date(2006, 6, 3))
    assert rules_broken({"untoc": [accession]}) == ["effective_date_only_for_succession"]


def test_a_date_of_succession_after_the_notification_is_refused():
    succession = consent(domain.SUCCESSION, date(2006, 10, 23), effective=date(2006, 11, 1))
    assert rules_broken({"untoc": [succession]}) == ["succession_effective_after_notification"]


def test_a_protocol_consent_needs_the_convention_first():
    actions = {
        "untoc": [consent(domain.ACCESSION, date(2005, 1, 1))],
        "tip": [consent(domain.ACCESSION, date(2004, 1, 1))],
    }
    broken = domain.participant_violations(actions, FACTS, TODAY)
    assert [(v.rule, v.field, v.instrument) for v in broken] == [
        ("protocol_requires_convention", "instrument", "tip")
    ]
    assert "art. 37(2)" in broken[0].message


def test_a_protocol_consent_on_the_day_of_the_convention_consent_is_allowed():
    actions = {
        "untoc": [consent(domain.ACCESSION, date(2005, 1, 1))],
        "tip": [consent(domain.ACCESSION, date(2005, 1, 1))],
    }
    assert rules_broken(actions) == []


def test_a_protocol_consent_after_the_convention_was_denounced_is_refused():
    actions = {
        "untoc": [
            consent(domain.ACCESSION, date(2005, 1, 1)),
            Action(domain.DENUNCIATION, date(2010, 1, 1)),
        ],
        "tip": [consent(domain.ACCESSION, date(2012, 1, 1))],
    }
    assert rules_broken(actions) == ["protocol_requires_convention"]


def test_new_violations_leave_out_what_was_already_broken():
    before = [domain.Violation("one_signature", "kind", "old", ref=1, instrument="untoc")]
    after = [
        domain.Violation("one_signature", "kind", "old", ref=1, instrument="untoc"),
        domain.Violation("date_in_future", "date", "new", ref="new-0", instrument="untoc"),
    ]
    assert [v.rule for v in domain.new_violations(before, after)] == ["date_in_future"]


# --- The date a status view answers for ------------------------------------------------------

CONVENTION = domain.Adoption("United Nations Convention", date(2000, 11, 15))
FIREARMS = domain.Adoption("Firearms Protocol", date(2001, 5, 31))
# Its own "today": the module's TODAY above is the one the treaty-rule tests use.
AS_OF_TODAY = date(2026, 1, 15)


def test_as_of_today_or_between_adoption_and_today_is_accepted():
    for as_of in (AS_OF_TODAY, date(2000, 11, 15), date(2007, 6, 30)):
        assert domain.as_of_violation(as_of, today=AS_OF_TODAY, adoptions=[CONVENTION]) is None


def test_as_of_after_today_is_refused():
    violation = domain.as_of_violation(date(2026, 1, 16), today=AS_OF_TODAY, adoptions=[CONVENTION])
    assert (violation.field, violation.rule) == ("as_of", "after_today")


def test_as_of_before_the_adoption_of_the_instrument_asked_about_is_refused():
    violation = domain.as_of_violation(date(2001, 1, 1), today=AS_OF_TODAY, adoptions=[FIREARMS])
    assert violation.rule == "before_adoption"
    assert "2001-05-31" in violation.message
    assert "Firearms Protocol" in violation.message


def test_as_of_needs_only_the_earliest_of_several_instruments_adopted():
    both = [FIREARMS, CONVENTION]
    assert domain.as_of_violation(date(2001, 1, 1), today=AS_OF_TODAY, adoptions=both) is None
    violation = domain.as_of_violation(date(2000, 11, 14), today=AS_OF_TODAY, adoptions=both)
    assert violation.rule == "before_adoption"
    assert "United Nations Convention" in violation.message


def test_a_view_is_complete_up_to_the_complete_to_date_and_partial_after():
    complete_to = date(2014, 1, 27)
    assert domain.is_complete(complete_to, complete_to)
    assert not domain.is_complete(date(2014, 1, 28), complete_to)
    assert domain.completeness_note(complete_to) == (
        "complete to 27 January 2014; later actions partial"
    )
