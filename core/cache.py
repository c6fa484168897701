"""The response cache: every public read, page or API, answered from one cache.

An anonymous GET of a public read (a page decorated with `conditional_on_revision`, an API
read marked `public_read`) is kept under its validator (core.conditional.revision_etag: the
data revision and the normalised query) and the encoding the client accepts, in the "default"
cache. The next visitor asking the same thing on the same day at the same revision gets the
stored bytes without a query while the process's revision is current (core/revision.py),
whatever the page costs to build; a write bumps the revision, so the first request after it
builds the answer anew and every older entry is unreachable.

The key holds the active language, which core.languages.SiteLocaleMiddleware (just before
this one) has chosen: a page's from its URL prefix (the path differs too), an API answer's
from `lang` or Accept-Language, so one language's answer is never served to another; the
redirect of a visitor who chose another language is decided there, before the cache.

The middleware sits after ConditionalGetMiddleware (which answers If-None-Match from the
stored ETag) and before CSPMiddleware, whitenoise and GZipMiddleware (whose gzipped bytes
and weak ETag are what is stored, so a page is compressed once per revision, not once per
request; the stored headers carry the content security policy as written for it). It runs
before sessions and authentication: a request that carries credentials or a session cookie
is never served, nor its answer kept, here. Nor is one whose Host is outside ALLOWED_HOSTS;
and no answer depends on the Host a client sent, since absolute links are built on
DJANGO_SITE_URL (core/links.py).

An answer is kept in two caches: "local", the process's own memory, asked first (no round
trip), and "default", Redis shared by the web processes through django-redis with
IGNORE_EXCEPTIONS (a Redis that is down is a miss and a dropped write, never an error page),
so that one process's build serves the others. Without REDIS_URL "default" is the process's
memory too. "local" also holds reference data keyed by the revision (cache_get/cache_set).
"""

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from core.conditional import revision_etag, without_credentials

RESPONSE_CACHE = "default"
LOCAL_CACHE = "local"
RESPONSE_SECONDS = 300  # a bound on staleness should a write ever bypass the services
RESPONSE_MAX_BYTES = 1024 * 1024  # larger answers (thousands of participants) are not kept
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def cache_get(key: str) -> Any:
    """The value kept under `key` in this process's memory, or None."""
    return caches[LOCAL_CACHE].get(key)


def cache_set(key: str, value: Any, seconds: int) -> None:
    caches[LOCAL_CACHE].set(key, value, seconds)


def public_read(view: Callable) -> bool:
    """Whether a resolved view answers a public read the same to every anonymous visitor: a
    page marked by conditional_on_revision, or an API action marked `public_read` whose
    permissions let anyone read."""
    view_class = getattr(view, "cls", None)
    if view_class is None:
        return getattr(view, "public_read", False)
    action = getattr(view, "actions", {}).get("get")
    handler = getattr(view_class, action, None) if action else None
    return getattr(handler, "public_read", False) and all(
        getattr(permission, "reads_public", False) for permission in view_class.permission_classes
    )


def response_cache_key(request: HttpRequest) -> str | None:
    """The key of this request's answer in the response cache, or None if it is not shared."""
    if request.method != "GET" or not without_credentials(request):
        return None
    if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
        return None  # whitenoise's files, answered further in
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not public_read(match.func):
        return None
    encoding = "gzip" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "id"
    return f"response:{revision_etag(request, public=True)}:{encoding}"


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """A 200 that is the same for every anonymous visitor: no cookie set, no CSRF token
    rendered into it (a token belongs to one visitor), not streamed, not too large."""
    return (
        response.status_code == 200
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.streaming
        and not response.cookies
        and len(response.content) <= RESPONSE_MAX_BYTES
    )


class ResponseCacheMiddleware:
    """Serve anonymous public reads from the response cache; keep what is built for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = response_cache_key(request)
        if key is None:
            return self.get_response(request)
        # A host outside ALLOWED_HOSTS is refused (400) before anything is served or kept, as
        # when the answer is built: an answer served from here would skip Django's check.
        request.get_host()
        local, shared = caches[LOCAL_CACHE], caches[RESPONSE_CACHE]
        held = local.get(key)
        if held is None and shared is not local:
            held = shared.get(key)
            if held is not None:
                local.set(key, held, RESPONSE_SECONDS)
        if held is not None:
            content, headers = held
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if _shareable(request, response):
            held = (response.content, dict(response.items()))
            local.set(key, held, RESPONSE_SECONDS)
            shared.set(key, held, RESPONSE_SECONDS)
        return response
