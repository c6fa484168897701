"""The rules a designation of a competent national authority must keep: what the obligation
designates (an authority, or the languages accepted), its dates, its place in the sequence
of designations for the participant and obligation, the submission it rests on, and that the
obligation applies to the participant. reports.authority_services refuses a write breaking
any of them, naming the field and the rule."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import message_date as _day
from instruments import domain as treaty
from reports import domain
from reports.authorities import AUTHORITY, LANGUAGES, designates
from reports.models import AuthorityDesignation
from reports.standings import obligation_standings


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
