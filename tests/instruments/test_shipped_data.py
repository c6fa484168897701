"""Known facts of the shipped data, checked on the database they were loaded into."""

from datetime import date

import pytest
from django.core.management import call_command

from instruments import domain
from instruments.consistency import data_check
from instruments.models import Instrument, TreatyAction
from instruments.selectors import computed_entry_into_force, status_matrix
from states.models import Participant
from states.selectors import participant_list, participant_search

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.mark.parametrize(
    ("code", "recorded"),
    [
        ("untoc", date(2003, 9, 29)),
        ("tip", date(2003, 12, 25)),
        ("som", date(2004, 1, 28)),
        ("fir", date(2005, 7, 3)),
    ],
)
def test_entry_into_force_computed_from_the_deposits_equals_the_recorded_date(code, recorded):
    assert Instrument.objects.get(code=code).entry_into_force_on == recorded
    assert computed_entry_into_force(code) == recorded


def test_germany_signed_in_2000_ratified_in_2006_in_force_30_days_later():
    germany = Participant.objects.get(iso3="DEU")
    matrix = status_matrix(
        as_of=date(2007, 6, 30), participants=Participant.objects.filter(pk=germany.pk)
    )
    untoc = matrix.status(germany.pk, "untoc")
    assert untoc.signature_date == date(2000, 12, 12)
    assert untoc.consent_date == date(2006, 6, 14)
    assert untoc.consent_kind == "ratification"
    assert untoc.entry_into_force == date(2006, 7, 14)
    assert (untoc.status, untoc.in_force) == ("party", True)


def test_montenegro_is_bound_by_the_convention_from_its_independence():
    montenegro = Participant.objects.get(iso3="MNE")
    matrix = status_matrix(
        as_of=date(2007, 1, 1), participants=Participant.objects.filter(pk=montenegro.pk)
    )
    assert matrix.status(montenegro.pk, "untoc").entry_into_force == date(2006, 6, 3)
    # The date of succession for the Protocols is not verified, so none is invented.
    assert matrix.status(montenegro.pk, "tip").entry_into_force is None
    assert matrix.status(montenegro.pk, "tip").in_force


def test_the_osce_area_has_57_participating_states_and_11_partners():
    assert participant_list(osce_role="participating").count() == 57
    assert participant_list(osce_role="partner").count() == 11
    assert participant_list(osce_role="partner_mediterranean").count() == 6
    assert participant_list(osce_role="partner_asian").count() == 5


def test_every_participant_of_the_reference_tables_is_loaded_with_a_source():
    assert Participant.objects.count() == 188
    assert not Participant.objects.filter(source="").exists()
    assert not TreatyAction.objects.filter(source="").exists()


def test_the_european_union_is_an_organization_with_its_own_code():
    eu = Participant.objects.get(iso3="EUU")
    assert eu.kind == Participant.Kind.REIO
    assert eu.name == "European Union"


@pytest.mark.parametrize(
    ("former", "iso3"),
    [
        ("Swaziland", "SWZ"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
    ],
)
def test_former_names_still_find_the_participant(former, iso3):
    assert [p.iso3 for p in participant_search(former)] == [iso3]


def test_consents_whose_kind_the_source_does_not_give_are_kept_as_not_recorded():
    antigua_tip = TreatyAction.objects.get(participant__iso3="ATG", instrument__code="tip")
    assert antigua_tip.kind == domain.CONSENT_KIND_NOT_RECORDED
    assert antigua_tip.date == date(2010, 2, 17)


def test_the_shipped_data_break_no_rule():
    report = data_check()
    assert report.violations == []
    assert report.actions == TreatyAction.objects.count()
    assert any("kind not recorded" in gap for gap in report.gaps)


def test_each_instrument_says_to_which_date_its_status_is_complete():
    complete_to = dict(Instrument.objects.values_list("code", "status_complete_to"))
    assert complete_to == {
        "untoc": date(2014, 1, 27),
        "tip": date(2014, 1, 27),
        "som": date(2014, 7, 10),
        "fir": date(2014, 7, 10),
    }


def test_loading_the_shipped_data_again_changes_nothing(capsys):
    call_command("load_treaty_data")
    out = capsys.readouterr().out
    assert "treaty actions: 0 created, 0 updated, 1029 unchanged" in out
    assert "post-2014 facts proposed for review: 0 created, 0 updated, 11 unchanged" in out
    assert "Done: changed 0 record(s)." in out


def test_the_status_matrix_takes_three_queries_whatever_the_number_of_participants(
    django_assert_num_queries,
):
    from tests.factories import synthetic_participants

    # 1. instruments, 2. participants, 3. their actions as values
    with django_assert_num_queries(3):
        small = status_matrix(as_of=date(2020, 1, 1))
    synthetic_participants(300)
    with django_assert_num_queries(3):
        large = status_matrix(as_of=date(2020, 1, 1))
    assert len(large.participants) == len(small.participants) + 300
