"""The data revision as a process knows it (core/revision.py): with Redis shared by the
processes, read once and kept until a write's notice arrives (no query per warm answer);
without Redis, or with its Redis down, read from the database on every request."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from django.db.models import F
from django.test import override_settings

from core.models import DataRevision
from core.revision import WATCH, RevisionWatch, channel_of, revision_moved
from core.selectors import data_revision
from core.writes import revision_bump
from instruments import services
from instruments.models import Instrument
from states.models import Participant
from tests.conftest import xdist_worker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: a Redis to listen to")
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CLIENT_NAME = f"revision-test-{xdist_worker()}"


def shared_cache_settings(location: str) -> dict:
    """The production "default" cache (untoc_tracker/settings/services.py) at `location`,
    under a prefix of its own: this test's keys and channel, no other test's. Its
    connections carry this process's name, so a test can find its own (django-redis keeps
    one pool per address: the first settings to use it name them)."""
    prefix = f"revision-test-{xdist_worker()}-{uuid.uuid4().hex[:8]}"
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "CONNECTION_POOL_KWARGS": {"client_name": CLIENT_NAME},
            },
        },
        "local": LOCAL,
    }


@pytest.fixture
def shared_redis() -> Iterator[None]:
    # A database of its own: no other test's cache shares this address's pool.
    location = urlsplit(REDIS_URL)._replace(path="/13").geturl()
    with override_settings(CACHES=shared_cache_settings(location)):
        yield
        caches["default"].delete_pattern("*")


@pytest.fixture
def redis_down() -> Iterator[None]:
    with override_settings(CACHES=shared_cache_settings("redis://127.0.0.1:1/0")):
        yield


def until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def live(watch: RevisionWatch) -> RevisionWatch:
    watch.current()  # starts its listener
    assert until(lambda: watch.live), "the listener did not subscribe"
    return watch


def bump_without_notice() -> int:
    """A change of the revision no process is told of (as a write that bypassed the
    services would make)."""
    DataRevision.objects.filter(pk=1).update(number=F("number") + 1)
    return data_revision()


@pytest.fixture
def revision(db) -> int:
    DataRevision.objects.get_or_create(pk=1, defaults={"number": 1})
    return data_revision()


def test_without_redis_every_read_is_the_database_s(revision, django_assert_num_queries):
    watch = RevisionWatch()
    with django_assert_num_queries(1):
        assert watch.current() == revision
    moved = bump_without_notice()
    with django_assert_num_queries(1):
        assert watch.current() == moved
    assert not watch.live


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_listening_process_reads_the_revision_once_then_keeps_it(
    revision, django_assert_num_queries
):
    watch = live(RevisionWatch(recheck_seconds=60))
    with django_assert_num_queries(1):
        assert watch.current() == revision
    with django_assert_num_queries(0):
        assert [watch.current() for _ in range(5)] == [revision] * 5


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_committed_write_publishes_its_notice(revision, django_capture_on_commit_callbacks):
    listener = redis.Redis.from_url(REDIS_URL).pubsub()
    listener.subscribe(channel_of(caches["default"]))
    assert until(lambda: (m := listener.get_message()) is not None and m["type"] == "subscribe")
    with django_capture_on_commit_callbacks(execute=True):
        revision_bump()
    assert listener.get_message(timeout=2)["data"] == b"moved"
    listener.close()


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_another_process_s_notice_makes_this_one_read_the_revision_again(revision):
    watch = live(RevisionWatch(recheck_seconds=60))
    assert watch.current() == revision
    moved = bump_without_notice()
    assert watch.current() == revision  # kept: nobody said it moved
    publish = "import sys, redis; redis.Redis.from_url(sys.argv[1]).publish(sys.argv[2], 'moved')"
    channel = channel_of(caches["default"])
    subprocess.run([sys.executable, "-c", publish, REDIS_URL, channel], check=True, cwd=ROOT)
    assert until(lambda: watch.current() == moved, seconds=2)


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_lost_notice_delays_a_change_by_the_recheck_interval_at_most(revision):
    watch = live(RevisionWatch(recheck_seconds=2))
    assert watch.current() == revision
    moved = bump_without_notice()
    assert watch.current() == revision
    time.sleep(2.1)
    assert watch.current() == moved


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_listener_whose_connection_is_cut_reads_the_database_then_listens_again(revision):
    watch = live(RevisionWatch(recheck_seconds=60))
    assert watch.current() == revision
    server = redis.Redis.from_url(REDIS_URL)
    listeners = [c["id"] for c in server.client_list(_type="pubsub") if c["name"] == CLIENT_NAME]
    assert listeners, "the listener's connection carries the cache's name"
    for client_id in listeners:
        server.client_kill_filter(_id=client_id)
    assert until(lambda: not watch.live, seconds=3)
    moved = bump_without_notice()
    assert watch.current() == moved  # dark: read from the database
    assert until(lambda: watch.live, seconds=5)
    assert watch.current() == moved
    again = bump_without_notice()
    revision_moved()  # the notice of a write, heard again
    assert until(lambda: watch.current() == again, seconds=2)


@pytest.mark.usefixtures("redis_down")
def test_with_its_redis_down_every_read_is_the_database_s(
    revision, django_assert_num_queries, caplog
):
    watch = RevisionWatch(recheck_seconds=60)
    watch.current()
    assert until(lambda: "notices are not heard" in caplog.text)
    assert not watch.live
    moved = bump_without_notice()
    with django_assert_num_queries(1):
        assert watch.current() == moved
    # A write's notice cannot be sent: logged, the write stands.
    revision_moved()
    assert "Could not tell the other processes" in caplog.text


@needs_redis
@pytest.mark.usefixtures("shared_redis", "real_data")
def test_with_redis_a_page_is_served_without_a_query_and_a_write_is_on_the_next_request(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(WATCH, "recheck_seconds", 60)
    live(WATCH)
    before = client.get("/states/AUT/")
    with django_assert_num_queries(0):
        again = client.get("/states/AUT/")
    assert again.content == before.content
    summary = "Central authority designated for the test of the notices of the revision"
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_record(
            participant=Participant.objects.get(iso3="AUT"),
            instrument=Instrument.objects.get(code="untoc"),
            kind="notification",
            article="18(13)",
            date=date(2020, 5, 4),
            made_at="later",
            summary=summary,
            source="test",
        )
    after = client.get("/states/AUT/")
    assert summary.encode() in after.content
    assert after["ETag"] != before["ETag"]


@needs_redis
@pytest.mark.usefixtures("shared_redis", "real_data")
def test_a_signed_in_request_reads_the_database_s_revision(viewer_client):
    """Staff may follow their own write made through another process: their pages never
    rest on a number kept by this one."""
    live(WATCH)
    first = viewer_client.get("/states/AUT/")
    bump_without_notice()
    assert viewer_client.get("/states/AUT/")["ETag"] != first["ETag"]


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_listener_that_fails_unexpectedly_is_started_again_by_the_next_request(
    revision, monkeypatch, caplog
):
    failures = iter([ValueError("unexpected")])
    subscribed = RevisionWatch._subscribed

    def failing_once(self, cache, following):
        for error in failures:
            raise error
        return subscribed(self, cache, following)

    monkeypatch.setattr(RevisionWatch, "_subscribed", failing_once)
    watch = RevisionWatch(recheck_seconds=60)
    watch.current()
    assert until(lambda: "listener stopped" in caplog.text)
    assert not watch.live
    live(watch)  # the next request started another listener


@needs_redis
@pytest.mark.usefixtures("shared_redis")
def test_a_transaction_of_many_writes_tells_the_processes_once(
    revision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(50):
            revision_bump()
    assert callbacks == [revision_moved]
