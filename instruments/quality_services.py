"""Every write to the depositary's checkpoints and to the open questions.

Like the treaty actions' services: each write is atomic, checks its rules (a ValidationError
naming the field and the rule), refuses a stale edit, keeps its history with who made it and
counts the data revision, so pages and the API show it at once.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.writes import Actor, StaleVersionError, WriteResult, revision_bump, set_history_user
from instruments.models import DepositaryCheckpoint, Instrument, OpenQuestion
from states.models import Participant

CHECKPOINT_FIELDS = ("signatories", "parties", "source")
OPEN_QUESTION_FIELDS = (
    "participant_name",
    "claim",
    "claimed_kind",
    "claimed_date",
    "confidence",
    "reason",
    "source",
    "source_as_of",
    "note",
)


def checkpoint_problems(checkpoint: DepositaryCheckpoint, today: date) -> dict[str, list]:
    """Why a checkpoint cannot be recorded. Only its date is checked: parties may outnumber
    signatories (accessions need no signature), so the counts bind each other in no way."""
    problems: dict[str, list] = {}
    if checkpoint.as_at > today:
        problems["as_at"] = [
            ValidationError(
                _("%(date)s is after today: a count cannot be as at a day to come.")
                % {"date": checkpoint.as_at},
                code="date_in_future",
            )
        ]
    elif checkpoint.as_at < checkpoint.instrument.adopted_on:
        problems["as_at"] = [
            ValidationError(
                _("%(date)s is before the %(title)s was adopted.")
                % {"date": checkpoint.as_at, "title": checkpoint.instrument.short_title},
                code="date_before_adoption",
            )
        ]
    return problems


def _save(record: Any, actor: Actor, *, exclude: list[str]) -> None:
    record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    set_history_user(record, actor)
    record.save()
    revision_bump()


def checkpoint_upsert(
    *,
    instrument: Instrument,
    as_at: date,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> WriteResult:
    """Record the depositary's count for an instrument as at a date, or correct it."""
    unknown = set(values) - set(CHECKPOINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown checkpoint fields: {sorted(unknown)}")
    with transaction.atomic():
        stored = (
            DepositaryCheckpoint.objects.select_for_update()
            .filter(instrument=instrument, as_at=as_at)
            .first()
        )
        if stored is None:
            stored = DepositaryCheckpoint(instrument=instrument, as_at=as_at, **values)
            outcome = "created"
        else:
            if expected_version is not None and stored.version != expected_version:
                raise StaleVersionError(stored, expected_version)
            changed = [name for name, value in values.items() if getattr(stored, name) != value]
            if not changed:
                return WriteResult("unchanged", stored)
            for name in changed:
                setattr(stored, name, values[name])
            stored.version += 1
            outcome = "updated"
        problems = checkpoint_problems(stored, timezone.localdate())
        if problems:
            raise ValidationError(problems)
        _save(stored, actor, exclude=["version"])
    return WriteResult(outcome, stored)


def checkpoint_delete(
    *, checkpoint: DepositaryCheckpoint, actor: Actor = None, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        stored = DepositaryCheckpoint.objects.select_for_update().get(pk=checkpoint.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        set_history_user(stored, actor)
        stored.delete()
        revision_bump()


def open_question_upsert(
    *,
    iso3: str,
    instrument: Instrument,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> WriteResult:
    """Record an open question about a participant and an instrument, or change it. The
    participant is linked when the tracker lists it."""
    unknown = set(values) - set(OPEN_QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown open question fields: {sorted(unknown)}")
    with transaction.atomic():
        participant = Participant.objects.filter(iso3=iso3).first()
        stored = (
            OpenQuestion.objects.select_for_update()
            .filter(iso3=iso3, instrument=instrument)
            .first()
        )
        if stored is None:
            stored = OpenQuestion(
                iso3=iso3, instrument=instrument, participant=participant, **values
            )
            outcome = "created"
        else:
            if expected_version is not None and stored.version != expected_version:
                raise StaleVersionError(stored, expected_version)
            wanted = values | {"participant": participant}
            changed = [name for name, value in wanted.items() if getattr(stored, name) != value]
            if not changed:
                return WriteResult("unchanged", stored)
            for name in changed:
                setattr(stored, name, wanted[name])
            stored.version += 1
            outcome = "updated"
        if stored.claimed_date is not None and stored.claimed_date > timezone.localdate():
            raise ValidationError(
                {"claimed_date": _("%(date)s is after today.") % {"date": stored.claimed_date}},
                code="date_in_future",
            )
        _save(stored, actor, exclude=["version", "participant"])
    return WriteResult(outcome, stored)


def open_question_delete(
    *, question: OpenQuestion, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a question a source has settled (record the fact as an action first)."""
    with transaction.atomic():
        stored = OpenQuestion.objects.select_for_update().get(pk=question.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        set_history_user(stored, actor)
        stored.delete()
        revision_bump()
