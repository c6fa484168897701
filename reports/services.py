"""Every write to obligations, submissions and compliance flags.

The back office, the API, the catalogue loader and the Celery tasks call these functions.
Each write is atomic, refuses bad input whole (a ValidationError naming the field and rule),
keeps history, counts the data revision, and re-checks the participant it touches once the
transaction has committed.
"""

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date as _day
from core.writes import (
    Actor,
    fields_check,
    locked,
    record_delete,
    record_save,
    record_upsert,
)
from instruments import domain as treaty
from instruments.services import TreatyRuleError
from reports import tasks
from reports.models import CopSession, Obligation, Submission
from states.models import Participant

logger = logging.getLogger(__name__)

SUBMISSION_FIELDS = ("obligation", "received_on", "reference", "note")


# --- Submissions -----------------------------------------------------------------------------


def submission_violations(
    submission: Submission, today: date | None = None
) -> list[treaty.Violation]:
    """Rules for a submission: received on a real past date, after the instrument existed, and
    recorded once per participant, obligation and day."""
    today = today or timezone.localdate()
    violations = []
    received_on = submission.received_on
    instrument = submission.obligation.instrument
    if received_on > today:
        violations.append(
            treaty.Violation(
                "date_in_future",
                "received_on",
                _("%(date)s is after today (%(today)s); record a submission once it has arrived.")
                % {"date": _day(received_on), "today": _day(today)},
            )
        )
    if received_on < instrument.adopted_on:
        violations.append(
            treaty.Violation(
                "date_before_adoption",
                "received_on",
                _("%(date)s is before the %(title)s was adopted (%(adopted)s).")
                % {
                    "date": _day(received_on),
                    "title": instrument.short_title,
                    "adopted": _day(instrument.adopted_on),
                },
            )
        )
    twins = Submission.objects.filter(
        participant_id=submission.participant_id,
        obligation_id=submission.obligation_id,
        received_on=received_on,
    ).exclude(pk=submission.pk)
    if twins.exists():
        violations.append(
            treaty.Violation(
                "submission_recorded_once",
                "received_on",
                _(
                    "A submission of %(participant)s under %(obligation)s received on %(date)s "
                    "is already recorded; edit that one."
                )
                % {
                    "participant": submission.participant,
                    "obligation": submission.obligation.reference,
                    "date": _day(received_on),
                },
            )
        )
    return violations


def _submission_save(submission: Submission, actor: Actor) -> Submission:
    submission.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
    violations = submission_violations(submission)
    if violations:
        raise TreatyRuleError(violations)
    record_save(submission, actor)
    tasks.rechecks.add([submission.participant_id])
    return submission


def _participant_turn(submission: Submission) -> None:
    """Lock the submission's participant first, as every writer of a participant's records
    and the compliance sweep do (reports.sweep._participants_lock): taken in one order, the
    locks cannot deadlock."""
    Participant.objects.select_for_update().filter(pk=submission.participant_id).first()


def submission_record(
    *,
    participant: Participant,
    obligation: Obligation,
    received_on: date,
    reference: str = "",
    note: str = "",
    actor: Actor = None,
) -> Submission:
    """Record a notification or report received from a participant."""
    with transaction.atomic():
        # Writers for one participant take turns, as in instruments.services.
        Participant.objects.select_for_update().get(pk=participant.pk)
        submission = Submission(
            participant=participant,
            obligation=obligation,
            received_on=received_on,
            reference=reference,
            note=note,
        )
        return _submission_save(submission, actor)


def submission_update(
    *,
    submission: Submission,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> Submission:
    """Change a recorded submission; `expected_version` guards against lost updates."""
    fields_check(values, SUBMISSION_FIELDS, "submission")
    with transaction.atomic():
        _participant_turn(submission)
        stored = locked(Submission, submission.pk, expected_version)
        for name, value in values.items():
            setattr(stored, name, value)
        stored.version += 1
        return _submission_save(stored, actor)


def submission_delete(
    *, submission: Submission, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a submission recorded in error; a flag it resolved opens again on re-check."""
    with transaction.atomic():
        _participant_turn(submission)
        stored = locked(Submission, submission.pk, expected_version)
        record_delete(stored, actor)
        tasks.rechecks.add([stored.participant_id])


# --- The catalogue ---------------------------------------------------------------------------

OBLIGATION_FIELDS = (
    "instrument",
    "article",
    "title",
    "owed",
    "applies_to",
    "condition",
    "due_rule",
    "due_days",
    "deadline",
    "grace_days",
    "due_note",
    "description",
    "article_source",
    "source",
    "display_order",
)


def obligation_upsert(*, code: str, actor: Actor = None, **values: Any) -> tuple[str, Obligation]:
    """Create or bring up to date a catalogue entry (the shipped obligations.csv).

    The grace period is the tracker's policy, which editors may change: the catalogue sets
    it for a new entry and leaves an existing entry's alone.
    """
    fields_check(values, OBLIGATION_FIELDS, "obligation")
    result = record_upsert(
        Obligation,
        key={"code": code},
        values=values,
        actor=actor,
        clean=lambda obligation: obligation.full_clean(exclude=["version"], validate_unique=False),
        create_only=["grace_days"],
    )
    if result.outcome == "updated":
        tasks.flag_overdue_states.delay_on_commit()
    return result.outcome, result.instance


def obligation_grace_update(
    *,
    obligation: Obligation,
    grace_days: int,
    actor: Actor = None,
    expected_version: int | None = None,
) -> Obligation:
    """Change how many days after the due date the tracker waits before flagging."""
    if grace_days < 0:
        raise ValidationError(
            {"grace_days": ValidationError("A grace period cannot be negative.", code="min_value")}
        )
    with transaction.atomic():
        stored = locked(Obligation, obligation.pk, expected_version)
        if stored.grace_days == grace_days:
            return stored
        stored.grace_days = grace_days
        record_save(stored, actor, new_version=True)
        tasks.flag_overdue_states.delay_on_commit()
    return stored


COP_SESSION_FIELDS = ("starts_on", "ends_on", "place", "note", "source")


def cop_session_upsert(
    *, number: int, actor: Actor = None, **values: Any
) -> tuple[str, CopSession]:
    fields_check(values, COP_SESSION_FIELDS, "COP session")
    result = record_upsert(
        CopSession,
        key={"number": number},
        values=values,
        actor=actor,
        clean=lambda session: session.full_clean(validate_unique=False),
        versioned=False,
    )
    return result.outcome, result.instance
