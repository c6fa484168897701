"""The events come with the write: a depositary import says so, and a write costs a fixed
number of queries whatever the number of events already recorded."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Subscription, WebhookEndpoint
from core.events import Change
from core.models import Event
from core.writes import revision_bump
from instruments import services
from instruments.depositary.decisions import proposal_decide
from instruments.depositary.parsers import status_table_parse
from instruments.depositary.proposals import table_import
from instruments.models import Instrument
from tests.factories import participant
from tests.instruments.depositary.conftest import (  # noqa: F401  (fixtures)
    AS_AT,
    firearms_lines,
    germany_firearms_unrecorded,
)
from tests.instruments.depositary.tables import pasted_text

pytestmark = pytest.mark.usefixtures("real_data")


def test_an_accepted_depositary_proposal_is_an_event_from_the_import(firearms_lines, editor):  # noqa: F811
    table = status_table_parse(pasted_text("fir", AS_AT, firearms_lines))
    _, proposals = table_import(
        instrument=Instrument.objects.get(code="fir"), table=table, actor=editor
    )
    (germany,) = [p for p in proposals if p.participant.iso3 == "DEU"]
    start = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    proposal_decide(proposal=germany, accept=True, actor=editor, expected_version=1)
    (event,) = Event.objects.filter(pk__gt=start)
    assert (event.kind, event.participant, event.instrument) == ("action_recorded", "DEU", "fir")
    assert event.get_origin_display() == "recorded by SPMU from the depositary's table"
    assert event.new["date"] == "2021-10-14"


def record_one(who, untoc, when):
    services.action_record(
        participant=who, instrument=untoc, kind="signature", date=when, source="s"
    )


def test_recording_an_action_costs_the_same_queries_whatever_the_events_and_followers(
    django_assert_num_queries,
):
    untoc = Instrument.objects.get(code="untoc")
    first, second = participant(), participant("KIR", "Kiribati test")
    # The locks, the rules' reads, the insert with its history row, the revision, and two
    # for the events (the instrument codes, one insert), whatever the events before and the
    # endpoints; the fan-out to followers happens in a worker (alerts.tasks).
    with CaptureQueriesContext(connection) as before:
        record_one(first, untoc, date(2001, 1, 10))
    event_inserts = [q for q in before if q["sql"].startswith('INSERT INTO "core_event"')]
    assert len(event_inserts) == 1
    with transaction.atomic():
        revision_bump([Change(kind="action_recorded") for _ in range(500)])
    owner = get_user_model().objects.create_user("mirror", password="a-long-test-password")
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(owner=owner, url=f"https://example.org/{n}", secret="s" * 64)
        for n in range(100)
    )
    Subscription.objects.bulk_create(
        Subscription(
            email=f"s{n}@example.org",
            scope="everything",
            frequency="immediate",
            confirmed_at=timezone.now(),
        )
        for n in range(1000)
    )
    with django_assert_num_queries(len(before)):
        record_one(second, untoc, date(2001, 1, 10))
