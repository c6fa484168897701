"""Every write to treaty actions: a participant's actions checked together against the treaty
rules (instruments.domain), then written with their history, events and revision.

`actions_apply` is the one path; `action_record`, `action_update` and `action_delete` are its
single-action forms, and `entry_into_force_checked_once` defers the entry-into-force rule to
the end of a block of writes (a whole table loaded at once).
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.writes import (
    Actor,
    RuleError,
    revision_bump,
    set_history_user,
    version_check,
)
from instruments import domain
from instruments.events import treaty_changes
from instruments.models import Instrument, TreatyAction
from instruments.public_events import (
    action_change,
    action_values,
)
from instruments.selectors import deposits_by_instrument, instrument_facts
from states.models import Participant

ACTION_FIELDS = (
    "instrument",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
)


class TreatyRuleError(RuleError):
    """A write that breaks a treaty rule; `violations` say which rule, field and action."""

    violations: Sequence[domain.Violation]

    def __init__(self, violations: Sequence[domain.Violation]) -> None:
        super().__init__(violations)


@dataclass
class ActionChanges:
    """A set of changes to one participant's actions, checked and written together.

    `update` and `delete` carry the version the editor saw (None: do not check).
    """

    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[tuple[TreatyAction, dict[str, Any], int | None]] = field(default_factory=list)
    delete: list[tuple[TreatyAction, int | None]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.create or self.update or self.delete)


def _new_ref(index: int) -> str:
    return f"new-{index}"


def _proposed_actions(
    current: Mapping[int, TreatyAction], changes: ActionChanges, participant: Participant
) -> tuple[list[TreatyAction], dict[object, TreatyAction]]:
    """The participant's actions as they would be after `changes`, unsaved, by ref."""
    deleted = {action.pk for action, _ in changes.delete}
    updated = {action.pk: values for action, values, _ in changes.update}
    after: dict[object, TreatyAction] = {}
    for pk, action in current.items():
        if pk in deleted:
            continue
        if pk in updated:
            unknown = set(updated[pk]) - set(ACTION_FIELDS)
            if unknown:
                raise TypeError(f"cannot change {sorted(unknown)} of a treaty action")
            for name, value in updated[pk].items():
                setattr(action, name, value)
        after[pk] = action
    for index, values in enumerate(changes.create):
        unknown = set(values) - set(ACTION_FIELDS)
        if unknown:
            raise TypeError(f"unknown treaty action fields: {sorted(unknown)}")
        after[_new_ref(index)] = TreatyAction(participant=participant, **values)
    return [after[ref] for ref in after], after


def _domain_actions(
    actions: Mapping[Any, TreatyAction], codes: Mapping[int, str]
) -> dict[str, list[domain.Action]]:
    by_code: dict[str, list[domain.Action]] = defaultdict(list)
    for ref, action in actions.items():
        by_code[codes[action.instrument_id]].append(
            domain.Action(action.kind, action.date, action.effective_date, ref=ref)
        )
    return by_code


# Inside entry_into_force_checked_once(), writes leave the entry-into-force rule to its end.
_entry_into_force_deferred: ContextVar[bool] = ContextVar("eif_deferred", default=False)


@dataclass(frozen=True)
class _Record:
    """What a check of one participant's actions reads once: the instruments' facts, their
    codes by primary key, the other participants' deposits (None: not checked here)."""

    facts: Mapping[str, domain.InstrumentFacts]
    codes: Mapping[int, str]
    others: Mapping[str, list[tuple[date, bool]]] | None


def _rule_violations(
    participant: Participant, actions: Mapping[Any, TreatyAction], record: _Record, today: date
) -> list[domain.Violation]:
    """Every rule the participant's `actions` break, with the entry-into-force rule over
    them and the other participants' deposits."""
    facts, others = record.facts, record.others
    by_code = _domain_actions(actions, record.codes)
    violations = domain.participant_violations(by_code, facts, today)
    if others is not None:
        by_organization = participant.kind == Participant.Kind.REIO
        deposits = {code: list(dates) for code, dates in others.items()}
        for code, own in by_code.items():
            deposits.setdefault(code, []).extend(
                (a.date, by_organization) for a in own if a.kind in domain.CONSENT_KINDS
            )
        violations += domain.entry_into_force_violations(deposits, facts)
    return violations


def actions_check(
    *, participant: Participant, changes: ActionChanges, today: date | None = None
) -> list[domain.Violation]:
    """The treaty rules `changes` would break, without writing anything: the same rules
    check_data applies to the stored record (instruments.consistency).

    Violations of created actions carry the ref "new-N" (N: index in `changes.create`);
    others carry the primary key of the action concerned.
    """
    today = today or timezone.localdate()
    current = {a.pk: a for a in participant.actions.all()} if participant.pk else {}
    record = _Record(
        facts=instrument_facts(),
        codes=dict(Instrument.objects.values_list("pk", "code")),
        others=None
        if _entry_into_force_deferred.get()
        else deposits_by_instrument(exclude_participant=participant),
    )
    before = _rule_violations(participant, current, record, today)
    fresh = {pk: TreatyAction(**_field_values(a)) for pk, a in current.items()}
    for pk, action in fresh.items():
        action.pk = pk
    _, after_refs = _proposed_actions(fresh, changes, participant)
    after = _rule_violations(participant, after_refs, record, today)
    return domain.new_violations(before, after)


@contextmanager
def entry_into_force_checked_once() -> Iterator[None]:
    """Check the entry-into-force rule once, over the whole record, when the block ends,
    rather than at each write inside it: a load writes participant after participant, and
    only the record it leaves counts. Refuses (TreatyRuleError) what the block newly breaks;
    call inside the block's transaction so that a refusal undoes it all. An instrument the
    block leaves with no deposit at all (its table loaded before any status) is a record not
    yet filled in, not one that contradicts itself: it is left to the writes that add them."""
    if _entry_into_force_deferred.get():
        yield
        return
    before = domain.entry_into_force_violations(deposits_by_instrument(), instrument_facts())
    token = _entry_into_force_deferred.set(True)
    try:
        yield
    finally:
        _entry_into_force_deferred.reset(token)
    deposits = deposits_by_instrument()
    after = domain.entry_into_force_violations(deposits, instrument_facts())
    violations = [
        v for v in domain.new_violations(before, after) if deposits.get(v.instrument or "")
    ]
    if violations:
        raise TreatyRuleError(violations)


def _field_values(action: TreatyAction) -> dict[str, Any]:
    return {
        "participant_id": action.participant_id,
        "instrument_id": action.instrument_id,
        "kind": action.kind,
        "date": action.date,
        "effective_date": action.effective_date,
        "depositary_notification": action.depositary_notification,
        "source": action.source,
        "note": action.note,
        "version": action.version,
    }


def actions_apply(
    *, participant: Participant, changes: ActionChanges, actor: Actor = None
) -> list[TreatyAction]:
    """Write `changes` to one participant's actions, all or nothing; return the created and
    updated actions.

    1. Lock the participant, so concurrent writers for it take turns.
    2. Refuse a stale edit: the version an editor saw must still be current.
    3. Check each new or changed action's fields, then every treaty rule over the
       participant's actions as they would be; refuse what the change newly breaks.
    4. Write, keeping history with the actor; count the revision; announce the change.
    """
    if not changes:
        return []
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        current = {a.pk: a for a in participant.actions.select_for_update()}
        codes = dict(Instrument.objects.values_list("pk", "code"))
        before = {pk: action_values(a, codes[a.instrument_id]) for pk, a in current.items()}
        for action, expected in [(a, v) for a, _, v in changes.update] + changes.delete:
            stored = current.get(action.pk)
            if stored is None:
                raise TreatyAction.DoesNotExist(
                    gettext("%(action)s no longer exists") % {"action": action}
                )
            version_check(stored, expected)

        violations = actions_check(participant=participant, changes=changes)

        _, after = _proposed_actions(current, changes, participant)
        touched = [after[_new_ref(i)] for i in range(len(changes.create))]
        touched += [after[action.pk] for action, _, _ in changes.update]
        field_errors: dict[str, list[ValidationError]] = {}
        for action in touched:
            try:
                action.full_clean(exclude=["participant", "version"], validate_unique=False)
            except ValidationError as error:
                # Keep each error's code, so callers can say which rule was broken.
                for name, errors in error.error_dict.items():
                    field_errors.setdefault(name, []).extend(errors)
        if violations:
            # The model's constraints (non-field errors) only repeat treaty rules, which
            # name the field and the rule; report those instead.
            field_errors.pop(NON_FIELD_ERRORS, None)
        if field_errors:
            raise ValidationError(field_errors)
        if violations:
            raise TreatyRuleError(violations)

        events = []
        for action, _ in changes.delete:
            stored = current[action.pk]
            events.append(
                action_change(participant, codes[stored.instrument_id], before[stored.pk], None)
            )
            set_history_user(stored, actor)
            stored.delete()
        for action in touched:
            old = before.get(action.pk) if action.pk is not None else None
            if action.pk is not None:
                action.version += 1
            set_history_user(action, actor)
            action.save()
            code = codes[action.instrument_id]
            events.append(action_change(participant, code, old, action_values(action, code)))
        revision_bump([event for event in events if event is not None])
        treaty_changes.add([participant.pk])
    return touched


def action_record(
    *,
    participant: Participant,
    instrument: Instrument,
    kind: str,
    date: date,
    source: str,
    effective_date: date | None = None,
    depositary_notification: str = "",
    note: str = "",
    actor: Actor = None,
) -> TreatyAction:
    """Record a signature, a consent to be bound or a denunciation."""
    values = {
        "instrument": instrument,
        "kind": kind,
        "date": date,
        "effective_date": effective_date,
        "depositary_notification": depositary_notification,
        "source": source,
        "note": note,
    }
    (action,) = actions_apply(
        participant=participant, changes=ActionChanges(create=[values]), actor=actor
    )
    return action


def action_update(
    *,
    action: TreatyAction,
    actor: Actor = None,
    expected_version: int | None = None,
    **values: Any,
) -> TreatyAction:
    """Change fields of a recorded action; `expected_version` guards against lost updates."""
    (updated,) = actions_apply(
        participant=action.participant,
        changes=ActionChanges(update=[(action, values, expected_version)]),
        actor=actor,
    )
    return updated


def action_delete(
    *, action: TreatyAction, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a recorded action, unless another action depends on it (e.g. a Protocol
    consent on the Convention consent)."""
    actions_apply(
        participant=action.participant,
        changes=ActionChanges(delete=[(action, expected_version)]),
        actor=actor,
    )
