"""What the record is checked against: the depositary's own counts at checkpoints, and open
questions about facts a source claims that are not recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from instruments.models.treaty import Instrument, TreatyAction
from states.models import Participant


class DepositaryCheckpoint(models.Model):
    """The depositary's own count of signatories and parties for an instrument, as printed
    above its status table ("Status as at DATE"): what the tracker's counts are checked
    against."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="depositary_checkpoints"
    )
    as_at = models.DateField(
        _("status as at"), help_text=_("The date the depositary's page gives.")
    )
    signatories = models.PositiveSmallIntegerField()
    parties = models.PositiveSmallIntegerField()
    source = models.TextField(help_text=_("Where the figures were read."))
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument__display_order", "as_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "as_at"], name="depositary_checkpoint_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: status as at {self.as_at}"


class OpenQuestion(models.Model):
    """A claimed fact the tracker does not hold as an action: undated, of medium or low
    confidence, or breaking a treaty rule until another source settles it."""

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="open_questions",
        help_text=_("Empty when the tracker does not list the participant yet."),
    )
    iso3 = models.CharField(_("code"), max_length=3)
    participant_name = models.CharField(max_length=200)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="open_questions"
    )
    claim = models.TextField(help_text=_("What the source says, in plain words."))
    claimed_kind = models.CharField(
        max_length=24,
        blank=True,
        choices=TreatyAction.Kind.choices,
        help_text=_("Empty when the source does not say."),
    )
    claimed_date = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices)
    reason = models.TextField(help_text=_("Why this is not recorded as an action."))
    source = models.TextField()
    source_as_of = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument__display_order", "participant_name", "id"]
        constraints = [
            # One question per participant and instrument: a second source goes in its note.
            models.UniqueConstraint(fields=["iso3", "instrument"], name="open_question_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_name}, {self.instrument}: {self.claim}"
