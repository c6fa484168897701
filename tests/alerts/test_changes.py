"""/changes/, its Atom feed and changes/: newest first, filtered; `since` gives every later
event once, in order; the public never sees who recorded a change."""

from datetime import date

import pytest
from django.db import transaction

from core.events import Change
from core.models import Event
from core.writes import revision_bump
from instruments import services
from instruments.models import Instrument
from states.models import Participant
from tests.factories import participant

pytestmark = pytest.mark.usefixtures("real_data")


@pytest.fixture
def three_changes(editor):
    """South Sudan signs the Convention and accedes to it; Germany's a declaration."""
    untoc = Instrument.objects.get(code="untoc")
    ssd = participant()
    start = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.action_record(
        participant=ssd,
        instrument=untoc,
        kind="signature",
        date=date(2001, 1, 10),
        source="s1",
        actor=editor,
    )
    services.action_record(
        participant=ssd,
        instrument=untoc,
        kind="ratification",
        date=date(2012, 8, 1),
        source="s2",
        actor=editor,
    )
    services.declaration_record(
        participant=Participant.objects.get(iso3="DEU"),
        instrument=untoc,
        kind="notification",
        article="18(13)",
        summary="Central authority.",
        source="s3",
        actor=editor,
    )
    return start


def ids(answer) -> list[int]:
    return [r["id"] for r in answer.json()["results"]]


def test_the_api_lists_newest_first_and_since_gives_the_later_ones_in_order(client, three_changes):
    newest = client.get("/api/v1/changes/", {"page_size": 3})
    assert newest.status_code == 200
    first, second, third = sorted(ids(newest))
    assert ids(newest) == [third, second, first]
    later = client.get("/api/v1/changes/", {"since": three_changes})
    assert ids(later) == [first, second, third]
    assert ids(client.get("/api/v1/changes/", {"since": first})) == [second, third]
    assert ids(client.get("/api/v1/changes/", {"since": third})) == []


def test_a_client_paging_with_since_gets_each_event_once(client, three_changes):
    seen: list[int] = []
    since = three_changes
    for _ in range(5):
        page = ids(client.get("/api/v1/changes/", {"since": since, "page_size": 1}))
        if not page:
            break
        seen += page
        since = page[-1]
    assert len(seen) == len(set(seen)) == 3
    assert seen == sorted(seen)


def test_the_api_filters_by_participant_instrument_and_kind(client, three_changes):
    def kinds(**query):
        answer = client.get("/api/v1/changes/", {"since": three_changes, **query})
        assert answer.status_code == 200, answer.content
        return [(r["state"], r["kind"]) for r in answer.json()["results"]]

    assert kinds(state="SSD") == [("SSD", "action_recorded")] * 2
    assert kinds(kind="declaration_recorded") == [("DEU", "declaration_recorded")]
    assert kinds(instrument="tip") == []
    assert len(kinds(instrument="untoc", state="ssd,deu")) == 3


def test_a_row_says_recorded_by_spmu_and_never_names_the_editor(client, three_changes, editor):
    answer = client.get("/api/v1/changes/", {"since": three_changes})
    row = answer.json()["results"][0]
    assert row["recorded_by"] == "recorded by SPMU"
    assert row["state"] == "SSD"
    assert row["instrument"] == "untoc"
    assert row["new"]["kind"] == "signature"
    assert row["old"] is None
    for path in ("/api/v1/changes/", "/changes/", "/feeds/changes/"):
        body = client.get(path).content.decode()
        assert editor.username not in body, path
        assert "recorded by SPMU" in body, path


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ({"kind": "nonsense"}, "kind", "unknown_code"),
        ({"since": "-1"}, "since", None),
        ({"since": "abc"}, "since", None),
        ({"state": "XYZ"}, "state", None),
    ],
)
def test_bad_parameters_are_the_same_400_on_page_and_api(client, query, field, rule):
    api = client.get("/api/v1/changes/", query)
    page = client.get("/changes/", query)
    feed = client.get("/feeds/changes/", query)
    assert api.status_code == page.status_code == feed.status_code == 400
    (problem,) = api.json()["errors"]
    assert problem["field"] == field
    if rule:
        assert problem["rule"] == rule
    assert [p.__dict__ for p in page.context["problems"]] == [problem]


def test_the_page_and_feed_show_the_same_latest_changes(client, three_changes):
    page = client.get("/changes/", {"state": "SSD"})
    assert page.status_code == 200
    assert [e.kind for e in page.context["events"]][:2] == ["action_recorded"] * 2
    feed = client.get("/feeds/changes/", {"state": "SSD"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert body.count("<entry>") == 2
    assert "South Sudan (untoc): Treaty action recorded" in body
    api = client.get("/api/v1/changes/", {"state": "SSD"}).json()
    assert [e.pk for e in page.context["events"]] == [r["id"] for r in api["results"]]


def test_the_list_costs_the_same_queries_whatever_the_number_of_events(
    client, django_assert_num_queries, three_changes
):
    # The revision (ETag and the response cache's key), the count, the page of events.
    with django_assert_num_queries(3):
        client.get("/api/v1/changes/", {"kind": "action_recorded"})
    with transaction.atomic():
        revision_bump([Change(kind="action_recorded") for _ in range(300)])
    with django_assert_num_queries(3):
        answer = client.get("/api/v1/changes/", {"kind": "action_recorded"})
    assert answer.json()["count"] >= 302


def test_the_public_log_gives_a_recorded_source_as_its_citation(client):
    germany = client.get("/api/v1/changes/", {"state": "DEU", "kind": "action_recorded"})
    scraped = [r for r in germany.json()["results"] if "XVIII-12-c" in str(r)]
    assert scraped, "the shipped load records Germany's Firearms signature"
    assert "zmjones" not in germany.content.decode()  # a working note, not a citation
    assert scraped[-1]["new"]["source"].startswith(
        "United Nations Treaty Collection, chapter XVIII-12-c"
    )
    page = client.get("/changes/", {"state": "DEU"}).content.decode()
    feed = client.get("/feeds/changes/", {"state": "DEU"}).content.decode()
    assert "zmjones" not in page
    assert "zmjones" not in feed


def _feed_queries(client) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/feeds/changes/").status_code == 200
    return len(queries)


def test_the_feed_reads_the_instruments_titles_once_whatever_its_entries(client):
    """An instrument's own events are named by its title: one query for all titles, not one
    per entry."""
    revision_bump([Change(kind="import_applied", instrument="fir", key="import_applied:t1")])
    few = _feed_queries(client)
    revision_bump(
        [
            Change(kind="import_applied", instrument=code, key=f"import_applied:t{n}")
            for n, code in enumerate(["untoc", "tip", "som", "fir"] * 5, start=2)
        ]
    )
    assert _feed_queries(client) == few
    feed = client.get("/feeds/changes/").content.decode()
    assert "<title>Smuggling of Migrants Protocol: Depositary import applied</title>" in feed
