"""The response cache (core/cache.py) keeps every public read, page or API, under the data
revision, today's date and the normalised request: a write is visible on the very next
request to every page and API answer, a new day builds the page anew, signed-in staff are
never served a shared answer, and a cache that cannot be reached costs speed, never an answer."""

import gzip
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from instruments import services
from instruments.models import Instrument
from states.models import Participant
from tests.apiclient import API

pytestmark = pytest.mark.usefixtures("real_data")

# The production backend (django-redis, failures ignored), its Redis a port nothing listens on.
UNREACHABLE_CACHE = {
    name: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    for name in ("default", "local")
}
# Every public read the benchmark measures, pages and API lists; the status table downloads.
PUBLIC_READS = [
    "/",
    "/status/",
    "/status/?osce_role=any",
    "/states/AUT/",
    "/instruments/untoc/",
    "/compliance/",
    "/authorities/",
    "/reports/osce-status/",
    "/search/?q=austr",  # a part of a name: the results page
    "/feeds/actions/",
    "/status/table.xlsx",
    "/instruments/fir/table.csv",
    API + "status/",
    API + "status/?osce_role=any&instrument=untoc&state=AUT",
    API + "states/",
    API + "states/AUT/",
    API + "instruments/",
    API + "actions/",
    API + "declarations/",
    API + "authorities/",
]


def test_a_page_asked_again_is_served_from_memory_after_one_query(
    client, django_assert_num_queries
):
    first = client.get("/status/")
    # 1. the data revision, which keys the page.
    with django_assert_num_queries(1):
        again = client.get("/status/")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_every_public_read_asked_again_is_served_from_the_cache_after_one_query(
    client, django_assert_num_queries, path
):
    first = client.get(path)
    assert first.status_code == 200
    # 1. the data revision, which keys the answer.
    with django_assert_num_queries(1):
        again = client.get(path)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_the_same_parameters_in_another_order_share_one_answer(client, django_assert_num_queries):
    first = client.get(API + "status/?instrument=untoc&osce_role=any&page_size=5")
    with django_assert_num_queries(1):
        again = client.get(API + "status/?page_size=5&osce_role=any&instrument=untoc")
    assert again.content == first.content


def test_a_treaty_action_is_visible_at_once_on_every_cached_page_and_api_answer(client):
    austria = Participant.objects.get(iso3="AUT")
    held = {path: client.get(path) for path in PUBLIC_READS}
    services.action_record(
        participant=austria,
        instrument=Instrument.objects.get(code="untoc"),
        kind="denunciation",
        date=date(2024, 1, 10),
        source="Depositary notification C.N.1.2024.TREATIES-XVIII-12 (test)",
    )
    for path, before in held.items():
        with CaptureQueriesContext(connection) as rebuilt:
            after = client.get(path)
        assert after.status_code == 200, path
        assert len(rebuilt) > 1, f"{path}: served from the cache after the write"
        assert after["ETag"] != before["ETag"], path
    # Where Austria's Convention status is shown, it now reads as denounced.
    status = client.get(API + "status/?state=AUT&instrument=untoc").json()
    assert status["results"][0]["status"] == "denounced"
    assert "Denounced" in client.get("/states/AUT/").content.decode()
    actions_before = held[API + "actions/"].json()["count"]
    assert client.get(API + "actions/").json()["count"] == actions_before + 1


def test_a_write_is_shown_on_the_very_next_request(client):
    austria = Participant.objects.get(iso3="AUT")
    before = client.get("/states/AUT/")
    assert b"Central authority designated for the benchmark of caching" not in before.content
    services.declaration_record(
        participant=austria,
        instrument=Instrument.objects.get(code="untoc"),
        kind="notification",
        article="18(13)",
        date=date(2020, 5, 4),
        made_at="later",
        summary="Central authority designated for the benchmark of caching",
        source="test",
    )
    after = client.get("/states/AUT/")
    assert b"Central authority designated for the benchmark of caching" in after.content
    assert after["ETag"] != before["ETag"]


def test_a_change_to_an_instrument_reaches_the_instruments_held_in_memory(client):
    first = client.get(API + "status/?page_size=1").json()
    assert first["instruments"][0]["status_complete_to"] == "2014-01-27"
    services.instrument_currency_update(
        instrument=Instrument.objects.get(code="untoc"),
        status_complete_to=date(2015, 3, 1),
        status_currency_note="Checked against the depositary on 1 March 2015",
    )
    again = client.get(API + "status/?page_size=1").json()
    assert again["instruments"][0]["status_complete_to"] == "2015-03-01"
    page = client.get("/status/")
    assert "complete to 1 March 2015" in page.content.decode()


def test_the_next_day_the_page_is_built_anew(client, django_assert_max_num_queries):
    zone = timezone.get_current_timezone()
    with time_machine.travel(datetime(2024, 3, 1, 12, tzinfo=zone), tick=False):
        monday = client.get("/status/")
    with (
        time_machine.travel(datetime(2024, 3, 2, 12, tzinfo=zone), tick=False),
        django_assert_max_num_queries(10) as captured,
    ):
        tuesday = client.get("/status/")
    assert len(captured) > 1, "served from memory although the day changed"
    assert tuesday["ETag"] != monday["ETag"]
    assert "2 March 2024" in tuesday.content.decode()


def test_signed_in_staff_are_never_served_a_shared_page(client, viewer_client):
    viewer_client.get("/status/")
    viewer_client.get("/status/")
    with CaptureQueriesContext(connection) as staff_again:
        viewer_client.get("/status/")
    assert len(staff_again) > 2, "a staff member's page came from the shared cache"
    client.logout()
    with CaptureQueriesContext(connection) as public:
        client.get("/status/")
    assert len(public) > 1, "an anonymous visitor was served what staff were shown"


@pytest.mark.parametrize("path", ["/status/", API + "status/?osce_role=any"])
def test_a_conditional_get_still_answers_304_after_one_query(
    client, django_assert_num_queries, path
):
    etag = client.get(path)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


@override_settings(CACHES=UNREACHABLE_CACHE)
@pytest.mark.parametrize("path", ["/status/", "/", API + "status/", API + "instruments/"])
def test_pages_and_the_api_answer_when_the_cache_cannot_be_reached(client, path):
    first = client.get(path)
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content


def test_browsers_that_accept_gzip_get_the_same_page_compressed(client):
    plain = client.get("/status/")
    packed = client.get("/status/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    # The gzipped copy is kept too: asked again, it comes from the cache as it was sent.
    again = client.get("/status/", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == packed.content
    assert len(packed.content) < len(plain.content) / 4
    # The compressed copy is another representation: a weak ETag, matched all the same.
    assert packed["ETag"] == f"W/{plain['ETag']}"
    again = client.get("/status/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_api_answers_are_compressed_for_clients_that_accept_gzip(client):
    plain = client.get(API + "status/")
    packed = client.get(API + "status/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    # The gzipped copy is kept too: asked again, it comes from the cache as it was sent.
    again = client.get(API + "status/", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == packed.content
