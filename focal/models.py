"""Focal points: the people who act for a State, their invitations, their submissions and the
files attached to them.

A focal point is a Django user (never staff) with a `focal_point` record naming its
participant. Submissions go from draft to submitted, then SPMU approves, returns or rejects
them; an approved one becomes a reports.Submission through reports' services.
"""

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from focal import domain
from reports.models import Obligation, Submission
from states.models import Participant


def attachment_storage() -> FileSystemStorage:
    """Where attachments are kept: FOCAL_ATTACHMENTS_ROOT, outside the web root. No base URL:
    nothing there is served by address, only by the download view, to those allowed."""
    return FileSystemStorage(location=settings.FOCAL_ATTACHMENTS_ROOT, base_url=None)


def e_mail_language_field(help_text: Any) -> models.CharField:
    """The language the tracker writes to someone in: one of the site's six."""
    return models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE.split("-")[0],
        help_text=help_text,
    )


class FocalPoint(models.Model):
    """A person who acts for one participant: submits its notifications for SPMU's review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="focal_point",
        verbose_name=_("user"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="focal_points",
        verbose_name=_("participant"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="focal_points_invited",
        verbose_name=_("invited by"),
    )
    language = e_mail_language_field(_("The tracker writes to this focal point in this language."))
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Off: this focal point can no longer sign in.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["participant__name", "user__email"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self) -> str:
        return f"{self.user.email} ({self.participant})"


class Invitation(models.Model):
    """An invitation e-mailed to a future focal point: a one-use link, kept as a hash."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="focal_invitations",
        verbose_name=_("participant"),
    )
    email = models.EmailField(_("e-mail address"))
    language = e_mail_language_field(
        _("The invitation is written in this language, and later e-mails too.")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="focal_invitations",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Replaced by a newer link sent to the same address."),
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("focal point"),
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("focal point invitation")
        verbose_name_plural = _("focal point invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.participant})"


class FocalSubmission(models.Model):
    """A notification a focal point submits for its participant, and SPMU's decision."""

    class State(models.TextChoices):
        DRAFT = domain.DRAFT, _("draft")
        SUBMITTED = domain.SUBMITTED, _("submitted, awaiting review")
        RETURNED = domain.RETURNED, _("returned for changes")
        APPROVED = domain.APPROVED, _("approved")
        REJECTED = domain.REJECTED, _("rejected")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="focal_submissions",
        verbose_name=_("participant"),
    )
    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        related_name="focal_submissions",
        verbose_name=_("obligation"),
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("focal point"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    authority_name = models.CharField(_("authority name"), max_length=300, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    contact_point = models.CharField(_("contact point"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=300, blank=True, help_text=_("Under UNTOC art. 18(14).")
    )
    notified_on = models.DateField(_("date notified to the depositary"))
    depositary_reference = models.CharField(
        _("depositary reference"), max_length=120, blank=True, help_text=_("e.g. C.N.123.2024")
    )
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_decisions",
        verbose_name=_("decided by"),
    )
    decision_comment = models.TextField(_("comment or reason"), blank=True)
    submission = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_submissions",
        verbose_name=_("submission on record"),
        help_text=_("The record the approval made."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Counts saves, so that a stale decision is refused.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("focal point submission")
        verbose_name_plural = _("focal point submissions")
        permissions = [
            ("review_focalsubmission", _("Can approve, return or reject submissions")),
        ]
        constraints = [
            # One open submission per participant and obligation: a second is refused.
            models.UniqueConstraint(
                fields=["participant", "obligation"],
                condition=models.Q(state__in=domain.OPEN_STATES),
                name="focal_submission_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.obligation.reference} (#{self.pk})"


class Attachment(models.Model):
    """A file attached to a submission (PDF, PNG or JPEG, checked by its content)."""

    submission = models.ForeignKey(
        FocalSubmission,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("submission"),
    )
    file = models.FileField(
        _("file"), storage=attachment_storage, upload_to="%Y/%m/", max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    # A removed attachment stays in the history, with who removed it and when; its file
    # leaves the storage.
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
