"""Every write to participants goes through here."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.writes import (
    Actor,
    StaleVersionError,
    WriteResult,
    fields_check,
    locked,
    record_delete,
    record_save,
    record_upsert,
    revision_bump,
    set_history_user,
)
from states import domain
from states.domain import iso3_problem
from states.models import OsceRolePeriod, Participant, ParticipantAlias
from states.selectors import role_period_value

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
    fields_check(fields, PARTICIPANT_FIELDS, "participant")
    stored = Participant.objects.filter(iso3=iso3).first()
    if stored is not None:
        _refuse_role_against_periods(stored, fields.get("osce_role"))
    return record_upsert(
        Participant,
        key={"iso3": iso3},
        values=fields,
        actor=actor,
        clean=Participant.full_clean,
        expected_version=expected_version,
    )


def participant_delete(
    *, participant: Participant, actor: Actor = None, expected_version: int | None = None
) -> None:
    """Remove a participant entered by mistake, with its former names. One with treaty
    actions, declarations or compliance records cannot be deleted: the database protects
    them (ProtectedError), and the back office lists them instead."""
    with transaction.atomic():
        stored = locked(Participant, participant.pk, expected_version)
        for alias in stored.aliases.all():
            set_history_user(alias, actor)
            alias.delete()
        record_delete(stored, actor)


ALIAS_TAKEN = "alias_taken"


def _alias_name_problem(name: str, participant: Participant, alias_pk: int | None) -> str | None:
    """Why `name` cannot become an alias of `participant` (the row `alias_pk` aside)."""
    others = ParticipantAlias.objects.filter(name__iexact=name).select_related("participant")
    taken = (others.exclude(pk=alias_pk) if alias_pk is not None else others).first()
    if taken is not None:
        return f"{name!r} is already a former or other name of {taken.participant}."
    if Participant.objects.filter(name__iexact=name).exclude(pk=participant.pk).exists():
        return f"{name!r} is the current name of another participant."
    return None


def _alias_save(alias: ParticipantAlias, actor: Actor, *, new_version: bool) -> ParticipantAlias:
    """Save under the unique constraint on the name: a colleague who saved the same name a
    moment earlier (after this write's own check) makes it a refusal, never a server error."""
    problem = _alias_name_problem(alias.name, alias.participant, alias.pk)
    if problem:
        raise ValidationError({"name": ValidationError(problem, code=ALIAS_TAKEN)})
    try:
        with transaction.atomic():  # a savepoint: the refused insert leaves the rest usable
            return record_save(alias, actor, new_version=new_version)
    except IntegrityError:
        problem = f"{alias.name!r} was saved as a name of another participant a moment ago."
        raise ValidationError({"name": ValidationError(problem, code=ALIAS_TAKEN)}) from None


def alias_record(
    *, participant: Participant, name: str, source: str, actor: Actor = None
) -> ParticipantAlias:
    """Record `name` as another spelling of `participant`; a spelling that already names a
    participant (as an alias or as its name, whatever the capitals) is refused."""
    with transaction.atomic():
        alias = ParticipantAlias(participant=participant, name=name, source=source)
        alias.full_clean(exclude=["participant", "version"], validate_constraints=False)
        return _alias_save(alias, actor, new_version=False)


def alias_update(
    *,
    alias: ParticipantAlias,
    actor: Actor = None,
    expected_version: int | None = None,
    **fields: Any,
) -> ParticipantAlias:
    """Change an alias's `name` or `source`; `expected_version` (the version an editor saw)
    guards against overwriting a colleague's change."""
    fields_check(fields, ("name", "source"), "alias")
    with transaction.atomic():
        stored = locked(ParticipantAlias, alias.pk, expected_version)
        changed = {k: v for k, v in fields.items() if getattr(stored, k) != v}
        if not changed:
            return stored
        for name, value in changed.items():
            setattr(stored, name, value)
        stored.full_clean(exclude=["participant", "version"], validate_constraints=False)
        return _alias_save(stored, actor, new_version=True)


def alias_upsert(
    *, participant: Participant, name: str, source: str, actor: Actor = None
) -> WriteResult:
    """Bring the alias `name` to `participant` and `source`, as a loaded table says: the
    natural-key write of the loaders (a table may move a spelling to another participant)."""
    with transaction.atomic():
        stored = ParticipantAlias.objects.select_for_update().filter(name=name).first()
        if stored is None:
            return WriteResult(
                "created",
                alias_record(participant=participant, name=name, source=source, actor=actor),
            )
        if stored.participant_id == participant.pk and stored.source == source:
            return WriteResult("unchanged", stored)
        stored.participant = participant
        stored.source = source
        return WriteResult("updated", _alias_save(stored, actor, new_version=True))


def alias_delete(
    *, alias: ParticipantAlias, actor: Actor = None, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        record_delete(locked(ParticipantAlias, alias.pk, expected_version), actor)


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
