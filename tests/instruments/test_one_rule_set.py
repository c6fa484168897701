"""One rule set: whatever check_data reports as a violation, the services refuse at write time.

Found in an attack on the running tracker: a ratification of the Convention back-dated to 2001
was accepted by the service, and check_data then reported that the deposits put the
Convention's entry into force on another day than the recorded 29 September 2003 (art. 38(1)).
"""

from datetime import date

import pytest

from core.tables import ImportRefused
from instruments import domain, services
from instruments.consistency import data_check
from instruments.importing import treaty_data_load
from instruments.models import Instrument, TreatyAction
from tests.apiclient import API, problems
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def untoc():
    return Instrument.objects.get(code="untoc")


@pytest.fixture
def south_sudan(untoc):
    """South Sudan, having signed the Convention in 2001 (a test fixture, not a fact)."""
    who = participant()
    services.action_record(
        participant=who, instrument=untoc, kind="signature", date=date(2001, 1, 10), source="test"
    )
    return who


def test_back_dated_ratification_that_moves_the_entry_into_force_is_refused(south_sudan, untoc):
    assert data_check().violations == []

    with pytest.raises(services.TreatyRuleError) as refused:
        services.action_record(
            participant=south_sudan,
            instrument=untoc,
            kind="ratification",
            date=date(2001, 6, 1),
            source="test",
        )

    [violation] = refused.value.violations
    assert (violation.rule, violation.field, violation.instrument) == (
        "instrument_entry_into_force",
        "date",
        "untoc",
    )
    assert "29 Sep 2003" in violation.message
    assert not TreatyAction.objects.filter(participant=south_sudan, kind="ratification").exists()
    assert data_check().violations == []


def test_ratification_after_the_entry_into_force_is_accepted(south_sudan, untoc):
    services.action_record(
        participant=south_sudan,
        instrument=untoc,
        kind="ratification",
        date=date(2012, 7, 9),
        source="test",
    )

    assert data_check().violations == []


def test_moving_a_deposit_back_across_the_fortieth_is_refused(untoc):
    # Belgium ratified the Convention on 11 August 2004, after its entry into force.
    consent = TreatyAction.objects.get(
        participant__iso3="BEL", instrument=untoc, kind__in=domain.CONSENT_KINDS
    )

    with pytest.raises(services.TreatyRuleError) as refused:
        services.action_update(action=consent, date=date(2001, 6, 1))

    assert [v.rule for v in refused.value.violations] == ["instrument_entry_into_force"]
    consent.refresh_from_db()
    assert consent.date == date(2004, 8, 11)


def test_removing_one_of_the_first_forty_deposits_is_refused(untoc):
    first = (
        TreatyAction.objects.filter(instrument=untoc, kind__in=domain.CONSENT_KINDS)
        .order_by("date")
        .first()
    )

    with pytest.raises(services.TreatyRuleError) as refused:
        services.action_delete(action=first)

    assert "instrument_entry_into_force" in [v.rule for v in refused.value.violations]
    assert TreatyAction.objects.filter(pk=first.pk).exists()


def test_the_api_refuses_the_back_dated_ratification_naming_field_and_rule(
    south_sudan, editor_client
):
    body = {
        "state": "SSD",
        "instrument": "untoc",
        "kind": "ratification",
        "date": "2001-06-01",
        "source": "test",
    }
    response = editor_client.post(API + "actions/", body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert problems(response) == {"date": "instrument_entry_into_force"}
    assert not TreatyAction.objects.filter(participant=south_sudan, kind="ratification").exists()


def test_a_reload_of_the_shipped_data_is_not_refused(untoc):
    """A load writes participant after participant; the entry into force is checked once, on
    the load as a whole, so a half-written load never counts as a broken rule."""
    summary = treaty_data_load()

    assert summary.counts["treaty actions"].get("created", 0) == 0
    assert data_check().violations == []


def test_a_load_with_a_back_dated_ratification_is_refused_by_row_and_column(tmp_path):
    path = tmp_path / "status.csv"
    path.write_text(
        "participant,iso3,former_name,instrument,signature_date,consent_date,consent_kind,source\n"
        "Belgium,BEL,,UNTOC,2000-12-12,2001-06-01,ratification,test table\n",
        encoding="utf-8",
    )

    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([path])

    (error,) = refused.value.errors
    assert (error.file, error.row, error.column) == ("status.csv", 2, "consent_date")
    assert "[instrument_entry_into_force]" in error.message
    belgium = TreatyAction.objects.get(
        participant__iso3="BEL", instrument__code="untoc", kind__in=domain.CONSENT_KINDS
    )
    assert belgium.date == date(2004, 8, 11)


def test_the_instruments_table_alone_loads_before_any_deposit_is_recorded(tmp_path):
    """A new database loads its instruments before any status table: an instrument with no
    deposit yet is a record not filled in, not a contradiction, so that load is not refused;
    where deposits are recorded, a recorded date they contradict still is."""
    from instruments.importing import SHIPPED_FILES

    (shipped,) = [p for p in SHIPPED_FILES if p.name == "instruments.csv"]
    TreatyAction.objects.filter(instrument__code="fir").delete()  # no Firearms deposit yet
    Instrument.objects.filter(code="fir").update(entry_into_force_on=None)

    summary = treaty_data_load([shipped])

    assert summary.counts["instruments"].get("updated") == 1  # the Firearms date, restored
    assert Instrument.objects.get(code="fir").entry_into_force_on == date(2005, 7, 3)

    wrong = tmp_path / "instruments.csv"
    wrong.write_text(
        shipped.read_text(encoding="utf-8").replace(",2003-09-29,", ",2003-09-30,", 1),
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused) as refused:
        treaty_data_load([wrong])
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "entry_into_force_on")
    assert "[instrument_entry_into_force]" in error.message
    assert Instrument.objects.get(code="untoc").entry_into_force_on == date(2003, 9, 29)
