"""The SPMU back office: thin forms over the services, with history on every record.

The participant page lives here rather than in states/ because it shows the participant's
treaty actions and declarations inline, and states/ must not depend on instruments/.
Every save goes through instruments.services or states.services; forms only check first
(with the same functions) so that a broken rule shows on the field that breaks it.
"""

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from instruments import services
from instruments.models import Declaration, Instrument, TreatyAction
from states import services as state_services
from states.models import Participant, ParticipantAlias

ACTION_FORM_FIELDS = [
    "instrument",
    "kind",
    "date",
    "effective_date",
    "depositary_notification",
    "source",
    "note",
]
DECLARATION_FORM_FIELDS = ["instrument", "kind", "article", "date", "made_at", "summary", "source"]

RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")  # a positive whole number a bigint holds
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
DATE_PARTS = {"year": 9999, "month": 12, "day": 31}  # the largest each may be


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class VersionedForm(forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if self.is_bound:
            self._refuse_impossible_ids()

    def _refuse_impossible_ids(self) -> None:
        """Make a submitted record id that is no id at all ("x", 10**20) an invalid choice.

        Django passes it to the database both when it checks the choice and when the
        autocomplete widget shows the form again, and the database raises (not a number,
        out of range): a server error instead of "Select a valid choice".
        """
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            value = data.get(key)
            if (
                isinstance(field, forms.ModelChoiceField)
                and value not in (None, "")
                and not RECORD_ID.fullmatch(str(value))
            ):
                data[key] = "0"  # no record has the id 0
        self.data = data

    def check_version(self) -> int | None:
        seen = self.cleaned_data.get("version")
        if self.instance.pk and seen is not None:
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None and stored != seen:
                self.add_error(
                    None,
                    ValidationError(
                        "Someone else changed this record after you opened it. Reload the page "
                        "to see their change, then apply yours again.",
                        code="stale_version",
                    ),
                )
        return seen


def _action_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {name: cleaned.get(name) for name in ACTION_FORM_FIELDS} | {
        "depositary_notification": cleaned.get("depositary_notification") or "",
        "note": cleaned.get("note") or "",
    }


def _show_violations(form: forms.BaseForm, violations: list) -> None:
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, ValidationError(violation.message, code=violation.rule))


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
        values = _action_values(cleaned)
        if self.instance.pk:
            changes = services.ActionChanges(update=[(self.instance, values, version)])
        else:
            changes = services.ActionChanges(create=[values])
        _show_violations(self, services.actions_check(participant=participant, changes=changes))
        return cleaned


def list_params_problem(params: QueryDict) -> str | None:
    """Why a list's query parameters cannot be read, if they cannot.

    Django's list filters pass a control character on to the database (PostgreSQL refuses
    NUL outright) and a year like -1 or 10**20 on to the calendar, which raise: each would
    be a server error instead of a clear refusal.
    """
    for name, values in params.lists():
        for value in values:
            if CONTROL_CHARACTERS.search(name + value):
                return f"The parameter {name} contains a control character."
            part = name.rsplit("__", 1)[-1]
            largest = DATE_PARTS.get(part)
            number = int(value) if re.fullmatch(r"[0-9]{1,4}", value) else 0
            if largest and not 1 <= number <= largest:
                return f"{name}={value} is not a {part} (1 to {largest})."
    return None


class CheckedListMixin:
    """Refuses a list whose query parameters cannot be read with a 400 naming the parameter."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        problem = list_params_problem(request.GET)
        if problem:
            return HttpResponseBadRequest(f"{problem} Remove it from the address.")
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


REFUSALS = (services.StaleVersionError, ValidationError)


class ServiceErrorsMixin(CheckedListMixin):
    """Shows a refusal by the services that happens at save or delete time (a race with
    another editor, a treaty rule a deletion would break) instead of an error page: a
    refused save shows the form again with what the editor typed and the refusal on top; a
    refused deletion, a message. The write was atomic, so nothing of it is left."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]
        except REFUSALS as error:
            if request.method != "POST" or hasattr(request, "_save_refused"):
                raise
            # The form again, with what the editor typed and the refusal at its top: the
            # same request checked once more, now failing with the refusal (get_form).
            request._save_refused = f"Nothing was saved. {_refusal_text(error)}"  # type: ignore[attr-defined]
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        refusal = getattr(request, "_save_refused", None)
        if refusal is None:
            return form

        class RefusedForm(form):  # type: ignore[valid-type, misc]
            def check_version(self) -> Any:
                return self.cleaned_data.get("version")  # the refusal already says why

            def clean(self) -> Any:
                cleaned = super().clean()
                self.add_error(None, ValidationError(refusal, code="refused_at_save"))
                return cleaned

        return RefusedForm

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except REFUSALS as error:
            messages.error(request, f"Nothing was deleted. {_refusal_text(error)}")
            return HttpResponseRedirect(self._change_url(object_id))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except REFUSALS as error:  # from an action on the selected rows: delete_queryset
            messages.error(request, f"Nothing was deleted. {_refusal_text(error)}")
            return HttpResponseRedirect(request.get_full_path())

    def _change_url(self, object_id: str) -> str:
        meta = self.model._meta  # type: ignore[attr-defined]
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])


class VersionedDeleteMixin:
    """The delete confirmation carries the version of the record it shows; deleting is
    refused if the record has changed since (the service compares it, under lock), as an
    edit would be. `delete_model` passes `expected_version(request)` to the service."""

    delete_confirmation_template = "admin/versioned_delete_confirmation.html"

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST" and "post" in request.POST:
            seen = request.POST.get("version", "")
            if not seen.isdigit():
                messages.error(
                    request,
                    "Nothing was deleted: the confirmation did not say which version of the "
                    "record you saw. Open the record again and delete it from there.",
                )
                return HttpResponseRedirect(self._change_url(object_id))  # type: ignore[attr-defined]
            request._expected_version = int(seen)  # type: ignore[attr-defined]
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]


def expected_version(request: HttpRequest) -> int | None:
    """The version the delete confirmation showed (VersionedDeleteMixin)."""
    return getattr(request, "_expected_version", None)


@admin.register(TreatyAction)
class TreatyActionAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("participant")  # an action stays with the participant that took it
        return fields

    def save_model(self, request: HttpRequest, obj: TreatyAction, form: Any, change: bool) -> None:
        values = _action_values(form.cleaned_data)
        if change:
            saved = services.action_update(
                action=obj,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **values,
            )
        else:
            saved = services.action_record(
                participant=form.cleaned_data["participant"], actor=request.user, **values
            )
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: TreatyAction) -> None:
        services.action_delete(
            action=obj, actor=request.user, expected_version=expected_version(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """All or nothing; each participant's selected actions are checked together, so a
        Convention consent goes with the Protocol consents that rest on it."""
        by_participant: dict[Participant, list[TreatyAction]] = {}
        for action in queryset.select_related("participant"):
            by_participant.setdefault(action.participant, []).append(action)
        with transaction.atomic():
            for participant, actions in by_participant.items():
                services.actions_apply(
                    participant=participant,
                    changes=services.ActionChanges(delete=[(a, None) for a in actions]),
                    actor=request.user,
                )


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
        _show_violations(self, services.declaration_violations(probe))
        return cleaned


@admin.register(Declaration)
class DeclarationAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
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

    def save_model(self, request: HttpRequest, obj: Declaration, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data.get(name) for name in DECLARATION_FORM_FIELDS}
        if change:
            saved = services.declaration_update(
                declaration=obj,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **values,
            )
        else:
            saved = services.declaration_record(
                participant=form.cleaned_data["participant"], actor=request.user, **values
            )
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Declaration) -> None:
        services.declaration_delete(
            declaration=obj, actor=request.user, expected_version=expected_version(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():  # all or nothing
            for declaration in queryset:
                services.declaration_delete(declaration=declaration, actor=request.user)


# --- The participant page ------------------------------------------------------------------


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
                changes.update.append((form.instance, _action_values(form.cleaned_data), version))
                form_of[form.instance.pk] = form
            elif not form.instance.pk and form.has_changed():
                form_of[f"new-{len(changes.create)}"] = form
                changes.create.append(_action_values(form.cleaned_data))
        self.changes = changes
        if not changes:
            return
        for violation in services.actions_check(participant=self.instance, changes=changes):
            form = form_of.get(violation.ref)
            if form is None:
                raise ValidationError(violation.message, code=violation.rule)
            _show_violations(form, [violation])


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


class AliasInline(admin.TabularInline):
    formfield_overrides = COMPACT_TEXT
    model = ParticipantAlias
    fields = ["name", "source"]
    extra = 0


class ParticipantForm(VersionedForm):
    class Meta:
        model = Participant
        fields = ["iso3", *state_services.PARTICIPANT_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_version()
        return cleaned


@admin.register(Participant)
class ParticipantAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
    form = ParticipantForm
    list_display = ["name", "iso3", "short_name", "kind", "osce_role"]
    list_filter = ["kind", "osce_role"]
    search_fields = ["name", "short_name", "iso3", "aliases__name"]
    inlines = [AliasInline, TreatyActionInline, DeclarationInline]
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

    def save_model(self, request: HttpRequest, obj: Participant, form: Any, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in state_services.PARTICIPANT_FIELDS}
        result = state_services.participant_upsert(
            iso3=obj.iso3,
            actor=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
            **values,
        )
        obj.pk, obj.version = result.instance.pk, result.instance.version

    def delete_model(self, request: HttpRequest, obj: Participant) -> None:
        state_services.participant_delete(
            participant=obj, actor=request.user, expected_version=expected_version(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():  # all or nothing
            for participant in queryset:
                state_services.participant_delete(participant=participant, actor=request.user)

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
            state_services.alias_delete(alias=instance, actor=request.user)
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
            if instance.pk and "name" in inline_form.changed_data:  # a renamed alias
                stored = ParticipantAlias.objects.get(pk=instance.pk)
                state_services.alias_delete(alias=stored, actor=request.user)
            return state_services.alias_upsert(
                participant=participant,
                name=cleaned["name"],
                source=cleaned["source"],
                actor=request.user,
            ).instance
        values = {name: cleaned.get(name) for name in DECLARATION_FORM_FIELDS}
        if instance.pk:
            return services.declaration_update(
                declaration=instance,
                actor=request.user,
                expected_version=cleaned.get("version"),
                **values,
            )
        return services.declaration_record(participant=participant, actor=request.user, **values)


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
class InstrumentAdmin(ServiceErrorsMixin, SimpleHistoryAdmin):
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

    def save_model(self, request: HttpRequest, obj: Instrument, form: Any, change: bool) -> None:
        saved = services.instrument_currency_update(
            instrument=obj,
            status_complete_to=form.cleaned_data["status_complete_to"],
            status_currency_note=form.cleaned_data["status_currency_note"],
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
        )
        obj.version = saved.version


# The depositary's checkpoints and the open questions have their own module.
from instruments import admin_quality  # noqa: E402, F401
