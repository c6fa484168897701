"""core.throttle: counts per key in the cache, within a window; a cache that does not answer
counts nothing rather than failing the form."""

import time_machine
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from core import throttle


def test_a_key_is_over_its_limit_after_limit_requests_until_the_window_ends():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        answers = [throttle.over_limit("t:k", 3, 60) for _ in range(4)]
        assert answers == [False, False, False, True]
        clock.shift(61)
        assert throttle.over_limit("t:k", 3, 60) is False


def test_a_cache_that_does_not_answer_counts_nothing(monkeypatch):
    # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down.
    monkeypatch.setattr(cache, "add", lambda *a, **k: None)
    monkeypatch.setattr(cache, "incr", lambda *a, **k: None)
    assert throttle.over_limit("t:down", 0, 60) is False


@override_settings(PROXY_COUNT=1)
def test_clients_are_counted_by_the_address_the_login_lock_counts_by():
    factory = RequestFactory()

    def request(forwarded: str):
        return factory.post("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")

    # Behind one proxy, what the client wrote to the left of the proxy's entry is ignored.
    first = throttle.client_over_limit(request("1.1.1.1, 198.51.100.7"), "t", 1, 60)
    second = throttle.client_over_limit(request("2.2.2.2, 198.51.100.7"), "t", 1, 60)
    other = throttle.client_over_limit(request("198.51.100.8"), "t", 1, 60)
    assert (first, second, other) == (False, True, False)
