"""Every write of a focal point's submission, and SPMU's decision on it.

A focal point saves a draft (with its attachments) and submits it; SPMU approves, returns or
rejects it. Each write is atomic, checks the rules (focal.domain) and refuses bad input whole,
naming the field and the rule: nothing is stored then, no file either. Each step is a row of
the submission's history, naming who and when. An approval records the submission through
reports' services, whose re-check of the participant's compliance runs after commit.
"""

from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.writes import Actor, RuleError, locked, record_save, set_history_user
from focal import domain, emails
from focal.files import CheckedFile
from focal.invitations import language_check
from focal.models import Attachment, FocalPoint, FocalSubmission, attachment_storage
from focal.selectors import obligations_open_to
from reports import services as report_services
from reports.authority_services import designation_record
from reports.models import Obligation, Submission

CONTENT_FIELDS = (
    "authority_name",
    "postal_address",
    "contact_point",
    "phone",
    "email",
    "languages",
    "notified_on",
    "depositary_reference",
    "note",
)


class FocalRuleError(RuleError):
    """A submission or decision that breaks a rule; `violations` say which and where."""


def _refuse(rule: str, field: str, message: str) -> FocalRuleError:
    return FocalRuleError([domain.Violation(rule, field, message)])


def _obligation_check(focal_point: FocalPoint, obligation: Obligation) -> None:
    if obligation not in obligations_open_to(focal_point.participant):
        raise _refuse(
            "obligation_not_applicable",
            "obligation",
            _(
                "%(obligation)s does not apply to %(participant)s: an obligation binds only "
                "the parties to its instrument (and the Conference's deadline only the States "
                "bound by the Convention on that date)."
            )
            % {"obligation": obligation.reference, "participant": focal_point.participant},
        )


def _one_open_check(submission: FocalSubmission) -> None:
    other = (
        FocalSubmission.objects.filter(
            participant_id=submission.participant_id,
            obligation_id=submission.obligation_id,
            state__in=domain.OPEN_STATES,
        )
        .exclude(pk=submission.pk)
        .first()
    )
    if other is not None:
        raise _refuse(
            "one_open_submission",
            "obligation",
            _(
                "%(participant)s already has a submission under %(obligation)s that is not "
                "decided yet (#%(pk)s, %(state)s): edit that one, or wait for SPMU's decision."
            )
            % {
                "participant": submission.participant,
                "obligation": submission.obligation.reference,
                "pk": other.pk,
                "state": other.get_state_display(),
            },
        )


def _content_check(submission: FocalSubmission, values: dict[str, Any]) -> None:
    violations = domain.content_violations(submission.obligation.code, values, timezone.localdate())
    if violations:
        raise FocalRuleError(violations)


def _files_write(submission: FocalSubmission, files: Sequence[CheckedFile], written: list) -> None:
    storage = attachment_storage()
    for checked in files:
        name = storage.save(
            f"{submission.participant.iso3}/{checked.sha256}", ContentFile(checked.data)
        )
        written.append(name)
        Attachment.objects.create(
            submission=submission,
            file=name,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=checked.sha256,
        )


def _save_with_files(
    submission: FocalSubmission, actor: Actor, files: Sequence[CheckedFile], *, new: bool
) -> FocalSubmission:
    """Save the row and write its files in one transaction; if anything fails, the files
    written are removed again, so no file is left without its row."""
    written: list[str] = []
    try:
        with transaction.atomic():
            _one_open_check(submission)
            try:
                with transaction.atomic():
                    record_save(submission, actor, new_version=not new)
            except IntegrityError:  # another open one, saved between the check and here
                _one_open_check(submission)
                raise
            _files_write(submission, files, written)
    except BaseException:
        storage = attachment_storage()
        for name in written:
            storage.delete(name)
        raise
    return submission


def submission_create(
    *,
    focal_point: FocalPoint,
    obligation: Obligation,
    values: dict[str, Any],
    files: Sequence[CheckedFile] = (),
    actor: Actor,
) -> FocalSubmission:
    """A new draft of the focal point's participant under `obligation`."""
    _obligation_check(focal_point, obligation)
    submission = FocalSubmission(
        participant=focal_point.participant,
        obligation=obligation,
        focal_point=focal_point,
        **{name: values.get(name) or "" for name in CONTENT_FIELDS if name != "notified_on"},
        notified_on=values.get("notified_on"),  # type: ignore[misc]
    )
    _content_check(submission, values)
    return _save_with_files(submission, actor, files, new=True)


def focal_point_language_set(focal_point: FocalPoint, language: str, actor: Actor) -> FocalPoint:
    """The focal point's own choice of the language its e-mails are written in (a
    ValidationError naming `language` for one the site does not speak)."""
    language = language_check(language)
    with transaction.atomic():
        stored = locked(FocalPoint, focal_point.pk)
        if stored.language != language:
            stored.language = language
            set_history_user(stored, actor)
            stored.save(update_fields=["language", "updated_at"])
    return stored


def _locked_editable(
    submission: FocalSubmission, expected_version: int | None, field: str, refusal: str
) -> FocalSubmission:
    """The submission, locked at the version its editor saw, if its focal point may still
    change it (a draft, or one SPMU returned); else refused with `refusal` on `field`."""
    stored = locked(FocalSubmission, submission.pk, expected_version)
    if stored.state not in domain.EDITABLE_STATES:
        raise _refuse("not_editable", field, refusal % {"state": stored.get_state_display()})
    return stored


def submission_edit(
    *,
    submission: FocalSubmission,
    values: dict[str, Any],
    files: Sequence[CheckedFile] = (),
    actor: Actor,
    expected_version: int | None = None,
) -> FocalSubmission:
    """Change a draft, or a submission SPMU returned for changes."""
    with transaction.atomic():
        stored = _locked_editable(
            submission,
            expected_version,
            "state",
            _("This submission is %(state)s and can no longer be changed."),
        )
        _content_check(stored, values)
        for name in CONTENT_FIELDS:
            setattr(stored, name, values.get(name) or ("" if name != "notified_on" else None))
        return _save_with_files(stored, actor, files, new=False)


def attachment_remove(
    *,
    submission: FocalSubmission,
    attachment_pk: int,
    actor: Actor,
    expected_version: int | None = None,
) -> FocalSubmission:
    """Remove a file from a draft, or from a submission SPMU returned for changes.

    The row goes with a history row naming who and when, the submission counts one more
    version (its history says which file went), and the file leaves the storage once the
    transaction has committed: a rollback keeps both."""
    with transaction.atomic():
        stored = _locked_editable(
            submission,
            expected_version,
            "attachments",
            _("This submission is %(state)s: its attachments can no longer be removed."),
        )
        attachment = Attachment.objects.filter(submission=stored, pk=attachment_pk).first()
        if attachment is None:
            raise Attachment.DoesNotExist(f"No attachment {attachment_pk} on #{stored.pk}.")
        name = str(attachment.file.name)
        set_history_user(attachment, actor)
        attachment.delete()
        # The reason is kept in the submission's history row (at most 100 characters).
        reason = _("attachment removed: %(name)s") % {"name": attachment.original_name[:60]}
        stored._change_reason = reason  # type: ignore[attr-defined]
        record_save(stored, actor, new_version=True)
        # robust: a file that cannot be removed is logged, the committed removal stands.
        transaction.on_commit(lambda: attachment_storage().delete(name), robust=True)
        return stored


def submission_submit(
    *, submission: FocalSubmission, actor: Actor, expected_version: int | None = None
) -> FocalSubmission:
    """Send a draft (or a returned submission, edited) to SPMU for review."""
    with transaction.atomic():
        stored = _locked_editable(
            submission,
            expected_version,
            "state",
            _("This submission is %(state)s: it cannot be submitted again."),
        )
        _obligation_check(stored.focal_point, stored.obligation)
        _content_check(stored, {name: getattr(stored, name) for name in CONTENT_FIELDS})
        stored.state = domain.SUBMITTED
        stored.submitted_at = timezone.now()
        record_save(stored, actor, new_version=True)
        emails.submitted_mail_to_editors(stored)
        return stored


def submission_decide(
    *,
    submission: FocalSubmission,
    decision: str,
    comment: str = "",
    actor: Actor,
    expected_version: int | None = None,
) -> FocalSubmission:
    """Approve, return (with a comment) or reject (with a reason) a submitted submission.

    1. Lock the row and refuse a decision based on another version: of two editors deciding
       at once, the second finds the first one's version and is told (StaleVersionError).
    2. Refuse a decision on one's own submission, on one not awaiting review, without a
       comment where one is needed (focal.domain.decision_violations).
    3. Approve: record the submission through reports' services (history, the compliance
       re-check after commit) and, for a designation, the authority in the directory.
    4. Save the decision with its author and time; tell the focal point by e-mail."""
    with transaction.atomic():
        stored = locked(FocalSubmission, submission.pk, expected_version)
        own = getattr(actor, "pk", None) == stored.focal_point.user_id
        violations = domain.decision_violations(stored.state, decision, comment, own=own)
        if violations:
            raise FocalRuleError(violations)
        if decision == domain.APPROVE:
            stored.submission = _approve(stored, actor)
        stored.state = domain.DECISIONS[decision]
        stored.decided_at = timezone.now()
        stored.decided_by = actor if getattr(actor, "pk", None) else None  # type: ignore[assignment]
        stored.decision_comment = comment.strip()
        record_save(stored, actor, new_version=True)
        emails.decision_mail(stored)
        return stored


def _approve(submission: FocalSubmission, actor: Actor) -> Submission:
    reference = submission.depositary_reference
    note = _("Submitted by its focal point (focal point submission #%(pk)s).") % {
        "pk": submission.pk
    }
    if submission.note:
        note += "\n" + submission.note
    recorded = report_services.submission_record(
        participant=submission.participant,
        obligation=submission.obligation,
        received_on=submission.notified_on,
        reference=reference,
        note=note,
        actor=actor,
    )
    if domain.is_designation(submission.obligation.code):
        record_approved_designation(submission=submission, recorded=recorded, actor=actor)
    return recorded


def record_approved_designation(
    *, submission: FocalSubmission, recorded: Submission, actor: Actor
) -> None:
    """Record the authority an approved designation names in the directory of competent
    national authorities (reports.AuthorityDesignation), through the directory's service.

    Called inside the approval's transaction, so the directory and the submission on record
    change together; the new designation supersedes the one in effect. It is the one place
    that does so."""
    designation_record(actor, submission=recorded, **designation_values(submission))


def designation_values(submission: FocalSubmission) -> dict[str, Any]:
    """What an approved designation tells the directory (reports.authority_services)."""
    participant = submission.participant
    reference = submission.depositary_reference
    # A stored citation, in the records' language (English) whoever approves it.
    source = (
        f"Notification by {participant.name} to the Secretary-General"
        f"{f', {reference}' if reference else ''}, submitted by its focal point and approved "
        f"by SPMU (focal point submission #{submission.pk})"
    )
    return {
        "participant": participant,
        "obligation": submission.obligation,
        "authority_name": submission.authority_name,
        "postal_address": submission.postal_address,
        "contact_person": submission.contact_point,
        "phone": submission.phone,
        "email": submission.email,
        "languages": submission.languages,
        "notified_on": submission.notified_on,
        "reference": reference,
        "source": source,
    }
