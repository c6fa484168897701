"""The back office's participant page: the participant, its former names, and its treaty
actions and declarations inline.

It lives in instruments rather than in states because it shows the participant's treaty
actions and declarations inline, and states must not depend on instruments. Every save goes
through instruments.services or states.services.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from core.admin import VersionedAdmin, VersionedForm, show_violations
from instruments import services
from instruments.admin.actions import ACTION_FORM_FIELDS, action_values
from instruments.admin.declarations import (
    DECLARATION_FORM_FIELDS,
    DeclarationForm,
    declaration_values,
)
from instruments.models import Declaration, TreatyAction
from states import services as state_services
from states.models import OsceRolePeriod, Participant, ParticipantAlias


class ActionInlineForm(VersionedForm):
    class Meta:
        model = TreatyAction
        fields = ACTION_FORM_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned


class ActionInlineFormSet(BaseInlineFormSet):
    """Checks all the participant's changed actions together, as the service will, so that
    e.g. a signature and a ratification entered in one save are judged as a pair."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        changes = services.ActionChanges()
        form_of: dict[object, forms.BaseForm] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            version = form.cleaned_data.get("version")
            if form.instance.pk and self._should_delete_form(form):
                changes.delete.append((form.instance, version))
                form_of[form.instance.pk] = form
            elif form.instance.pk and form.has_changed():
                changes.update.append((form.instance, action_values(form.cleaned_data), version))
                form_of[form.instance.pk] = form
            elif not form.instance.pk and form.has_changed():
                form_of[f"new-{len(changes.create)}"] = form
                changes.create.append(action_values(form.cleaned_data))
        self.changes = changes
        if not changes:
            return
        for violation in services.actions_check(participant=self.instance, changes=changes):
            form = form_of.get(violation.ref)
            if form is None:
                raise ValidationError(violation.message, code=violation.rule)
            show_violations(form, [violation])


COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})}}


class TreatyActionInline(admin.TabularInline):
    formfield_overrides = COMPACT_TEXT
    model = TreatyAction
    form = ActionInlineForm
    formset = ActionInlineFormSet
    fields = ["version", *ACTION_FORM_FIELDS]
    extra = 0
    ordering = ["instrument__display_order", "date"]
    show_change_link = True


class DeclarationInline(admin.StackedInline):
    model = Declaration
    form = DeclarationForm
    fields = ["version", *DECLARATION_FORM_FIELDS]
    extra = 0
    show_change_link = True
    classes = ["collapse"]


class AliasInlineForm(VersionedForm):
    class Meta:
        model = ParticipantAlias
        fields = ["name", "source"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned


class AliasInline(admin.TabularInline):
    formfield_overrides = COMPACT_TEXT
    model = ParticipantAlias
    form = AliasInlineForm
    fields = ["version", "name", "source"]
    extra = 0


class RolePeriodInline(admin.TabularInline):
    """The dated OSCE roles, shown for reading: they are written by loading an OSCE role
    periods table (load_treaty_data), which checks them and derives today's role."""

    model = OsceRolePeriod
    fields = [
        "role",
        "valid_from",
        "valid_from_precision",
        "valid_to",
        "valid_to_precision",
        "source",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "OSCE role periods (today's OSCE role is derived from them)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ParticipantForm(VersionedForm):
    class Meta:
        model = Participant
        fields = ["iso3", *state_services.PARTICIPANT_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned


@admin.register(Participant)
class ParticipantAdmin(VersionedAdmin):
    form = ParticipantForm
    list_display = ["name", "iso3", "short_name", "kind", "osce_role"]
    list_filter = ["kind", "osce_role"]
    search_fields = ["name", "short_name", "iso3", "aliases__name"]
    inlines = [AliasInline, RolePeriodInline, TreatyActionInline, DeclarationInline]
    fields = [
        "name",
        "iso3",
        "short_name",
        "kind",
        "osce_role",
        "osce_joined_year",
        "source",
        "osce_role_source",
        "version",
    ]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields.remove("version")  # the version travels only with an edit
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is the participant's stable identifier in URLs, files and the API.
        return ["iso3"] if obj is not None else []

    def service_record(self, request: HttpRequest, form: Any) -> Participant:
        return self.service_update(request, form.instance, form, None)

    def service_update(
        self, request: HttpRequest, obj: Participant, form: Any, version: int | None
    ) -> Participant:
        values = {name: form.cleaned_data[name] for name in state_services.PARTICIPANT_FIELDS}
        return state_services.participant_upsert(
            iso3=obj.iso3, actor=request.user, expected_version=version, **values
        ).instance

    def service_delete(self, request: HttpRequest, obj: Participant, version: int | None) -> None:
        state_services.participant_delete(
            participant=obj, actor=request.user, expected_version=version
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Save each inline through its service, and tell the admin's change message what
        was added, changed and deleted (what formset.save() would have recorded)."""
        participant = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if isinstance(formset, ActionInlineFormSet):
            changes = formset.changes
            saved = services.actions_apply(
                participant=participant, changes=changes, actor=request.user
            )
            formset.new_objects = saved[: len(changes.create)]
            formset.changed_objects = [(a, ["values"]) for a in saved[len(changes.create) :]]
            formset.deleted_objects = [action for action, _ in changes.delete]
            return
        for inline_form in formset.forms:
            if not inline_form.cleaned_data:
                continue
            instance = inline_form.instance
            if instance.pk and formset._should_delete_form(inline_form):
                self._delete_inline(request, instance, inline_form)
                formset.deleted_objects.append(instance)
            elif inline_form.has_changed():
                saved = self._save_inline(request, participant, instance, inline_form)
                if instance.pk:
                    formset.changed_objects.append((saved, inline_form.changed_data))
                else:
                    formset.new_objects.append(saved)

    def _delete_inline(self, request: HttpRequest, instance: Any, inline_form: Any) -> None:
        if isinstance(instance, ParticipantAlias):
            state_services.alias_delete(
                alias=instance,
                actor=request.user,
                expected_version=inline_form.cleaned_data.get("version"),
            )
        else:
            services.declaration_delete(
                declaration=instance,
                actor=request.user,
                expected_version=inline_form.cleaned_data.get("version"),
            )

    def _save_inline(
        self, request: HttpRequest, participant: Participant, instance: Any, inline_form: Any
    ) -> Any:
        cleaned = inline_form.cleaned_data
        if isinstance(instance, ParticipantAlias):
            if instance.pk:
                return state_services.alias_update(
                    alias=instance,
                    actor=request.user,
                    expected_version=cleaned.get("version"),
                    name=cleaned["name"],
                    source=cleaned["source"],
                )
            return state_services.alias_record(
                participant=participant,
                name=cleaned["name"],
                source=cleaned["source"],
                actor=request.user,
            )
        values = declaration_values(cleaned)
        if instance.pk:
            return services.declaration_update(
                declaration=instance,
                actor=request.user,
                expected_version=cleaned.get("version"),
                **values,
            )
        return services.declaration_record(participant=participant, actor=request.user, **values)
