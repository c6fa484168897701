from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from states.domain import iso3_problem


class Participant(models.Model):
    """A State or regional economic integration organization the depositary lists."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        REIO = "reio", "Regional economic integration organization"

    class OsceRole(models.TextChoices):
        PARTICIPATING = "participating", "OSCE participating State"
        PARTNER_MEDITERRANEAN = "partner_mediterranean", "Mediterranean Partner for Co-operation"
        PARTNER_ASIAN = "partner_asian", "Asian Partner for Co-operation"
        NONE = "none", "Outside the OSCE"

    iso3 = models.CharField(
        "code",
        max_length=3,
        unique=True,
        help_text="ISO 3166-1 alpha-3; EUU for the European Union, which has no ISO alpha-3 code.",
    )
    name = models.CharField(
        max_length=200, unique=True, help_text="As the UN Treaty Collection spells it today."
    )
    short_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STATE)
    osce_role = models.CharField(
        "OSCE role", max_length=24, choices=OsceRole.choices, default=OsceRole.NONE
    )
    osce_joined_year = models.PositiveSmallIntegerField("joined the OSCE in", null=True, blank=True)
    source = models.TextField(help_text="Where the name comes from.")
    osce_role_source = models.TextField("OSCE role source", blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so that a stale edit is refused."
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
    name = models.CharField(max_length=200, unique=True)
    source = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "participant aliases"

    def __str__(self) -> str:
        return self.name
