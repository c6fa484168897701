"""The treaty rules found missing in review (rules R1-R8 of instruments.domain), each tested
against the article it comes from: on plain values, through the services, on the pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from instruments import domain, services
from instruments.domain import Action, EntryIntoForceRule, InstrumentFacts
from instruments.models import Instrument
from instruments.profiles import participant_profile
from instruments.selectors import status_matrix
from states.models import Participant

RULE = EntryIntoForceRule()
CLOSES = date(2002, 12, 12)
UNTOC = InstrumentFacts(
    "untoc",
    "Convention",
    date(2000, 11, 15),
    RULE,
    None,
    date(2003, 9, 29),
    signature_opens=date(2000, 12, 12),
    signature_closes=CLOSES,
)
TIP = InstrumentFacts(
    "tip",
    "Trafficking in Persons Protocol",
    date(2000, 11, 15),
    RULE,
    "untoc",
    date(2003, 12, 25),
    signature_opens=date(2000, 12, 12),
    signature_closes=CLOSES,
)
FIR = InstrumentFacts(
    "fir",
    "Firearms Protocol",
    date(2001, 5, 31),
    RULE,
    "untoc",
    date(2005, 7, 3),
    signature_closes=CLOSES,
)
FACTS = {"untoc": UNTOC, "tip": TIP, "fir": FIR}
TODAY = date(2026, 11, 26)


def act(kind: str, when: date, effective: date | None = None, ref: object = None) -> Action:
    return Action(kind, when, effective, ref=ref)


def rules(actions: dict[str, list[Action]]) -> list[str]:
    return [v.rule for v in domain.participant_violations(actions, FACTS, TODAY)]


# --- UNTOC art. 40(3): a Convention denunciation ends the Protocols for good (R6) -----------

DENOUNCER = {
    "untoc": [
        act(domain.ACCESSION, date(2004, 1, 5)),
        act(domain.DENUNCIATION, date(2010, 3, 1)),  # takes effect 1 Mar 2011
        act(domain.ACCESSION, date(2012, 6, 1)),
    ],
    "tip": [act(domain.ACCESSION, date(2005, 2, 1))],
}


def test_protocol_ends_when_the_convention_denunciation_takes_effect_art_40_3():
    statuses = domain.statuses_by_instrument(DENOUNCER, FACTS, date(2011, 6, 1))
    assert statuses["untoc"].status == domain.DENOUNCED
    assert statuses["tip"].status == domain.DENOUNCED
    assert statuses["tip"].denunciation_effective == date(2011, 3, 1)


def test_later_accession_to_the_convention_alone_does_not_revive_the_protocol_art_40_3():
    statuses = domain.statuses_by_instrument(DENOUNCER, FACTS, date(2013, 1, 1))
    assert statuses["untoc"].status == domain.PARTY
    assert statuses["untoc"].in_force
    assert statuses["tip"].status == domain.DENOUNCED
    assert not statuses["tip"].in_force


def test_a_new_protocol_instrument_after_the_convention_accession_binds_again_art_40_3():
    actions = {**DENOUNCER, "tip": [*DENOUNCER["tip"], act(domain.ACCESSION, date(2013, 2, 1))]}
    assert rules(actions) == []
    statuses = domain.statuses_by_instrument(actions, FACTS, date(2014, 1, 1))
    assert statuses["tip"].status == domain.PARTY
    assert statuses["tip"].consent_date == date(2013, 2, 1)
    assert statuses["tip"].in_force


def test_a_new_protocol_instrument_before_rejoining_the_convention_is_refused_art_37_2():
    actions = {**DENOUNCER, "tip": [*DENOUNCER["tip"], act(domain.ACCESSION, date(2011, 9, 1))]}
    assert rules(actions) == ["protocol_requires_convention"]


def test_the_protocol_ended_by_art_40_3_cannot_be_denounced_again_art_40_1():
    actions = {
        **DENOUNCER,
        "tip": [*DENOUNCER["tip"], act(domain.DENUNCIATION, date(2012, 1, 10))],
    }
    assert rules(actions) == ["denunciation_requires_party"]


# --- Signature windows: until 12 December 2002 (R2) ------------------------------------------


@pytest.mark.parametrize(
    ("facts", "article"),
    [(UNTOC, "UNTOC art. 36(1)"), (TIP, "TIP art. 16(1)"), (FIR, "FIR art. 17(1)")],
)
def test_a_signature_after_the_window_closed_is_refused_citing_the_article(facts, article):
    actions = {facts.code: [act(domain.SIGNATURE, date(2002, 12, 13), ref=1)]}
    if facts.convention:
        actions["untoc"] = [act(domain.ACCESSION, date(2002, 1, 1))]
    (violation,) = domain.participant_violations(actions, FACTS, TODAY)
    assert violation.rule == "signature_outside_window"
    assert violation.field == "date"
    assert article in violation.message
    assert "12 Dec 2002" in violation.message


def test_a_signature_on_the_last_day_of_the_window_is_accepted_art_36_1():
    assert rules({"untoc": [act(domain.SIGNATURE, CLOSES)]}) == []


def test_a_signature_before_the_window_opened_is_refused_art_36_1():
    assert rules({"untoc": [act(domain.SIGNATURE, date(2000, 12, 1))]}) == [
        "signature_outside_window"
    ]


def test_som_signature_window_cites_som_article_21_1():
    som = InstrumentFacts(
        "som", "Smuggling of Migrants Protocol", date(2000, 11, 15), signature_closes=CLOSES
    )
    (violation,) = domain.participant_violations(
        {"som": [act(domain.SIGNATURE, date(2003, 1, 1))]}, {"som": som}, TODAY
    )
    assert "SOM art. 21(1)" in violation.message


# --- A succession's "bound from" date and art. 37(2) (R1, R7) --------------------------------


def test_a_succession_bound_from_before_the_adoption_is_refused():
    actions = {"untoc": [act(domain.SUCCESSION, date(2006, 10, 23), date(2000, 1, 1))]}
    assert rules(actions) == ["succession_before_adoption"]


def test_a_protocol_is_not_in_force_for_a_state_before_the_convention_is_art_37_2():
    # A Protocol succession back-dated before the Convention's own entry into force for it.
    actions = {
        "untoc": [act(domain.ACCESSION, date(2006, 1, 10))],  # in force 9 Feb 2006
        "tip": [act(domain.SUCCESSION, date(2006, 1, 20), date(2006, 1, 5))],
    }
    before = domain.statuses_by_instrument(actions, FACTS, date(2006, 1, 25))
    assert before["tip"].status == domain.PARTY
    assert not before["tip"].in_force
    assert before["tip"].entry_into_force == date(2006, 2, 9)
    after = domain.statuses_by_instrument(actions, FACTS, date(2006, 2, 9))
    assert after["tip"].in_force


# --- Successions are retroactive in "status as at" (R8) --------------------------------------

MONTENEGRO = {"untoc": [act(domain.SUCCESSION, date(2006, 10, 23), date(2006, 6, 3))]}


def test_a_successor_is_a_party_in_force_from_the_date_of_succession_vcsst_23_1_and_34():
    status = domain.statuses_by_instrument(MONTENEGRO, FACTS, date(2006, 6, 3))["untoc"]
    assert status.status == domain.PARTY
    assert status.in_force
    assert status.entry_into_force == date(2006, 6, 3)


def test_the_record_as_it_stood_is_the_other_named_view():
    record = domain.statuses_by_instrument(
        MONTENEGRO, FACTS, date(2006, 7, 1), view=domain.RECORD_VIEW
    )
    assert "untoc" not in record or record["untoc"].status == domain.NONE
    assert set(domain.VIEWS) == {domain.LAW_VIEW, domain.RECORD_VIEW}


def test_before_the_date_of_succession_the_successor_is_not_a_party():
    status = domain.statuses_by_instrument(MONTENEGRO, FACTS, date(2006, 6, 2))["untoc"]
    assert status.status == domain.NONE


# --- The instrument itself before its adoption (R1) ------------------------------------------


def test_an_instrument_as_at_a_date_before_its_adoption_is_not_adopted():
    assert domain.instrument_standing(date(2001, 5, 31), date(2005, 7, 3), date(2001, 1, 1)) == (
        domain.NOT_ADOPTED
    )
    assert domain.instrument_standing(date(2001, 5, 31), date(2005, 7, 3), date(2004, 1, 1)) == (
        domain.NOT_IN_FORCE
    )
    assert domain.instrument_standing(date(2001, 5, 31), date(2005, 7, 3), date(2005, 7, 3)) == (
        domain.IN_FORCE
    )


# --- Through the database: the shipped data and the services ---------------------------------


@pytest.mark.usefixtures("real_data")
class TestWithShippedData:
    def test_montenegro_is_a_party_in_force_as_at_1_july_2006(self):
        montenegro = Participant.objects.get(iso3="MNE")
        matrix = status_matrix(
            as_of=date(2006, 7, 1), participants=[montenegro], instrument_codes=["untoc"]
        )
        status = matrix.status(montenegro.pk, "untoc")
        assert status.status == domain.PARTY
        assert status.in_force
        assert status.entry_into_force == date(2006, 6, 3)
        profile = participant_profile(montenegro, as_of=date(2006, 7, 1), today=TODAY)
        untoc_row = next(row for row in profile.rows if row[0].code == "untoc")
        assert untoc_row[2].in_force

    def test_shipped_signature_windows_close_on_12_december_2002(self):
        closing = set(Instrument.objects.values_list("open_for_signature_until", flat=True))
        assert closing == {CLOSES}

    def test_a_signature_after_12_december_2002_is_refused_by_the_service(self):
        from tests.factories import participant

        who = participant()
        with pytest.raises(ValidationError) as refused:
            services.action_record(
                participant=who,
                instrument=Instrument.objects.get(code="untoc"),
                kind="signature",
                date=date(2012, 1, 10),
                source="test",
            )
        (error,) = refused.value.error_dict["date"]
        assert error.code == "signature_outside_window"
        assert "UNTOC art. 36(1)" in error.message
        assert not who.actions.exists()

    def test_instrument_page_before_adoption_says_so(self, client):
        # The as_of rule (instruments.domain.as_of_violation): no status existed before the
        # adoption, so the page refuses the date and says why instead of a status.
        answer = client.get("/instruments/fir/?as_of=2001-01-01")
        assert answer.status_code == 400
        text = answer.content.decode()
        assert "was adopted: no status existed before it" in text
        assert "In force since" not in text

    def test_instrument_page_before_entry_into_force_says_not_yet_in_force(self, client):
        text = client.get("/instruments/fir/?as_of=2004-01-01").content.decode()
        assert "Not yet in force on" in text
        assert "In force since" not in text


@pytest.mark.usefixtures("real_data")
def test_participant_page_names_both_views_of_a_succession_vcsst_23_1(client):
    text = client.get("/states/MNE/?as_of=2006-07-01").content.decode()
    assert "Vienna Convention on Succession of States in respect of Treaties" in text
    assert "As the depositary&#x27;s record stood on 1 July 2006" in text or (
        "As the depositary's record stood on 1 July 2006" in text
    )


@pytest.mark.usefixtures("real_data")
def test_check_data_finds_no_broken_rule_in_the_shipped_data_with_the_new_rules():
    from instruments.consistency import data_check

    report = data_check()
    assert report.violations == []
    assert any("known only to the year" in gap for gap in report.gaps)
