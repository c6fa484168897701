"""The depositary's notifications as staff review them: a batch read from the depositary,
and each change it proposes to the record."""

from typing import Any

from django.conf import settings
from django.db import models

from instruments.models.treaty import Instrument, TreatyAction
from states.models import Participant


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
