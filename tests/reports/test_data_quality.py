"""The data-quality page and data-quality/: how complete the data are, and how well sourced."""

import re
from datetime import date

import pytest

from instruments import quality_services
from instruments.models import DepositaryBatch, Instrument, TreatyAction
from instruments.services import action_record
from states.models import Participant
from tests.apiclient import API
from tests.factories import synthetic_participants

pytestmark = pytest.mark.usefixtures("real_data")


def quality(client) -> dict:
    response = client.get(API + "data-quality/")
    assert response.status_code == 200, response.content
    return {entry["instrument"]: entry for entry in response.json()["instruments"]}


def test_each_instrument_says_what_date_its_data_are_complete_to(client):
    report = quality(client)
    assert {code: e["status_complete_to"] for code, e in report.items()} == {
        "untoc": "2014-01-27",
        "tip": "2014-01-27",
        "som": "2014-07-10",
        "fir": "2014-07-10",
    }


def test_our_counts_stand_beside_the_depositarys_as_at_its_checkpoint(client):
    (fir,) = quality(client)["fir"]["checkpoints"]
    assert fir["as_at"] == "2024-05-04"
    assert fir["depositary"] == {"signatories": 52, "parties": 123}
    assert fir["source"] == (
        "United Nations Treaty Collection, chapter XVIII-12-c, status as at 4 May 2024 "
        "(https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-c"
        "&chapter=18&clang=_en)"
    )
    # The 2014 table's 113 parties: the facts after it await review and count nowhere.
    assert fir["tracker"] == {"signatories": 52, "parties": 113}
    assert fir["difference"] == {"signatories": 0, "parties": -10}
    assert fir["rows"] == "/instruments/fir/?as_of=2024-05-04&osce_role=any"


def test_the_facts_awaiting_review_are_listed_and_counted_nowhere_else(client):
    response = client.get(API + "data-quality/").json()
    assert response["facts_awaiting_review"] == 11
    fir = {e["instrument"]: e for e in response["instruments"]}["fir"]
    germany = next(f for f in fir["awaiting_review"] if f["state"] == "DEU")
    assert germany == {
        "state": "DEU",
        "state_name": "Germany",
        "change": "new_action",
        "recorded": {"kind": None, "date": None},
        "proposed": {"kind": "consent", "date": "2021-10-14"},
        "confidence": "high",
        "source": germany["source"],
    }
    assert germany["source"].lower().startswith("netherlands treaty database")
    html = client.get("/data-quality/").content.decode()
    assert "11 post-2014 facts from national treaty databases" in html
    assert "await review by an SPMU editor" in html
    batch = DepositaryBatch.objects.get(source_form="facts", instrument__code="fir")
    assert f'href="/admin/instruments/depositarybatch/{batch.pk}/change/"' in html


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_the_facts_once_accepted_count_and_leave_the_review_list(client):
    response = client.get(API + "data-quality/").json()
    assert response["facts_awaiting_review"] == 0
    (fir,) = {e["instrument"]: e for e in response["instruments"]}["fir"]["checkpoints"]
    # Germany, France, Denmark, Bolivia and Comoros became parties after the 2014 table
    # (China's deposit of 19 December 2023 as well): 113 + 6 = 119 as at 4 May 2024.
    assert fir["tracker"] == {"signatories": 52, "parties": 119}
    assert fir["difference"] == {"signatories": 0, "parties": -4}
    assert "await review" not in client.get("/data-quality/").content.decode()


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_a_recorded_action_moves_the_count_and_the_difference_at_once(client, editor):
    action_record(
        participant=Participant.objects.get(iso3="JPN"),
        instrument=Instrument.objects.get(code="fir"),
        kind="acceptance",
        date=date(2024, 5, 1),
        source="test fixture, not a fact",
        actor=editor,
    )
    (fir,) = quality(client)["fir"]["checkpoints"]
    assert (fir["tracker"]["parties"], fir["difference"]["parties"]) == (120, -3)


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_the_numbers_behind_each_count_are_the_rows_the_linked_page_lists(client):
    (fir,) = quality(client)["fir"]["checkpoints"]
    page = client.get(fir["rows"]).content.decode()
    # The instrument's table as at the checkpoint lists each party with its consent date.
    assert "Germany" in page
    assert "14 Oct 2021" in page
    assert "Fiji" not in page


def test_open_questions_are_listed_not_counted(client):
    report = quality(client)
    assert {len(e["open_questions"]) for e in report.values()} <= set(range(1, 10))
    somalia = next(q for q in report["som"]["open_questions"] if q["state"] == "SOM")
    assert somalia["claimed_date"] == "2025-03-25"
    assert "art. 37(2)" in somalia["reason"]
    fiji = next(q for q in report["untoc"]["open_questions"] if q["state"] == "FJI")
    assert (fiji["claimed_date"], fiji["confidence"]) == (None, "medium")
    assert not Participant.objects.filter(iso3__in=["SOM", "FJI"]).exists()


@pytest.mark.usefixtures("post2014_facts_accepted")
def test_consents_of_unrecorded_kind_and_facts_from_weaker_sources_are_listed(client):
    fir = quality(client)["fir"]
    unrecorded = {(a["state"], a["date"]) for a in fir["kind_not_recorded"]}
    assert {("DEU", "2021-10-14"), ("DNK", "2015-02-04"), ("CHN", "2023-12-19")} <= unrecorded
    weaker = {a["state"] for a in fir["weaker_sources"]}
    assert {"DEU", "FRA", "BOL"} <= weaker
    assert "AUT" not in weaker  # Austria's Firearms Protocol rows are the depositary's own
    for entry in fir["weaker_sources"]:
        assert not entry["citation"].startswith("UNTC status table")


def _numbers_on_the_page(html: str, code: str) -> tuple[int, int, int]:
    def count(anchor: str) -> int:
        return int(re.search(rf'href="#{anchor}-{code}">(\d+)</a>', html).group(1))

    return count("open"), count("kind"), count("weaker"), count("review")


def test_the_page_and_the_api_agree(client):
    report = quality(client)
    html = client.get("/data-quality/").content.decode()
    for code, entry in report.items():
        assert _numbers_on_the_page(html, code) == (
            len(entry["open_questions"]),
            len(entry["kind_not_recorded"]),
            len(entry["weaker_sources"]),
            len(entry["awaiting_review"]),
        )
        for checkpoint in entry["checkpoints"]:
            ours = checkpoint["tracker"]["parties"]
            assert f'<a href="{checkpoint["rows"].replace("&", "&amp;")}">{ours}</a>' in html


def test_every_complete_to_notice_links_to_the_data_quality_page(client):
    for path in ["/", "/status/", "/states/DEU/", "/instruments/tip/", "/reports/osce-status/"]:
        html = client.get(path).content.decode()
        assert "complete to" in html, path
        assert '<a href="/data-quality/">How complete the data are</a>' in html, path


def test_a_checkpoint_an_editor_adds_is_compared_with_the_status_views_count(client, editor):
    quality_services.checkpoint_upsert(
        instrument=Instrument.objects.get(code="tip"),
        as_at=date(2014, 1, 27),
        signatories=117,
        parties=170,
        source="UN Treaty Collection, chapter XVIII-12-a, status as at 27 January 2014",
        actor=editor,
    )
    first, _ = quality(client)["tip"]["checkpoints"]
    counts = client.get(API + "instruments/tip/", {"as_of": "2014-01-27"}).json()["counts"]
    assert first["tracker"] == {
        "signatories": counts["signatories"],
        "parties": counts["parties"],
    }
    assert first["difference"]["parties"] == counts["parties"] - 170


SIZES = [10, 300]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-more")
def size(request, db):
    synthetic_participants(request.param)
    # Each synthetic participant's consent of unrecorded kind on the Firearms Protocol
    # lands in the lists too, so the rows served grow with the data.
    fir = Instrument.objects.get(code="fir")
    TreatyAction.objects.bulk_create(
        TreatyAction(
            participant=p, instrument=fir, kind="consent", date=date(2010, 1, 1), source="synthetic"
        )
        for p in Participant.objects.filter(source="synthetic test data")
    )
    return request.param


def test_data_quality_api_queries(client, size, django_assert_num_queries):
    # 1. the data revision (ETag and the instruments held in memory), 2. the instruments,
    # 3. the checkpoints, 4. the participants, 5.-7. the actions as at each of the three
    # checkpoint dates, 8. the open questions, 9. the actions with their participants,
    # 10. the facts awaiting review with their participants.
    with django_assert_num_queries(10):
        report = quality(client)
    assert len(report["fir"]["kind_not_recorded"]) >= size


def test_data_quality_page_queries(client, size, django_assert_num_queries):
    # The same ten as the API: the page renders what data_quality read.
    with django_assert_num_queries(10):
        response = client.get("/data-quality/")
    assert response.status_code == 200
