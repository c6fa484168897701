"""Every write to participants goes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.writes import Actor, StaleVersionError, WriteResult, revision_bump, set_history_user
from states.domain import iso3_problem
from states.models import Participant, ParticipantAlias

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
