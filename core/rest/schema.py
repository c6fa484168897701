"""The OpenAPI description of what every operation shares: its errors, ETags and If-Match.

Each operation's own parameters and bodies come from its @extend_schema; this adds the
responses the shared machinery gives (in the one error shape), so that clients, and the
schema-driven tests, know every status an operation can answer with.
"""

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.languages import codes
from core.rest.errors import ErrorSerializer
from core.rest.permissions import StaffOnly


class FilterSetSchema(DjangoFilterBackend):
    """Lets drf-spectacular document a list's `filterset_class`. It filters nothing: the view
    parses the FilterSet itself and hands the values to the selectors (see core.filters)."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        return queryset


ERROR_DESCRIPTIONS = {
    "400": "A query parameter, the request body or a treaty rule refused the request.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in without the permission this needs.",
    "404": "No such record.",
    "406": "None of the formats named in Accept is offered.",
    "409": "A concurrent change conflicted; nothing was saved.",
    "412": "If-Match names an older version of the record; nothing was saved.",
    "415": "The body is not JSON.",
    "428": "If-Match is missing.",
    "429": "Too many requests from an anonymous client; see Retry-After.",
}

LANG_DESCRIPTION = (
    "The language of participants' names and instruments' titles (field names and codes stay "
    "English); without it, the client's Accept-Language chooses, then English. The answer "
    "names its language in Content-Language."
)
ETAG_HEADER_DESCRIPTION = (
    "The validator to send back in If-None-Match (or, for a record, If-Match)."
)


class AutoSchema(SpectacularAutoSchema):
    def _is_list_view(self, serializer: Any = None) -> bool:
        # Lists answer with their own envelope (core.rest.pagination), never a bare
        # array, so a list's response is described as given.
        return False

    def get_filter_backends(self) -> list[Any]:
        # For the same reason, a view's FilterSet (core.filters) is its list action's
        # parameters, documented by drf-spectacular's django-filter extension.
        if getattr(self.view, "action", None) != "list":
            return []
        return list(getattr(self.view, "filter_backends", []))

    def get_operation_id(self) -> str:
        # Named after the viewset action (list, retrieve, create, …) rather than guessed.
        action = getattr(self.view, "action", None)
        if not action:
            return super().get_operation_id()
        path = [t.replace("-", "_") for t in self._tokenize_path()]
        return "_".join([*path, action])

    def get_tags(self) -> list[str]:
        # /api/v1/actions/{id}/ -> "actions": one group per resource in the docs.
        parts = [p for p in self.path.split("/") if p and not p.startswith("{")]
        return parts[2:3] or super().get_tags()

    def _is_versioned_write(self) -> bool:
        return self.method in ("PUT", "PATCH", "DELETE") and getattr(self.view, "versioned", False)

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_versioned_write():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the record as you loaded it.",
                )
            )
        if self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "lang",
                    OpenApiTypes.STR,
                    enum=codes(),
                    description=LANG_DESCRIPTION,
                )
            )
        success = {"GET": [200], "POST": [201], "PUT": [200], "PATCH": [200]}.get(self.method)
        if success and (self.method == "GET" or getattr(self.view, "versioned", False)):
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    response=success,
                    description=ETAG_HEADER_DESCRIPTION,
                )
            )
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "406", "429"]
        detail = "{" in self.path
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or StaffOnly in getattr(self.view, "permission_classes", ()):
            codes.append("403")
        if detail:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["409", "415"]
        if self._is_versioned_write():
            codes += ["409", "412", "428"]
        return sorted(set(codes))

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            responses.setdefault(
                "304", {"description": "Not modified: If-None-Match names the current ETag."}
            )
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    ["application/json"],
                    direction,
                )
        return responses
