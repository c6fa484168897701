from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Event


class WebhookEndpoint(models.Model):
    """A URL a REST client registered to receive the events of the kinds it chose, signed
    with a secret it was shown once (alerts.webhooks)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    kinds = models.JSONField(default=list, blank=True, help_text=_("Event kinds; empty for all."))
    # Kept to sign each delivery, so it cannot be a one-way hash; the API shows it only in
    # the answer that creates the endpoint.
    secret = models.CharField(max_length=64)
    # The last event when it was registered: it receives the later ones only.
    starts_after_event = models.PositiveBigIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class Delivery(models.Model):
    """One event (or a ping) for one endpoint, with every attempt's outcome: the endpoint's
    delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Gave up after every retry")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            # An event is queued once per endpoint, however often the dispatch runs.
            models.UniqueConstraint(
                fields=["endpoint", "event"],
                condition=models.Q(event__isnull=False),
                name="delivery_once_per_endpoint_and_event",
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} of event {self.event_id} to {self.endpoint_id}"


class Attempt(models.Model):
    """One try at a delivery: when, the answer's status code, a short excerpt, or the error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(default=timezone.now)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt at {self.at:%Y-%m-%d %H:%M}: {self.response_code or self.error}"


class DispatchCursor(models.Model):
    """The last event a follower has handled: it reads the stream from there, as an API
    client does with ?since= (WEBHOOKS and MAIL, one row each)."""

    WEBHOOKS = 1
    MAIL = 2

    last_event_id = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"dispatched up to event {self.last_event_id}"


class Subscription(models.Model):
    """An e-mail address following a participant, an instrument, the OSCE participating
    States or everything, confirmed by a signed link before anything else is sent to it.
    Unsubscribing deletes the row: the address is not kept."""

    class Scope(models.TextChoices):
        EVERYTHING = "everything", _("Every change")
        PARTICIPANT = "participant", _("One participant")
        INSTRUMENT = "instrument", _("One instrument")
        OSCE = "osce", _("The OSCE participating States")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per change")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField()
    scope = models.CharField(max_length=12, choices=Scope.choices)
    target = models.CharField(
        max_length=8, blank=True, help_text=_("A participant or instrument code.")
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # The e-mails' language: the site's language the address subscribed in.
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE.split("-")[0],
        help_text=_("The language of its e-mails."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The digest's bookmark: the last event a weekly digest covered.
    digest_after_event = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "scope", "target"], name="subscription_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} ({self.scope} {self.target})".strip()
