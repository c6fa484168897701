"""The back office of the instruments: editors move the currency of the status data; the
treaty facts themselves change only through the shipped instruments table."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.admin import VersionedAdmin, VersionedForm
from instruments import services
from instruments.models import Instrument


class InstrumentForm(VersionedForm):
    class Meta:
        model = Instrument
        fields = ["status_complete_to", "status_currency_note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned

    def clean_status_complete_to(self) -> Any:
        value = self.cleaned_data["status_complete_to"]
        problems = services.currency_problems(self.instance, value)
        if problems:
            raise ValidationError(problems)
        return value


@admin.register(Instrument)
class InstrumentAdmin(VersionedAdmin):
    form = InstrumentForm
    list_display = [
        "short_title",
        "code",
        "untc_reference",
        "entry_into_force_on",
        "status_complete_to",
    ]
    fieldsets = [
        (None, {"fields": ["code", "title", "short_title", "untc_reference", "convention"]}),
        (
            "Adoption and signature",
            {
                "fields": [
                    "adopted_on",
                    "adopted_place",
                    "ga_resolution",
                    "opened_for_signature_on",
                    "signature_note",
                ]
            },
        ),
        (
            "Entry into force",
            {
                "fields": [
                    "entry_into_force_on",
                    "eif_article",
                    "eif_threshold",
                    "eif_days_after_threshold",
                    "eif_days_after_later_deposit",
                    "eif_reio_counts",
                ]
            },
        ),
        ("Currency of the status data", {"fields": ["status_complete_to", "status_currency_note"]}),
        (None, {"fields": ["source", "display_order"]}),
        (None, {"fields": ["version"]}),
    ]
    # The version rides hidden with an edit.
    CURRENCY_FIELDS = ("status_complete_to", "status_currency_note", "version")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Editors bring the currency of the status data forward; the treaty facts themselves
        # change only through the shipped instruments table.
        fields = [f.name for f in Instrument._meta.fields if f.name not in self.CURRENCY_FIELDS]
        return [f for f in fields if f != "id"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets[:-1]  # the version travels only with an edit
        return fieldsets

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_update(
        self, request: HttpRequest, obj: Instrument, form: Any, version: int | None
    ) -> Instrument:
        return services.instrument_currency_update(
            instrument=obj,
            status_complete_to=form.cleaned_data["status_complete_to"],
            status_currency_note=form.cleaned_data["status_currency_note"],
            actor=request.user,
            expected_version=version,
        )
