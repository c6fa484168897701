"""Every write to declarations, reservations, notifications and objections: dated within
the instrument's life, recorded once, with history, events and revision."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date as _day
from core.writes import (
    Actor,
    fields_check,
    locked,
    record_delete,
    revision_bump,
    set_history_user,
)
from instruments import domain
from instruments.events import treaty_changes
from instruments.models import Declaration
from instruments.public_events import (
    declaration_change,
    declaration_values,
)
from instruments.services.actions import TreatyRuleError
from states.models import Participant

DECLARATION_FIELDS = ("instrument", "kind", "article", "date", "made_at", "summary", "source")


def _recorded_twice(kind: str) -> str:
    """The refusal of a declaration of `kind` recorded a second time, in whole sentences so
    that each language can word it for the kind."""
    messages: dict[str, str] = {
        Declaration.Kind.RESERVATION: _(
            "A reservation of %(participant)s on article %(article)s of the %(title)s dated "
            "%(date)s is already recorded; edit that one."
        ),
        Declaration.Kind.NOTIFICATION: _(
            "A notification of %(participant)s on article %(article)s of the %(title)s dated "
            "%(date)s is already recorded; edit that one."
        ),
        Declaration.Kind.OBJECTION: _(
            "An objection of %(participant)s on article %(article)s of the %(title)s dated "
            "%(date)s is already recorded; edit that one."
        ),
        Declaration.Kind.WITHDRAWAL: _(
            "A withdrawal of %(participant)s on article %(article)s of the %(title)s dated "
            "%(date)s is already recorded; edit that one."
        ),
    }
    return messages.get(
        kind,
        _(
            "A declaration of %(participant)s on article %(article)s of the %(title)s dated "
            "%(date)s is already recorded; edit that one."
        ),
    )


def declaration_violations(
    declaration: Declaration, today: date | None = None
) -> list[domain.Violation]:
    """Rules for a declaration: dated within the instrument's life, and not recorded twice."""
    today = today or timezone.localdate()
    violations = []
    instrument = declaration.instrument
    if declaration.date is not None:
        if declaration.date < instrument.adopted_on:
            violations.append(
                domain.Violation(
                    "date_before_adoption",
                    "date",
                    _("%(date)s is before the %(title)s was adopted (%(adopted)s).")
                    % {
                        "date": _day(declaration.date),
                        "title": instrument.short_title,
                        "adopted": _day(instrument.adopted_on),
                    },
                )
            )
        if declaration.date > today:
            violations.append(
                domain.Violation(
                    "date_in_future",
                    "date",
                    _("%(date)s is after today (%(today)s).")
                    % {"date": _day(declaration.date), "today": _day(today)},
                )
            )
    twins = Declaration.objects.filter(
        participant_id=declaration.participant_id,
        instrument=instrument,
        kind=declaration.kind,
        article=declaration.article,
        date=declaration.date,
    ).exclude(pk=declaration.pk)
    if twins.exists():
        violations.append(
            domain.Violation(
                "declaration_recorded_once",
                "article",
                _recorded_twice(declaration.kind)
                % {
                    "participant": declaration.participant,
                    "article": declaration.article,
                    "title": instrument.short_title,
                    "date": declaration.date or _("without a date"),
                },
            )
        )
    return violations


def _declaration_save(
    declaration: Declaration, actor: Actor, old: dict[str, Any] | None = None
) -> Declaration:
    declaration.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
    violations = declaration_violations(declaration)
    if violations:
        raise TreatyRuleError(violations)
    # record_save's steps, with the event made after the save so that it carries the id.
    set_history_user(declaration, actor)
    declaration.save()
    revision_bump(declaration_change(declaration, old, declaration_values(declaration)))
    treaty_changes.add([declaration.participant_id])
    return declaration


def declaration_record(
    *, participant: Participant, actor: Actor = None, **values: Any
) -> Declaration:
    fields_check(values, DECLARATION_FIELDS, "declaration")
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        return _declaration_save(Declaration(participant=participant, **values), actor)


def declaration_update(
    *,
    declaration: Declaration,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> Declaration:
    fields_check(values, DECLARATION_FIELDS, "declaration")
    with transaction.atomic():
        stored = locked(Declaration, declaration.pk, expected_version)
        old = declaration_values(stored)
        for name, value in values.items():
            setattr(stored, name, value)
        stored.version += 1
        return _declaration_save(stored, actor, old)


def declaration_delete(
    *, declaration: Declaration, actor: Actor = None, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        stored = locked(Declaration, declaration.pk, expected_version)
        events = declaration_change(stored, declaration_values(stored), None)
        record_delete(stored, actor, events=events)
        treaty_changes.add([stored.participant_id])
