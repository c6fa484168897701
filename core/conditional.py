"""What selects a public answer, as one validator: the data revision and the normalised query.

Every committed change to tracker data bumps one counter (DataRevision), so an answer is
fixed by the revision plus what selects the answer: the path, the query parameters (sorted),
the negotiated format, the language, whether the viewer is signed in, and today's date (an
answer "as at today" changes at midnight without any change to the data). That validator is
the ETag of every public page and API read, and the key under which the response cache
(core.cache) keeps the answer: the revision decides whether a copy is current (read as
core/revision.py says: no query while a process's number is current), and a write changes
every key at once.
"""

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from core.revision import current_revision
from core.selectors import data_revision


def without_credentials(request: HttpRequest) -> bool:
    """No credentials and no session: the visitor cannot be signed in (checked without a
    query, before the session and authentication middleware run)."""
    return (
        "Authorization" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def request_revision(request: Any) -> int:
    """The data revision, read once per request: the ETag, the cache key and the citation
    share it. An anonymous visitor gets the number this process keeps (core/revision.py:
    no query while it is current); a request with credentials, which may follow its own
    write made through another process, reads the database's (one query)."""
    http_request = getattr(request, "_request", request)  # a REST framework Request wraps one
    revision = getattr(http_request, "_untoc_data_revision", None)
    if revision is None:
        revision = current_revision() if without_credentials(http_request) else data_revision()
        http_request._untoc_data_revision = revision
    return revision


def normalised_query(request: HttpRequest) -> str:
    """The query parameters sorted by name (the values of a repeated name keep their order,
    which may matter), so that `?b=1&a=2` and `?a=2&b=1` share one answer."""
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def negotiated_format(request: HttpRequest) -> str:
    """What decides the format of the answer besides `?format=` (already in the query): the
    Accept header as sent, normalised. Kept whole rather than reduced to one media type,
    because the REST framework ranks media types by precedence, not by q-values: two headers
    that prefer the same type can still be answered in different formats."""
    return "".join(request.headers.get("Accept", "").lower().split())


def signed_in(request: HttpRequest) -> bool:
    return bool(getattr(request, "user", None) and request.user.is_authenticated)


def revision_etag(request: HttpRequest, *args: Any, public: bool | None = None) -> str:
    """The validator of this request's answer at the current data revision (strong: the
    bytes are the same for the same validator; gzip makes its own weak one).

    `public` says whether the viewer is anonymous when the caller knows better than
    `request.user` (the response cache runs before authentication)."""
    anonymous = (not signed_in(request)) if public is None else public
    # Worked out once per request: the response cache's key and the view's ETag are the same.
    http_request = getattr(request, "_request", request)
    held: dict[bool, str] = http_request.__dict__.setdefault("_untoc_etags", {})
    if anonymous not in held:
        held[anonymous] = _validator(request, anonymous)
    return held[anonymous]


def _validator(request: HttpRequest, anonymous: bool) -> str:
    parts = [
        str(request_revision(request)),
        request.path,
        normalised_query(request),
        negotiated_format(request),
        # The active language, chosen before the response cache (core/languages.py): a
        # page's from its URL prefix, an API answer's from `lang` or Accept-Language. One
        # language's answer is never served to another.
        translation.get_language() or "",
        "public" if anonymous else "staff",
        timezone.localdate().isoformat(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _page_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return revision_etag(request)


def conditional_on_revision(view: Callable) -> Callable:
    """Decorate a public page: it sends the revision's ETag, answers If-None-Match with 304
    before any work, and its anonymous answers are kept by the response cache."""
    conditional = condition(etag_func=_page_etag)(view)

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = conditional(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    wrapped.public_read = True  # type: ignore[attr-defined]
    return wrapped
