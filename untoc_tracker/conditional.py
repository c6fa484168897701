"""Conditional GET for pages and the API, from the data revision.

Every committed change to tracker data bumps one counter (states.models.DataRevision), so an
answer's validator is the revision plus what selects the answer: the path, the query string,
the negotiated format, whether the viewer is signed in, and today's date (an answer "as at
today" changes at midnight without any change to the data). One cheap query decides whether a
client's copy is current; a 304 skips all the work of building the answer.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from states.selectors import data_revision


def revision_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """A strong validator for this request's answer at the current data revision."""
    parts = [
        str(data_revision()),
        request.path,
        "&".join(sorted(request.GET.urlencode().split("&"))),
        request.headers.get("Accept", ""),
        "staff" if getattr(request, "user", None) and request.user.is_authenticated else "public",
        timezone.localdate().isoformat(),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def conditional_on_revision(view: Callable) -> Callable:
    """Decorate a GET view so it sends an ETag and answers If-None-Match with 304."""
    conditional = condition(etag_func=revision_etag)(view)

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = conditional(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped
