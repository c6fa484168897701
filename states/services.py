"""Every write to participants goes through here."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from states import domain
from states.domain import iso3_problem
from states.models import DataRevision, OsceRolePeriod, Participant, ParticipantAlias
from states.selectors import role_period_value

Actor = AbstractBaseUser | AnonymousUser | None


class StaleVersionError(Exception):
    """The record changed after the editor loaded it; saving would overwrite that change."""

    def __init__(self, instance: Any, expected: int) -> None:
        self.instance = instance
        self.expected = expected
        self.current = instance.version
        super().__init__(
            f"{instance} was changed by someone else since you loaded it (version "
            f"{expected}, now {instance.version}). Reload it and apply your change again."
        )


@dataclass(frozen=True)
class WriteResult:
    """What a write did: `created`, `updated` or `unchanged`, and the row."""

    outcome: str
    instance: Any


def revision_bump() -> None:
    """Count one committed change; call inside the writing transaction."""
    updated = DataRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        DataRevision.objects.get_or_create(pk=1, defaults={"number": 1})


def set_history_user(instance: Any, actor: Actor) -> None:
    """Name the person behind the next history row of `instance` (None: the system)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


PARTICIPANT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "osce_role",
    "osce_joined_year",
    "source",
    "osce_role_source",
)


def participant_upsert(
    *, iso3: str, actor: Actor = None, expected_version: int | None = None, **fields: Any
) -> WriteResult:
    """Create the participant with this code, or bring its fields to the given values;
    `expected_version` (the version an editor saw) guards against lost updates."""
    kind = fields.get("kind", Participant.Kind.STATE)
    problem = iso3_problem(iso3, kind)
    if problem:
        raise ValidationError({"iso3": f"{iso3!r} {problem}"}, code="iso3_invalid")
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    with transaction.atomic():
        participant = Participant.objects.select_for_update().filter(iso3=iso3).first()
        if (
            participant is not None
            and expected_version is not None
            and participant.version != expected_version
        ):
            raise StaleVersionError(participant, expected_version)
        if participant is None:
            participant = Participant(iso3=iso3, **fields)
            participant.full_clean()
            set_history_user(participant, actor)
            participant.save()
            revision_bump()
            return WriteResult("created", participant)
        _refuse_role_against_periods(participant, fields.get("osce_role"))
        changed = [f for f, v in fields.items() if getattr(participant, f) != v]
        if not changed:
            return WriteResult("unchanged", participant)
        for field in changed:
            setattr(participant, field, fields[field])
        participant.version += 1
        participant.full_clean()
        set_history_user(participant, actor)
        participant.save()
        revision_bump()
        return WriteResult("updated", participant)


def participant_delete(
    *, participant: Participant, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a participant entered by mistake, with its former names. One with treaty
    actions, declarations or compliance records cannot be deleted: the database protects
    them (ProtectedError), and the back office lists them instead."""
    with transaction.atomic():
        stored = Participant.objects.select_for_update().get(pk=participant.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        for alias in stored.aliases.all():
            set_history_user(alias, actor)
            alias.delete()
        set_history_user(stored, actor)
        stored.delete()
        revision_bump()


def alias_upsert(
    *, participant: Participant, name: str, source: str, actor: Actor = None
) -> WriteResult:
    """Record `name` as another spelling of `participant`."""
    with transaction.atomic():
        alias = ParticipantAlias.objects.select_for_update().filter(name=name).first()
        if alias is None:
            if Participant.objects.filter(name=name).exclude(pk=participant.pk).exists():
                raise ValidationError(
                    {"name": f"{name!r} is the current name of another participant"},
                    code="alias_is_a_name",
                )
            alias = ParticipantAlias(participant=participant, name=name, source=source)
            set_history_user(alias, actor)
            alias.save()
            revision_bump()
            return WriteResult("created", alias)
        if alias.participant_id == participant.pk and alias.source == source:
            return WriteResult("unchanged", alias)
        alias.participant = participant
        alias.source = source
        set_history_user(alias, actor)
        alias.save()
        revision_bump()
        return WriteResult("updated", alias)


def alias_delete(*, alias: ParticipantAlias, actor: Actor = None) -> None:
    with transaction.atomic():
        set_history_user(alias, actor)
        alias.delete()
        revision_bump()


# --- OSCE roles over time ----------------------------------------------------------------------


def _refuse_role_against_periods(participant: Participant, role: str | None) -> None:
    """Today's role follows the dated role periods once there are any: a different value
    would say two things at once."""
    if role is None:
        return
    periods = role_periods_of(participant)
    if not periods:
        return
    derived = domain.role_on(periods, timezone.localdate())
    if role != derived:
        message = (
            f"Today's OSCE role of {participant} comes from its dated role periods "
            f"({derived}); record a new role period instead of setting {role!r}."
        )
        raise ValidationError(
            {"osce_role": ValidationError(message, code="osce_role_from_periods")}
        )


def role_periods_of(participant: Participant) -> list[domain.RolePeriod]:
    return [role_period_value(p) for p in participant.osce_role_periods.all()]


ROLE_PERIOD_FIELDS = (
    "role",
    "valid_from_precision",
    "valid_to",
    "valid_to_precision",
    "source",
    "note",
)


def osce_role_period_upsert(
    *,
    participant: Participant,
    valid_from: date,
    actor: Actor = None,
    expected_version: int | None = None,
    today: date | None = None,
    **fields: Any,
) -> WriteResult:
    """Record the OSCE role `participant` held from `valid_from` (the natural key), or bring
    that period's fields to the given values; then derive today's role from the periods.

    1. Lock the participant, so writers of its roles take turns.
    2. Check the periods as they would be (states.domain.role_period_problems); refuse what
       the change newly breaks, naming the field and the rule.
    3. Write the period with its history, then Participant.osce_role when today's role
       changed; count the revision.
    """
    unknown = set(fields) - set(ROLE_PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"unknown role period fields: {sorted(unknown)}")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        stored = {p.pk: p for p in locked.osce_role_periods.select_for_update()}
        period = next((p for p in stored.values() if p.valid_from == valid_from), None)
        if period is not None and expected_version not in (None, period.version):
            raise StaleVersionError(period, expected_version or 0)
        if period is None:
            period = OsceRolePeriod(participant=locked, valid_from=valid_from, **fields)
            outcome = "created"
        else:
            changed = [f for f, v in fields.items() if getattr(period, f) != v]
            if not changed:
                return WriteResult("unchanged", period)
            for name in changed:
                setattr(period, name, fields[name])
            period.version += 1
            outcome = "updated"
        value = role_period_value(period)
        others = [role_period_value(p) for pk, p in stored.items() if pk != period.pk]
        before = {(p.rule, p.ref) for p in domain.role_period_problems(others, today)}
        problems = [
            p
            for p in domain.role_period_problems([*others, value], today)
            if (p.rule, p.ref) not in before
        ]
        if problems:
            by_field: dict[str, list[ValidationError]] = {}
            for problem in problems:
                error = ValidationError(problem.message, code=problem.rule)
                by_field.setdefault(problem.field, []).append(error)
            raise ValidationError(by_field)
        period.held_from = value.held_from
        period.held_until = value.held_until
        period.full_clean(exclude=["participant"], validate_unique=False)
        set_history_user(period, actor)
        period.save()
        _derive_today_role(locked, [*others, value], today, actor)
        revision_bump()
        return WriteResult(outcome, period)


def osce_role_period_delete(
    *, period: OsceRolePeriod, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a role period entered by mistake, and derive today's role again."""
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=period.participant_id)
        stored = OsceRolePeriod.objects.select_for_update().get(pk=period.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleVersionError(stored, expected_version)
        set_history_user(stored, actor)
        stored.delete()
        _derive_today_role(locked, role_periods_of(locked), timezone.localdate(), actor)
        revision_bump()


def _derive_today_role(
    participant: Participant, periods: list[domain.RolePeriod], today: date, actor: Actor
) -> None:
    role = domain.role_on(periods, today)
    if participant.osce_role == role:
        return
    participant.osce_role = role
    participant.version += 1
    set_history_user(participant, actor)
    participant.save(update_fields=["osce_role", "version"])
