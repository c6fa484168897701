"""Counting requests in the cache, for the forms that send e-mail to an address typed into
them (the alerts' subscription, a focal point's renewal of its invitation link): a bound per
client address and per e-mail address, so that they cannot be used to mail-bomb anyone.

A count lives in the "default" cache for its window from the first request counted. A cache
that does not answer (Redis down, django-redis' IGNORE_EXCEPTIONS) counts nothing: the form
keeps working, bounded by its own rules in the database where it has any.
"""

from django.core.cache import cache
from django.http import HttpRequest

from core.security import client_address


def over_limit(key: str, limit: int, seconds: int) -> bool:
    """Count one more under `key`; whether the count is now above `limit` in the window of
    `seconds` that began with the first one counted."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        return False
    return count is not None and count > limit


def client_over_limit(request: HttpRequest, scope: str, limit: int, seconds: int) -> bool:
    """Count one more request of `scope` from the request's client address (the address the
    login lock counts by, behind DJANGO_PROXY_COUNT proxies)."""
    return over_limit(f"{scope}:client:{client_address(request) or ''}", limit, seconds)
