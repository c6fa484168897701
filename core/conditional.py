"""Conditional GET and cached answers for pages and the API, from the data revision.

Every committed change to tracker data bumps one counter (core.models.DataRevision), so an
answer's validator is the revision plus what selects the answer: the path, the query string,
the negotiated format, whether the viewer is signed in, and today's date (an answer "as at
today" changes at midnight without any change to the data). One cheap query decides whether a
client's copy is current; a 304 skips all the work of building the answer.

The same validator keys the pages' cache: a page built for anonymous visitors is kept in the
process's memory (core.cache) under its ETag, so the next visitor asking the same
thing on the same day at the same revision gets it without a query beyond the revision's.
A write bumps the revision and so changes every key: the next request after a write is built
anew. The cache lives in the process (no Redis needed) and a failing cache never fails a page.
"""

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.views.decorators.http import condition

from core.cache import cache_get, cache_set
from core.selectors import data_revision

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
PAGE_SECONDS = 300  # a bound on staleness should a write ever bypass the services
# Larger answers (every participant, when there are thousands) are not kept.
PAGE_MAX_BYTES = 1024 * 1024


def request_revision(request: Any) -> int:
    """The data revision, read once per request: the ETag, the cache key and the citation
    share it (one query)."""
    http_request = getattr(request, "_request", request)  # a REST framework Request wraps one
    revision = getattr(http_request, "_untoc_data_revision", None)
    if revision is None:
        revision = data_revision()
        http_request._untoc_data_revision = revision
    return revision


def revision_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """A strong validator for this request's answer at the current data revision."""
    parts = [
        str(request_revision(request)),
        request.path,
        "&".join(sorted(request.GET.urlencode().split("&"))),
        request.headers.get("Accept", ""),
        "staff" if _signed_in(request) else "public",
        timezone.localdate().isoformat(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _signed_in(request: HttpRequest) -> bool:
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def page_cache_key(request: HttpRequest) -> str | None:
    """The key of this request's page in the cache, or None if its answer is not shared:
    only GETs from visitors who are not signed in."""
    if request.method != "GET" or _signed_in(request):
        return None
    return f"page:{revision_etag(request)}"


def _shareable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= PAGE_MAX_BYTES
    )


def cached_page(view: Callable) -> Callable:
    """Keep the view's answers to anonymous GETs in the local cache, keyed by their ETag,
    with a gzip copy made once, for the browsers that accept it (GZipMiddleware then leaves
    it as it is)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = page_cache_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        held = cache_get(key)
        if held is None:
            response = view(request, *args, **kwargs)
            if not _shareable(response):
                return response
            held = (response.content, dict(response.items()), _gzipped(response.content))
            cache_set(key, held, PAGE_SECONDS)
        content, headers, gzipped = held
        if not ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(content, headers=headers)
        else:
            response = HttpResponse(gzipped, headers=headers)
            response["Content-Encoding"] = "gzip"
            # Another encoding, another representation: a weak validator (as GZipMiddleware
            # makes it), which If-None-Match still matches.
            response["ETag"] = f'W/"{revision_etag(request)}"'
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return wrapped


def _gzipped(content: bytes) -> bytes:
    return compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)


def conditional_on_revision(view: Callable) -> Callable:
    """Decorate a GET view so it sends an ETag, answers If-None-Match with 304, and serves
    anonymous visitors from the page cache."""
    conditional = condition(etag_func=revision_etag)(cached_page(view))

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = conditional(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped
