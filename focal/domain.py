"""The rules of a focal point's submission, as plain values (no database).

A submission is written as a draft, submitted, then decided by SPMU: approved (it becomes a
submission on record), returned for changes (the focal point edits and submits it again) or
rejected. One submission per participant and obligation may be open (draft, submitted or
returned) at a time.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"
REJECTED = "rejected"

OPEN_STATES = (DRAFT, SUBMITTED, RETURNED)
# The states a focal point may still edit.
EDITABLE_STATES = (DRAFT, RETURNED)

APPROVE = "approve"
RETURN = "return"
REJECT = "reject"
DECISIONS = {APPROVE: APPROVED, RETURN: RETURNED, REJECT: REJECTED}

# The obligations that designate an authority, and what a designation must name.
# UNTOC art. 18(13): a central authority; art. 18(14): the languages accepted (no authority);
# art. 31(6): the prevention authority; SOM art. 8(6): the authority for requests concerning
# vessels; FIR art. 13(2): a national body or single point of contact.
AUTHORITY_FIELDS = ("authority_name", "postal_address", "contact_point")
DESIGNATIONS: dict[str, tuple[str, ...]] = {
    "untoc-18-13": AUTHORITY_FIELDS,
    "untoc-18-14": ("languages",),
    "untoc-31-6": AUTHORITY_FIELDS,
    "som-8-6": AUTHORITY_FIELDS,
    "fir-13-2": AUTHORITY_FIELDS,
}


@dataclass(frozen=True)
class Violation:
    """A broken rule (core.writes.Violation): `rule`, the `field` it concerns, `message`."""

    rule: str
    field: str
    message: str


def is_designation(obligation_code: str) -> bool:
    return obligation_code in DESIGNATIONS


def required_fields(obligation_code: str) -> tuple[str, ...]:
    """What a submission under this obligation must fill in, beyond the date notified."""
    return DESIGNATIONS.get(obligation_code, ())


def content_violations(
    obligation_code: str, values: dict[str, object], today: date
) -> list[Violation]:
    """1. The date notified to the depositary is given and not after today.
    2. A designation names what its article asks for (required_fields)."""
    found = []
    notified_on = values.get("notified_on")
    if not isinstance(notified_on, date):
        found.append(
            Violation("required", "notified_on", _("Give the date notified to the depositary."))
        )
    elif notified_on > today:
        found.append(
            Violation(
                "date_in_future",
                "notified_on",
                _("%(day)s is after today (%(today)s): give the date it was notified.")
                % {"day": f"{notified_on:%d %b %Y}", "today": f"{today:%d %b %Y}"},
            )
        )
    for name in required_fields(obligation_code):
        if not str(values.get(name) or "").strip():
            found.append(
                Violation(
                    "required_for_designation",
                    name,
                    _("A notification under this article names this; fill it in."),
                )
            )
    return found


def decision_violations(state: str, decision: str, comment: str, *, own: bool) -> list[Violation]:
    """Who may decide what: only a submitted submission is decided; nobody decides their
    own; returning and rejecting say why."""
    found = []
    if own:
        found.append(
            Violation("own_submission", "decision", _("Nobody may decide their own submission."))
        )
    if state != SUBMITTED:
        found.append(
            Violation(
                "not_awaiting_review",
                "decision",
                _("This submission is not awaiting review (it is %(state)s).") % {"state": state},
            )
        )
    if decision not in DECISIONS:
        found.append(Violation("unknown_decision", "decision", _("Choose a decision.")))
    elif decision != APPROVE and not comment.strip():
        found.append(
            Violation(
                "comment_required",
                "comment",
                _("Say why: the focal point reads this comment or reason."),
            )
        )
    return found
