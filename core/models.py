import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class DataRevision(models.Model):
    """One row counting every committed change to tracker data.

    Every service that writes bumps it in the same transaction, so pages and the API can
    derive ETags and cache keys from one cheap read and never serve a stale answer.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table it had when it lived in states: moved without copying a row.
        db_table = "states_datarevision"

    def __str__(self) -> str:
        return f"revision {self.number}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 hash is kept, the token itself is
    shown once, when it is made. It ends at `expiry`, when its owner revokes it, and when the
    owner's password changes or the account is deactivated (core/tokens.py)."""

    uid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        max_length=100, help_text=_("What the token is for, as its owner put it.")
    )

    class Meta:
        verbose_name = _("API token")
        ordering = ["user", "created"]

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"


class Event(models.Model):
    """One change to a public fact, written in the transaction that made it (core.events).

    Core knows no app, so the participant and the instrument are kept by their public codes
    (and the participant's name as it was), which is also what the public stream shows.
    Ids are taken under the data revision's row lock, so they commit in id order and a
    reader that keeps the last id it saw misses none (core.events.events_write).
    """

    class Kind(models.TextChoices):
        ACTION_RECORDED = "action_recorded", _("Treaty action recorded")
        ACTION_CHANGED = "action_changed", _("Treaty action changed")
        ACTION_REMOVED = "action_removed", _("Treaty action removed")
        DECLARATION_RECORDED = "declaration_recorded", _("Declaration recorded")
        DECLARATION_CHANGED = "declaration_changed", _("Declaration changed")
        DECLARATION_REMOVED = "declaration_removed", _("Declaration removed")
        ENTRY_INTO_FORCE = "entry_into_force", _("Entry into force reached")
        DENUNCIATION_EFFECTIVE = "denunciation_effective", _("Denunciation took effect")
        STANDING_CHANGED = "standing_changed", _("Compliance standing changed")
        IMPORT_APPLIED = "import_applied", _("Depositary import applied")
        AUTHORITY_DESIGNATED = "authority_designated", _("Competent authority designated")
        AUTHORITY_CHANGED = "authority_changed", _("Competent authority designation changed")
        AUTHORITY_REMOVED = "authority_removed", _("Competent authority designation removed")

    class Origin(models.TextChoices):
        EDITOR = "editor", _("recorded by SPMU")
        DEPOSITARY_IMPORT = "depositary_import", _("recorded by SPMU from the depositary's table")
        DATA_LOAD = "data_load", _("recorded by SPMU (data load)")
        DATE_REACHED = "date_reached", _("a date was reached (daily check)")
        COMPLIANCE_CHECK = "compliance_check", _("compliance check")

    recorded_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    participant = models.CharField(max_length=3, blank=True, db_index=True)
    participant_name = models.CharField(max_length=200, blank=True)
    instrument = models.CharField(max_length=8, blank=True, db_index=True)
    old = models.JSONField(null=True, blank=True, help_text=_("The public values before."))
    new = models.JSONField(null=True, blank=True, help_text=_("The public values after."))
    source = models.TextField(blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.EDITOR)
    # Set for events a date brings (entry into force, a denunciation taking effect): the
    # daily check records each once, whatever the number of runs.
    key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "action_recorded",
                        "action_changed",
                        "action_removed",
                        "declaration_recorded",
                        "declaration_changed",
                        "declaration_removed",
                        "entry_into_force",
                        "denunciation_effective",
                        "standing_changed",
                        "import_applied",
                        "authority_designated",
                        "authority_changed",
                        "authority_removed",
                    ]
                ),
                name="event_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"event {self.pk}: {self.kind} {self.participant} {self.instrument}".strip()
