"""The caches, neither of which ever takes a page down.

"default": Redis, shared by every web process (FaultTolerantRedisCache below).

A cache only saves work, so when Redis is down or stalls the tracker answers without it: a
read is a miss, a write is dropped, and the outage is logged. For `RETRY_AFTER` seconds after
a failure this process does not try Redis again, so requests do not each wait on it; the
socket timeouts in the settings bound the one request that finds it down. Django's own
RedisCache would raise instead, turning every page that reads the cache into a 500.

"local": memory of one server process, for pages and reference data (cache_get/cache_set).
They are kept under keys that carry the data revision (see core/conditional.py), so
a write makes every older entry unreachable at once; it needs no Redis, and a cache that
fails is skipped, never the request.
"""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 30.0  # seconds
T = TypeVar("T")


class _Outage:
    """Whether this process has given up on Redis for now (shared by its threads)."""

    until = 0.0

    @classmethod
    def active(cls) -> bool:
        return time.monotonic() < cls.until

    @classmethod
    def begin(cls, error: Exception) -> None:
        cls.until = time.monotonic() + RETRY_AFTER
        logger.error(
            "The cache cannot reach Redis (%s); answering without it for %d s.",
            error,
            RETRY_AFTER,
        )


def _tolerant(call: Callable[..., T], fallback: T, *args: Any) -> T:
    if _Outage.active():
        return fallback
    try:
        return call(*args)
    except RedisError as error:  # ConnectionError and TimeoutError among them
        _Outage.begin(error)
        return fallback


class FaultTolerantRedisCacheClient(RedisCacheClient):
    """Each operation as Django's, or what an empty cache would answer if Redis fails."""

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return _tolerant(super().add, False, key, value, timeout)

    def get(self, key: Any, default: Any) -> Any:
        return _tolerant(super().get, default, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        _tolerant(super().set, None, key, value, timeout)

    def touch(self, key: Any, timeout: Any) -> bool:
        return _tolerant(super().touch, False, key, timeout)

    def delete(self, key: Any) -> bool:
        return _tolerant(super().delete, False, key)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return _tolerant(super().get_many, {}, keys)

    def has_key(self, key: Any) -> bool:
        return _tolerant(super().has_key, False, key)

    def incr(self, key: Any, delta: int) -> Any:
        missing = object()
        value = _tolerant(super().incr, missing, key, delta)
        if value is missing:
            raise ValueError(f"Key {key!r} not found.")  # as for a key not in the cache
        return value

    def set_many(self, data: Any, timeout: Any) -> None:
        _tolerant(super().set_many, None, data, timeout)

    def delete_many(self, keys: Any) -> None:
        _tolerant(super().delete_many, None, keys)

    def clear(self) -> bool:
        return _tolerant(super().clear, False)


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FaultTolerantRedisCacheClient


LOCAL_CACHE = "local"


def cache_get(key: str) -> Any:
    """The value kept under `key`, or None (also when the cache cannot be read)."""
    try:
        return caches[LOCAL_CACHE].get(key)
    except Exception:  # a cache is an optimisation: it must never fail the request
        logger.warning("cache %r unavailable for get", LOCAL_CACHE, exc_info=True)
        return None


def cache_set(key: str, value: Any, seconds: int) -> None:
    try:
        caches[LOCAL_CACHE].set(key, value, seconds)
    except Exception:
        logger.warning("cache %r unavailable for set", LOCAL_CACHE, exc_info=True)
