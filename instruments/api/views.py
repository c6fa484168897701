"""The treaty-data resources: status/, instruments/, states/ (with the status detail),
actions/ and declarations/.

Each method parses its parameters, calls selectors or services, and renders plain dicts.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.conditional import request_revision, signed_in
from core.rest.conditional import revision_conditional
from core.rest.exports import (
    FORMAT_PARAMETER,
    export_schema_responses,
)
from core.rest.pagination import paged, paginate
from core.rest.views import ApiViewSet, ExportingListMixin, RecordWriteViewSet
from instruments import services
from instruments.api.serializers import (
    STATUS_COLUMNS,
    ActionPageSerializer,
    ActionSerializer,
    ActionWriteSerializer,
    DeclarationPageSerializer,
    DeclarationSerializer,
    DeclarationWriteSerializer,
    InstrumentPageSerializer,
    InstrumentSerializer,
    StateDetailSerializer,
    StatusPageSerializer,
    action_detail,
    completeness,
    declaration_detail,
    instrument_row,
)
from instruments.filters import (
    ACTION_ORDERINGS,
    ActionFilterSet,
    AsOfFilterSet,
    DeclarationFilterSet,
    StatusFilterSet,
)
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.records import (
    ACTION_COLUMNS,
    action_list,
    action_row,
    action_rows,
    declaration_list,
    declaration_row,
    declaration_rows,
)
from instruments.selectors import (
    StatusEntries,
    instrument_list_at,
    status_entries,
    status_matrix,
)
from instruments.status_sheet import status_view_rows
from states.api.views import ParticipantViewSet, participant_rows, participant_values
from states.models import Participant
from states.selectors import participant_list


class StatusViewSet(ExportingListMixin, ApiViewSet):
    """status/: the status matrix, from instruments.selectors.status_matrix."""

    export_actions = ("list",)
    filterset_class = paged(StatusFilterSet)
    queryset = Participant.objects.none()  # (for the schema: a list of participants' statuses)

    @extend_schema(
        summary="Status matrix",
        description="Where each participant stood with each instrument on `as_of`: one entry "
        "per participant and instrument. `instruments` says, per instrument, the date its "
        'data are complete to ("complete to DATE; later actions partial"). As CSV or XLSX '
        "(format=csv|xlsx): the whole filtered table in the same order, unpaginated, with "
        "the columns of an entry.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(StatusPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        """Three queries whatever the number of participants: the revision (ETag, and the key
        of the instruments held in memory; one more when they are not held); the
        participants; their actions."""
        instruments = instrument_list_at(request_revision(request))
        params = self.filterset_class(request.query_params, instruments=instruments).values()
        as_of = params["as_of"]
        # The same rows in the same order as the status page (instruments.status_sheet),
        # built as read: a page works out only its own rows, a download every row.
        matrix, shown = status_view_rows(params, instruments)
        entries = StatusEntries(matrix, shown)
        return self.list_answer(
            request,
            params,
            entries,
            columns=STATUS_COLUMNS,
            filename=f"untoc-status-{as_of.isoformat()}",
            extra=lambda: {"as_of": as_of, "instruments": completeness(matrix.instruments, as_of)},
        )


class InstrumentViewSet(ApiViewSet):
    """instruments/: the Convention and its Protocols, with counts as of a date."""

    queryset = Instrument.objects.all()
    filterset_class = paged(AsOfFilterSet)
    lookup_field = "code"
    lookup_value_regex = "[a-z]{2,8}"

    @extend_schema(
        summary="Instruments",
        description="The Convention and its Protocols, with the entry-into-force rule as data, "
        "the recorded date of entry into force, and counts of signatories and parties as of "
        "`as_of`.",
        responses=InstrumentPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        """Three queries: the revision (and the key of the instruments held in memory; one
        more when they are not held); every participant; their actions (for the counts)."""
        instruments = instrument_list_at(request_revision(request))
        params = self.filterset_class(request.query_params, instruments=instruments).values()
        matrix = status_matrix(as_of=params["as_of"], instruments=instruments)
        counts = matrix.counts()
        rows = [instrument_row(i, counts[i.code], matrix.as_of) for i in matrix.instruments]
        return Response(paginate(request, rows, params).as_dict())

    @extend_schema(
        summary="One instrument",
        description="Its entry-into-force rule as data, the recorded date of entry into "
        "force, and counts of signatories and parties as of `as_of`.",
        parameters=AsOfFilterSet.openapi(),
        responses=InstrumentSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, code: str) -> Response:
        instruments = instrument_list_at(request_revision(request))
        params = AsOfFilterSet(
            request.query_params, instruments=instruments, instrument_codes=[code]
        ).values()
        matrix = status_matrix(
            as_of=params["as_of"], instrument_codes=[code], instruments=instruments
        )
        if not matrix.instruments:
            raise Http404
        (instrument,) = matrix.instruments
        return Response(instrument_row(instrument, matrix.counts()[code], matrix.as_of))


class StateViewSet(ParticipantViewSet):
    """states/: the participants list (states.api.views) and a participant's status."""

    @extend_schema(
        summary="One participant, with its status for each instrument",
        description="The participant as in the list, and one status entry per instrument "
        "as of `as_of` (as in status/).",
        parameters=[
            *AsOfFilterSet.openapi(),
            OpenApiParameter("iso3", str, OpenApiParameter.PATH, pattern="^[A-Za-z]{3}$"),
        ],
        responses=StateDetailSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, iso3: str) -> Response:
        instruments = instrument_list_at(request_revision(request))
        params = AsOfFilterSet(request.query_params, instruments=instruments).values()
        participants = participant_list().filter(iso3=iso3.upper())
        rows = participant_rows(list(participant_values(participants)))
        if not rows:
            raise Http404
        matrix = status_matrix(
            as_of=params["as_of"], participants=participants, instruments=instruments
        )
        return Response(
            rows[0]
            | {
                "as_of": matrix.as_of,
                "instruments": completeness(matrix.instruments, matrix.as_of),
                "status": status_entries(matrix),
            }
        )


@extend_schema_view(
    create=extend_schema(
        summary="Record a treaty action",
        description="SPMU editors only. The treaty rules are checked as in the back office; a "
        "broken rule answers 400 naming the field and the rule.",
        request=ActionWriteSerializer,
        responses={201: ActionSerializer},
    ),
    update=extend_schema(
        summary="Change a treaty action",
        description="Send every field; If-Match must carry the action's ETag.",
        request=ActionWriteSerializer,
        responses=ActionSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a treaty action",
        description="If-Match must carry the action's ETag.",
        request=ActionWriteSerializer,
        responses=ActionSerializer,
    ),
    destroy=extend_schema(
        summary="Remove a treaty action",
        description="If-Match must carry the action's ETag. Refused (400) when another action "
        "depends on it, e.g. a Protocol consent on the Convention consent.",
    ),
)
class ActionViewSet(ExportingListMixin, RecordWriteViewSet):
    """actions/: treaty actions; writes go through instruments.services.action_*."""

    queryset = TreatyAction.objects.select_related("participant", "instrument")
    serializer_class = ActionWriteSerializer
    export_actions = ("list",)
    filterset_class = paged(ActionFilterSet)

    def representation(self, record: TreatyAction) -> dict[str, Any]:
        return action_detail(record, recorded_source=signed_in(self.request))

    @extend_schema(
        summary="Treaty actions",
        description="Signatures, consents to be bound and denunciations as the depositary "
        "records them. As CSV or XLSX: the whole filtered list, unpaginated.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(ActionPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        actions = action_list(
            states=params["state"],
            instruments=params["instrument"],
            kinds=params["kind"],
            osce_role=params["osce_role"],
            date_from=params["date_from"],
            date_to=params["date_to"],
        ).order_by(*ACTION_ORDERINGS[params["ordering"]])
        staff = signed_in(request)  # only staff read the recorded source (action_row)
        return self.list_answer(
            request,
            params,
            action_rows(actions),
            columns=ACTION_COLUMNS,
            filename="untoc-actions",
            entries=lambda rows: (action_row(r, recorded_source=staff) for r in rows),
        )

    @extend_schema(
        summary="One treaty action",
        description="Its ETag is its version: send it in If-Match to change or remove it.",
        responses=ActionSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return super().retrieve(request, pk)

    def service_create(self, owner: Any, values: dict[str, Any], actor: Any) -> TreatyAction:
        return services.action_record(participant=owner, actor=actor, **values)

    def service_update(
        self, record: TreatyAction, values: dict[str, Any], actor: Any, version: int | None
    ) -> TreatyAction:
        return services.action_update(
            action=record, actor=actor, expected_version=version, **values
        )

    def service_delete(self, record: TreatyAction, actor: Any, version: int | None) -> None:
        services.action_delete(action=record, actor=actor, expected_version=version)


@extend_schema_view(
    create=extend_schema(
        summary="Record a declaration",
        description="SPMU editors only; checked by the same rules as in the back office.",
        request=DeclarationWriteSerializer,
        responses={201: DeclarationSerializer},
    ),
    update=extend_schema(
        summary="Change a declaration",
        description="Send every field; If-Match must carry the declaration's ETag.",
        request=DeclarationWriteSerializer,
        responses=DeclarationSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a declaration",
        description="If-Match must carry the declaration's ETag.",
        request=DeclarationWriteSerializer,
        responses=DeclarationSerializer,
    ),
    destroy=extend_schema(
        summary="Remove a declaration", description="If-Match must carry its ETag."
    ),
)
class DeclarationViewSet(RecordWriteViewSet):
    """declarations/: writes go through instruments.services.declaration_*."""

    queryset = Declaration.objects.select_related("participant", "instrument")
    serializer_class = DeclarationWriteSerializer
    filterset_class = paged(DeclarationFilterSet)

    def representation(self, record: Declaration) -> dict[str, Any]:
        return declaration_detail(record, recorded_source=signed_in(self.request))

    @extend_schema(
        summary="Declarations, reservations, notifications and objections",
        description="Short factual summaries in the tracker's own words, with their source.",
        responses=DeclarationPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        declarations = declaration_list(
            states=params["state"],
            instruments=params["instrument"],
            kinds=params["kind"],
            article=params["article"],
            text=params["search"],
        )
        page = paginate(request, declaration_rows(declarations), params)
        staff = signed_in(request)
        page.results = [declaration_row(r, recorded_source=staff) for r in page.results]
        return Response(page.as_dict())

    @extend_schema(
        summary="One declaration",
        description="Its ETag is its version: send it in If-Match to change or remove it.",
        responses=DeclarationSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return super().retrieve(request, pk)

    def service_create(self, owner: Any, values: dict[str, Any], actor: Any) -> Declaration:
        return services.declaration_record(participant=owner, actor=actor, **values)

    def service_update(
        self, record: Declaration, values: dict[str, Any], actor: Any, version: int | None
    ) -> Declaration:
        return services.declaration_update(
            declaration=record, actor=actor, expected_version=version, **values
        )

    def service_delete(self, record: Declaration, actor: Any, version: int | None) -> None:
        services.declaration_delete(declaration=record, actor=actor, expected_version=version)
