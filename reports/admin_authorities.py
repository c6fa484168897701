"""The back office of the directory of competent national authorities: SPMU editors record,
change and remove designations through reports.authority_services; delegation viewers read
them. Registered by reports.admin."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import VersionedAdmin, VersionedForm, show_violations
from reports import authority_services as services
from reports.authorities import DESIGNATING
from reports.models import AuthorityDesignation, Obligation

DESIGNATION_FORM_FIELDS = [
    "authority_name",
    "languages",
    "contact_person",
    "postal_address",
    "phone",
    "email",
    "notified_on",
    "since",
    "reference",
    "source",
    "submission",
]


class AuthorityDesignationForm(VersionedForm):
    class Meta:
        model = AuthorityDesignation
        fields = ["participant", "obligation", *DESIGNATION_FORM_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "obligation" in self.fields:  # only the obligations that designate are offered
            self.fields["obligation"].queryset = Obligation.objects.filter(
                code__in=list(DESIGNATING)
            ).select_related("instrument")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        participant = cleaned.get("participant") or getattr(self.instance, "participant", None)
        obligation = cleaned.get("obligation") or getattr(self.instance, "obligation", None)
        if self.errors or participant is None or obligation is None:
            return cleaned
        probe = AuthorityDesignation(
            pk=self.instance.pk,
            participant=participant,
            obligation=obligation,
            current=self.instance.current if self.instance.pk else True,
            until=self.instance.until,
            **{name: cleaned.get(name) for name in DESIGNATION_FORM_FIELDS},
        )
        for name in DESIGNATION_FORM_FIELDS:
            if getattr(probe, name) is None and name not in ("notified_on", "since", "submission"):
                setattr(probe, name, "")
        show_violations(self, services.designation_violations(probe))
        return cleaned


def _values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {
        name: cleaned.get(name)
        if name in ("notified_on", "since", "submission")
        else cleaned.get(name) or ""
        for name in DESIGNATION_FORM_FIELDS
    }


@admin.register(AuthorityDesignation)
class AuthorityDesignationAdmin(VersionedAdmin):
    """A new designation supersedes the one in effect for the same participant and
    obligation, which stays listed (not in effect) with the day it ended."""

    form = AuthorityDesignationForm
    fixed_fields = ["participant", "obligation"]
    list_display = ["participant", "obligation", "named", "since", "notified_on", "current"]
    list_filter = ["current", "obligation", "participant__osce_role"]
    search_fields = [
        "participant__name",
        "participant__iso3",
        "authority_name",
        "languages",
        "reference",
    ]
    list_select_related = ["participant", "obligation", "obligation__instrument"]
    autocomplete_fields = ["participant"]
    raw_id_fields = ["submission"]
    readonly_fields = ["current", "until", "created_at", "updated_at"]

    @admin.display(description="authority or languages")
    def named(self, row: AuthorityDesignation) -> str:
        return row.authority_name or row.languages

    def service_record(self, request: HttpRequest, form: Any) -> AuthorityDesignation:
        return services.designation_record(
            request.user,
            participant=form.cleaned_data["participant"],
            obligation=form.cleaned_data["obligation"],
            **_values(form.cleaned_data),
        )

    def service_update(
        self, request: HttpRequest, obj: AuthorityDesignation, form: Any, version: int | None
    ) -> AuthorityDesignation:
        return services.designation_update(
            request.user, designation=obj, expected_version=version, **_values(form.cleaned_data)
        )

    def service_delete(
        self, request: HttpRequest, obj: AuthorityDesignation, version: int | None
    ) -> None:
        services.designation_delete(request.user, designation=obj, expected_version=version)
