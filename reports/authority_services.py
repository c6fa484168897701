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
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import Change
from core.i18n import message_date as _day
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
from instruments import domain as treaty
from instruments.services import TreatyRuleError
from reports import domain
from reports.authorities import AUTHORITY, LANGUAGES, designates
from reports.models import AuthorityDesignation, Obligation, Submission
from reports.standings import obligation_standings
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


def _rule(rule: str, field: str, message: str) -> treaty.Violation:
    return treaty.Violation(rule, field, message)


def _what_violations(designation: AuthorityDesignation) -> list[treaty.Violation]:
    """The obligation designates something, and the row says what."""
    obligation = designation.obligation
    kind = designates(obligation.code)
    if kind is None:
        return [
            _rule(
                "obligation_designates_nothing",
                "obligation",
                _(
                    "%(reference)s does not ask for an authority, a contact point or "
                    "languages; the directory records designations under UNTOC art. 18(13), "
                    "18(14) and 31(6), SOM art. 8(6) and FIR art. 13(2)."
                )
                % {"reference": obligation.reference},
            )
        ]
    found = []
    if kind == LANGUAGES and not designation.languages.strip():
        found.append(
            _rule(
                "languages_required",
                "languages",
                _("Give the languages accepted: that is what %(reference)s asks for.")
                % {"reference": obligation.reference},
            )
        )
    if kind != LANGUAGES and not designation.authority_name.strip():
        message = (
            _("Give the name of the authority designated under %(reference)s.")
            if kind == AUTHORITY
            else _("Give the name of the contact point designated under %(reference)s.")
        )
        found.append(
            _rule(
                "authority_name_required",
                "authority_name",
                message % {"reference": obligation.reference},
            )
        )
    if kind != LANGUAGES and designation.languages.strip():
        found.append(
            _rule(
                "languages_only_under_18_14",
                "languages",
                _(
                    "Languages are recorded under UNTOC art. 18(14), not under "
                    "%(reference)s; record them as a designation of their own."
                )
                % {"reference": obligation.reference},
            )
        )
    return found


def _date_violations(designation: AuthorityDesignation, today: date) -> list[treaty.Violation]:
    instrument = designation.obligation.instrument
    found = []
    future = {
        "notified_on": _(
            "Notified %(date)s is after today (%(today)s); record a designation once it has "
            "been made."
        ),
        "since": _(
            "In effect since %(date)s is after today (%(today)s); record a designation once "
            "it has been made."
        ),
    }
    before_adoption = {
        "notified_on": _("Notified %(date)s is before the %(title)s was adopted (%(adopted)s)."),
        "since": _("In effect since %(date)s is before the %(title)s was adopted (%(adopted)s)."),
    }
    for name in ("notified_on", "since"):
        day = getattr(designation, name)
        if day is None:
            continue
        if day > today:
            found.append(
                _rule(
                    "date_in_future",
                    name,
                    future[name] % {"date": _day(day), "today": _day(today)},
                )
            )
        elif day < instrument.adopted_on:
            found.append(
                _rule(
                    "date_before_adoption",
                    name,
                    before_adoption[name]
                    % {
                        "date": _day(day),
                        "title": instrument.short_title,
                        "adopted": _day(instrument.adopted_on),
                    },
                )
            )
    since, until = designation.since, designation.until
    if since and until and since > until:
        found.append(
            _rule(
                "since_after_until",
                "since",
                _(
                    "In effect since %(since)s is after %(until)s, the day the later "
                    "designation superseded this one."
                )
                % {"since": _day(since), "until": _day(until)},
            )
        )
    return found


def _order_violations(
    designation: AuthorityDesignation, earlier: AuthorityDesignation | None
) -> list[treaty.Violation]:
    """A designation in effect starts no earlier than the one it supersedes: compared by
    `since` where both have it, else by the dates notified to the depositary (a notification
    older than the one in effect would otherwise take its place)."""
    if earlier is None:
        return []
    messages = {
        "since": _(
            "In effect since %(date)s is before %(earlier)s, the date of the designation it "
            "would supersede (%(superseded)s); record designations in the order they were made."
        ),
        "notified_on": _(
            "Notified on %(date)s is before %(earlier)s, the date of the designation it would "
            "supersede (%(superseded)s); record designations in the order they were made."
        ),
    }
    for field, new, old in (
        ("since", designation.since, earlier.since),
        ("notified_on", designation.notified_on, earlier.notified_on),
    ):
        if not (new and old):
            continue
        if new >= old:
            return []
        return [
            _rule(
                f"{field}_before_earlier_designation",
                field,
                messages[field]
                % {
                    "date": _day(new),
                    "earlier": _day(old),
                    "superseded": earlier.authority_name or earlier.languages,
                },
            )
        ]
    return []


def _link_violations(designation: AuthorityDesignation) -> list[treaty.Violation]:
    submission = designation.submission
    if submission is None:
        return []
    if (submission.participant_id, submission.obligation_id) == (
        designation.participant_id,
        designation.obligation_id,
    ):
        return []
    return [
        _rule(
            "submission_of_another_designation",
            "submission",
            _("Submission %(submission)s is not %(participant)s's under %(reference)s.")
            % {
                "submission": submission.pk,
                "participant": designation.participant,
                "reference": designation.obligation.reference,
            },
        )
    ]


def _applies_violations(designation: AuthorityDesignation, today: date) -> list[treaty.Violation]:
    """The obligation applies to the participant today, as the compliance standings say
    (reports.standings: a party, not an organization held only within its competence)."""
    participant, obligation = designation.participant, designation.obligation
    standings = obligation_standings(as_of=today, participant_ids=[participant.pk])
    if standings.standing(participant.pk, obligation.pk).state != domain.NOT_APPLICABLE:
        return []
    return [
        _rule(
            "obligation_does_not_apply",
            "obligation",
            _(
                "%(reference)s does not apply to %(participant)s on %(date)s: it binds the "
                "parties to the %(title)s, and the record does not show %(participant)s as one."
            )
            % {
                "reference": obligation.reference,
                "participant": participant,
                "date": _day(today),
                "title": obligation.instrument.short_title,
            },
        )
    ]


def designation_violations(
    designation: AuthorityDesignation,
    *,
    earlier: AuthorityDesignation | None = None,
    today: date | None = None,
) -> list[treaty.Violation]:
    """Every rule a designation breaks; `earlier` is the designation it supersedes."""
    today = today or timezone.localdate()
    found = _what_violations(designation)
    if found and found[0].rule == "obligation_designates_nothing":
        return found
    found += _date_violations(designation, today)
    found += _order_violations(designation, earlier)
    found += _link_violations(designation)
    return found + _applies_violations(designation, today)


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
