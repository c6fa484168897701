"""The depositary's notifications as staff review them: a batch read from the depositary,
and each change it proposes to the record."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from instruments.models.treaty import Instrument, TreatyAction
from states.models import Participant


class DepositaryBatch(models.Model):
    """One reading of the depositary's status table of an instrument: the differences it
    shows from our records, kept for an editor to accept or reject one by one."""

    class Form(models.TextChoices):
        HTML = "html", _("Status page saved from a browser (HTML)")
        TEXT = "text", _("Table copied from the browser (pasted)")
        CSV = "csv", _("CSV status table")
        WEB = "web", _("Status page fetched by the weekly job")
        FACTS = "facts", _("Dated facts from another source")

    class State(models.TextChoices):
        OPEN = "open", _("Open: proposals to decide")
        DECIDED = "decided", _("Every proposal decided")
        FAILED = "failed", _("Failed: nothing to review")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="depositary_batches"
    )
    source_form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    status_as_at = models.DateField(
        _("status as at"), null=True, blank=True, help_text=_("The date the table gives itself.")
    )
    source = models.TextField(help_text=_("Recorded as the source of every accepted change."))
    complete_table = models.BooleanField(
        default=True,
        help_text=_(
            "A whole table: what it lacks is proposed too, and once every proposal is "
            "decided the instrument's data are complete to its date."
        ),
    )
    origin = models.CharField(
        max_length=500, blank=True, help_text=_("The file's name or the page's address.")
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    message = models.TextField(blank=True, help_text=_("Why a fetch failed."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the weekly job."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("depositary import")
        verbose_name_plural = _("depositary imports")

    def __str__(self) -> str:
        if self.source_form == self.Form.FACTS:
            return f"{self.instrument}: dated facts from {self.origin or 'other sources'}"
        when = f"as at {self.status_as_at:%d %b %Y}" if self.status_as_at else "(no table)"
        return f"{self.instrument}: status table {when}"


class DepositaryProposal(models.Model):
    """One difference between the depositary's table and our records, as at the table's
    date; nothing is written until an editor accepts it."""

    class Change(models.TextChoices):
        NEW_ACTION = "new_action", _("New action")
        CHANGED_DATE = "changed_date", _("Changed date")
        CHANGED_KIND = "changed_kind", _("Changed kind")
        NOT_IN_TABLE = "not_in_table", _("Action the table lacks")

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", _("Undecided")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    batch = models.ForeignKey(DepositaryBatch, on_delete=models.CASCADE, related_name="proposals")
    change = models.CharField(max_length=16, choices=Change.choices)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    line = models.PositiveIntegerField(null=True, blank=True, help_text=_("Line in the source."))
    action = models.ForeignKey(
        TreatyAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The recorded action the proposal changes."),
    )
    action_version = models.PositiveIntegerField(null=True, blank=True)
    old_kind = models.CharField(max_length=24, choices=TreatyAction.Kind.choices, blank=True)
    old_date = models.DateField(null=True, blank=True)
    new_kind = models.CharField(max_length=24, choices=TreatyAction.Kind.choices, blank=True)
    new_date = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True, help_text=_("The row's own source, if it has one."))
    confidence = models.CharField(
        max_length=8,
        blank=True,
        choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")],
        help_text=_(
            "How far the source is trusted, for a fact from a source other than the "
            "depositary's table; empty for the depositary's own."
        ),
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
        blank=True, help_text=_("The treaty rule the last try to accept it broke.")
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
    label = str(TreatyAction.Kind(kind).label)
    return f"{label}, {date_format(when, 'SHORT_DATE_FORMAT')}" if when else label
