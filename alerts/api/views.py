"""changes/: the change log for clients that mirror the data."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from alerts.api.serializers import ChangePageSerializer
from alerts.filters import ChangeFilterSet
from alerts.selectors import event_list, event_public
from core.models import Event
from core.rest.conditional import revision_conditional
from core.rest.pagination import paged, paginate
from core.rest.views import ApiViewSet


class ChangeViewSet(ApiViewSet):
    """changes/: every change to a public fact, newest first; ?since=ID for the later ones."""

    filterset_class = paged(ChangeFilterSet)
    queryset = Event.objects.none()  # (for the schema)

    @extend_schema(
        summary="What changed",
        description="Every change to a public fact: treaty actions and declarations recorded, "
        "changed or removed; entries into force reached; denunciations taking effect; "
        "compliance standings changing; depositary imports applied. Newest first; with "
        "since=ID, the events after that id, oldest first: keep the last id you read and "
        "ask again with it to get every later event once, in order.",
        responses=ChangePageSerializer,
    )
    @revision_conditional
    def list(self, request: Request) -> Response:
        params = self.filterset_class(request.query_params).values()
        events = event_list(
            states=params["state"],
            instruments=params["instrument"],
            kinds=params["kind"],
            since=params["since"],
        )
        page = paginate(request, events, params)
        page.results = [event_public(e) for e in page.results]
        return Response(page.as_dict())
