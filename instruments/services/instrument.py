"""Writes to an instrument's own record: the shipped instruments table, and the date to which
its status data are complete."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.writes import (
    Actor,
    locked,
    record_save,
    record_upsert,
)
from instruments.models import Instrument


def instrument_upsert(*, code: str, actor: Actor = None, **values: Any) -> tuple[str, Instrument]:
    """Create or bring up to date an instrument's record (the shipped instruments.csv)."""
    result = record_upsert(
        Instrument,
        key={"code": code},
        values=values,
        actor=actor,
        clean=lambda instrument: instrument.full_clean(validate_unique=False),
    )
    return result.outcome, result.instance


def currency_problems(instrument: Instrument, status_complete_to: date) -> list[ValidationError]:
    """Why the status data of `instrument` cannot be said complete to this date, if at all."""
    problems = []
    if status_complete_to > timezone.localdate():
        problems.append(
            ValidationError(
                _("%(date)s is after today: data cannot be complete to a date that has not come.")
                % {"date": status_complete_to},
                code="date_in_future",
            )
        )
    if status_complete_to < instrument.adopted_on:
        problems.append(
            ValidationError(
                _("%(date)s is before the %(title)s was adopted.")
                % {"date": status_complete_to, "title": instrument.short_title},
                code="date_before_adoption",
            )
        )
    return problems


def instrument_currency_update(
    *,
    instrument: Instrument,
    status_complete_to: date,
    status_currency_note: str,
    actor: Actor = None,
    expected_version: int | None = None,
) -> Instrument:
    """Move forward (or correct) the date to which an instrument's status data is complete;
    `expected_version` guards against lost updates."""
    problems = currency_problems(instrument, status_complete_to)
    if problems:
        raise ValidationError({"status_complete_to": problems})
    with transaction.atomic():
        stored = locked(Instrument, instrument.pk, expected_version)
        stored.status_complete_to = status_complete_to
        stored.status_currency_note = status_currency_note
        return record_save(stored, actor, new_version=True)
