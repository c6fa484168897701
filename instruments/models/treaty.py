"""The treaty record: the instruments, the participants' actions on them, and their
declarations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from instruments.titles import instrument_title
from states.models import Participant


class Instrument(models.Model):
    """The Convention or one of its Protocols, with its entry-into-force rule as data."""

    code = models.SlugField(max_length=8, unique=True, help_text=_("untoc, tip, som or fir."))
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100)
    untc_reference = models.CharField(_("UNTC reference"), max_length=20, unique=True)
    convention = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols",
        help_text=_("For a Protocol, the Convention it supplements (UNTOC art. 37)."),
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    adopted_on = models.DateField()
    adopted_place = models.CharField(max_length=100)
    ga_resolution = models.CharField(_("GA resolution"), max_length=40)
    opened_for_signature_on = models.DateField(
        null=True, blank=True, help_text=_("Empty where the reference has not verified it.")
    )
    open_for_signature_until = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "The last day a signature is accepted (UNTOC art. 36(1), TIP art. 16(1), "
            "SOM art. 21(1), FIR art. 17(1): 12 December 2002)."
        ),
    )
    signature_note = models.TextField(blank=True)
    entry_into_force_on = models.DateField(
        _("entry into force (recorded)"),
        null=True,
        blank=True,
        help_text=_("As the depositary records it; the tracker checks it against the deposits."),
    )
    eif_article = models.CharField(_("entry-into-force article"), max_length=20)
    eif_threshold = models.PositiveSmallIntegerField(
        _("instruments needed"), default=40, help_text=_("The Nth instrument of consent.")
    )
    eif_days_after_threshold = models.PositiveSmallIntegerField(
        _("days after the Nth instrument"), default=90
    )
    eif_days_after_later_deposit = models.PositiveSmallIntegerField(
        _("days after a later deposit"), default=30
    )
    eif_reio_counts = models.BooleanField(
        _("organizations' instruments count"),
        default=False,
        help_text=_(
            "Whether an instrument of a regional economic integration organization "
            "counts towards the Nth instrument (it does not under UNTOC art. 38(1))."
        ),
    )
    status_complete_to = models.DateField(
        _("status complete to"),
        help_text=_(
            "The date to which the actions recorded for this instrument are complete; "
            "later actions are partial."
        ),
    )
    status_currency_note = models.TextField(
        _("status currency note"), help_text=_("Where the complete table comes from.")
    )
    source = models.TextField()
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(convention=models.F("pk")),
                name="instrument_not_its_own_convention",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title

    @property
    def local_title(self) -> str:
        """The title in the active language (instruments/titles.py); in English, `title`."""
        return instrument_title(self.code, self.title)

    @property
    def local_short_title(self) -> str:
        return instrument_title(self.code, self.short_title, short=True)

    @property
    def is_protocol(self) -> bool:
        return self.convention_id is not None


class TreatyAction(models.Model):
    """One act of a participant towards an instrument, as the depositary records it."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("Signature")
        RATIFICATION = "ratification", _("Ratification")
        ACCEPTANCE = "acceptance", _("Acceptance (A)")
        APPROVAL = "approval", _("Approval (AA)")
        ACCESSION = "accession", _("Accession (a)")
        SUCCESSION = "succession", _("Succession (d)")
        FORMAL_CONFIRMATION = "formal_confirmation", _("Formal confirmation (c)")
        CONSENT = "consent", _("Consent to be bound (kind not recorded)")
        DENUNCIATION = "denunciation", _("Denunciation")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="actions")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    date = models.DateField(
        help_text=_(
            "Signature date, date of deposit of the instrument, or date the depositary "
            "received the notification."
        )
    )
    effective_date = models.DateField(
        _("bound from"),
        null=True,
        blank=True,
        help_text=_("Succession only: the date from which the successor declares itself bound."),
    )
    depositary_notification = models.CharField(
        _("depositary notification"), max_length=60, blank=True, help_text=_("C.N. reference.")
    )
    source = models.TextField()
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["instrument", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument", "kind", "date"],
                name="action_unique_per_day",
            ),
            models.UniqueConstraint(
                fields=["participant", "instrument"],
                condition=models.Q(kind="signature"),
                name="action_one_signature",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_date__isnull=True) | models.Q(kind="succession"),
                name="action_effective_date_only_for_succession",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_date__isnull=True)
                | models.Q(effective_date__lte=models.F("date")),
                name="action_effective_date_not_after_notification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_kind_display()} of {self.instrument}, {self.date}"


class Declaration(models.Model):
    """A declaration, reservation, notification, objection or withdrawal, in our own words."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        RESERVATION = "reservation", _("Reservation")
        NOTIFICATION = "notification", _("Notification")
        OBJECTION = "objection", _("Objection")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    class MadeAt(models.TextChoices):
        SIGNATURE = "signature", _("At signature")
        DEPOSIT = "deposit", _("At deposit")
        LATER = "later", _("Later")
        UNKNOWN = "unknown", _("Not recorded")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="declarations"
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    article = models.CharField(
        max_length=60,
        help_text=_("e.g. 18(13), 35(3); general, territorial, or unspecified when not known."),
    )
    date = models.DateField(null=True, blank=True, help_text=_("Empty when the source gives none."))
    made_at = models.CharField(max_length=12, choices=MadeAt.choices, default=MadeAt.UNKNOWN)
    summary = models.TextField(help_text=_("A short factual summary, not the depositary's text."))
    source = models.TextField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["participant__name", "instrument__display_order", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument", "kind", "article", "date"],
                name="declaration_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_kind_display()} on {self.instrument}, {self.article}"
