"""Every write to participants goes through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.writes import (
    Actor,
    WriteResult,
    fields_check,
    locked,
    record_delete,
    record_save,
    record_upsert,
    set_history_user,
)
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
    fields_check(fields, PARTICIPANT_FIELDS, "participant")
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
            return WriteResult("created", record_save(alias, actor))
        if alias.participant_id == participant.pk and alias.source == source:
            return WriteResult("unchanged", alias)
        alias.participant = participant
        alias.source = source
        return WriteResult("updated", record_save(alias, actor))


def alias_delete(*, alias: ParticipantAlias, actor: Actor = None) -> None:
    with transaction.atomic():
        record_delete(alias, actor)
