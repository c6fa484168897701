"""The back office of treaty actions: checked by the services' own rules on the form, saved
through instruments.services."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import (
    VersionedAdmin,
    VersionedForm,
    YearFilter,
    selected_versions,
    show_violations,
)
from instruments import services
from instruments.models import TreatyAction
from states.models import Participant

ACTION_FORM_FIELDS = [
    "instrument",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
]


def action_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: cleaned.get(name) for name in ACTION_FORM_FIELDS} | {
        "depositary_notification": cleaned.get("depositary_notification") or "",
        "note": cleaned.get("note") or "",
    }


class TreatyActionForm(VersionedForm):
    class Meta:
        model = TreatyAction
        fields = ["participant", *ACTION_FORM_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        version = self.check_version()
        if self.errors:
            return cleaned
        participant = cleaned.get("participant") or self.instance.participant
        values = action_values(cleaned)
        if self.instance.pk:
            changes = services.ActionChanges(update=[(self.instance, values, version)])
        else:
            changes = services.ActionChanges(create=[values])
        show_violations(self, services.actions_check(participant=participant, changes=changes))
        return cleaned


@admin.register(TreatyAction)
class TreatyActionAdmin(VersionedAdmin):
    form = TreatyActionForm
    list_display = [
        "participant",
        "instrument",
        "kind",
        "date",
        "effective_date",
        "depositary_notification",
    ]
    list_filter = ["instrument", "kind", "participant__osce_role", YearFilter]
    search_fields = [
        "participant__name",
        "participant__short_name",
        "participant__iso3",
        "participant__aliases__name",
        "depositary_notification",
    ]
    list_select_related = ["participant", "instrument"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "updated_at"]
    fixed_fields = ["participant"]  # an action stays with the participant that took it

    def service_record(self, request: HttpRequest, form: Any) -> TreatyAction:
        return services.action_record(
            participant=form.cleaned_data["participant"],
            actor=request.user,
            **action_values(form.cleaned_data),
        )

    def service_update(
        self, request: HttpRequest, obj: TreatyAction, form: Any, version: int | None
    ) -> TreatyAction:
        return services.action_update(
            action=obj,
            actor=request.user,
            expected_version=version,
            **action_values(form.cleaned_data),
        )

    def service_delete(self, request: HttpRequest, obj: TreatyAction, version: int | None) -> None:
        services.action_delete(action=obj, actor=request.user, expected_version=version)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """All or nothing; each participant's selected actions are checked together, so a
        Convention consent goes with the Protocol consents that rest on it."""
        # Participants in the order of their ids, as the compliance check locks them.
        rows = list(queryset.select_related("participant").order_by("participant_id", "pk"))
        versions = selected_versions(request, rows)
        by_participant: dict[Participant, list[TreatyAction]] = {}
        for action in rows:
            by_participant.setdefault(action.participant, []).append(action)
        with transaction.atomic():
            for participant, actions in by_participant.items():
                services.actions_apply(
                    participant=participant,
                    changes=services.ActionChanges(delete=[(a, versions[a.pk]) for a in actions]),
                    actor=request.user,
                )
