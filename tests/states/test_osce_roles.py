"""OSCE membership as at a date: role periods with their sources, the one selector every list
reads, and the pages and report that answer for a past date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from states import domain
from states.domain import PRECISION_YEAR, RolePeriod
from states.models import OsceRolePeriod, Participant
from states.selectors import participant_list, participants_holding
from states.services import osce_role_period_upsert, participant_upsert

MONGOLIA = [
    RolePeriod(domain.PARTNER_ASIAN, date(2004, 1, 1), PRECISION_YEAR, date(2012, 11, 21)),
    RolePeriod(domain.PARTICIPATING, date(2012, 11, 21)),
]
AUSTRALIA = [RolePeriod(domain.PARTNER_ASIAN, date(2009, 1, 1), PRECISION_YEAR)]
JUNE_2007 = date(2007, 6, 30)


# --- The rule, on plain values ---------------------------------------------------------------


def test_mongolia_was_an_asian_partner_in_2007_and_a_participating_state_from_21_nov_2012():
    assert domain.role_on(MONGOLIA, JUNE_2007) == domain.PARTNER_ASIAN
    assert domain.role_on(MONGOLIA, date(2012, 11, 20)) == domain.PARTNER_ASIAN
    assert domain.role_on(MONGOLIA, date(2012, 11, 21)) == domain.PARTICIPATING


def test_a_role_known_only_to_the_year_counts_from_the_last_day_of_that_year():
    assert domain.role_on(AUSTRALIA, JUNE_2007) == domain.NO_ROLE
    assert domain.role_on(AUSTRALIA, date(2009, 6, 30)) == domain.NO_ROLE
    assert domain.role_uncertain_on(AUSTRALIA, date(2009, 6, 30))
    assert domain.role_on(AUSTRALIA, date(2009, 12, 31)) == domain.PARTNER_ASIAN
    assert not domain.role_uncertain_on(AUSTRALIA, JUNE_2007)


def test_a_role_that_ended_in_a_known_year_only_counts_until_the_year_before():
    ended = [
        RolePeriod(
            domain.PARTNER_ASIAN, date(2004, 1, 1), PRECISION_YEAR, date(2012, 1, 1), PRECISION_YEAR
        )
    ]
    assert domain.role_on(ended, date(2011, 12, 31)) == domain.PARTNER_ASIAN
    assert domain.role_on(ended, date(2012, 3, 1)) == domain.NO_ROLE
    assert domain.role_uncertain_on(ended, date(2012, 3, 1))


def test_overlapping_roles_are_refused_naming_the_rule():
    overlapping = [
        RolePeriod(domain.PARTNER_ASIAN, date(2004, 1, 1), PRECISION_YEAR),
        RolePeriod(domain.PARTICIPATING, date(2012, 11, 21)),
    ]
    (problem,) = domain.role_period_problems(overlapping, date(2026, 1, 1))
    assert (problem.field, problem.rule) == ("valid_from", "role_periods_overlap")


def test_a_year_precision_date_must_be_stored_as_1_january():
    (problem,) = domain.role_period_problems(
        [RolePeriod(domain.PARTNER_ASIAN, date(2009, 6, 1), PRECISION_YEAR)], date(2026, 1, 1)
    )
    assert problem.rule == "year_precision_on_1_january"


# --- The shipped data and the one selector -----------------------------------------------------


@pytest.mark.usefixtures("real_data")
class TestShippedRoles:
    def test_every_shipped_role_period_carries_a_source(self):
        periods = OsceRolePeriod.objects.all()
        assert periods.count() == 69  # 68 participants, Mongolia twice
        assert all(p.source for p in periods)

    def test_today_there_are_57_participating_states_and_11_partners(self):
        assert participant_list(osce_role="participating").count() == 57
        assert participant_list(osce_role="partner").count() == 11

    def test_today_s_stored_role_is_derived_from_the_periods(self):
        for participant in participant_list(osce_role="osce"):
            assert participant.osce_role == participant.role_on

    def test_as_at_30_june_2007_there_were_56_participating_states_without_mongolia(self):
        participating = participant_list(osce_role="participating", as_of=JUNE_2007)
        codes = set(participating.values_list("iso3", flat=True))
        assert len(codes) == 56
        assert "MNG" not in codes
        assert "MNE" in codes  # participating State from 22 June 2006

    def test_as_at_30_june_2007_mongolia_was_an_asian_partner_and_australia_no_partner(self):
        partners = participant_list(osce_role="partner", as_of=JUNE_2007)
        codes = set(partners.values_list("iso3", flat=True))
        assert "MNG" in codes
        assert "AUS" not in codes
        assert len(codes) == 11  # 6 Mediterranean, 5 Asian (with Mongolia, without Australia)
        mongolia = partners.get(iso3="MNG")
        assert mongolia.role_on == domain.PARTNER_ASIAN

    def test_montenegro_before_22_june_2006_was_not_a_participating_state(self):
        codes = participants_holding([domain.PARTICIPATING], as_of=date(2006, 6, 21)).values_list(
            "iso3", flat=True
        )
        assert "MNE" not in set(codes)

    def test_none_means_holding_no_role_on_that_date(self):
        outside = set(
            participant_list(osce_role="none", as_of=JUNE_2007).values_list("iso3", flat=True)
        )
        assert "AUS" in outside
        assert "MNG" not in outside

    def test_the_selector_takes_one_query(self, django_assert_num_queries):
        with django_assert_num_queries(1):  # participants, each with its role on the date
            list(participant_list(osce_role="osce", as_of=JUNE_2007))


# --- Writes -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("real_data")
class TestRoleWrites:
    def test_a_new_role_period_changes_today_s_role_with_history(self, editor):
        who = participant_upsert(
            iso3="SSD",
            name="South Sudan",
            short_name="South Sudan",
            kind="state",
            osce_role="none",
            source="test fixture",
        ).instance
        result = osce_role_period_upsert(
            participant=who,
            valid_from=date(2020, 1, 1),
            role="partner_asian",
            valid_from_precision="year",
            source="test fixture, not a fact",
            actor=editor,
        )
        assert result.outcome == "created"
        who.refresh_from_db()
        assert who.osce_role == "partner_asian"
        assert result.instance.history.get().history_user == editor
        again = osce_role_period_upsert(
            participant=who,
            valid_from=date(2020, 1, 1),
            role="partner_asian",
            valid_from_precision="year",
            source="test fixture, not a fact",
        )
        assert again.outcome == "unchanged"

    def test_setting_today_s_role_against_the_periods_is_refused(self):
        mongolia = Participant.objects.get(iso3="MNG")
        with pytest.raises(ValidationError) as refused:
            participant_upsert(iso3="MNG", osce_role="partner_asian")
        assert refused.value.error_dict["osce_role"][0].code == "osce_role_from_periods"
        mongolia.refresh_from_db()
        assert mongolia.osce_role == "participating"

    def test_an_overlapping_period_is_refused_and_nothing_is_written(self):
        mongolia = Participant.objects.get(iso3="MNG")
        with pytest.raises(ValidationError) as refused:
            osce_role_period_upsert(
                participant=mongolia,
                valid_from=date(2010, 1, 1),
                role="participating",
                valid_from_precision="year",
                source="test",
            )
        assert refused.value.error_dict["valid_from"][0].code == "role_periods_overlap"
        assert mongolia.osce_role_periods.count() == 2


# --- Pages and the report as at a date -----------------------------------------------------------


@pytest.mark.usefixtures("real_data")
class TestPagesAsAtADate:
    def test_the_report_as_at_30_june_2007_lists_56_participating_states(self, client):
        answer = client.get("/reports/osce-status/?as_of=2007-06-30")
        assert answer.status_code == 200
        assert dict(answer.context["summary_groups"]) == {
            "OSCE participating States": 56,
            "OSCE Partners for Co-operation": 11,
        }
        groups = dict(answer.context["sections"][0]["groups"])
        participating = {p.iso3 for p, _ in groups["OSCE participating States"]}
        partners = {p.iso3 for p, _ in groups["OSCE Partners for Co-operation"]}
        assert len(participating) == 56
        assert "MNG" not in participating
        assert "MNG" in partners
        assert "AUS" not in partners
        assert len(partners) == 11

    def test_the_status_page_filters_by_the_role_held_on_its_date(self, client):
        answer = client.get("/status/?as_of=2007-06-30&osce_role=participating")
        codes = {p.iso3 for p, _ in answer.context["rows"]}
        assert len(codes) == 56
        assert "MNG" not in codes

    def test_the_status_api_reports_the_role_held_on_its_date(self, client):
        body = client.get("/api/v1/status/?as_of=2007-06-30&state=MNG&instrument=untoc").json()
        (entry,) = body["results"]
        assert entry["osce_role"] == "partner_asian"

    def test_the_participant_page_shows_the_role_periods_with_their_sources(self, client):
        text = client.get("/states/MNG/?as_of=2007-06-30").content.decode()
        assert "As at 30 June 2007: Asian Partner for Co-operation" in text
        assert "21 November 2012" in text

    def test_home_counts_the_partners_of_the_date(self, client):
        answer = client.get("/?as_of=2007-06-30")
        assert len(answer.context["participating"]) == 56
        assert len(answer.context["partners"]) == 11
        assert "AUS" not in {p.iso3 for p in answer.context["partners"]}


@pytest.mark.usefixtures("real_data")
def test_the_report_in_2009_names_australia_as_not_grouped_its_day_not_recorded(client):
    answer = client.get("/reports/osce-status/?as_of=2009-06-30")
    (uncertain,) = answer.context["roles_uncertain"]
    assert uncertain[0].iso3 == "AUS"
    assert "Australia (Asian Partner for Co-operation from 2009)" in answer.content.decode()
    partners = {
        p.iso3
        for p, _ in dict(answer.context["sections"][0]["groups"])["OSCE Partners for Co-operation"]
    }
    assert "AUS" not in partners
