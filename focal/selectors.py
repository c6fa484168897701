"""What a focal point reads: the obligations open to its participant, where it stands with
them, what is on record, and its own submissions. Nothing of another participant."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from focal.models import Attachment, FocalPoint, FocalSubmission, Invitation
from instruments.selectors import status_matrix
from reports import domain as reports_domain
from reports.models import Obligation, Submission
from reports.selectors import obligation_facts_of, obligation_list, submission_list
from reports.standings import obligation_standings
from states.models import Participant


def obligations_open_to(participant: Participant, as_of: date | None = None) -> list[Obligation]:
    """The obligations of the catalogue that bind `participant` today (reports.domain's
    rule). A submission under an article binding States in a stated condition is itself the
    statement of that condition, so those count as open to every party."""
    as_of = as_of or timezone.localdate()
    obligations = list(obligation_list().select_related("instrument__convention"))
    instruments = {o.instrument for o in obligations}
    instruments |= {o.instrument.convention for o in obligations if o.instrument.convention}
    matrix = status_matrix(as_of=as_of, participants=[participant], instruments=instruments)
    is_organization = participant.kind == Participant.Kind.REIO
    return [
        obligation
        for obligation in obligations
        if reports_domain.obligation_applies(
            obligation_facts_of(obligation),
            matrix.status(participant.pk, obligation.instrument.code),
            is_organization=is_organization,
            condition_on_record=True,
        )
    ]


@dataclass
class FocalHome:
    participant: Participant
    standings: list[dict[str, Any]]
    on_record: list[Submission]
    submissions: list[FocalSubmission]


def focal_home(focal_point: FocalPoint) -> FocalHome:
    """The focal point's page: its participant's standings with every obligation that
    applies (reports' one computation), the submissions on record, and its own."""
    participant = focal_point.participant
    standings = obligation_standings(participant_ids=[participant.pk])
    return FocalHome(
        participant=participant,
        standings=standings.rows(),
        on_record=list(submission_list(state=[participant.iso3])),
        submissions=list(own_submissions(focal_point)),
    )


def own_submissions(focal_point: FocalPoint) -> QuerySet[FocalSubmission]:
    """The submissions of the focal point's participant (by any of its focal points)."""
    return FocalSubmission.objects.filter(participant_id=focal_point.participant_id).select_related(
        "obligation__instrument", "focal_point__user"
    )


def submission_for(focal_point: FocalPoint, pk: int) -> FocalSubmission:
    """A submission of the focal point's own participant; any other is not found (404), so
    that another State's drafts cannot even be counted."""
    found = own_submissions(focal_point).filter(pk=pk).first()
    if found is None:
        raise Http404("No such submission.")
    return found


def attachment_for(user: Any, submission_pk: int, attachment_pk: int) -> Attachment:
    """An attachment its reader may download: a focal point's own participant's, or for SPMU
    reviewers any submission that has been submitted. Anything else is not found (404)."""
    attachments = Attachment.objects.select_related("submission").filter(
        pk=attachment_pk, submission_id=submission_pk
    )
    focal_point = getattr(user, "focal_point", None)
    if focal_point is not None:
        attachments = attachments.filter(submission__participant_id=focal_point.participant_id)
    elif user.has_perm("focal.review_focalsubmission"):
        attachments = attachments.exclude(submission__state=FocalSubmission.State.DRAFT)
    else:
        raise Http404("No such attachment.")
    found = attachments.first()
    if found is None:
        raise Http404("No such attachment.")
    return found


def review_queue() -> QuerySet[FocalSubmission]:
    return FocalSubmission.objects.filter(state=FocalSubmission.State.SUBMITTED).select_related(
        "participant", "obligation__instrument", "focal_point__user"
    )


def focal_record_counts() -> dict[str, int]:
    """Rows per table of focal points, invitations, submissions, attachments and their
    histories (what a snapshot of the tracker's records does not carry)."""
    models = [FocalPoint, Invitation, FocalSubmission, Attachment]
    models += [model.history.model for model in models]  # type: ignore[attr-defined]
    return {model._meta.label_lower: model._base_manager.count() for model in models}
