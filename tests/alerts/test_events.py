"""Every change to a public fact becomes one event, in the transaction that made it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Event
from core.writes import revision_bump
from instruments import public_events, services
from instruments.models import Instrument, TreatyAction
from reports import sweep
from tests.factories import participant
from tests.reports.conftest import records_checked_for_all

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def untoc():
    return Instrument.objects.get(code="untoc")


@pytest.fixture
def south_sudan():
    return participant()


def record(who, instrument, kind, when, **extra):
    return services.action_record(
        participant=who, instrument=instrument, kind=kind, date=when, source="test source", **extra
    )


def new_events(after: int) -> list[Event]:
    return list(Event.objects.filter(pk__gt=after).order_by("pk"))


def last_id() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_recording_an_action_writes_one_event_with_its_public_values(south_sudan, untoc, editor):
    start = last_id()
    action = record(south_sudan, untoc, "signature", date(2001, 1, 10), actor=editor)
    (event,) = new_events(start)
    assert event.kind == Event.Kind.ACTION_RECORDED
    assert (event.participant, event.participant_name, event.instrument) == (
        "SSD",
        "South Sudan",
        "untoc",
    )
    assert event.old is None
    assert event.new == {
        "id": action.pk,
        "instrument": "untoc",
        "kind": "signature",
        "date": "2001-01-10",
        "effective_date": None,
        "depositary_notification": "",
        "source": "test source",
    }
    assert event.source == "test source"
    assert event.get_origin_display() == "recorded by SPMU"


def test_changing_and_removing_an_action_say_what_it_was(south_sudan, untoc):
    action = record(south_sudan, untoc, "signature", date(2001, 1, 10))
    start = last_id()
    services.action_update(action=action, date=date(2001, 1, 12))
    services.action_delete(action=TreatyAction.objects.get(pk=action.pk))
    changed, removed = new_events(start)
    assert changed.kind == Event.Kind.ACTION_CHANGED
    assert (changed.old["date"], changed.new["date"]) == ("2001-01-10", "2001-01-12")
    assert removed.kind == Event.Kind.ACTION_REMOVED
    assert removed.old["date"] == "2001-01-12"
    assert removed.new is None


def test_a_change_of_nothing_public_writes_no_event(south_sudan, untoc):
    action = record(south_sudan, untoc, "signature", date(2001, 1, 10))
    start = last_id()
    services.action_update(action=action, note="an editor's note, not shown as a change")
    assert new_events(start) == []


def test_a_refused_write_writes_no_event(south_sudan, untoc):
    start = last_id()
    with pytest.raises(ValidationError):
        record(south_sudan, untoc, "ratification", date(2012, 8, 1))
    assert new_events(start) == []


def test_a_write_rolled_back_leaves_no_event(south_sudan, untoc):
    start = last_id()

    def write_then_fail():
        with transaction.atomic():
            record(south_sudan, untoc, "signature", date(2001, 1, 10))
            raise RuntimeError("the surrounding work failed")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert new_events(start) == []


def test_declarations_recorded_changed_and_removed_are_events(south_sudan, untoc):
    start = last_id()
    values = {"instrument": untoc, "kind": "declaration", "article": "18(13)"}
    declaration = services.declaration_record(
        participant=south_sudan, summary="Central authority: the ministry.", source="s", **values
    )
    services.declaration_update(declaration=declaration, summary="Central authority: justice.")
    services.declaration_delete(declaration=declaration)
    kinds = [(e.kind, e.participant, e.instrument) for e in new_events(start)]
    assert kinds == [
        ("declaration_recorded", "SSD", "untoc"),
        ("declaration_changed", "SSD", "untoc"),
        ("declaration_removed", "SSD", "untoc"),
    ]
    changed = new_events(start)[1]
    assert changed.old["summary"] == "Central authority: the ministry."
    assert changed.new["summary"] == "Central authority: justice."
    assert changed.new["id"] == declaration.pk


def test_an_entry_into_force_is_recorded_once_when_its_day_comes(south_sudan, untoc):
    # Art. 38(2): the thirtieth day after the deposit.
    record(south_sudan, untoc, "accession", date(2015, 5, 4))
    in_force = date(2015, 6, 3)
    start = last_id()
    assert public_events.dated_events_record(in_force - timedelta(days=1)) == 0
    assert public_events.dated_events_record(in_force) == 1
    assert public_events.dated_events_record(in_force) == 0  # a second run: nothing new
    assert public_events.dated_events_record(in_force + timedelta(days=3)) == 0
    (event,) = [e for e in new_events(start) if e.participant == "SSD"]
    assert event.kind == Event.Kind.ENTRY_INTO_FORCE
    assert event.new == {"date": in_force.isoformat(), "status": "party"}
    assert event.get_origin_display() == "a date was reached (daily check)"


def test_a_denunciation_taking_effect_is_recorded_once(south_sudan, untoc):
    record(south_sudan, untoc, "accession", date(2010, 1, 4))
    record(south_sudan, untoc, "denunciation", date(2019, 3, 1))
    start = last_id()
    effective = date(2020, 3, 1)  # art. 40(1): one year after the notification is received
    assert public_events.dated_events_record(effective - timedelta(days=1)) == 0
    assert public_events.dated_events_record(effective) == 1
    assert public_events.dated_events_record(effective) == 0
    (event,) = new_events(start)
    assert (event.kind, event.participant, event.new["date"]) == (
        "denunciation_effective",
        "SSD",
        "2020-03-01",
    )


def test_the_daily_check_records_nothing_twice_even_if_keys_race(south_sudan, untoc):
    record(south_sudan, untoc, "accession", date(2010, 1, 4))
    day = date(2010, 2, 3)
    public_events.dated_events_record(day)
    # A second run that did not see the first one's rows: the unique key refuses the twin.
    twins = public_events.dated_changes(day)
    with transaction.atomic():
        revision_bump(twins)
    assert Event.objects.filter(key__startswith="entry_into_force:untoc:SSD:").count() == 1


def test_a_compliance_standing_changing_is_an_event_from_the_check():
    records_checked_for_all(date(2010, 1, 1))
    start = last_id()
    sweep.compliance_sweep(as_of=date(2010, 1, 1), notify=False)
    events = [e for e in new_events(start) if e.kind == Event.Kind.STANDING_CHANGED]
    germany = next(
        e for e in events if e.participant == "DEU" and e.new["obligation"] == "untoc-cop-2007"
    )
    assert germany.old is None
    assert germany.new["open"] is True
    assert germany.new["due_on"] == "2007-06-30"
    assert germany.instrument == "untoc"
    assert germany.get_origin_display() == "compliance check"
    # Run again: nothing changed, no event.
    again = last_id()
    sweep.compliance_sweep(as_of=date(2010, 1, 1), notify=False)
    assert [e for e in new_events(again) if e.kind == Event.Kind.STANDING_CHANGED] == []


def test_the_beat_schedule_records_the_dated_events_daily_and_runs_the_webhooks_each_minute():
    from django.conf import settings

    daily = settings.CELERY_BEAT_SCHEDULE["record-dated-events"]
    assert daily["task"] == "instruments.tasks.dated_events_record"
    assert (daily["schedule"].hour, daily["schedule"].minute) == ({0}, {15})
    webhooks = settings.CELERY_BEAT_SCHEDULE["webhooks-run"]
    assert webhooks["task"] == "alerts.tasks.webhooks_run"
    assert webhooks["schedule"].minute == set(range(60))
