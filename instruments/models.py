from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from states.models import Participant


class Instrument(models.Model):
    """The Convention or one of its Protocols, with its entry-into-force rule as data."""

    code = models.SlugField(max_length=8, unique=True, help_text="untoc, tip, som or fir.")
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100)
    untc_reference = models.CharField("UNTC reference", max_length=20, unique=True)
    convention = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols",
        help_text="For a Protocol, the Convention it supplements (UNTOC art. 37).",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    adopted_on = models.DateField()
    adopted_place = models.CharField(max_length=100)
    ga_resolution = models.CharField("GA resolution", max_length=40)
    opened_for_signature_on = models.DateField(
        null=True, blank=True, help_text="Empty where the reference has not verified it."
    )
    open_for_signature_until = models.DateField(
        null=True,
        blank=True,
        help_text="The last day a signature is accepted (UNTOC art. 36(1), TIP art. 16(1), "
        "SOM art. 21(1), FIR art. 17(1): 12 December 2002).",
    )
    signature_note = models.TextField(blank=True)
    entry_into_force_on = models.DateField(
        "entry into force (recorded)",
        null=True,
        blank=True,
        help_text="As the depositary records it; the tracker checks it against the deposits.",
    )
    eif_article = models.CharField("entry-into-force article", max_length=20)
    eif_threshold = models.PositiveSmallIntegerField(
        "instruments needed", default=40, help_text="The Nth instrument of consent."
    )
    eif_days_after_threshold = models.PositiveSmallIntegerField(
        "days after the Nth instrument", default=90
    )
    eif_days_after_later_deposit = models.PositiveSmallIntegerField(
        "days after a later deposit", default=30
    )
    eif_reio_counts = models.BooleanField(
        "organizations' instruments count",
        default=False,
        help_text="Whether an instrument of a regional economic integration organization "
        "counts towards the Nth instrument (it does not under UNTOC art. 38(1)).",
    )
    status_complete_to = models.DateField(
        "status complete to",
        help_text="The date to which the actions recorded for this instrument are complete; "
        "later actions are partial.",
    )
    status_currency_note = models.TextField(
        "status currency note", help_text="Where the complete table comes from."
    )
    source = models.TextField()
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
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
    def is_protocol(self) -> bool:
        return self.convention_id is not None


class TreatyAction(models.Model):
    """One act of a participant towards an instrument, as the depositary records it."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", "Signature"
        RATIFICATION = "ratification", "Ratification"
        ACCEPTANCE = "acceptance", "Acceptance (A)"
        APPROVAL = "approval", "Approval (AA)"
        ACCESSION = "accession", "Accession (a)"
        SUCCESSION = "succession", "Succession (d)"
        FORMAL_CONFIRMATION = "formal_confirmation", "Formal confirmation (c)"
        CONSENT = "consent", "Consent to be bound (kind not recorded)"
        DENUNCIATION = "denunciation", "Denunciation"

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="actions")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    date = models.DateField(
        help_text="Signature date, date of deposit of the instrument, or date the depositary "
        "received the notification."
    )
    effective_date = models.DateField(
        "bound from",
        null=True,
        blank=True,
        help_text="Succession only: the date from which the successor declares itself bound.",
    )
    depositary_notification = models.CharField(
        "depositary notification", max_length=60, blank=True, help_text="C.N. reference."
    )
    source = models.TextField()
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
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
        DECLARATION = "declaration", "Declaration"
        RESERVATION = "reservation", "Reservation"
        NOTIFICATION = "notification", "Notification"
        OBJECTION = "objection", "Objection"
        WITHDRAWAL = "withdrawal", "Withdrawal"

    class MadeAt(models.TextChoices):
        SIGNATURE = "signature", "At signature"
        DEPOSIT = "deposit", "At deposit"
        LATER = "later", "Later"
        UNKNOWN = "unknown", "Not recorded"

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="declarations"
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    article = models.CharField(
        max_length=60,
        help_text="e.g. 18(13), 35(3); general, territorial, or unspecified when not known.",
    )
    date = models.DateField(null=True, blank=True, help_text="Empty when the source gives none.")
    made_at = models.CharField(max_length=12, choices=MadeAt.choices, default=MadeAt.UNKNOWN)
    summary = models.TextField(help_text="A short factual summary, not the depositary's text.")
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


class DepositaryBatch(models.Model):
    """One reading of the depositary's status table of an instrument: the differences it
    shows from our records, kept for an editor to accept or reject one by one."""

    class Form(models.TextChoices):
        HTML = "html", "Status page saved from a browser (HTML)"
        TEXT = "text", "Table copied from the browser (pasted)"
        CSV = "csv", "CSV status table"
        WEB = "web", "Status page fetched by the weekly job"
        FACTS = "facts", "Dated facts from another source"

    class State(models.TextChoices):
        OPEN = "open", "Open: proposals to decide"
        DECIDED = "decided", "Every proposal decided"
        FAILED = "failed", "Failed: nothing to review"

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="depositary_batches"
    )
    source_form = models.CharField("form", max_length=8, choices=Form.choices)
    status_as_at = models.DateField(
        "status as at", null=True, blank=True, help_text="The date the table gives itself."
    )
    source = models.TextField(help_text="Recorded as the source of every accepted change.")
    complete_table = models.BooleanField(
        default=True,
        help_text="A whole table: what it lacks is proposed too, and once every proposal is "
        "decided the instrument's data are complete to its date.",
    )
    origin = models.CharField(
        max_length=500, blank=True, help_text="The file's name or the page's address."
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    message = models.TextField(blank=True, help_text="Why a fetch failed.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the weekly job.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "depositary import"
        verbose_name_plural = "depositary imports"

    def __str__(self) -> str:
        if self.source_form == self.Form.FACTS:
            return f"{self.instrument}: dated facts from {self.origin or 'other sources'}"
        when = f"as at {self.status_as_at:%d %b %Y}" if self.status_as_at else "(no table)"
        return f"{self.instrument}: status table {when}"


class DepositaryProposal(models.Model):
    """One difference between the depositary's table and our records, as at the table's
    date; nothing is written until an editor accepts it."""

    class Change(models.TextChoices):
        NEW_ACTION = "new_action", "New action"
        CHANGED_DATE = "changed_date", "Changed date"
        CHANGED_KIND = "changed_kind", "Changed kind"
        NOT_IN_TABLE = "not_in_table", "Action the table lacks"

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", "Undecided"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    batch = models.ForeignKey(DepositaryBatch, on_delete=models.CASCADE, related_name="proposals")
    change = models.CharField(max_length=16, choices=Change.choices)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    line = models.PositiveIntegerField(null=True, blank=True, help_text="Line in the source.")
    action = models.ForeignKey(
        TreatyAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The recorded action the proposal changes.",
    )
    action_version = models.PositiveIntegerField(null=True, blank=True)
    old_kind = models.CharField(max_length=24, choices=TreatyAction.Kind.choices, blank=True)
    old_date = models.DateField(null=True, blank=True)
    new_kind = models.CharField(max_length=24, choices=TreatyAction.Kind.choices, blank=True)
    new_date = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True, help_text="The row's own source, if it has one.")
    confidence = models.CharField(
        max_length=8,
        blank=True,
        choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")],
        help_text="How far the source is trusted, for a fact from a source other than the "
        "depositary's table; empty for the depositary's own.",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.UNDECIDED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal = models.TextField(
        blank=True, help_text="The treaty rule the last try to accept it broke."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["batch", "participant__name", "id"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_change_display()}"

    @property
    def old_value(self) -> str:
        return _action_value(self.old_kind, self.old_date)

    @property
    def new_value(self) -> str:
        return _action_value(self.new_kind, self.new_date)


def _action_value(kind: str, when: Any) -> str:
    if not kind:
        return "-"
    label = TreatyAction.Kind(kind).label
    return f"{label}, {when:%d %b %Y}" if when else label


class DepositaryCheckpoint(models.Model):
    """The depositary's own count of signatories and parties for an instrument, as printed
    above its status table ("Status as at DATE"): what the tracker's counts are checked
    against."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="depositary_checkpoints"
    )
    as_at = models.DateField("status as at", help_text="The date the depositary's page gives.")
    signatories = models.PositiveSmallIntegerField()
    parties = models.PositiveSmallIntegerField()
    source = models.TextField(help_text="Where the figures were read.")
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
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
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="open_questions",
        help_text="Empty when the tracker does not list the participant yet.",
    )
    iso3 = models.CharField("code", max_length=3)
    participant_name = models.CharField(max_length=200)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="open_questions"
    )
    claim = models.TextField(help_text="What the source says, in plain words.")
    claimed_kind = models.CharField(
        max_length=24,
        blank=True,
        choices=TreatyAction.Kind.choices,
        help_text="Empty when the source does not say.",
    )
    claimed_date = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices)
    reason = models.TextField(help_text="Why this is not recorded as an action.")
    source = models.TextField()
    source_as_of = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
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
