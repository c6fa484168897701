"""What the process keeps in memory (pages, the instruments) is keyed by the data revision,
today's date and the request: a write is visible on the very next request, a new day builds
the page anew, signed-in staff are never served a shared page, and a cache that cannot be
reached costs speed, never an answer."""

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

UNREACHABLE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Nothing listens on port 1: every get and set fails at once, as with Redis down.
    "local": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    },
}


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


def test_a_conditional_get_still_answers_304_after_one_query(client, django_assert_num_queries):
    etag = client.get("/status/")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/status/", HTTP_IF_NONE_MATCH=etag)
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
