"""The participants list. Its detail, which shows the status for each instrument, is added in
instruments.api.views (states/ must not depend on instruments/)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.rest.conditional import revision_conditional
from core.rest.exports import (
    FORMAT_PARAMETER,
    Table,
    export_format,
    export_response,
    export_schema_responses,
)
from core.rest.pagination import page_serializer, paged, paginate
from core.rest.views import ApiViewSet
from states.api.serializers import PARTICIPANT_COLUMNS, ParticipantSerializer
from states.filters import PARTICIPANT_ORDERINGS, ParticipantFilterSet
from states.models import Participant
from states.names import participant_name
from states.selectors import alias_names, participant_list, participant_search

_VALUES = ("id", *(c for c in PARTICIPANT_COLUMNS if c != "aliases"))


def participant_values(participants: QuerySet[Participant]) -> QuerySet:
    return participants.values(*_VALUES)


def participant_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Participants (as participant_values) as plain rows with their aliases (one query)."""
    aliases = alias_names([row["id"] for row in rows])
    return [
        {
            column: aliases[row["id"]] if column == "aliases" else row[column]
            for column in PARTICIPANT_COLUMNS
        }
        | {"name": participant_name(row["iso3"], row["name"])}
        for row in rows
    ]


def participants_filtered(params: dict[str, Any]) -> QuerySet[Participant]:
    participants = participant_list(osce_role=params["osce_role"])
    if params["kind"]:
        participants = participants.filter(kind=params["kind"])
    if params["search"]:
        participants = participants.filter(pk__in=participant_search(params["search"]).values("pk"))
    return participants.order_by(*PARTICIPANT_ORDERINGS[params["ordering"]])


ParticipantPageSerializer = page_serializer("ParticipantPage", ParticipantSerializer)


class ParticipantViewSet(ApiViewSet):
    """states/: every participant, filtered; exported as CSV or XLSX."""

    queryset = Participant.objects.all()
    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    export_actions = ("list",)
    filterset_class = paged(ParticipantFilterSet)

    @extend_schema(
        summary="Participants",
        description="Every State and organization the depositary lists, with its OSCE role and "
        "former names (by default the OSCE participating States and Partners; osce_role=any "
        "for all). As CSV or XLSX: the whole filtered list.",
        parameters=[FORMAT_PARAMETER],
        responses=export_schema_responses(ParticipantPageSerializer),
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        participants = participants_filtered(params)
        if export_format(request):
            rows = participant_rows(list(participant_values(participants)))
            table = Table(PARTICIPANT_COLUMNS, rows)
            return export_response(request, table, "untoc-states")
        # Queries: the page of participants with the count of all, their aliases.
        page = paginate(request, participant_values(participants), params, count_in_page=True)
        page.results = participant_rows(page.results)
        return Response(page.as_dict())
