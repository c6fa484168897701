"""The start-up check that a webhook delivery's lease ends before the broker hands its task
out again (alerts/checks.py)."""

from django.core.checks import run_checks
from django.test import override_settings

from alerts.checks import webhook_lease_below_visibility_timeout


def options(timeout: int) -> dict:
    return {"visibility_timeout": timeout}


@override_settings(
    CELERY_TASK_ALWAYS_EAGER=False,
    WEBHOOKS_LEASE_SECONDS=120,
    CELERY_BROKER_TRANSPORT_OPTIONS=options(120),
)
def test_a_lease_as_long_as_the_visibility_timeout_is_refused_at_start_up():
    errors = [e for e in run_checks(tags=["alerts"]) if e.id == "alerts.E001"]
    assert len(errors) == 1
    assert "WEBHOOKS_LEASE_SECONDS=120 must be below CELERY_VISIBILITY_TIMEOUT=120" in errors[0].msg


@override_settings(
    CELERY_TASK_ALWAYS_EAGER=False,
    WEBHOOKS_LEASE_SECONDS=119,
    CELERY_BROKER_TRANSPORT_OPTIONS=options(120),
)
def test_a_lease_below_the_visibility_timeout_passes():
    assert webhook_lease_below_visibility_timeout() == []


@override_settings(
    CELERY_TASK_ALWAYS_EAGER=True,
    WEBHOOKS_LEASE_SECONDS=120,
    CELERY_BROKER_TRANSPORT_OPTIONS=options(5),
)
def test_inline_tasks_have_no_visibility_timeout_to_compare_with():
    assert webhook_lease_below_visibility_timeout() == []


def test_the_shipped_defaults_pass():
    assert webhook_lease_below_visibility_timeout() == []
