"""The alerts in the back office, read-only: staff see the e-mail subscriptions (their
addresses masked: an address is shown nowhere), the webhook endpoints (never their secrets)
and the delivery log with every attempt. The services write them (alerts.services,
alerts.subscriptions); here nothing is added or changed. Administrators may delete a
subscription, to end one on its owner's request, and find it by its exact address."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext_lazy

from alerts.models import Attempt, Delivery, Subscription, WebhookEndpoint
from core.admin import DeclaredLookupsOnlyMixin, list_params_problem


def masked(email: str) -> str:
    """An address as the back office shows it: its first letter and its domain."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


class ReadOnlyAdmin(DeclaredLookupsOnlyMixin, admin.ModelAdmin):
    """Look, never add or change: the rows are the services' to write. A list whose query
    parameters the database cannot read is refused with a 400 naming them (as
    core.admin.CheckedListMixin does; its history checks are for simple-history's pages);
    a list is filtered only by its declared filters (no probing a secret or an address)."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        problem = list_params_problem(request.GET)
        if problem:
            return HttpResponseBadRequest(f"{problem} Remove it from the address.")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "address",
        "scope",
        "target",
        "frequency",
        "language",
        "created_at",
        "confirmed",
    ]
    list_filter = ["scope", "frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    fields = ["address", "scope", "target", "frequency", "language", "created_at", "confirmed_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("address"))
    def address(self, subscription: Subscription) -> str:
        return masked(subscription.email)

    @admin.display(description=gettext_lazy("confirmed"), boolean=True, ordering="confirmed_at")
    def confirmed(self, subscription: Subscription) -> bool:
        return subscription.confirmed_at is not None

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # Only administrators find a subscription, and only by its exact address (to end it
        # on request): no one browses addresses by a part of them.
        return ["=email"] if request.user.is_superuser else []


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "owner", "kinds_shown", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__username"]
    list_select_related = ["owner"]
    # Never the secret: it was shown once, to the owner.
    fields = [
        "url",
        "owner",
        "kinds_shown",
        "is_active",
        "disabled_reason",
        "starts_after_event",
        "created_at",
    ]
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its owner removes it through the API

    @admin.display(description=gettext_lazy("kinds"))
    def kinds_shown(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.kinds) or "all"


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["at", "response_code", "response_excerpt", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "endpoint",
        "event_shown",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "endpoint__is_active"]
    search_fields = ["endpoint__url", "=event__id"]
    list_select_related = ["endpoint", "event"]
    fields = [
        "endpoint",
        "event_shown",
        "status",
        "attempts",
        "response_code",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
    ]
    readonly_fields = fields
    inlines = [AttemptInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the log stays

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request).select_related("endpoint", "event")

    @admin.display(description=gettext_lazy("event"), ordering="event_id")
    def event_shown(self, delivery: Delivery) -> str:
        if delivery.event is None:
            return "ping"
        return f"{delivery.event_id}: {delivery.event.get_kind_display()}"
