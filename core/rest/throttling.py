"""Throttling of anonymous clients, at the rate API_ANON_THROTTLE_RATE sets."""

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from core.security import client_address


class AnonymousThrottle(AnonRateThrottle):
    """AnonRateThrottle counting by the address the login lock counts by, and reading its rate
    when asked rather than at import, so a changed setting (and a test that lowers it) takes
    effect."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request: Request) -> str:
        # The REST framework's own reading takes the whole X-Forwarded-For header unless
        # NUM_PROXIES is set, so a client writing a new header each time was never counted
        # twice. One rule for the throttle and the lock: DJANGO_PROXY_COUNT.
        return client_address(request._request) or ""
