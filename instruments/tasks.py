"""Celery tasks of the treaty data: thin wrappers that call one function."""

from typing import Any

from celery import shared_task
from django.conf import settings

from instruments import public_events
from instruments.depositary import fetch


@shared_task(soft_time_limit=600, time_limit=660)
def depositary_check() -> dict[str, Any]:
    """Read the depositary's status pages and store their differences for review (weekly,
    when DEPOSITARY_CHECK is on). Safe to run twice: a table already read is not stored
    again."""
    if not settings.DEPOSITARY_CHECK_ENABLED:
        return {"skipped": "DEPOSITARY_CHECK is off"}
    return fetch.summary(fetch.depositary_check())


@shared_task(acks_late=True)
def dated_events_record() -> dict[str, Any]:
    """Record the events the dates bring (an entry into force reached, a denunciation taking
    effect), daily; safe to run twice: each is recorded once (Event.key)."""
    return {"recorded": public_events.dated_events_record()}
