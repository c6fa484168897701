"""What the treaty-data services make public, as events (core.events): the public values of
an action or a declaration before and after a write, and the events a date brings.

Only public values go in: what the pages and the API show, never the editor or a version.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.events import Change, origin
from core.models import Event
from core.writes import revision_bump
from instruments import domain
from instruments.models import Declaration, DepositaryBatch, TreatyAction
from instruments.selectors import status_matrix
from states.models import Participant

ACTION_PUBLIC = ("kind", "date", "effective_date", "depositary_notification", "source")
DECLARATION_PUBLIC = ("kind", "article", "date", "made_at", "summary", "source")

# How far back the daily check looks for a date that passed: a run missed for up to this many
# days is caught up; an event is recorded once whatever the number of runs (Event.key).
DATE_LOOKBACK_DAYS = 31


def action_values(action: TreatyAction, instrument_code: str) -> dict[str, Any]:
    values = {name: getattr(action, name) for name in ACTION_PUBLIC}
    return {"id": action.pk, "instrument": instrument_code, **values}


def action_change(
    participant: Participant,
    instrument_code: str,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> Change | None:
    """The event of one action's write; None when no public value changed."""
    if old is None:
        kind = Event.Kind.ACTION_RECORDED
    elif new is None:
        kind = Event.Kind.ACTION_REMOVED
    elif old == new:
        return None
    else:
        kind = Event.Kind.ACTION_CHANGED
    return Change(
        kind=kind,
        participant=participant.iso3,
        participant_name=participant.name,
        instrument=instrument_code,
        old=old,
        new=new,
        source=(new or old or {}).get("source", ""),
    )


def declaration_values(declaration: Declaration) -> dict[str, Any]:
    values = {name: getattr(declaration, name) for name in DECLARATION_PUBLIC}
    return {"id": declaration.pk, "instrument": declaration.instrument.code, **values}


def declaration_change(
    declaration: Declaration, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> list[Change]:
    if old is None:
        kind = Event.Kind.DECLARATION_RECORDED
    elif new is None:
        kind = Event.Kind.DECLARATION_REMOVED
    elif old == new:
        return []
    else:
        kind = Event.Kind.DECLARATION_CHANGED
    participant = declaration.participant
    return [
        Change(
            kind=kind,
            participant=participant.iso3,
            participant_name=participant.name,
            instrument=declaration.instrument.code,
            old=old,
            new=new,
            source=(new or old or {}).get("source", ""),
        )
    ]


def import_applied_change(
    batch: DepositaryBatch, accepted: int, rejected: int, complete_to: date | None
) -> Change:
    """The event of a depositary import whose every proposal an editor decided: the table's
    date, how many differences were accepted and rejected, and the date the instrument's data
    are now complete to, if the table moved it. Once per batch (its key)."""
    return Change(
        kind=Event.Kind.IMPORT_APPLIED,
        instrument=batch.instrument.code,
        new={
            "status_as_at": batch.status_as_at,
            "accepted": accepted,
            "rejected": rejected,
            "complete_to": complete_to,
        },
        source=batch.source,
        key=f"{Event.Kind.IMPORT_APPLIED}:{batch.pk}",
    )


def dated_changes(today: date) -> list[Change]:
    """The entries into force and denunciations taking effect dated within the look-back
    window up to `today`, from the status on `today` (instruments.domain)."""
    since = today - timedelta(days=DATE_LOOKBACK_DAYS)
    matrix = status_matrix(as_of=today, participants=Participant.objects.all())
    names = {p.pk: p for p in matrix.participants}
    changes = []
    for (participant_id, code), status in matrix.entries.items():
        participant = names[participant_id]
        dated = []
        if status.in_force and status.entry_into_force is not None:
            dated.append((Event.Kind.ENTRY_INTO_FORCE, status.entry_into_force))
        if status.status == domain.DENOUNCED and status.denunciation_effective is not None:
            dated.append((Event.Kind.DENUNCIATION_EFFECTIVE, status.denunciation_effective))
        for kind, when in dated:
            if since < when <= today:
                changes.append(
                    Change(
                        kind=kind,
                        participant=participant.iso3,
                        participant_name=participant.name,
                        instrument=code,
                        new={"date": when, "status": status.status},
                        source="Computed from the recorded treaty actions (instruments.domain).",
                        key=f"{kind}:{code}:{participant.iso3}:{when.isoformat()}",
                    )
                )
    return changes


def dated_events_record(today: date | None = None) -> int:
    """Record the events the dates up to `today` bring, each once; how many were new.

    1. Work out every participant's status today (three queries).
    2. Leave out the events already recorded (one query on their keys).
    3. Write the rest with the revision in one transaction; a concurrent run's twin is
       skipped by the unique key.
    """
    today = today or timezone.localdate()
    changes = dated_changes(today)
    if not changes:
        return 0
    known = set(
        Event.objects.filter(key__in=[c.key for c in changes]).values_list("key", flat=True)
    )
    fresh = [c for c in changes if c.key not in known]
    if fresh:
        with transaction.atomic(), origin(Event.Origin.DATE_REACHED):
            revision_bump(fresh)
    return len(fresh)
