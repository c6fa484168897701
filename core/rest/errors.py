"""One error shape for every refusal the API makes.

    {"status": 400,
     "detail": "The request was refused: as_of is not valid.",
     "errors": [{"field": "as_of", "rule": "date_format",
                 "message": "Give a date as YYYY-MM-DD, e.g. 2007-06-30."}]}

`field` names what was wrong: a query parameter, a field of the request body, or a header
(If-Match); it is null when the refusal concerns the request as a whole (not signed in,
throttled). `rule` is a stable code a client can act on: a treaty rule from the services
(`protocol_requires_convention`), a parameter rule (`date_format`, `unknown_code`), or the
REST framework's code (`required`, `not_authenticated`, `throttled`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from core.filters import QueryRefused
from core.writes import RuleError, StaleVersionError


@dataclass(frozen=True)
class Problem:
    field: str | None
    rule: str
    message: str


class RequestRefused(exceptions.APIException):
    """A refusal carrying its problems; subclasses set the status."""

    status_code = 400
    default_code = "invalid"
    summary = gettext_lazy("The request was refused.")

    def __init__(self, problems: Iterable[Problem], *, headers: Mapping[str, str] | None = None):
        self.problems = list(problems)
        self.headers = dict(headers or {})
        super().__init__(detail=self.summary)


class ParameterError(RequestRefused):
    status_code = 400
    summary = gettext_lazy("A query parameter is not valid.")


class PreconditionRequired(RequestRefused):
    status_code = 428
    default_code = "if_match_required"
    summary = gettext_lazy("This change needs the If-Match header.")


class PreconditionFailed(RequestRefused):
    status_code = 412
    default_code = "stale_version"
    summary = gettext_lazy("The record changed since you loaded it; nothing was saved.")


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Parameter, body field or header.")
    rule = serializers.CharField(help_text="A stable code for the rule that was broken.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The shape of every error response (documentation only)."""

    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


def error_response(
    status: int, detail: str, problems: Iterable[Problem], headers: Mapping[str, str] | None = None
) -> Response:
    data = {"status": status, "detail": detail, "errors": [asdict(p) for p in problems]}
    return Response(data, status=status, headers=dict(headers or {}))


def _field_name(name: str | None, renames: Mapping[str, str]) -> str | None:
    if name in (None, "__all__", "non_field_errors"):
        return None
    return renames.get(name, name)


def _serializer_problems(details: Any, prefix: str = "") -> list[Problem]:
    """Flatten DRF's nested error details ({field: [ {message, code} ]}) into problems."""
    if isinstance(details, Mapping) and set(details) == {"message", "code"}:
        return [Problem(prefix or None, str(details["code"]), str(details["message"]))]
    if isinstance(details, Mapping):
        problems = []
        for name, inner in details.items():
            path = str(name) if not prefix else f"{prefix}.{name}"
            if name == "non_field_errors":
                path = prefix
            problems += _serializer_problems(inner, path)
        return problems
    if isinstance(details, list):
        return [p for item in details for p in _serializer_problems(item, prefix)]
    return [Problem(prefix or None, "invalid", str(details))]


def _django_problems(error: DjangoValidationError, renames: Mapping[str, str]) -> list[Problem]:
    if isinstance(error, RuleError):
        return [Problem(_field_name(v.field, renames), v.rule, v.message) for v in error.violations]
    if hasattr(error, "error_dict"):
        return [
            Problem(_field_name(name, renames), item.code or "invalid", message)
            for name, items in error.error_dict.items()
            for item in items
            for message in item
        ]
    return [
        Problem(None, item.code or "invalid", message)
        for item in error.error_list
        for message in item
    ]


def _refusal_response(exc: Exception, renames: Mapping[str, str]) -> Response | None:
    """The answer to a refusal by this API or by a service, or None for anything else."""
    if isinstance(exc, RequestRefused):
        return error_response(exc.status_code, str(exc.detail), exc.problems, exc.headers)
    if isinstance(exc, StaleVersionError):
        return error_response(
            412,
            str(PreconditionFailed.summary),
            [Problem("If-Match", "stale_version", str(exc))],
        )
    if isinstance(exc, DjangoValidationError):
        return error_response(
            400, _("The change breaks a rule; nothing was saved."), _django_problems(exc, renames)
        )
    if isinstance(exc, IntegrityError):
        # The services check every rule first; this is a concurrent write that got in
        # between, which the database's constraints refused.
        return error_response(
            409,
            _("The change conflicts with a record saved at the same time; nothing was saved."),
            [Problem(None, "conflict", _("Reload the data and try again."))],
        )
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every refusal into the one error shape; anything else stays a server error.

    Services speak in model field names (`participant`); a view may rename them to the
    names its clients send (`state`) with a `service_field_names` mapping.
    """
    # Imported here: rest_framework.views reads the API settings on import, and those name
    # this package's content negotiation, which imports this module.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    view = context.get("view")
    renames: Mapping[str, str] = getattr(view, "service_field_names", {})

    if isinstance(exc, RequestDataTooBig):  # Django's limit, met before the body is parsed
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _("The body is larger than %(limit)s bytes.") % {"limit": limit}
        return error_response(
            400, _("The request body is too large."), [Problem(None, "body_too_large", message)]
        )
    if isinstance(exc, QueryRefused):  # a list's FilterSet (core.filters) refused a parameter
        return error_response(400, str(ParameterError.summary), exc.problems)
    refusal = _refusal_response(exc, renames)
    if refusal is not None:
        set_rollback()
        return refusal
    if isinstance(exc, ObjectDoesNotExist) and not isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or _("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException | Http404):
        return response
    # Keep what tells a client how to go on: the scheme to authenticate with, when to retry.
    headers = {
        k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After")
    }
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            400,
            _("The request body is not valid; nothing was saved."),
            [
                Problem(_field_name(p.field, renames), p.rule, p.message)
                for p in _serializer_problems(exc.get_full_details())
            ],
            headers,
        )
    api_exc = exc if isinstance(exc, exceptions.APIException) else exceptions.NotFound()
    codes = api_exc.get_codes()
    rule = codes if isinstance(codes, str) else api_exc.default_code
    message = str(api_exc.detail)
    return error_response(response.status_code, message, [Problem(None, rule, message)], headers)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, detail: str, rule: str, message: str) -> JsonResponse:
    body = {
        "status": status,
        "detail": detail,
        "errors": [{"field": None, "rule": rule, "message": message}],
    }
    return JsonResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (a refused Host header, a body too large to read, ...): in the error
    shape under /api/, else the page."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)  # type: ignore[arg-type]
    message = _("The request could not be read.")
    return _api_error(400, _("Bad request."), "bad_request", message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 403 (outside the REST framework's own checks): the error shape under /api/."""
    if not _is_api(request):
        return defaults.permission_denied(request, exception)  # type: ignore[arg-type]
    message = _("You may not do this.")
    return _api_error(403, _("Permission denied."), "permission_denied", message)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 for a URL no route matches: in the error shape under /api/, else the page."""
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    message = _("Nothing is at %(path)s.") % {"path": request.path}
    return _api_error(404, _("Not found."), "not_found", message)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500: in the error shape under /api/ (no details leak), else the page."""
    if not _is_api(request):
        return defaults.server_error(request)
    message = _("The server failed to answer; the failure is logged.")
    return _api_error(500, message, "server_error", message)
