"""Which rows of the status matrix a status view shows, and in what order: the `status`
filter and the `ordering` a column heading asks for. The status page and the API's status/
call rows_shown() with the same FilterSet values, so they list the same rows.

Plain functions over the matrix (no query); the words of each status stay in the domain.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from instruments import domain
from instruments.selectors import StatusMatrix, status_order
from states.models import Participant

# The statuses a reader filters by, with the words the page shows.
PARTY = "party"
PARTY_IN_FORCE = "party_in_force"
SIGNATORY_ONLY = "signatory"
NO_ACTION = "none"
DENOUNCED = "denounced"
NOT_PARTY = "not_party"
STATUS_CHOICES = [
    (PARTY, _("Party (consent in effect, in force or not yet)")),
    (PARTY_IN_FORCE, _("Party, in force")),
    (SIGNATORY_ONLY, _("Signatory only")),
    (NO_ACTION, _("No action on record")),
    (DENOUNCED, _("Denounced")),
    (NOT_PARTY, _("Not a party (signatory, no action or denounced)")),
]

# Sorting by status: the furthest along first.
STATUS_RANK = {"in_force": 0, "pending": 1, domain.SIGNATORY: 2, domain.DENOUNCED: 3}
NO_ACTION_RANK = 4


def status_matches(status: domain.ParticipantStatus, wanted: str) -> bool:
    if wanted == PARTY:
        return status.status == domain.PARTY
    if wanted == PARTY_IN_FORCE:
        return status.status == domain.PARTY and status.in_force
    if wanted == NOT_PARTY:
        return status.status != domain.PARTY
    return status.status == wanted


def _rank(status: domain.ParticipantStatus) -> int:
    if status.status == domain.PARTY:
        return STATUS_RANK["in_force" if status.in_force else "pending"]
    return STATUS_RANK.get(status.status, NO_ACTION_RANK)


def ordering_parts(ordering: str) -> tuple[str, bool, str | None]:
    """ "-status:tip" -> ("status", True, "tip"): the field, descending, the instrument."""
    descending = ordering.startswith("-")
    field, _, code = ordering.removeprefix("-").partition(":")
    return field, descending, code or None


def ordered(matrix: StatusMatrix, ordering: str) -> list[Participant]:
    """The participants in the order `ordering` names: a field of the first instrument
    shown (selectors.status_order), or `status`/a date of the instrument after the colon
    (a column heading's order). Entries without a date come last either way; ties by name."""
    field, descending, code = ordering_parts(ordering)
    codes = [i.code for i in matrix.instruments]
    if code is None and field != "status":
        return status_order(matrix, ordering)
    code = code if code in codes else (codes[0] if codes else None)
    participants = list(matrix.participants)  # by name already
    if code is None:
        return participants
    if field == "status":
        # A stable sort keeps names in order within a status.
        return sorted(
            participants,
            key=lambda p: _rank(matrix.status(p.pk, code)),
            reverse=descending,
        )

    def value(participant: Participant) -> date | None:
        return getattr(matrix.status(participant.pk, code), field)

    dated = [p for p in participants if value(p) is not None]
    undated = [p for p in participants if value(p) is None]
    dated.sort(key=value, reverse=descending)  # type: ignore[arg-type]
    return dated + undated


def rows_shown(matrix: StatusMatrix, values: dict) -> list[Participant]:
    """The participants a status view lists: ordered, then those with one of the wanted
    statuses for at least one instrument shown (all when none is wanted)."""
    participants = ordered(matrix, values["ordering"])
    wanted = values.get("status") or []
    if not wanted:
        return participants
    return [
        p
        for p in participants
        if any(
            status_matches(matrix.status(p.pk, i.code), w)
            for i in matrix.instruments
            for w in wanted
        )
    ]
