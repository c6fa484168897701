"""The back office for the depositary's checkpoints and the open questions.

Thin like the rest of the back office: the forms carry the version the editor opened, every
save and deletion goes through instruments.quality_services, and the history names the
editor. The record's key (instrument and date; participant code and instrument) is fixed
once recorded (core.admin.VersionedAdmin's `fixed_fields`): a different key is a different
record.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from core.admin import VersionedAdmin, VersionedForm
from instruments import quality_services
from instruments.models import DepositaryCheckpoint, OpenQuestion


class CheckpointForm(VersionedForm):
    class Meta:
        model = DepositaryCheckpoint
        fields = ["instrument", "as_at", *quality_services.CHECKPOINT_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        instrument = cleaned.get("instrument") or getattr(self.instance, "instrument", None)
        as_at = cleaned.get("as_at") or self.instance.as_at
        if self.errors or instrument is None or as_at is None:
            return cleaned
        if (
            not self.instance.pk
            and DepositaryCheckpoint.objects.filter(instrument=instrument, as_at=as_at).exists()
        ):
            self.add_error("as_at", "A count for this instrument and date is recorded; edit it.")
        probe = DepositaryCheckpoint(instrument=instrument, as_at=as_at)
        for name, errors in quality_services.checkpoint_problems(
            probe, timezone.localdate()
        ).items():
            for error in errors:
                self.add_error(name, error)
        return cleaned


@admin.register(DepositaryCheckpoint)
class DepositaryCheckpointAdmin(VersionedAdmin):
    form = CheckpointForm
    fixed_fields = ["instrument", "as_at"]
    list_display = ["instrument", "as_at", "signatories", "parties"]
    list_filter = ["instrument"]
    list_select_related = ["instrument"]

    def service_record(self, request: HttpRequest, form: Any) -> DepositaryCheckpoint:
        return self.service_update(request, form.instance, form, None)

    def service_update(
        self, request: HttpRequest, obj: Any, form: Any, version: int | None
    ) -> DepositaryCheckpoint:
        values = {n: form.cleaned_data[n] for n in quality_services.CHECKPOINT_FIELDS}
        return quality_services.checkpoint_upsert(
            instrument=obj.instrument,
            as_at=obj.as_at,
            actor=request.user,
            expected_version=version,
            **values,
        ).instance

    def service_delete(self, request: HttpRequest, obj: Any, version: int | None) -> None:
        quality_services.checkpoint_delete(
            checkpoint=obj, actor=request.user, expected_version=version
        )


class OpenQuestionForm(VersionedForm):
    class Meta:
        model = OpenQuestion
        fields = ["iso3", "instrument", *quality_services.OPEN_QUESTION_FIELDS]

    def clean_iso3(self) -> str:
        iso3 = self.cleaned_data["iso3"].strip().upper()
        if not (len(iso3) == 3 and iso3.isalpha()):
            raise ValidationError("Three letters: the participant's ISO 3166-1 alpha-3 code.")
        return iso3

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        when = cleaned.get("claimed_date")
        if when is not None and when > timezone.localdate():
            self.add_error("claimed_date", f"{when} is after today.")
        if (
            not self.instance.pk
            and cleaned.get("instrument")
            and OpenQuestion.objects.filter(
                iso3=cleaned.get("iso3"), instrument=cleaned["instrument"]
            ).exists()
        ):
            self.add_error(
                "iso3", "A question on this participant and instrument is open; edit it."
            )
        return cleaned


@admin.register(OpenQuestion)
class OpenQuestionAdmin(VersionedAdmin):
    form = OpenQuestionForm
    fixed_fields = ["iso3", "instrument"]
    list_display = ["participant_name", "iso3", "instrument", "claim", "confidence"]
    list_filter = ["instrument", "confidence", "participant__osce_role"]
    search_fields = ["participant_name", "iso3", "claim", "source", "note"]
    list_select_related = ["instrument"]

    def service_record(self, request: HttpRequest, form: Any) -> OpenQuestion:
        return self.service_update(request, form.instance, form, None)

    def service_update(
        self, request: HttpRequest, obj: Any, form: Any, version: int | None
    ) -> OpenQuestion:
        values = {n: form.cleaned_data.get(n) for n in quality_services.OPEN_QUESTION_FIELDS}
        for name in ("claimed_kind", "source_as_of", "note"):
            values[name] = values[name] or ""
        return quality_services.open_question_upsert(
            iso3=obj.iso3,
            instrument=obj.instrument,
            actor=request.user,
            expected_version=version,
            **values,
        ).instance

    def service_delete(self, request: HttpRequest, obj: Any, version: int | None) -> None:
        quality_services.open_question_delete(
            question=obj, actor=request.user, expected_version=version
        )
