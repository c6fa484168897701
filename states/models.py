from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import long_date
from states.domain import iso3_problem
from states.names import participant_name


class Participant(models.Model):
    """A State or regional economic integration organization the depositary lists."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        REIO = "reio", _("Regional economic integration organization")

    class OsceRole(models.TextChoices):
        PARTICIPATING = "participating", _("OSCE participating State")
        PARTNER_MEDITERRANEAN = "partner_mediterranean", _("Mediterranean Partner for Co-operation")
        PARTNER_ASIAN = "partner_asian", _("Asian Partner for Co-operation")
        NONE = "none", _("Outside the OSCE")

    iso3 = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_(
            "ISO 3166-1 alpha-3; EUU for the European Union, which has no ISO alpha-3 code."
        ),
    )
    name = models.CharField(
        max_length=200, unique=True, help_text=_("As the UN Treaty Collection spells it today.")
    )
    short_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STATE)
    osce_role = models.CharField(
        _("OSCE role"), max_length=24, choices=OsceRole.choices, default=OsceRole.NONE
    )
    osce_joined_year = models.PositiveSmallIntegerField(
        _("joined the OSCE in"), null=True, blank=True
    )
    source = models.TextField(help_text=_("Where the name comes from."))
    osce_role_source = models.TextField(_("OSCE role source"), blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["state", "reio"]), name="participant_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    osce_role__in=[
                        "participating",
                        "partner_mediterranean",
                        "partner_asian",
                        "none",
                    ]
                ),
                name="participant_osce_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = iso3_problem(self.iso3, self.kind)
        if problem:
            raise ValidationError({"iso3": f"{self.iso3!r} {problem}"})

    @property
    def local_name(self) -> str:
        """The name in the active language (states/names.py); in English, `name`."""
        return participant_name(self.iso3, self.name)

    @property
    def is_osce_participating_state(self) -> bool:
        return self.osce_role == self.OsceRole.PARTICIPATING

    @property
    def is_osce_partner(self) -> bool:
        return self.osce_role in (
            self.OsceRole.PARTNER_MEDITERRANEAN,
            self.OsceRole.PARTNER_ASIAN,
        )


class ParticipantAlias(models.Model):
    """A former or other spelling (e.g. "Swaziland"), so older tables still match."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    source = models.TextField()
    version = models.PositiveIntegerField(
        default=1, help_text=_("Counts saves, so that a stale edit is refused.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("participant aliases")
        constraints = [
            # One spelling names one participant, whatever its capitals: the loaders match
            # names without regard to case.
            models.UniqueConstraint(
                Lower("name"),
                name="participant_alias_name_unique",
                violation_error_code="alias_taken",
                violation_error_message=_(
                    "This name is already a former or other name of a participant; each "
                    "spelling may name one participant only."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OsceRolePeriod(models.Model):
    """One OSCE role a participant held, from when and until when, and on whose word.

    Participant.osce_role is today's role, derived from these periods by the service that
    writes them (states.services.osce_role_period_upsert); "as at" a date, every page, filter,
    count and report reads the periods (states.selectors.participants_holding).
    """

    class Role(models.TextChoices):
        PARTICIPATING = "participating", _("OSCE participating State")
        PARTNER_MEDITERRANEAN = "partner_mediterranean", _("Mediterranean Partner for Co-operation")
        PARTNER_ASIAN = "partner_asian", _("Asian Partner for Co-operation")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        YEAR = "year", _("Year only (stored as 1 January)")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="osce_role_periods"
    )
    role = models.CharField(max_length=24, choices=Role.choices)
    valid_from = models.DateField(help_text=_("The first day the role was held."))
    valid_from_precision = models.CharField(
        max_length=4, choices=Precision.choices, default=Precision.DAY
    )
    valid_to = models.DateField(
        null=True,
        blank=True,
        help_text=_("The first day the role was no longer held; empty while it is held."),
    )
    valid_to_precision = models.CharField(
        max_length=4, choices=Precision.choices, default=Precision.DAY
    )
    # The first day the role was certainly held, and the first day it possibly was not
    # (states.domain.RolePeriod), kept so that "as at" filters are one indexed SQL condition.
    held_from = models.DateField(editable=False)
    held_until = models.DateField(null=True, blank=True, editable=False)
    source = models.TextField(help_text=_("The OSCE decision or list that gives the dates."))
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["participant__name", "valid_from"]
        indexes = [models.Index(fields=["role", "held_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "valid_from"], name="osce_role_period_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="osce_role_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=["participating", "partner_mediterranean", "partner_asian"]
                ),
                name="osce_role_period_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(participant)s: %(role)s from %(date)s") % {
            "participant": self.participant,
            "role": self.get_role_display(),
            "date": self.valid_from_text,
        }

    @property
    def valid_from_text(self) -> str:
        return _dated_text(self.valid_from, self.valid_from_precision)

    @property
    def valid_to_text(self) -> str:
        return _dated_text(self.valid_to, self.valid_to_precision) if self.valid_to else ""


def _dated_text(when, precision: str) -> str:  # type: ignore[no-untyped-def]
    if precision == OsceRolePeriod.Precision.YEAR:
        return str(when.year)
    # 30 June 2007 in English, 30 juin 2007 in French, 30. Juni 2007 in German.
    return long_date(when)
