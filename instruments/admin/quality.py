"""The back office for the depositary's checkpoints and the open questions.

Thin like the rest of the back office: the forms carry the version the editor opened, every
save and deletion goes through instruments.quality_services, and the history names the
editor. The record's key (instrument and date; participant code and instrument) is fixed
once recorded: a different key is a different record.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    ServiceErrorsMixin,
    VersionedDeleteMixin,
    VersionedForm,
    expected_version,
    selected_versions,
)
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
class DepositaryCheckpointAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
    form = CheckpointForm
    list_display = ["instrument", "as_at", "signatories", "parties"]
    list_filter = ["instrument"]
    list_select_related = ["instrument"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["instrument", "as_at"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {n: form.cleaned_data[n] for n in quality_services.CHECKPOINT_FIELDS}
        result = quality_services.checkpoint_upsert(
            instrument=obj.instrument,
            as_at=obj.as_at,
            actor=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
            **values,
        )
        obj.pk, obj.version = result.instance.pk, result.instance.version

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        quality_services.checkpoint_delete(
            checkpoint=obj, actor=request.user, expected_version=expected_version(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = list(queryset)
        versions = selected_versions(request, rows)
        with transaction.atomic():  # all or nothing
            for checkpoint in rows:
                quality_services.checkpoint_delete(
                    checkpoint=checkpoint,
                    actor=request.user,
                    expected_version=versions[checkpoint.pk],
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
class OpenQuestionAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
    form = OpenQuestionForm
    list_display = ["participant_name", "iso3", "instrument", "claim", "confidence"]
    list_filter = ["instrument", "confidence", "participant__osce_role"]
    search_fields = ["participant_name", "iso3", "claim", "source", "note"]
    list_select_related = ["instrument"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["iso3", "instrument"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {n: form.cleaned_data.get(n) for n in quality_services.OPEN_QUESTION_FIELDS}
        for name in ("claimed_kind", "source_as_of", "note"):
            values[name] = values[name] or ""
        result = quality_services.open_question_upsert(
            iso3=obj.iso3,
            instrument=obj.instrument,
            actor=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
            **values,
        )
        obj.pk, obj.version = result.instance.pk, result.instance.version

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        quality_services.open_question_delete(
            question=obj, actor=request.user, expected_version=expected_version(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        rows = list(queryset)
        versions = selected_versions(request, rows)
        with transaction.atomic():  # all or nothing
            for question in rows:
                quality_services.open_question_delete(
                    question=question, actor=request.user, expected_version=versions[question.pk]
                )
