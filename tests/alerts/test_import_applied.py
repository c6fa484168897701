"""A depositary import whose every proposal an editor decided is one event, import_applied,
written in the transaction of the last decision: on /changes/, in the feed and the API, and
sent to the webhooks and e-mail subscriptions that follow it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from alerts import services as alert_services
from alerts import subscriptions
from alerts.models import Delivery, Subscription
from core.models import Event
from instruments import services
from instruments.depositary.decisions import batch_decide_all, proposal_decide
from instruments.depositary.parsers import status_table_parse
from instruments.depositary.proposals import table_import
from instruments.models import DepositaryBatch, Instrument
from tests.instruments.depositary.conftest import (  # noqa: F401  (fixtures)
    AS_AT,
    firearms_lines,
    germany_firearms_unrecorded,
    kinds_we_lack,
)
from tests.instruments.depositary.tables import pasted_text

pytestmark = pytest.mark.usefixtures("real_data")

CITED = "UN Treaty Collection status page as at 4 May 2024"


def applied_events(after: int = 0) -> list[Event]:
    return list(Event.objects.filter(kind=Event.Kind.IMPORT_APPLIED, pk__gt=after))


def last_id() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def firearms_batch(firearms_lines, editor):  # noqa: F811
    """The Firearms Protocol's table as at AS_AT: Germany's 2021 ratification to accept, and
    the consents whose kind we lack (kinds_we_lack) to reject."""
    table = status_table_parse(pasted_text("fir", AS_AT, firearms_lines))
    batch, proposals = table_import(
        instrument=Instrument.objects.get(code="fir"), table=table, actor=editor
    )
    germany = [p for p in proposals if p.participant.iso3 == "DEU"]
    others = [p for p in proposals if p.participant.iso3 != "DEU"]
    assert len(germany) == 1
    assert len(others) == len(kinds_we_lack("fir")) > 0
    return batch, germany[0], others


def decide_all(editor, germany, others) -> None:
    proposal_decide(proposal=germany, accept=True, actor=editor, expected_version=1)
    for other in others:
        proposal_decide(proposal=other, accept=False, actor=editor, expected_version=1)


def test_applying_a_batch_writes_exactly_one_import_applied_event(firearms_batch, editor):
    batch, germany, others = firearms_batch
    start = last_id()
    proposal_decide(proposal=germany, accept=True, actor=editor, expected_version=1)
    *earlier, last = others
    for other in earlier:
        proposal_decide(proposal=other, accept=False, actor=editor, expected_version=1)
    assert applied_events(start) == []  # one proposal still undecided: not applied yet

    proposal_decide(proposal=last, accept=False, actor=editor, expected_version=1)
    # Closing again (the admin's "decide all" does) writes nothing more.
    batch_decide_all(batch=batch, accept=True, actor=editor, seen={})

    (event,) = applied_events(start)
    assert (event.instrument, event.participant) == ("fir", "")
    assert event.new == {
        "status_as_at": "2024-05-04",
        "accepted": 1,
        "rejected": len(others),
        "complete_to": "2024-05-04",
    }
    assert event.source == batch.source
    assert event.get_origin_display() == "recorded by SPMU from the depositary's table"
    # After Germany's action and the instrument's new "complete to" date, in that order.
    recorded = Event.objects.get(pk__gt=start, kind=Event.Kind.ACTION_RECORDED)
    assert recorded.pk < event.pk
    assert Instrument.objects.get(code="fir").status_complete_to == AS_AT


def test_a_batch_whose_last_decision_rolls_back_writes_no_event(firearms_batch, editor):
    batch, germany, others = firearms_batch
    start = last_id()

    class Abandoned(Exception):
        pass

    def decide_then_fail() -> None:
        with transaction.atomic():
            decide_all(editor, germany, others)
            assert len(applied_events(start)) == 1  # written inside the transaction ...
            raise Abandoned

    with pytest.raises(Abandoned):
        decide_then_fail()

    assert applied_events(start) == []  # ... and gone with it
    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.OPEN


def test_a_failure_while_applying_leaves_the_last_decision_and_no_event(
    firearms_batch, editor, monkeypatch
):
    batch, germany, others = firearms_batch
    start = last_id()

    def refuse(**kwargs):
        raise ValidationError("the date could not be moved")

    monkeypatch.setattr(services, "instrument_currency_update", refuse)
    *earlier, last = others
    proposal_decide(proposal=germany, accept=True, actor=editor, expected_version=1)
    for other in earlier:
        proposal_decide(proposal=other, accept=False, actor=editor, expected_version=1)
    with pytest.raises(ValidationError):
        proposal_decide(proposal=last, accept=False, actor=editor, expected_version=1)

    assert applied_events(start) == []
    last.refresh_from_db()
    assert last.decision == "undecided"
    batch.refresh_from_db()
    assert batch.state == DepositaryBatch.State.OPEN


def test_the_applied_import_is_on_the_page_the_feed_and_the_api(client, firearms_batch, editor):
    _batch, germany, others = firearms_batch
    start = last_id()
    decide_all(editor, germany, others)
    (event,) = applied_events(start)

    page = client.get("/changes/", {"kind": "import_applied"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f'id="event-{event.pk}"' in text
    assert "Depositary import applied" in text
    assert "status_as_at: 2024-05-04" in text

    feed = client.get("/feeds/changes/", {"kind": "import_applied"}).content.decode()
    assert f"untoc-tracker:event:{event.pk}" in feed
    assert f"Source: {CITED}" in feed
    # An instrument's own event is named after the instrument, not "All participants".
    assert "<title>Firearms Protocol: Depositary import applied</title>" in feed

    (listed,) = client.get("/api/v1/changes/", {"since": start, "kind": "import_applied"}).json()[
        "results"
    ]
    assert listed["id"] == event.pk
    assert (listed["kind"], listed["instrument"], listed["state"]) == (
        "import_applied",
        "fir",
        None,
    )
    assert listed["new"]["accepted"] == 1
    assert listed["source"] == CITED
    assert listed["recorded_by"] == "recorded by SPMU from the depositary's table"


def test_the_applied_import_goes_to_the_webhooks_and_subscriptions_that_follow_it(
    firearms_batch, editor, django_capture_on_commit_callbacks
):
    _batch, germany, others = firearms_batch
    owner = get_user_model().objects.create_user("mirror", password="a-long-test-password")
    wanting = alert_services.endpoint_register(
        owner=owner, url="http://127.0.0.1:9/hook", kinds=["import_applied"]
    )
    alert_services.endpoint_register(
        owner=owner, url="http://127.0.0.1:9/other", kinds=["standing_changed"]
    )
    follower = Subscription.objects.create(
        email="mirror@example.org", scope="instrument", target="fir", frequency="immediate"
    )
    subscriptions.subscription_confirm(follower)
    start = last_id()
    decide_all(editor, germany, others)
    (event,) = applied_events(start)

    alert_services.events_dispatch()
    (delivery,) = Delivery.objects.filter(event__kind="import_applied")
    assert delivery.endpoint == wanting
    with django_capture_on_commit_callbacks() as calls:
        subscriptions.mails_dispatch()
    assert len(calls) == 1  # one e-mail: Germany's action and the import applied
    message = subscriptions.message_build("changes", follower, [event.pk])
    assert "- Firearms Protocol: Depositary import applied, " in message.body
    assert message.to == ["mirror@example.org"]
