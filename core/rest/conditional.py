"""ETags for the API: conditional GET on every read, optimistic concurrency on every edit.

- Reads: `revision_conditional` decorates a list or retrieve; its ETag is the data revision
  plus what selects the answer (core.conditional.revision_etag), found in one query before
  any other work, so If-None-Match answers 304 cheaply. It also marks the read `public_read`:
  anonymous requests for it are answered by the response cache (core.cache) before the REST
  framework runs at all, so neither a cached answer nor a 304 counts against the rate limit.
- Versioned records (those with a `version` counted by their service): the detail's ETag is
  the record's version, so it changes exactly when the record does. PUT, PATCH and DELETE
  must send it back in If-Match: without it 428, with an older one 412. The version is then
  passed to the service as `expected_version`, which refuses (412 again) a change that got in
  between the check and the write. A gzipped answer carries the version as a weak ETag
  (`W/"…"`, GZipMiddleware's), and that is accepted in If-Match too (see expected_version).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
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

    wrapped.public_read = True  # type: ignore[attr-defined]
    return wrapped


def public_read(method: Callable[..., Response]) -> Callable[..., Response]:
    """Mark a viewset method that reads with a validator of its own (a record's version) as
    one the response cache may keep for anonymous visitors (when its permissions let anyone
    read)."""
    method.public_read = True  # type: ignore[attr-defined]
    return method


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

    '*' is refused because it would let an edit overwrite a change its author has not seen.
    A weak validator matches when its opaque tag is the record's: RFC 9110 asks If-Match for
    strong comparison because a weak tag may stand for other bytes, but this tag names the
    record's version, not bytes, and gzip (which alone weakens it) changes only the bytes.
    Refusing it would leave every client that accepted gzip unable to edit.
    """
    header = request.headers.get("If-Match")
    tags = _tags(header)
    if not tags or tags == ["*"]:
        raise PreconditionRequired(
            [
                Problem(
                    "If-Match",
                    "if_match_required",
                    _(
                        "Send If-Match with the ETag of the record as you loaded it (GET its "
                        "detail), so that a change made meanwhile is not overwritten."
                    ),
                )
            ]
        )
    current = version_etag(instance)
    if current not in [tag.removeprefix("W/") for tag in tags]:
        raise PreconditionFailed(
            [
                Problem(
                    "If-Match",
                    "stale_version",
                    _(
                        "The record is now at version %(version)s (%(etag)s); reload it and "
                        "apply your change again."
                    )
                    % {"version": instance.version, "etag": current},
                )
            ],
            headers={"ETag": current},
        )
    return instance.version
