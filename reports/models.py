from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from instruments.models import Instrument
from reports import domain, flag_rules
from reports.obligation_texts import obligation_text
from states.models import Participant


class Obligation(models.Model):
    """A notification or report a party owes, with its due rule as data."""

    class AppliesTo(models.TextChoices):
        ALL_PARTIES = domain.ALL_PARTIES, "All parties to the instrument"
        PARTIES_IN_CONDITION = domain.PARTIES_IN_CONDITION, "Parties in a stated condition"

    class Owed(models.TextChoices):
        NOTIFICATION = "notification", _("A notification to the Secretary-General")
        COP_INFORMATION = "cop_information", _("Information to the Conference of the Parties")

    class DueRule(models.TextChoices):
        AT_DEPOSIT = domain.AT_DEPOSIT, "At the deposit of consent"
        AFTER_ENTRY_INTO_FORCE = domain.AFTER_ENTRY_INTO_FORCE, "Days after entry into force"
        COP_DEADLINE = domain.COP_DEADLINE, "A deadline set by the Conference of the Parties"
        NO_DATE = domain.NO_DATE, "No date set"

    code = models.SlugField(max_length=40, unique=True, help_text=_("e.g. untoc-18-13."))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="obligations")
    article = models.CharField(max_length=40, help_text=_("e.g. 18(13); COP for a COP deadline."))
    title = models.CharField(max_length=200)
    owed = models.CharField(_("what is owed"), max_length=20, choices=Owed.choices)
    applies_to = models.CharField(max_length=24, choices=AppliesTo.choices)
    condition = models.TextField(
        blank=True, help_text=_("For parties in a stated condition: the condition.")
    )
    due_rule = models.CharField(max_length=24, choices=DueRule.choices)
    due_days = models.PositiveSmallIntegerField(
        _("days after entry into force"),
        default=0,
        help_text=_("For 'days after entry into force'."),
    )
    deadline = models.DateField(null=True, blank=True, help_text=_("The COP deadline."))
    due_note = models.TextField(
        _("time as the source gives it"),
        help_text=_("e.g. 'at deposit', 'no date set in the article'."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_(
            "Days after the due date before the tracker flags that no submission is on "
            "record. A tracker policy, not a treaty rule."
        ),
    )
    description = models.TextField(help_text=_("What the article asks, in our own words."))
    article_source = models.TextField(help_text=_("Where the article's text is."))
    source = models.TextField(help_text=_("Where the catalogue entry comes from."))
    display_order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "article"], name="obligation_article"),
            models.CheckConstraint(
                condition=models.Q(due_rule="cop_deadline", deadline__isnull=False)
                | ~models.Q(due_rule="cop_deadline") & models.Q(deadline__isnull=True),
                name="obligation_deadline_only_for_cop_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(applies_to="parties_in_condition", condition=""),
                name="obligation_condition_stated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code.upper()} {self.article}: {self.title}"

    @property
    def reference(self) -> str:
        """'UNTOC art. 18(13)', or 'UNTOC COP deadline'."""
        prefix = self.instrument.code.upper()
        if self.due_rule == self.DueRule.COP_DEADLINE:
            return f"{prefix} {self.article}"
        return f"{prefix} art. {self.article}"

    # In the active language (reports/obligation_texts.py); in English, the recorded text.
    @property
    def local_title(self) -> str:
        return obligation_text(self.code, "title", self.title)

    @property
    def local_description(self) -> str:
        return obligation_text(self.code, "description", self.description)

    @property
    def local_due_note(self) -> str:
        return obligation_text(self.code, "due_note", self.due_note)


class CopSession(models.Model):
    """A session of the Conference of the Parties to the Convention."""

    number = models.PositiveSmallIntegerField(unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=100)
    note = models.TextField(blank=True)
    source = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("COP session")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cop_session_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"COP{self.number} ({self.place}, {self.starts_on:%Y})"


class Submission(models.Model):
    """A notification or report received from a participant, as SPMU staff record it."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="submissions"
    )
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="submissions")
    received_on = models.DateField("date received")
    reference = models.CharField(
        max_length=120, blank=True, help_text=_("C.N. number or document symbol.")
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "obligation", "received_on"],
                name="submission_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.obligation.reference}, received {self.received_on}"


class ComplianceFlag(models.Model):
    """No submission on record for a participant and an obligation past its due date.

    One row per participant and obligation: the compliance sweep raises, updates, resolves
    and reopens it in place, and its history keeps every earlier state. Days overdue and the
    ageing bucket depend on the date asked about, so selectors compute them (reports.domain)
    rather than storing a number that would be stale the next morning.
    """

    class Resolution(models.TextChoices):
        SUBMISSION = domain.BY_SUBMISSION, "Submission on record"
        NOTIFICATION = domain.BY_NOTIFICATION, "Notification on record in the treaty data"
        NO_LONGER_DUE = flag_rules.NO_LONGER_DUE, "No longer due"
        NOT_CHECKED = flag_rules.NOT_CHECKED, "Records not known complete"

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="flags")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="flags")
    due_on = models.DateField("due date")
    raised_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    evidence_on = models.DateField(
        _("received on"),
        null=True,
        blank=True,
        help_text=_(
            "When the submission or notification that resolved the flag was received, "
            "if the record gives the date."
        ),
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    notified_on = models.DateField(
        null=True, blank=True, help_text=_("When an e-mail digest told SPMU editors of this flag.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("compliance flag")
        permissions = [("run_compliance_check", "Can run the compliance check")]
        indexes = [models.Index(fields=["resolved_on", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "obligation"], name="flag_one_per_obligation"
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True, resolution="")
                | models.Q(resolved_on__isnull=False) & ~models.Q(resolution=""),
                name="flag_resolution_with_resolved_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.obligation.reference} - no submission on record"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class EvidenceCoverage(models.Model):
    """How far the tracker's records of submissions under one obligation are known complete:
    checked against which source, as it stood on which date, for one participant or (with no
    participant) for all. A participant's own row wins over the row for all, so staff can
    note an exception (`complete` off). Without a row the records are not known complete,
    and the tracker says "not yet checked" rather than "no submission on record"."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="coverage")
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage",
        help_text=_("Empty: every participant."),
    )
    complete = models.BooleanField(
        _("records known complete"),
        default=True,
        help_text=_(
            "Off to say that this participant's records are not known complete, "
            "whatever a check for all participants says."
        ),
    )
    source = models.CharField(
        _("checked against"),
        max_length=200,
        help_text=_("e.g. 'depositary notifications (UN Treaty Collection, chapter XVIII-12)'."),
    )
    checked_as_of = models.DateField(
        _("as at"), help_text=_("The day the source was as it stood when the records were checked.")
    )
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["obligation__display_order", "participant__name", "id"]
        verbose_name = _("evidence coverage")
        verbose_name_plural = _("evidence coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "participant"],
                condition=models.Q(participant__isnull=False),
                name="coverage_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["obligation"],
                condition=models.Q(participant__isnull=True),
                name="coverage_once_for_all",
            ),
        ]

    def __str__(self) -> str:
        who = self.participant or "all participants"
        state = "complete" if self.complete else "not known complete"
        return f"{self.obligation.reference}, {who}: {state} ({self.source}, {self.checked_as_of})"


class ComplianceCheck(models.Model):
    """When the compliance sweep last ran. Its one row is also the lock that makes two sweeps
    take turns: each begins by updating it."""

    last_as_of = models.DateField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"compliance checked as of {self.last_as_of}"


class AuthorityDesignation(models.Model):
    """A competent national authority or contact point a participant designated under an
    obligation that asks for one (reports.authorities.DESIGNATING), or for UNTOC art. 18(14)
    the languages in which it accepts requests.

    A new designation for the same participant and obligation supersedes the one in effect:
    the earlier row stays, no longer `current`, with `until` the day the new one took effect
    (when the record gives it). The contact fields are shown only to signed-in staff and
    focal points (reports.authorities.may_see_contacts)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="designations"
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="designations"
    )
    authority_name = models.CharField(
        "authority designated",
        max_length=300,
        blank=True,
        help_text="As the notification names it; empty only under UNTOC art. 18(14).",
    )
    languages = models.CharField(
        "languages accepted",
        max_length=300,
        blank=True,
        help_text="UNTOC art. 18(14) only: the languages in which requests are accepted.",
    )
    postal_address = models.TextField(blank=True)
    contact_person = models.CharField("contact point (person)", max_length=200, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    email = models.EmailField("e-mail", blank=True)
    notified_on = models.DateField(
        "notified to the depositary on",
        null=True,
        blank=True,
        help_text="Empty when the record does not give the date.",
    )
    reference = models.CharField(
        max_length=120, blank=True, help_text="C.N. number or note verbale."
    )
    source = models.TextField(help_text="Where the designation is recorded, as a reader cites it.")
    since = models.DateField(
        "in effect since",
        null=True,
        blank=True,
        help_text="Empty when the record gives only the date notified, or no date.",
    )
    until = models.DateField(
        null=True, blank=True, help_text="Set when a later designation superseded this one."
    )
    current = models.BooleanField(
        "in effect", default=True, help_text="Off once a later designation superseded it."
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="designations",
        help_text="The submission the designation came from, if any.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["participant__name", "obligation__display_order", "-current", "-since", "-id"]
        verbose_name = "competent authority designation"
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "obligation"],
                condition=models.Q(current=True),
                name="designation_one_in_effect",
            ),
            models.CheckConstraint(
                condition=models.Q(current=False) | models.Q(until__isnull=True),
                name="designation_in_effect_has_no_end",
            ),
            models.CheckConstraint(
                condition=models.Q(since__isnull=True)
                | models.Q(until__isnull=True)
                | models.Q(until__gte=models.F("since")),
                name="designation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        what = self.authority_name or self.languages
        return f"{self.participant}: {self.obligation.reference} - {what}"
