"""The data revision as a web process knows it, without a query per request when it can.

Every public read is keyed by the data revision (core/conditional.py, core/cache.py). Read
from the database, the revision costs a round trip per request, the largest part of what a
warm answer costs. With Redis shared by the processes (the "default" cache is
django-redis), each process instead keeps the number it last read and is told when it moves:

- a write that bumps the revision (core.writes.revision_bump) publishes a notice on a Redis
  channel once its transaction has committed, and forgets the number in its own process at
  once, so the writing process's next read is the database's;
- every process listens on that channel in a thread of its own; a notice makes it forget
  the number, and the next request reads it again (one query, then none until the next
  notice);
- while the listener is not subscribed (starting, Redis down or unreachable), every request
  reads the database, as without Redis; on subscribing again the number is read anew, since
  a notice may have been missed;
- whatever happens, the number is read again at least every RECHECK_SECONDS, so a notice
  lost on its way (a publish that failed while the listener stayed connected) delays a
  change by that much at most.

So a write is in the next answer of its own process at once and of the others as soon as
the notice arrives (under a millisecond on one host). Without Redis (the embedded default,
the suite) every request reads the database, which in-process SQLite answers cheaply.

Hand-written because the rule is ours: forget on a notice, read on demand, and never keep a
number read before a notice that arrived meanwhile (the `generation` check).
"""

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from core.selectors import data_revision

logger = logging.getLogger(__name__)

CACHE = "default"  # the shared cache whose Redis carries the notices (core.cache.RESPONSE_CACHE)
CHANNEL = "data-revision"  # made a key of that cache, so it carries the cache's KEY_PREFIX
RECHECK_SECONDS = 5.0  # the longest a process keeps a number without reading it again
PING_SECONDS = 5.0  # how often the listener asks Redis whether the connection still works
WAIT_SECONDS = 1.0  # how long the listener waits for a message before looking around


def shared_cache() -> RedisCache | None:
    """The Redis cache the processes share, or None (each process's own memory)."""
    cache = caches[CACHE]
    return cache if isinstance(cache, RedisCache) else None


def channel_of(cache: RedisCache) -> str:
    return cache.make_key(CHANNEL)


def location() -> str:
    """Which Redis and channel the process follows (one at a time): the shared cache's
    location and key prefix."""
    backend = settings.CACHES[CACHE]
    return f"{backend.get('LOCATION', '')} {backend.get('KEY_PREFIX', '')}"


class RevisionWatch:
    """One process's knowledge of the data revision (see the module's docstring)."""

    def __init__(self, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._following: tuple[int, str] | None = None  # (process id, Redis location)
        self._live = False
        self._number: int | None = None
        self._read_at = 0.0
        self._generation = 0  # moves whenever a number read before now may be stale

    # --- Read ------------------------------------------------------------------------------

    def current(self) -> int:
        """The data revision: the number kept while the listener is live, else the
        database's (one query)."""
        if shared_cache() is None:
            return data_revision()
        self._follow()
        with self._lock:
            fresh = time.monotonic() - self._read_at < self.recheck_seconds
            if self._live and self._number is not None and fresh:
                return self._number
            generation = self._generation
        started = time.monotonic()
        number = data_revision()
        with self._lock:
            if self._generation == generation:  # no notice arrived while reading
                self._number = number
                self._read_at = started
        return number

    @property
    def live(self) -> bool:
        return self._live

    # --- Told -------------------------------------------------------------------------------

    def moved(self) -> None:
        """The revision moved: forget the number kept."""
        with self._lock:
            self._generation += 1
            self._number = None

    def _went_live(self, following: tuple[int, str]) -> None:
        with self._lock:
            if self._following == following:
                self._live = True
                self._generation += 1  # a notice may have been missed before subscribing
                self._number = None

    def _went_dark(self, following: tuple[int, str]) -> None:
        with self._lock:
            if self._following == following:
                self._live = False
                self._generation += 1
                self._number = None

    # --- The listener -----------------------------------------------------------------------

    def _follow(self) -> None:
        """Start the listener for this process and this Redis, once (a forked process, or a
        cache pointed elsewhere, starts its own; the old one stops)."""
        following = (os.getpid(), location())
        if self._following == following:
            return
        with self._lock:
            if self._following == following:
                return
            self._following = following
            self._live = False
            self._generation += 1
            self._number = None
        thread = threading.Thread(
            target=self._listen,
            args=(following,),
            name="untoc-revision-watch",
            daemon=True,
        )
        thread.start()

    def _listen(self, following: tuple[int, str]) -> None:
        delay = 0.5
        try:
            while self._current(following):
                cache = shared_cache()
                assert cache is not None  # _current checked it
                try:
                    heard = self._subscribed(cache, following)
                except (RedisError, OSError) as error:
                    logger.warning("The data revision's notices are not heard (%s)", error)
                    heard = False
                self._went_dark(following)
                delay = 0.5 if heard else min(delay * 2, 10.0)
                time.sleep(delay)
        except Exception:
            logger.exception("The data revision's listener stopped")
        finally:
            # Whatever ended it, this process reads the database until a request starts
            # a new listener.
            with self._lock:
                if self._following == following:
                    self._following = None
                    self._live = False
                    self._generation += 1
                    self._number = None

    def _current(self, following: tuple[int, str]) -> bool:
        """Whether the listener still follows what the process should (a test's settings,
        or a fork, may have moved on)."""
        return (
            self._following == following
            and shared_cache() is not None
            and location() == following[1]
        )

    def _subscribed(self, cache: RedisCache, following: tuple[int, str]) -> bool:
        """Listen until the connection fails or the process follows another Redis; whether
        the subscription was confirmed."""
        pubsub: Any = cache.client.get_client(write=True).pubsub()
        confirmed = False
        try:
            pubsub.subscribe(channel_of(cache))
            heard = pinged = time.monotonic()
            while self._current(following):
                message = pubsub.get_message(timeout=WAIT_SECONDS)
                now = time.monotonic()
                if message is not None:
                    heard = now
                    if message["type"] == "subscribe":
                        confirmed = True
                        self._went_live(following)
                    elif message["type"] == "message":
                        self.moved()
                if now - pinged >= PING_SECONDS:
                    pubsub.ping()
                    pinged = now
                if now - heard > 3 * PING_SECONDS:
                    raise RedisError("no answer to the listener's pings")
        finally:
            pubsub.close()
        return confirmed


WATCH = RevisionWatch()


def current_revision() -> int:
    """The data revision as this process knows it (see the module's docstring)."""
    return WATCH.current()


def revision_moved() -> None:
    """Call once a transaction that bumped the revision has committed: this process forgets
    its number at once, and the others are told through Redis."""
    WATCH.moved()
    cache = shared_cache()
    if cache is None:
        return
    failed_at = _PUBLISH_FAILED.get(location())
    if failed_at is not None and time.monotonic() - failed_at < RECHECK_SECONDS:
        return  # that Redis failed a moment ago: the others read the revision again anyway
    try:
        cache.client.get_client(write=True).publish(channel_of(cache), "moved")
    except (RedisError, OSError) as error:
        _PUBLISH_FAILED[location()] = time.monotonic()
        # The other processes read the revision again within RECHECK_SECONDS.
        logger.warning("Could not tell the other processes that the data changed (%s)", error)


# When a publish to a Redis last failed: the next ones wait RECHECK_SECONDS rather than
# each costing a write its socket timeout.
_PUBLISH_FAILED: dict[str, float] = {}


def revision_moved_on_commit() -> None:
    """Tell the processes once the current transaction commits; once per transaction,
    however many writes it holds (a load of thousands of rows publishes one notice).
    Django keeps the callbacks of a savepoint that rolls back out of `run_on_commit`, so
    one still there covers every bump made since."""
    if shared_cache() is None:
        return  # each process reads the revision on every request: no one to tell
    if any(entry[1] is revision_moved for entry in connection.run_on_commit):
        return
    transaction.on_commit(revision_moved, robust=True)
