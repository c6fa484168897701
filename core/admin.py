"""The back-office kit every app's admin builds on: thin forms over the services.

- VersionedForm carries the version the editor opened, so a save over someone else's change
  is refused when the form is sent (and again by the service, under a row lock).
- ServiceErrorsMixin shows a refusal the service makes at save or delete time on the form or
  as a message, never as an error page; CheckedListMixin refuses list parameters that the
  database cannot read with a 400 naming them.
- VersionedDeleteMixin makes the delete confirmations (one record, or the selected rows)
  carry the versions they show.
- VersionedAdmin puts them together for a record its service writes: subclasses name only
  the service calls.
- DeclaredLookupsOnlyMixin lets a list be filtered only by its declared filters, for a
  model holding what no one may probe (a secret, an address, a token's digest).
"""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.writes import StaleVersionError

RECORD_ID = re.compile(r"[1-9][0-9]{0,17}")  # a positive whole number a bigint holds
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
DATE_PARTS = {"year": 9999, "month": 12, "day": 31}  # the largest each may be


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("year")
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
        if self.instance.pk and seen is None and "version" not in self.errors:
            # Without it nothing could be compared: a form that does not say which version
            # its editor saw is refused, never taken for the current one.
            self.add_error(
                None,
                ValidationError(
                    gettext(
                        "The form did not say which version of this record you opened, so your "
                        "change could overwrite someone else's. Reload the page and apply your "
                        "change again."
                    ),
                    code="version_missing",
                ),
            )
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
                        gettext(
                            "Someone else changed this record after you opened it. Reload the "
                            "page to see their change, then apply yours again."
                        ),
                        code="stale_version",
                    ),
                )
        return seen


def show_violations(form: forms.BaseForm, violations: list) -> None:
    """Put each broken rule on the field it names (on the form if it has no such field)."""
    for violation in violations:
        field = violation.field if violation.field in form.fields else None
        form.add_error(field, ValidationError(violation.message, code=violation.rule))


def list_params_problem(params: QueryDict) -> str | None:
    """Why a list's query parameters cannot be read, if they cannot.

    Django's list filters pass a control character on to the database (PostgreSQL refuses
    NUL outright) and a year like -1 or 10**20 on to the calendar, which raise: each would
    be a server error instead of a clear refusal.
    """
    for name, values in params.lists():
        for value in values:
            if CONTROL_CHARACTERS.search(name + value):
                return gettext("The parameter %(name)s contains a control character.") % {
                    "name": name
                }
            part = name.rsplit("__", 1)[-1]
            largest = DATE_PARTS.get(part)
            number = int(value) if re.fullmatch(r"[0-9]{1,4}", value) else 0
            if largest and not 1 <= number <= largest:
                return _date_part_problem(part) % {
                    "name": name,
                    "value": value,
                    "largest": largest,
                }
    return None


def _date_part_problem(part: str) -> str:
    """Why a list's year, month or day parameter is out of range, in a whole sentence."""
    if part == "day":
        return gettext("%(name)s=%(value)s is not a day (1 to %(largest)s).")
    if part == "month":
        return gettext("%(name)s=%(value)s is not a month (1 to %(largest)s).")
    return gettext("%(name)s=%(value)s is not a year (1 to %(largest)s).")


class DeclaredLookupsOnlyMixin:
    """Only the list's own filters in the address. Django's admin takes any lookup on a
    model's own fields (`?secret__startswith=a`), and the count it shows answers yes or no:
    a value no page shows could be read a character at a time. Anything else is refused
    with Django's 400 (DisallowedModelAdminLookup)."""

    list_filter: Any = ()
    FILTER_LOOKUPS = ("", "__exact", "__isnull", "__isempty", "__gte", "__lt")

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        declared = set()
        for item in self.list_filter:
            name = item[0] if isinstance(item, (tuple, list)) else item
            if isinstance(name, str):
                declared.update(name + suffix for suffix in self.FILTER_LOOKUPS)
        if lookup not in declared:
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]


class CheckedListMixin:
    """Refuses a list whose query parameters cannot be read with a 400 naming the parameter,
    and answers 404 for the history of a record id that is no id ("abc"), which
    simple-history would pass on to the database (a server error)."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        _refuse_impossible_id(self.model, object_id)  # type: ignore[attr-defined]
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        _refuse_impossible_id(self.model, object_id)  # type: ignore[attr-defined]
        if not RECORD_ID.fullmatch(version_id):
            raise Http404(gettext("%(id)r is not a version id.") % {"id": version_id})
        return super().history_form_view(  # type: ignore[misc]
            request, object_id, version_id, extra_context
        )

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        problem = list_params_problem(request.GET)
        if problem:
            return HttpResponseBadRequest(
                gettext("%(problem)s Remove it from the address.") % {"problem": problem}
            )
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


def _refuse_impossible_id(model: Any, object_id: str) -> None:
    try:
        model._meta.pk.to_python(unquote(object_id))
    except (ValidationError, ValueError):
        raise Http404(gettext("%(id)r is not a record id.") % {"id": object_id}) from None


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


REFUSALS = (StaleVersionError, ValidationError)


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
            refusal = gettext("Nothing was saved. %(reason)s") % {"reason": _refusal_text(error)}
            request._save_refused = refusal  # type: ignore[attr-defined]
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
            messages.error(
                request,
                gettext("Nothing was deleted. %(reason)s") % {"reason": _refusal_text(error)},
            )
            return HttpResponseRedirect(self._change_url(object_id))

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except REFUSALS as error:  # from an action on the selected rows: delete_queryset
            messages.error(
                request,
                gettext("Nothing was deleted. %(reason)s") % {"reason": _refusal_text(error)},
            )
            return HttpResponseRedirect(request.get_full_path())

    def _change_url(self, object_id: str) -> str:
        meta = self.model._meta  # type: ignore[attr-defined]
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])


class VersionedDeleteMixin:
    """The delete confirmation carries the version of the record it shows; deleting is
    refused if the record has changed since (the service compares it, under lock), as an
    edit would be. `delete_model` passes `expected_version(request)` to the service.

    The confirmation of "Delete selected" carries the version of each row it lists;
    `delete_queryset` passes each row's `selected_versions(request, rows)` to the service,
    so a row changed after the confirmation was shown is not deleted, nor any other."""

    delete_confirmation_template = "admin/versioned_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/versioned_delete_selected_confirmation.html"

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST" and "post" in request.POST:
            seen = request.POST.get("version", "")
            if not seen.isdigit():
                messages.error(
                    request,
                    gettext(
                        "Nothing was deleted: the confirmation did not say which version of the "
                        "record you saw. Open the record again and delete it from there."
                    ),
                )
                return HttpResponseRedirect(self._change_url(object_id))  # type: ignore[attr-defined]
            request._expected_version = int(seen)  # type: ignore[attr-defined]
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]


def expected_version(request: HttpRequest) -> int | None:
    """The version the delete confirmation showed (VersionedDeleteMixin)."""
    return getattr(request, "_expected_version", None)


def selected_versions(request: HttpRequest, rows: Iterable[Any]) -> dict[Any, int]:
    """The version of each row the "Delete selected" confirmation showed, by primary key.

    A confirmation that does not say which version of a row its editor saw is refused (a
    ValidationError, shown as a message by ServiceErrorsMixin): nothing could be compared."""
    versions = {}
    for row in rows:
        seen = request.POST.get(f"version-{row.pk}", "")
        if not seen.isdigit():
            raise ValidationError(
                gettext(
                    "The confirmation did not say which version of %(record)s you saw. Select "
                    "the records again and delete them from there."
                )
                % {"record": row},
                code="version_missing",
            )
        versions[row.pk] = int(seen)
    return versions


class VersionedAdmin(VersionedDeleteMixin, ServiceErrorsMixin, SimpleHistoryAdmin):
    """The back office of a versioned record that only its service writes.

    The form carries the version the editor opened (VersionedForm); saving and deleting call
    the service with it, and a refusal shows on the form (ServiceErrorsMixin). Subclasses
    give `service_record(request, form)` for a new record, `service_update(request, obj,
    form, version)` for an edit and, where records may be deleted,
    `service_delete(request, obj, version)`. Deleting selected rows is all or nothing.
    `fixed_fields` (a natural key) are read-only once the record exists: a different key is
    a different record.
    """

    fixed_fields: list[str] = []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*self.fixed_fields, *readonly] if obj is not None else readonly

    def service_record(self, request: HttpRequest, form: Any) -> Any:
        raise NotImplementedError

    def service_update(self, request: HttpRequest, obj: Any, form: Any, version: int | None) -> Any:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: Any, version: int | None) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = self.service_update(request, obj, form, form.cleaned_data.get("version"))
        else:
            saved = self.service_record(request, form)
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.service_delete(request, obj, expected_version(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # In the order of their participants, the order in which the compliance check locks
        # them (reports.sweep): one transaction locking two in another order could deadlock.
        rows = sorted(queryset, key=lambda row: (getattr(row, "participant_id", 0), row.pk))
        versions = selected_versions(request, rows)
        with transaction.atomic():  # all or nothing
            for obj in rows:
                self.service_delete(request, obj, versions[obj.pk])
