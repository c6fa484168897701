"""Start-up checks of the alerts' settings (run by `manage.py check`, `migrate`, `runserver`
and so by `manage.py bootstrap` before a deployment starts)."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("alerts")
def webhook_lease_below_visibility_timeout(**kwargs: object) -> list[CheckMessage]:
    """A delivery's lease must end before the broker hands its task out again, or the task
    given to another worker finds the delivery still held and the retry is lost until the
    next sweep. Inline tasks (no broker) have no visibility timeout to compare with."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    timeout = options.get("visibility_timeout")
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or timeout is None:
        return []
    lease = settings.WEBHOOKS_LEASE_SECONDS
    if lease < timeout:
        return []
    return [
        Error(
            f"WEBHOOKS_LEASE_SECONDS={lease} must be below CELERY_VISIBILITY_TIMEOUT={timeout}",
            hint="A webhook task handed out again by the broker would find its delivery "
            "still leased. Lower the lease or raise the visibility timeout.",
            id="alerts.E001",
        )
    ]
