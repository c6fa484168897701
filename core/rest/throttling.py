"""Throttling of anonymous clients, at the rate API_ANON_THROTTLE_RATE sets."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """AnonRateThrottle reading its rate when asked rather than at import, so a changed
    setting (and a test that lowers it) takes effect."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
