"""webhooks/: endpoints a signed-in REST client registers for the change log's events.

Its owner registers, reads, pings, enables and removes an endpoint, reads its delivery log
and redelivers from it; staff may read every endpoint and log. The secret is in the answer
that creates the endpoint, and nowhere else.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from alerts import services
from alerts.models import Attempt, Delivery, WebhookEndpoint
from alerts.tasks import webhook_deliver
from core.models import Event
from core.rest.views import ApiViewSet


class WebhookWriteSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=500,
        help_text="https://, resolving to public addresses only; redirects are not followed.",
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.Kind.choices),
        default=list,
        help_text="The kinds of event to receive; empty for all.",
    )


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    disabled_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    secret = serializers.CharField(
        required=False, help_text="Only in the answer that registers the endpoint: keep it."
    )


def endpoint_row(endpoint: WebhookEndpoint, *, with_secret: bool = False) -> dict[str, Any]:
    row = {
        "id": endpoint.pk,
        "url": endpoint.url,
        "kinds": endpoint.kinds,
        "is_active": endpoint.is_active,
        "disabled_reason": endpoint.disabled_reason,
        "created_at": endpoint.created_at,
    }
    return row | {"secret": endpoint.secret} if with_secret else row


def delivery_row(delivery: Delivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "event": delivery.event_id,
        "kind": delivery.event.kind if delivery.event else "ping",
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": (
            delivery.next_attempt_at if delivery.status == Delivery.Status.PENDING else None
        ),
        "response_code": delivery.response_code,
        "log": [
            {
                "at": attempt.at,
                "response_code": attempt.response_code,
                "response_excerpt": attempt.response_excerpt,
                "error": attempt.error,
            }
            for attempt in delivery.tries.all()
        ],
    }


class WebhookViewSet(ApiViewSet):
    """webhooks/: a signed-in client's endpoints (staff: every one, to read)."""

    permission_classes = [IsAuthenticated]
    serializer_class = WebhookWriteSerializer
    queryset = WebhookEndpoint.objects.none()  # (for the schema)
    lookup_value_regex = "[0-9]{1,18}"

    def visible(self) -> QuerySet[WebhookEndpoint]:
        endpoints = WebhookEndpoint.objects.order_by("pk")
        return (
            endpoints if self.request.user.is_staff else endpoints.filter(owner=self.request.user)
        )

    def endpoint(self, pk: str, *, own: bool = False) -> WebhookEndpoint:
        """The endpoint, if the client may see it; `own`: refused unless it is the client's
        (staff see every endpoint, and change only their own)."""
        found = self.visible().filter(pk=int(pk)).first()
        if found is None:
            raise Http404
        if own and found.owner_id != self.request.user.pk:
            raise PermissionDenied("Only the client that registered this endpoint may change it.")
        return found

    @extend_schema(summary="Your webhook endpoints", responses=WebhookSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response([endpoint_row(e) for e in self.visible()])

    @extend_schema(
        summary="Register a webhook endpoint",
        description="The answer carries the endpoint's signing secret, shown this once.",
        request=WebhookWriteSerializer,
        responses={201: WebhookSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = WebhookWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_register(owner=request.user, **serializer.validated_data)
        return Response(endpoint_row(endpoint, with_secret=True), status=status.HTTP_201_CREATED)

    @extend_schema(summary="One webhook endpoint", responses=WebhookSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(endpoint_row(self.endpoint(pk)))

    @extend_schema(
        summary="Change a webhook endpoint's URL or kinds",
        request=WebhookWriteSerializer,
        responses=WebhookSerializer,
    )
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        endpoint = self.endpoint(pk, own=True)
        serializer = WebhookWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            endpoint = services.endpoint_update(endpoint, **serializer.validated_data)
        return Response(endpoint_row(endpoint))

    @extend_schema(
        summary="Change some of a webhook endpoint's settings",
        request=WebhookWriteSerializer,
        responses=WebhookSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(summary="Remove a webhook endpoint", responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        self.endpoint(pk, own=True).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="The delivery log", request=None, responses={200: dict})
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.endpoint(pk)
        rows = (
            endpoint.deliveries.select_related("event")
            .prefetch_related(Prefetch("tries", Attempt.objects.order_by("pk")))
            .order_by("-pk")[:100]
        )
        return Response([delivery_row(d) for d in rows])

    @extend_schema(summary="Send a test delivery", request=None, responses={202: dict})
    @action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: str) -> Response:
        delivery = services.ping_queue(self.endpoint(pk, own=True))
        webhook_deliver.delay_on_commit(delivery.pk)
        return Response({"delivery": delivery.pk}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Enable a disabled endpoint again", request=None, responses=WebhookSerializer
    )
    @action(detail=True, methods=["post"])
    def enable(self, request: Request, pk: str) -> Response:
        endpoint = self.endpoint(pk, own=True)
        services.endpoint_enable(endpoint)
        endpoint.refresh_from_db()
        return Response(endpoint_row(endpoint))

    @extend_schema(summary="Deliver again from the log", request=None, responses={202: dict})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/redeliver",
        url_name="redeliver",
    )
    def redeliver(self, request: Request, pk: str, delivery_id: str) -> Response:
        endpoint = self.endpoint(pk, own=True)
        delivery = endpoint.deliveries.filter(pk=int(delivery_id)).first()
        if delivery is None:
            raise Http404
        services.redelivery_queue(delivery)
        webhook_deliver.delay_on_commit(delivery.pk)
        return Response({"delivery": delivery.pk}, status=status.HTTP_202_ACCEPTED)
