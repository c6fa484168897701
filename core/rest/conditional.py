"""ETags for the API: conditional GET on every read, optimistic concurrency on every edit.

- Reads: `revision_conditional` decorates a list or retrieve; its ETag is the data revision
  plus what selects the answer (core.conditional.revision_etag), found in one query
  before any other work, so If-None-Match answers 304 cheaply. A client that is not signed
  in and holds a current copy of a public read is answered before the REST framework runs
  at all (`public_not_modified`): no authentication, content negotiation or throttling, so
  such a 304 does not count against the rate limit.
- Versioned records (those with a `version` counted by their service): the detail's ETag is
  the record's version, so it changes exactly when the record does. PUT, PATCH and DELETE
  must send it back in If-Match: without it 428, with an older one 412. The version is then
  passed to the service as `expected_version`, which refuses (412 again) a change that got in
  between the check and the write.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.conditional import revision_etag
from core.rest.errors import PreconditionFailed, PreconditionRequired, Problem


def _tags(header: str | None) -> list[str]:
    return parse_etags(header) if header else []


# Answers differ by format, and by who asks (staff-only resources, permissions).
VARY = ["Accept", "Authorization", "Cookie"]


def none_match(request: Request | HttpRequest, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for GET)."""
    tags = _tags(request.headers.get("If-None-Match"))
    return "*" in tags or etag in [t.removeprefix("W/") for t in tags]


def not_modified(etag: str) -> Response:
    return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})


def revision_conditional(method: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a viewset method that reads: ETag from the data revision, 304 when current."""

    @wraps(method)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        etag = f'"{revision_etag(request)}"'
        if none_match(request, etag):
            return not_modified(etag)
        response = method(view, request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            response["ETag"] = etag
        return response

    wrapped.revision_conditional = True  # type: ignore[attr-defined]
    return wrapped


def public_not_modified(view: Any, request: HttpRequest) -> HttpResponse | None:
    """A 304 for a current copy of a public read, before the REST framework runs; None
    when the request must go through it.

    Only a GET or HEAD that carries If-None-Match, from a client that sends no credentials
    and has no signed-in session, to a `revision_conditional` read whose permissions let
    anyone read (`reads_public` on each permission class). Its ETag is the one the full
    answer carries, so the client cannot tell the two paths apart.
    """
    if request.method not in ("GET", "HEAD") or "If-None-Match" not in request.headers:
        return None
    if "Authorization" in request.headers or request.user.is_authenticated:
        return None
    handler = getattr(view, request.method.lower(), None)
    if not getattr(handler, "revision_conditional", False):
        return None
    if not all(getattr(p, "reads_public", False) for p in view.permission_classes):
        return None
    etag = f'"{revision_etag(request)}"'
    if not none_match(request, etag):
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    # As the full answer would vary (GZipMiddleware adds Accept-Encoding to it).
    patch_vary_headers(response, [*VARY, "Accept-Encoding"])
    return response


def version_etag(instance: Any) -> str:
    """A versioned record's validator: changes exactly when its service counts a save."""
    return f'"{instance._meta.model_name}-{instance.pk}-v{instance.version}"'


def version_conditional(request: Request, instance: Any, build: Callable[[], Response]) -> Response:
    """Answer a GET of a versioned record: 304 if the client holds its version, else build it."""
    etag = version_etag(instance)
    if none_match(request, etag):
        return not_modified(etag)
    response = build()
    response["ETag"] = etag
    return response


def expected_version(request: Request, instance: Any) -> int:
    """The version an edit applies to, from If-Match; 428 without it, 412 if out of date.

    If-Match uses strong comparison (RFC 9110): a weak validator never matches, and '*' is
    refused because it would let an edit overwrite a change its author has not seen.
    """
    header = request.headers.get("If-Match")
    tags = _tags(header)
    if not tags or tags == ["*"]:
        raise PreconditionRequired(
            [
                Problem(
                    "If-Match",
                    "if_match_required",
                    "Send If-Match with the ETag of the record as you loaded it (GET its "
                    "detail), so that a change made meanwhile is not overwritten.",
                )
            ]
        )
    current = version_etag(instance)
    if current not in tags and f"W/{current}" in tags:
        # A weak validator never matches If-Match (RFC 9110, 13.1.1). Ours turn weak only
        # when an answer is compressed on the way (gzip), so say so rather than "stale".
        raise PreconditionFailed(
            [
                Problem(
                    "If-Match",
                    "weak_etag",
                    f"If-Match compares ETags strongly (RFC 9110, section 13.1.1), and W/{current} "
                    "is weak: the W/ prefix was added when the answer was compressed. Send "
                    f"If-Match: {current} (the same tag without W/); nothing was saved.",
                )
            ],
            headers={"ETag": current},
        )
    if current not in tags:
        raise PreconditionFailed(
            [
                Problem(
                    "If-Match",
                    "stale_version",
                    f"The record is now at version {instance.version} ({current}); reload it "
                    "and apply your change again.",
                )
            ],
            headers={"ETag": current},
        )
    return instance.version
