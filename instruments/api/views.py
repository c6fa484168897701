"""The treaty-data resources: status/, instruments/, states/ (with the status detail),
actions/, declarations/ and history/.

Each method parses its parameters, calls selectors or services, and renders plain dicts.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from instruments import services
from instruments.api.filters import (
    ACTION_ORDERINGS,
    ACTION_PARAMS,
    DECLARATION_PARAMS,
    HISTORY_PARAMS,
    INSTRUMENT_PARAMS,
    STATE_DETAIL_PARAMS,
    STATUS_PARAMS,
)
from instruments.api.serializers import (
    STATUS_COLUMNS,
    ActionPageSerializer,
    ActionSerializer,
    ActionWriteSerializer,
    DeclarationPageSerializer,
    DeclarationSerializer,
    DeclarationWriteSerializer,
    HistoryPageSerializer,
    InstrumentPageSerializer,
    InstrumentSerializer,
    StateDetailSerializer,
    StatusPageSerializer,
    action_detail,
    completeness,
    declaration_detail,
    instrument_row,
)
from instruments.history import history_entries, history_feed
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.selectors import (
    ACTION_COLUMNS,
    action_list,
    action_row,
    action_rows,
    declaration_list,
    declaration_row,
    declaration_rows,
    instrument_list_at,
    status_entries,
    status_matrix,
    status_order,
    status_page_by_name,
)
from states.api.filters import osce_roles
from states.api.views import ParticipantViewSet, participant_rows, participant_values
from states.selectors import participant_list
from untoc_tracker.conditional import request_revision
from untoc_tracker.rest.conditional import expected_version, revision_conditional
from untoc_tracker.rest.exports import (
    FORMAT_PARAMETER,
    Table,
    export_format,
    export_response,
    export_schema_responses,
)
from untoc_tracker.rest.pagination import PAGE_PARAMS, page_of, paginate
from untoc_tracker.rest.permissions import StaffOnly
from untoc_tracker.rest.views import ApiViewSet, VersionedViewSet


class StatusViewSet(ApiViewSet):
    """status/: the status matrix, from instruments.selectors.status_matrix."""

    export_actions = ("list",)

    @extend_schema(
        summary="Status matrix",
        description="Where each participant stood with each instrument on `as_of`: one entry "
        "per participant and instrument. `instruments` says, per instrument, the date its "
        'data are complete to ("complete to DATE; later actions partial"). As CSV or XLSX '
        "(format=csv|xlsx): the whole filtered table in the same order, unpaginated, with "
        "the columns of an entry.",
        parameters=[*STATUS_PARAMS.openapi(), *PAGE_PARAMS.openapi(), FORMAT_PARAMETER],
        responses=export_schema_responses(StatusPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        """Three queries whatever the number of participants: the revision (ETag, and the key
        of the instruments held in memory; one more when they are not held); the
        participants (for a page by name: that page's, with the count of all); their actions.
        """
        params = (STATUS_PARAMS + PAGE_PARAMS).parse(request)
        participants = participant_list(osce_role=params["osce_role"])
        if params["state"]:
            participants = participants.filter(iso3__in=params["state"])
        as_of = params["as_of"]
        instruments = instrument_list_at(request_revision(request))
        if params["ordering"] in ("name", "-name") and not export_format(request):
            # By name, a page needs only its own participants' statuses.
            offset = (params["page"] - 1) * params["page_size"]
            found = status_page_by_name(
                as_of=as_of,
                participants=participants,
                instruments=instruments,
                instrument_codes=params["instrument"],
                offset=offset,
                limit=params["page_size"],
                descending=params["ordering"] == "-name",
            )
            page = page_of(request, found.count, found.entries, params)
            shown = found.matrix.instruments
        else:
            matrix = status_matrix(
                as_of=as_of,
                participants=participants,
                instrument_codes=params["instrument"],
                instruments=instruments,
            )
            # The same order as the status page, so a download matches the table on screen.
            entries = status_entries(matrix, status_order(matrix, params["ordering"]))
            if export_format(request):
                return export_response(
                    request, Table(STATUS_COLUMNS, entries), f"untoc-status-{as_of.isoformat()}"
                )
            page = paginate(request, entries, params)
            shown = matrix.instruments
        return Response(
            {"as_of": as_of, "instruments": completeness(shown, as_of)} | page.as_dict()
        )


class InstrumentViewSet(ApiViewSet):
    """instruments/: the Convention and its Protocols, with counts as of a date."""

    queryset = Instrument.objects.all()
    lookup_field = "code"
    lookup_value_regex = "[a-z]{2,8}"

    @extend_schema(
        summary="Instruments",
        description="The Convention and its Protocols, with the entry-into-force rule as data, "
        "the recorded date of entry into force, and counts of signatories and parties as of "
        "`as_of`.",
        parameters=[*INSTRUMENT_PARAMS.openapi(), *PAGE_PARAMS.openapi()],
        responses=InstrumentPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        """Three queries: the revision (and the key of the instruments held in memory; one
        more when they are not held); every participant; their actions (for the counts)."""
        params = (INSTRUMENT_PARAMS + PAGE_PARAMS).parse(request)
        matrix = status_matrix(
            as_of=params["as_of"], instruments=instrument_list_at(request_revision(request))
        )
        counts = matrix.counts()
        rows = [instrument_row(i, counts[i.code], matrix.as_of) for i in matrix.instruments]
        return Response(paginate(request, rows, params).as_dict())

    @extend_schema(
        summary="One instrument",
        description="Its entry-into-force rule as data, the recorded date of entry into "
        "force, and counts of signatories and parties as of `as_of`.",
        parameters=INSTRUMENT_PARAMS.openapi(),
        responses=InstrumentSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, code: str) -> Response:
        params = INSTRUMENT_PARAMS.parse(request)
        matrix = status_matrix(
            as_of=params["as_of"],
            instrument_codes=[code],
            instruments=instrument_list_at(request_revision(request)),
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
            *STATE_DETAIL_PARAMS.openapi(),
            OpenApiParameter("iso3", str, OpenApiParameter.PATH, pattern="^[A-Za-z]{3}$"),
        ],
        responses=StateDetailSerializer,
    )
    @revision_conditional
    def retrieve(self, request: Request, iso3: str) -> Response:
        params = STATE_DETAIL_PARAMS.parse(request)
        participants = participant_list().filter(iso3=iso3.upper())
        rows = participant_rows(list(participant_values(participants)))
        if not rows:
            raise Http404
        matrix = status_matrix(
            as_of=params["as_of"],
            participants=participants,
            instruments=instrument_list_at(request_revision(request)),
        )
        return Response(
            rows[0]
            | {
                "as_of": matrix.as_of,
                "instruments": completeness(matrix.instruments, matrix.as_of),
                "status": status_entries(matrix),
            }
        )


class TreatyRecordViewSet(VersionedViewSet):
    """Actions and declarations: records of one participant, which an edit cannot change."""

    service_field_names = {"participant": "state"}

    def write_values(self, request: Request, record: Any, *, partial: bool) -> dict[str, Any]:
        """The validated body as service keyword arguments; the participant cannot change."""
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        participant = values.pop("state", None)
        if participant is not None and participant.pk != record.participant_id:
            raise exceptions.ValidationError(
                {
                    "state": exceptions.ErrorDetail(
                        f"This record belongs to {record.participant.iso3}; delete it and "
                        "record it anew for another participant.",
                        code="fixed",
                    )
                }
            )
        return values


class ActionViewSet(TreatyRecordViewSet):
    """actions/: treaty actions; writes go through instruments.services.action_*."""

    queryset = TreatyAction.objects.select_related("participant", "instrument")
    serializer_class = ActionWriteSerializer
    export_actions = ("list",)

    def representation(self, record: TreatyAction) -> dict[str, Any]:
        return action_detail(record)

    @extend_schema(
        summary="Treaty actions",
        description="Signatures, consents to be bound and denunciations as the depositary "
        "records them. As CSV or XLSX: the whole filtered list, unpaginated.",
        parameters=[*ACTION_PARAMS.openapi(), *PAGE_PARAMS.openapi(), FORMAT_PARAMETER],
        responses=export_schema_responses(ActionPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (ACTION_PARAMS + PAGE_PARAMS).parse(request)
        actions = action_list(
            states=params["state"],
            instruments=params["instrument"],
            kinds=params["kind"],
            osce_roles=osce_roles(params["osce_role"]),
            date_from=params["date_from"],
            date_to=params["date_to"],
        ).order_by(*ACTION_ORDERINGS[params["ordering"]])
        rows = action_rows(actions)
        if export_format(request):
            table = Table(ACTION_COLUMNS, (action_row(r) for r in rows))
            return export_response(request, table, "untoc-actions")
        page = paginate(request, rows, params)
        page.results = [action_row(r) for r in page.results]
        return Response(page.as_dict())

    @extend_schema(
        summary="One treaty action",
        description="Its ETag is its version: send it in If-Match to change or remove it.",
        responses=ActionSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return super().retrieve(request, pk)

    @extend_schema(
        summary="Record a treaty action",
        description="SPMU editors only. The treaty rules are checked as in the back office; a "
        "broken rule answers 400 naming the field and the rule.",
        request=ActionWriteSerializer,
        responses={201: ActionSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        action = services.action_record(
            participant=values.pop("state"), actor=request.user, **values
        )
        response = self.answer(action, status.HTTP_201_CREATED)
        response["Location"] = reverse("action-detail", args=[action.pk], request=request)
        return response

    @extend_schema(
        summary="Change a treaty action",
        description="Send every field; If-Match must carry the action's ETag.",
        request=ActionWriteSerializer,
        responses=ActionSerializer,
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        action = self.record(pk)
        version = expected_version(request, action)
        values = self.write_values(request, action, partial=partial)
        if not values:
            return self.answer(action)  # a PATCH that changes nothing saves nothing
        updated = services.action_update(
            action=action, actor=request.user, expected_version=version, **values
        )
        return self.answer(updated)

    @extend_schema(
        summary="Change some fields of a treaty action",
        description="If-Match must carry the action's ETag.",
        request=ActionWriteSerializer,
        responses=ActionSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(
        summary="Remove a treaty action",
        description="If-Match must carry the action's ETag. Refused (400) when another action "
        "depends on it, e.g. a Protocol consent on the Convention consent.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        action = self.record(pk)
        version = expected_version(request, action)
        services.action_delete(action=action, actor=request.user, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeclarationViewSet(TreatyRecordViewSet):
    """declarations/: writes go through instruments.services.declaration_*."""

    queryset = Declaration.objects.select_related("participant", "instrument")
    serializer_class = DeclarationWriteSerializer

    def representation(self, record: Declaration) -> dict[str, Any]:
        return declaration_detail(record)

    @extend_schema(
        summary="Declarations, reservations, notifications and objections",
        description="Short factual summaries in the tracker's own words, with their source.",
        parameters=[*DECLARATION_PARAMS.openapi(), *PAGE_PARAMS.openapi()],
        responses=DeclarationPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (DECLARATION_PARAMS + PAGE_PARAMS).parse(request)
        declarations = declaration_list(
            states=params["state"],
            instruments=params["instrument"],
            kinds=params["kind"],
            article=params["article"],
            text=params["search"],
        )
        page = paginate(request, declaration_rows(declarations), params)
        page.results = [declaration_row(r) for r in page.results]
        return Response(page.as_dict())

    @extend_schema(
        summary="One declaration",
        description="Its ETag is its version: send it in If-Match to change or remove it.",
        responses=DeclarationSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return super().retrieve(request, pk)

    @extend_schema(
        summary="Record a declaration",
        description="SPMU editors only; checked by the same rules as in the back office.",
        request=DeclarationWriteSerializer,
        responses={201: DeclarationSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        declaration = services.declaration_record(
            participant=values.pop("state"), actor=request.user, **values
        )
        response = self.answer(declaration, status.HTTP_201_CREATED)
        response["Location"] = reverse("declaration-detail", args=[declaration.pk], request=request)
        return response

    @extend_schema(
        summary="Change a declaration",
        description="Send every field; If-Match must carry the declaration's ETag.",
        request=DeclarationWriteSerializer,
        responses=DeclarationSerializer,
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        declaration = self.record(pk)
        version = expected_version(request, declaration)
        values = self.write_values(request, declaration, partial=partial)
        if not values:
            return self.answer(declaration)  # a PATCH that changes nothing saves nothing
        updated = services.declaration_update(
            declaration=declaration, actor=request.user, expected_version=version, **values
        )
        return self.answer(updated)

    @extend_schema(
        summary="Change some fields of a declaration",
        description="If-Match must carry the declaration's ETag.",
        request=DeclarationWriteSerializer,
        responses=DeclarationSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(summary="Remove a declaration", description="If-Match must carry its ETag.")
    def destroy(self, request: Request, pk: str) -> Response:
        declaration = self.record(pk)
        version = expected_version(request, declaration)
        services.declaration_delete(
            declaration=declaration, actor=request.user, expected_version=version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class HistoryViewSet(ApiViewSet):
    """history/: the audit trail, from instruments.history."""

    permission_classes = [StaffOnly]

    @extend_schema(
        summary="Audit trail (staff only)",
        description="Every change to treaty data, newest first: which record, who, when, the "
        "fields that changed and the record's values after the change.",
        parameters=[*HISTORY_PARAMS.openapi(), *PAGE_PARAMS.openapi()],
        responses=HistoryPageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = (HISTORY_PARAMS + PAGE_PARAMS).parse(request)
        feed = history_feed(
            resources=params["resource"],
            states=params["state"],
            username=params["user"],
            date_from=params["date_from"],
            date_to=params["date_to"],
            record=params["record"],
        )
        page = paginate(request, feed, params, counted=True)
        page.results = history_entries(page.results)
        return Response(page.as_dict())
