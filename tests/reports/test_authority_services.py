"""Designations of competent authorities go through reports.authority_services: each rule
refuses with the field and the rule named and stores nothing; a new designation supersedes
the one in effect; history, revision and the public change event follow every write."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.models import Event
from core.selectors import data_revision
from core.writes import StaleVersionError
from reports import services
from reports.authority_services import (
    designation_delete,
    designation_record,
    designation_update,
)
from reports.models import AuthorityDesignation
from tests.reports.conftest import obligation, state

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2024, 1, 1), tick=False):
        yield date(2024, 1, 1)


def designate(actor=None, **overrides) -> AuthorityDesignation:
    values = {
        "participant": state("AUT"),
        "obligation": obligation("untoc-18-13"),
        "authority_name": "Federal Ministry of Justice",
        "postal_address": "Museumstrasse 7, 1070 Vienna",
        "contact_person": "Head of Division IV 4",
        "phone": "+43 1 52152",
        "email": "mla@example.org",
        "notified_on": date(2004, 9, 23),
        "reference": "C.N.1000.2004.TREATIES-1",
        "source": "Note verbale of 23 Sep 2004 (test)",
        "since": date(2004, 9, 23),
    } | overrides
    return designation_record(actor, **values)


def refusal(**overrides) -> dict[str, list[str]]:
    """What a refused record says, by field (with the rules' codes), having stored nothing."""
    before = (AuthorityDesignation.objects.count(), data_revision(), Event.objects.count())
    with pytest.raises(ValidationError) as refused:
        designate(**overrides)
    after = (AuthorityDesignation.objects.count(), data_revision(), Event.objects.count())
    assert after == before
    return {name: [e.code for e in errors] for name, errors in refused.value.error_dict.items()} | {
        "_messages": [m for ms in refused.value.message_dict.values() for m in ms]
    }


def test_a_designation_is_recorded_with_history_revision_and_a_public_event(editor):
    revision = data_revision()
    designation = designate(editor)
    (entry,) = designation.history.all()
    assert (entry.history_user, entry.history_type) == (editor, "+")
    assert data_revision() == revision + 1
    event = Event.objects.order_by("-pk").first()
    assert event.kind == Event.Kind.AUTHORITY_DESIGNATED
    assert (event.participant, event.instrument) == ("AUT", "untoc")
    assert event.new["authority_name"] == "Federal Ministry of Justice"
    assert event.new["since"] == "2004-09-23"
    # The change log is public: no contact detail goes into it.
    for hidden in ("Museumstrasse", "Division IV", "+43", "mla@example.org"):
        assert hidden not in str(event.new)


def test_a_new_designation_supersedes_the_one_in_effect_which_stays_until_its_start(editor):
    first = designate(editor)
    second = designate(
        editor, authority_name="Ministry of Justice, new name", since=date(2015, 3, 1)
    )
    first.refresh_from_db()
    assert (first.current, first.until, first.version) == (False, date(2015, 3, 1), 2)
    assert second.current
    assert second.until is None
    assert first.history.first().history_user == editor
    event = Event.objects.order_by("-pk").first()
    assert event.old["authority_name"] == "Federal Ministry of Justice"
    assert event.new["authority_name"] == "Ministry of Justice, new name"

    # Removing the new one (recorded in error) puts the earlier one back in effect.
    designation_delete(editor, designation=second, expected_version=second.version)
    first.refresh_from_db()
    assert (first.current, first.until) == (True, None)
    assert Event.objects.order_by("-pk").first().kind == Event.Kind.AUTHORITY_REMOVED


def test_moving_the_start_of_the_one_in_effect_moves_the_end_of_the_one_it_superseded():
    first = designate()
    second = designate(since=date(2015, 3, 1))
    designation_update(None, designation=second, since=date(2016, 1, 1))
    first.refresh_from_db()
    assert first.until == date(2016, 1, 1)


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"notified_on": date(2024, 1, 2)}, "notified_on", "date_in_future"),
        ({"since": date(2030, 1, 1)}, "since", "date_in_future"),
        ({"since": date(1999, 1, 1)}, "since", "date_before_adoption"),
        ({"authority_name": "  "}, "authority_name", "authority_name_required"),
        ({"languages": "German"}, "languages", "languages_only_under_18_14"),
        ({"obligation": "untoc-5-3"}, "obligation", "obligation_designates_nothing"),
        ({"obligation": "untoc-18-14"}, "languages", "languages_required"),
        ({"participant": "EUU"}, "obligation", "obligation_does_not_apply"),
        (
            {"participant": "USA", "obligation": "fir-13-2"},
            "obligation",
            "obligation_does_not_apply",
        ),
        ({"email": "not an address"}, "email", "invalid"),
        ({"source": ""}, "source", "blank"),
    ],
)
def test_each_bad_input_is_refused_naming_the_field_and_the_rule_and_nothing_is_stored(
    overrides, field, rule
):
    if "obligation" in overrides:
        overrides["obligation"] = obligation(overrides["obligation"])
    if "participant" in overrides:
        overrides["participant"] = state(overrides["participant"])
    found = refusal(**overrides)
    assert rule in found[field], found
    assert all(message.strip() for message in found["_messages"])


def test_the_refusal_of_a_rule_says_which_obligation_and_participant():
    found = refusal(participant=state("USA"), obligation=obligation("fir-13-2"))
    (message,) = found["_messages"]
    assert "FIR art. 13(2) does not apply to United States of America" in message


def test_a_designation_starting_before_the_one_in_effect_is_refused_and_nothing_changes():
    first = designate(since=date(2010, 1, 1))
    found = refusal(since=date(2005, 1, 1))
    assert found["since"] == ["since_before_earlier_designation"]
    first.refresh_from_db()
    assert (first.current, first.version) == (True, 1)


def test_a_submission_of_another_participant_cannot_be_the_designation_s_source():
    other = services.submission_record(
        participant=state("DEU"),
        obligation=obligation("untoc-18-13"),
        received_on=date(2006, 6, 14),
    )
    assert refusal(submission=other)["submission"] == ["submission_of_another_designation"]
    own = services.submission_record(
        participant=state("AUT"),
        obligation=obligation("untoc-18-13"),
        received_on=date(2004, 9, 23),
    )
    assert designate(submission=own).submission == own


def test_languages_are_recorded_under_art_18_14_without_an_authority_name():
    designation = designate(
        obligation=obligation("untoc-18-14"), authority_name="", languages="German, English"
    )
    assert designation.languages == "German, English"


def test_a_stale_edit_is_refused():
    designation = designate()
    designation_update(None, designation=designation, expected_version=1, phone="+43 1 000")
    with pytest.raises(StaleVersionError):
        designation_update(None, designation=designation, expected_version=1, phone="+43 1 111")
    designation.refresh_from_db()
    assert (designation.phone, designation.version) == ("+43 1 000", 2)


def test_an_edit_of_contact_details_only_makes_no_public_event():
    designation = designate()
    events = Event.objects.count()
    designation_update(None, designation=designation, email="other@example.org")
    assert Event.objects.count() == events
    designation_update(None, designation=designation, authority_name="Ministry of Justice")
    event = Event.objects.order_by("-pk").first()
    assert event.kind == Event.Kind.AUTHORITY_CHANGED
    assert (event.old["authority_name"], event.new["authority_name"]) == (
        "Federal Ministry of Justice",
        "Ministry of Justice",
    )


def test_an_edit_breaking_a_rule_is_refused_whole():
    designation = designate()
    with pytest.raises(ValidationError):
        designation_update(None, designation=designation, phone="+43 1 999", since=date(2030, 1, 1))
    designation.refresh_from_db()
    assert (designation.phone, designation.since, designation.version) == (
        "+43 1 52152",
        date(2004, 9, 23),
        1,
    )


def test_an_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError):
        designation_update(None, designation=designate(), participant=state("DEU"))


def test_the_audit_trail_lists_designations_for_staff(client, viewer):
    designation = designate(viewer)
    client.force_login(viewer)
    response = client.get("/api/v1/history/", {"resource": "authorities"})
    assert response.status_code == 200
    (entry,) = response.json()["results"]
    assert (entry["resource"], entry["record"]) == ("authorities", designation.pk)
    assert "Federal Ministry of Justice" in str(entry)
