"""ApiViewSet: the base of every resource under /api/v1/."""

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.cache import patch_vary_headers
from rest_framework import status, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from untoc_tracker.rest.conditional import (
    VARY,
    public_not_modified,
    version_conditional,
    version_etag,
)
from untoc_tracker.rest.exports import CSVRenderer, XLSXRenderer
from untoc_tracker.rest.schema import FilterSetSchema


class ApiViewSet(viewsets.GenericViewSet):
    """A resource of the API.

    - `versioned = True` for records whose service counts a `version`: their details carry
      it as ETag and their edits need If-Match (see untoc_tracker.rest.conditional).
    - `service_field_names` renames the services' model field names in error responses to
      the names clients send (e.g. {"participant": "state"}).
    - `export_actions` names the actions (e.g. "list") that also answer as CSV and XLSX
      (see untoc_tracker.rest.exports); every other action offers JSON only.
    - Errors are always JSON, also when the client asked for a CSV or XLSX download.
    - A list's parameters are its `filterset_class` (core.filters), which the schema documents.
    """

    renderer_classes = [JSONRenderer]
    filter_backends = [FilterSetSchema]
    versioned = False
    service_field_names: Mapping[str, str] = {}
    export_actions: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        not_modified = public_not_modified(self, request)
        if not_modified is not None:
            return not_modified
        return super().dispatch(request, *args, **kwargs)

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = super().get_renderers()
        if getattr(self, "action", None) in self.export_actions:
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 300:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
            if "Content-Disposition" in response:
                del response["Content-Disposition"]
        patch_vary_headers(response, VARY)
        return response


class VersionedViewSet(ApiViewSet):
    """A resource of records whose service counts a `version`, found by numeric id.

    Its details carry the version as ETag (304 when the client holds it); its edits take
    the version from If-Match with `expected_version` and pass it to the service. Subclasses
    give `queryset` (with what `representation` needs, select_related) and `representation`.
    """

    versioned = True
    lookup_value_regex = "[0-9]{1,18}"  # stays within a 64-bit key on every database

    def record(self, pk: str) -> Any:
        record = self.get_queryset().filter(pk=int(pk)).first()
        if record is None:
            raise Http404
        return record

    def representation(self, record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def answer(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        """The record after a write, with its new ETag."""
        response = Response(self.representation(record), status=code)
        response["ETag"] = version_etag(record)
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        record = self.record(pk)
        return version_conditional(request, record, lambda: Response(self.representation(record)))
