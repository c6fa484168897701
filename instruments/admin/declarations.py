"""The back office of declarations, reservations, notifications and objections."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import VersionedAdmin, VersionedForm, YearFilter, show_violations
from instruments import services
from instruments.models import Declaration

DECLARATION_FORM_FIELDS = ["instrument", "kind", "article", "date", "made_at", "summary", "source"]


def declaration_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: cleaned.get(name) for name in DECLARATION_FORM_FIELDS}


class DeclarationForm(VersionedForm):
    class Meta:
        model = Declaration
        fields = ["participant", *DECLARATION_FORM_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        if self.errors:
            return cleaned
        probe = Declaration(
            pk=self.instance.pk,
            participant=cleaned.get("participant") or self.instance.participant,
            **{name: cleaned.get(name) for name in DECLARATION_FORM_FIELDS},
        )
        show_violations(self, services.declaration_violations(probe))
        return cleaned


@admin.register(Declaration)
class DeclarationAdmin(VersionedAdmin):
    form = DeclarationForm
    list_display = ["participant", "instrument", "kind", "article", "date", "made_at"]
    list_filter = ["instrument", "kind", "made_at", "participant__osce_role", YearFilter]
    search_fields = [
        "participant__name",
        "participant__iso3",
        "participant__aliases__name",
        "article",
        "summary",
    ]
    list_select_related = ["participant", "instrument"]
    autocomplete_fields = ["participant"]
    readonly_fields = ["created_at", "updated_at"]

    def service_record(self, request: HttpRequest, form: Any) -> Declaration:
        return services.declaration_record(
            participant=form.cleaned_data["participant"],
            actor=request.user,
            **declaration_values(form.cleaned_data),
        )

    def service_update(
        self, request: HttpRequest, obj: Declaration, form: Any, version: int | None
    ) -> Declaration:
        return services.declaration_update(
            declaration=obj,
            actor=request.user,
            expected_version=version,
            **declaration_values(form.cleaned_data),
        )

    def service_delete(self, request: HttpRequest, obj: Declaration, version: int | None) -> None:
        services.declaration_delete(declaration=obj, actor=request.user, expected_version=version)
