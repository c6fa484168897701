"""Absolute links (permalinks, feed links, the API's page links) on the configured address.

Never from the request's Host header: a client chooses that header, and an answer built
with it is kept in the response cache and handed to later visitors (core/cache.py). Django
checks the host against ALLOWED_HOSTS but not its port, so `Host: 127.0.0.1:31337` passed.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (with its query) on this site as its readers reach it: DJANGO_SITE_URL."""
    return settings.SITE_URL + path
