"""ApiViewSet: the base of every resource under /api/v1/; VersionedViewSet for records
whose service counts a version; RecordWriteViewSet for such records that clients write."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.languages import codes
from core.rest.conditional import (
    VARY,
    expected_version,
    public_read,
    version_conditional,
    version_etag,
)
from core.rest.errors import ParameterError, Problem
from core.rest.exports import CSVRenderer, Table, XLSXRenderer, export_format, export_response
from core.rest.pagination import paginate
from core.rest.schema import FilterSetSchema


def language_refusal(asked: str | None) -> Problem | None:
    """The problem with a `lang` parameter, or None (absent or a language the site speaks)."""
    if asked is None or asked in codes():
        return None
    return Problem(
        "lang",
        "choice",
        _("%(asked)r is not a language of the tracker: use one of %(codes)s.")
        % {"asked": asked, "codes": ", ".join(codes())},
    )


class ApiViewSet(viewsets.GenericViewSet):
    """A resource of the API.

    - `versioned = True` for records whose service counts a `version`: their details carry
      it as ETag and their edits need If-Match (see core.rest.conditional).
    - `service_field_names` renames the services' model field names in error responses to
      the names clients send (e.g. {"participant": "state"}).
    - `export_actions` names the actions (e.g. "list") that also answer as CSV and XLSX
      (see core.rest.exports); every other action offers JSON only.
    - Errors are always JSON, also when the client asked for a CSV or XLSX download.
    - A list's parameters are its `filterset_class` (core.filters), which the schema documents.
    """

    renderer_classes = [JSONRenderer]
    filter_backends = [FilterSetSchema]
    versioned = False
    service_field_names: Mapping[str, str] = {}
    export_actions: tuple[str, ...] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # The language was chosen before the view (core.languages.api_language); a `lang`
        # the site does not speak is refused here, in the API's error shape.
        refused = language_refusal(request.query_params.get("lang"))
        if refused is not None:
            raise ParameterError([refused])
        super().initial(request, *args, **kwargs)

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


class ExportingListMixin:
    """For a list that also answers as CSV or XLSX (its action in `export_actions`): the
    whole filtered list as a table, unpaginated, or a page of it as JSON."""

    def list_answer(
        self,
        request: Request,
        params: dict[str, Any],
        rows: Any,
        *,
        columns: Sequence[str],
        filename: str,
        entries: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
        extra: Callable[[], dict[str, Any]] | None = None,
    ) -> Response:
        """`rows` (a list or a query) as a download or a page; `entries` turns rows into
        the plain dicts both show (default: the rows are such dicts already); `extra` adds
        keys to the JSON page only."""
        if export_format(request):
            table = Table(columns, entries(rows) if entries else rows)
            return export_response(request, table, filename)
        page = paginate(request, rows, params)
        if entries is not None:
            page.results = list(entries(page.results))
        return Response((extra() if extra else {}) | page.as_dict())


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

    @public_read
    def retrieve(self, request: Request, pk: str) -> Response:
        record = self.record(pk)
        return version_conditional(request, record, lambda: Response(self.representation(record)))


class RecordWriteViewSet(VersionedViewSet):
    """A resource of versioned records that belong to an owner (a participant), written
    through a service: POST records one, PUT and PATCH change one, DELETE removes one, each
    edit with the version from If-Match. An edit cannot move a record to another owner.

    Subclasses give the service calls: `service_create(owner, values, actor)`,
    `service_update(record, values, actor, version)` and
    `service_delete(record, actor, version)`; and their schema with `extend_schema_view`.
    """

    owner_field = "state"  # the body field naming the owner
    owner_attribute = "participant"  # the record's attribute holding it
    owner_code = "iso3"  # how clients name the owner
    service_field_names = {"participant": "state"}

    def service_create(self, owner: Any, values: dict[str, Any], actor: Any) -> Any:
        raise NotImplementedError

    def service_update(
        self, record: Any, values: dict[str, Any], actor: Any, version: int | None
    ) -> Any:
        raise NotImplementedError

    def service_delete(self, record: Any, actor: Any, version: int | None) -> None:
        raise NotImplementedError

    def write_values(self, request: Request, record: Any, *, partial: bool) -> dict[str, Any]:
        """The validated body as service keyword arguments; the owner cannot change."""
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        owner = values.pop(self.owner_field, None)
        if owner is not None and owner.pk != getattr(record, f"{self.owner_attribute}_id"):
            code = getattr(getattr(record, self.owner_attribute), self.owner_code)
            raise exceptions.ValidationError(
                {
                    self.owner_field: exceptions.ErrorDetail(
                        _(
                            "This record belongs to %(code)s; delete it and record it anew for "
                            "another participant."
                        )
                        % {"code": code},
                        code="fixed",
                    )
                }
            )
        return values

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        record = self.service_create(values.pop(self.owner_field), values, request.user)
        response = self.answer(record, status.HTTP_201_CREATED)
        response["Location"] = reverse(f"{self.basename}-detail", args=[record.pk], request=request)
        return response

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        record = self.record(pk)
        version = expected_version(request, record)
        values = self.write_values(request, record, partial=partial)
        if not values:
            return self.answer(record)  # a PATCH that changes nothing saves nothing
        return self.answer(self.service_update(record, values, request.user, version))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        record = self.record(pk)
        self.service_delete(record, request.user, expected_version(request, record))
        return Response(status=status.HTTP_204_NO_CONTENT)
