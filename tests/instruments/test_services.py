"""Writes to treaty data go through the services: rules, history, atomicity."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.selectors import data_revision
from core.writes import StaleVersionError
from instruments import services
from instruments.events import treaty_data_changed
from instruments.models import Instrument, TreatyAction
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def untoc():
    return Instrument.objects.get(code="untoc")


@pytest.fixture
def tip():
    return Instrument.objects.get(code="tip")


@pytest.fixture
def south_sudan():
    return participant()


def record(who, instrument, kind, when, **extra):
    return services.action_record(
        participant=who, instrument=instrument, kind=kind, date=when, source="test", **extra
    )


def test_recording_a_signature_then_a_ratification_keeps_both_with_history(
    south_sudan, untoc, editor
):
    record(south_sudan, untoc, "signature", date(2001, 1, 10), actor=editor)
    ratification = record(south_sudan, untoc, "ratification", date(2012, 8, 1), actor=editor)
    assert south_sudan.actions.count() == 2
    (entry,) = ratification.history.all()
    assert entry.history_user == editor
    assert entry.history_type == "+"


def test_a_ratification_without_signature_is_refused_naming_field_and_rule(south_sudan, untoc):
    with pytest.raises(ValidationError) as refused:
        record(south_sudan, untoc, "ratification", date(2012, 8, 1))
    assert refused.value.error_dict["kind"][0].code == "consent_requires_signature"
    assert not TreatyAction.objects.filter(participant=south_sudan).exists()


def test_a_protocol_ratification_before_the_convention_is_refused(south_sudan, untoc, tip):
    record(south_sudan, tip, "signature", date(2001, 1, 10))
    with pytest.raises(ValidationError) as refused:
        record(south_sudan, tip, "ratification", date(2012, 8, 1))
    assert refused.value.error_dict["instrument"][0].code == "protocol_requires_convention"
    assert south_sudan.actions.count() == 1


def test_deleting_the_convention_consent_a_protocol_stands_on_is_refused(south_sudan, untoc, tip):
    accession = record(south_sudan, untoc, "accession", date(2012, 8, 1))
    record(south_sudan, tip, "accession", date(2012, 8, 1))
    with pytest.raises(ValidationError) as refused:
        services.action_delete(action=accession)
    assert refused.value.error_dict["instrument"][0].code == "protocol_requires_convention"
    assert TreatyAction.objects.filter(pk=accession.pk).exists()


def test_field_errors_name_the_field(south_sudan, untoc):
    with pytest.raises(ValidationError) as refused:
        record(south_sudan, untoc, "ratificaton", date(2012, 8, 1))
    assert "kind" in refused.value.message_dict


def test_an_update_with_a_stale_version_is_refused(south_sudan, untoc):
    accession = record(south_sudan, untoc, "accession", date(2012, 8, 1))
    services.action_update(action=accession, expected_version=1, note="first editor")
    with pytest.raises(StaleVersionError):
        services.action_update(action=accession, expected_version=1, note="second editor")
    accession.refresh_from_db()
    assert (accession.note, accession.version) == ("first editor", 2)


def test_an_update_is_checked_against_the_rules(south_sudan, untoc):
    record(south_sudan, untoc, "signature", date(2001, 1, 10))
    accession = record(south_sudan, untoc, "ratification", date(2012, 8, 1))
    with pytest.raises(ValidationError) as refused:
        services.action_update(action=accession, date=date(2000, 1, 1))
    assert refused.value.error_dict["date"][0].code == "date_before_adoption"


def test_every_write_counts_a_revision_and_announces_the_participant(south_sudan, untoc):
    heard = []

    def listener(sender, participant_ids, **kwargs):
        heard.extend(participant_ids)

    treaty_data_changed.connect(listener)
    try:
        before = data_revision()
        record(south_sudan, untoc, "accession", date(2012, 8, 1))
        assert data_revision() == before + 1
        assert heard == [south_sudan.pk]
    finally:
        treaty_data_changed.disconnect(listener)


def test_a_refused_write_counts_no_revision(south_sudan, untoc):
    before = data_revision()
    with pytest.raises(ValidationError):
        record(south_sudan, untoc, "ratification", date(2012, 8, 1))
    assert data_revision() == before


def test_a_declaration_is_recorded_once(south_sudan, untoc):
    values = {
        "instrument": untoc,
        "kind": "notification",
        "article": "18(13)",
        "date": date(2012, 8, 1),
        "made_at": "deposit",
        "summary": "Central authority: Ministry of Justice",
        "source": "test",
    }
    services.declaration_record(participant=south_sudan, **values)
    with pytest.raises(ValidationError) as refused:
        services.declaration_record(participant=south_sudan, **values)
    assert refused.value.error_dict["article"][0].code == "declaration_recorded_once"


def test_the_status_data_cannot_be_complete_to_a_future_date(untoc):
    with pytest.raises(ValidationError) as refused:
        services.instrument_currency_update(
            instrument=untoc, status_complete_to=date(2999, 1, 1), status_currency_note="x"
        )
    assert "status_complete_to" in refused.value.message_dict


def test_staff_bring_the_status_data_forward(untoc, editor):
    services.instrument_currency_update(
        instrument=untoc,
        status_complete_to=date(2024, 5, 4),
        status_currency_note="Depositary status page as at 4 May 2024",
        actor=editor,
    )
    untoc.refresh_from_db()
    assert untoc.status_complete_to == date(2024, 5, 4)
    assert untoc.history.first().history_user == editor
