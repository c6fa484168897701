"""Every write to the directory of competent national authorities.

The back office, the seeding from the treaty data and the review of focal points'
submissions call these functions. Each write is atomic and refuses bad input whole (a
TreatyRuleError naming the field and the rule), keeps history, counts the data revision and
records the public change as an event (core.events).

A designation for a participant and obligation supersedes the one in effect: the earlier row
stays, no longer in effect, its `until` the day the new one took effect.
"""

from datetime import date
from typing import Any

from django.db import transaction

from core.events import Change
from core.models import Event
from core.writes import (
    Actor,
    fields_check,
    locked,
    record_delete,
    record_save,
    revision_bump,
    set_history_user,
)
from instruments.services import TreatyRuleError
from reports.authority_rules import designation_violations
from reports.models import AuthorityDesignation, Obligation, Submission
from states.models import Participant

DESIGNATION_FIELDS = (
    "authority_name",
    "languages",
    "postal_address",
    "contact_person",
    "phone",
    "email",
    "notified_on",
    "reference",
    "source",
    "since",
    "submission",
)
# What an event about a designation may say: never a contact detail.
PUBLIC_FIELDS = ("authority_name", "languages", "notified_on", "since", "until", "reference")


def _checked(designation: AuthorityDesignation, earlier: AuthorityDesignation | None) -> None:
    designation.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
    violations = designation_violations(designation, earlier=earlier)
    if violations:
        raise TreatyRuleError(violations)


def _public(designation: AuthorityDesignation | None) -> dict[str, Any] | None:
    if designation is None:
        return None
    values = {name: getattr(designation, name) for name in PUBLIC_FIELDS}
    return {"id": designation.pk, "obligation": designation.obligation.code, **values}


def _change(kind: str, designation: AuthorityDesignation, old: Any, new: Any) -> list[Change]:
    participant = designation.participant
    return [
        Change(
            kind=kind,
            participant=participant.iso3,
            participant_name=participant.name,
            instrument=designation.obligation.instrument.code,
            old=old,
            new=new,
            source=designation.source,
        )
    ]


def _in_effect(participant_id: int, obligation_id: int) -> AuthorityDesignation | None:
    return (
        AuthorityDesignation.objects.select_for_update()
        .filter(participant_id=participant_id, obligation_id=obligation_id, current=True)
        .first()
    )


def _last_superseded(designation: AuthorityDesignation) -> AuthorityDesignation | None:
    return (
        AuthorityDesignation.objects.select_for_update()
        .filter(
            participant_id=designation.participant_id,
            obligation_id=designation.obligation_id,
            current=False,
        )
        .exclude(pk=designation.pk)
        .order_by("-id")
        .first()
    )


def _quiet_save(designation: AuthorityDesignation, actor: Actor) -> None:
    """Save a row the write changes beside its own (the designation it supersedes or gives
    back): its history names the author; the revision is counted once, by the write."""
    designation.version += 1
    set_history_user(designation, actor)
    designation.save()


def designation_record(
    actor: Actor,
    *,
    participant: Participant,
    obligation: Obligation,
    source: str,
    authority_name: str = "",
    languages: str = "",
    postal_address: str = "",
    contact_person: str = "",
    phone: str = "",
    email: str = "",
    notified_on: date | None = None,
    reference: str = "",
    since: date | None = None,
    submission: Submission | None = None,
) -> AuthorityDesignation:
    """Record a designation; it supersedes the one in effect for the same participant and
    obligation, which stays on record until `since`."""
    with transaction.atomic():
        # Writers for one participant take turns, as in reports.services.
        Participant.objects.select_for_update().get(pk=participant.pk)
        designation = AuthorityDesignation(
            participant=participant,
            obligation=obligation,
            authority_name=authority_name.strip(),
            languages=languages.strip(),
            postal_address=postal_address.strip(),
            contact_person=contact_person.strip(),
            phone=phone.strip(),
            email=email.strip(),
            notified_on=notified_on,
            reference=reference.strip(),
            source=source.strip(),
            since=since,
            submission=submission,
        )
        earlier = _in_effect(participant.pk, obligation.pk)
        _checked(designation, earlier)
        if earlier is not None:
            earlier.current, earlier.until = False, since
            _quiet_save(earlier, actor)
        set_history_user(designation, actor)
        designation.save()
        # The event names the new row, whose id the save gave it.
        revision_bump(
            _change(
                Event.Kind.AUTHORITY_DESIGNATED, designation, _public(earlier), _public(designation)
            )
        )
        return designation


def designation_update(
    actor: Actor,
    *,
    designation: AuthorityDesignation,
    expected_version: int | None = None,
    **values: Any,
) -> AuthorityDesignation:
    """Change a recorded designation (not its participant or obligation: a designation under
    another obligation is another designation); `expected_version` guards against lost
    updates. Moving the start of the one in effect moves the end of the one it superseded."""
    fields_check(values, DESIGNATION_FIELDS, "designation")
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=designation.participant_id)
        stored = locked(AuthorityDesignation, designation.pk, expected_version)
        before = _public(stored)
        old_since = stored.since
        for name, value in values.items():
            setattr(stored, name, value.strip() if isinstance(value, str) else value)
        earlier = _last_superseded(stored) if stored.current else None
        _checked(stored, earlier)
        if earlier is not None and stored.since != old_since and earlier.until == old_since:
            earlier.until = stored.since
            _quiet_save(earlier, actor)
        after = _public(stored)
        events = (
            [] if after == before else _change(Event.Kind.AUTHORITY_CHANGED, stored, before, after)
        )
        return record_save(stored, actor, new_version=True, events=events)


def designation_delete(
    actor: Actor, *, designation: AuthorityDesignation, expected_version: int | None = None
) -> None:
    """Remove a designation recorded in error; if it was in effect, the one it superseded is
    in effect again."""
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=designation.participant_id)
        stored = locked(AuthorityDesignation, designation.pk, expected_version)
        earlier = _last_superseded(stored) if stored.current else None
        events = _change(Event.Kind.AUTHORITY_REMOVED, stored, _public(stored), _public(earlier))
        record_delete(stored, actor, events=events)
        if earlier is not None:
            earlier.current, earlier.until = True, None
            _quiet_save(earlier, actor)
