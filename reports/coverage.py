"""Every write to evidence coverage: how far the tracker's records of submissions under an
obligation are known complete, for one participant or for all.

Kept apart from reports.services because it is its own kind of record with its own rules;
it follows the same protocol (atomic, refused whole with the field and rule named, history
with its author, revision counted, a version guarding against lost updates) and, since it
changes which flags stand, runs the sweep once the write has committed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date as _day
from core.writes import Actor, StaleVersionError, revision_bump, set_history_user
from reports import tasks
from reports.models import EvidenceCoverage, Obligation
from states.models import Participant


def _sweep_after_commit() -> None:
    tasks.flag_overdue_states.delay_on_commit()


def coverage_violations(obligation: Obligation, checked_as_of: date, source: str) -> dict:
    """A check names its source and a real day: not after today, not before the
    instrument was adopted (there was nothing to record)."""
    errors: dict[str, ValidationError] = {}
    today = timezone.localdate()
    if not source.strip():
        errors["source"] = ValidationError(
            _("Name the source the records were checked against."), code="required"
        )
    if checked_as_of > today:
        errors["checked_as_of"] = ValidationError(
            _(
                "%(date)s is after today (%(today)s); a source can be checked only as it stands "
                "now or stood before."
            )
            % {"date": _day(checked_as_of), "today": _day(today)},
            code="date_in_future",
        )
    elif checked_as_of < obligation.instrument.adopted_on:
        errors["checked_as_of"] = ValidationError(
            _("%(date)s is before the %(title)s was adopted (%(adopted)s).")
            % {
                "date": _day(checked_as_of),
                "title": obligation.instrument.short_title,
                "adopted": _day(obligation.instrument.adopted_on),
            },
            code="date_before_adoption",
        )
    return errors


def coverage_set(
    *,
    obligation: Obligation,
    participant: Participant | None,
    source: str,
    checked_as_of: date,
    complete: bool = True,
    note: str = "",
    actor: Actor = None,
    expected_version: int | None = None,
) -> EvidenceCoverage:
    """Record that the records under `obligation` for `participant` (None: every
    participant) were checked against `source` as it stood on `checked_as_of`, and found
    complete (or, with `complete` off, not known complete)."""
    errors = coverage_violations(obligation, checked_as_of, source)
    if errors:
        raise ValidationError(errors)
    values = {
        "source": source.strip(),
        "checked_as_of": checked_as_of,
        "complete": complete,
        "note": note,
    }
    with transaction.atomic():
        # Two editors setting the same coverage take turns on the obligation's row.
        Obligation.objects.select_for_update().get(pk=obligation.pk)
        stored = EvidenceCoverage.objects.filter(
            obligation=obligation, participant=participant
        ).first()
        if stored is None:
            stored = EvidenceCoverage(obligation=obligation, participant=participant, **values)
        else:
            if expected_version is not None and stored.version != expected_version:
                raise StaleVersionError(stored, expected_version)
            if all(getattr(stored, name) == value for name, value in values.items()):
                return stored
            for name, value in values.items():
                setattr(stored, name, value)
            stored.version += 1
        set_history_user(stored, actor)
        stored.save()
        revision_bump()
        _sweep_after_commit()
    return stored


def coverage_withdraw(
    *, coverage: EvidenceCoverage, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Withdraw a check found wrong: the records it covered are not yet checked again, and
    their flags are resolved on the sweep that follows (the history keeps the check)."""
    with transaction.atomic():
        Obligation.objects.select_for_update().get(pk=coverage.obligation_id)
        stored = EvidenceCoverage.objects.filter(pk=coverage.pk).first()
        if stored is None:
            return
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        set_history_user(stored, actor)
        stored.delete()
        revision_bump()
        _sweep_after_commit()
