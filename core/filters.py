"""Query parameters, declared once as django-filter FilterSets, read by pages and API alike.

A list declares its parameters in one FilterSet. The page renders the FilterSet's form (and
shows its errors); the API parses the same FilterSet and refuses with one 400 in the
`{field, rule, message}` shape; drf-spectacular documents it from the same declaration
(each filter carries its OpenAPI schema). So a parameter's default, its bounds and its
message cannot differ between a page and the API.

The filters here declare each parameter (its field, in core.query_fields, and its schema);
the FilterSets declare and check; they do not read. The selectors own the reads (the status
matrix and the compliance standings are not querysets), so a view passes `values()` on.

Every parameter, whatever its kind:
- given empty (`?osce_role=`, as an HTML form sends an unselected choice) counts as absent;
- with control characters is refused (`invalid_characters`: PostgreSQL refuses NUL outright);
- given twice is refused (`given_twice`), unless it takes a list of codes, which may be
  given comma-separated, repeated, or both.
"""

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import OpenApiParameter

from core.i18n import lazy_format
from core.query_fields import (
    CodeChoiceField,
    CodesField,
    IsoDateField,
    QueryField,
    TextField,
    WholeNumberField,
    refusal,
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One refused parameter: its name, the rule it broke (a stable code), and why."""

    field: str | None
    rule: str
    message: str


class QueryRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


# --- Filters: a parameter's declaration (field, schema) ---------------------------------------


class QueryFilter(django_filters.Filter):
    """A parameter: its form field and its OpenAPI schema, from one declaration.

    `written`: the permalink always writes it out (the date, so that a link made today
    still shows today's answer tomorrow); otherwise only a value other than the default.
    """

    field_class: type[QueryField] = QueryField

    def __init__(
        self, *, schema: dict[str, Any], help_text: str, written: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(help_text=help_text, **kwargs)
        self.written = written
        default = kwargs.get("default")
        if default is not None and not callable(default):
            schema = {**schema, "default": default}
        # drf-spectacular's django-filter extension documents the parameter from this.
        set_override(self, "field", {**schema, "description": help_text})

    def __deepcopy__(self, memo: dict[int, Any]) -> "QueryFilter":
        """A shallow copy: django-filter deep-copies every declaration for each FilterSet it
        makes, which was most of the time a request spent reading its parameters; nothing
        changes a declaration after it is made, so the copies may share its values."""
        return copy.copy(self)

    def openapi(self, name: str) -> OpenApiParameter:
        """For operations drf-spectacular does not read FilterSets for (details)."""
        schema = dict(self._spectacular_annotation["field"])
        description = schema.pop("description")
        return OpenApiParameter(name, schema, description=description)


class DateFilter(QueryFilter):
    field_class = IsoDateField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(schema={"type": "string", "format": "date"}, **kwargs)


class ChoiceFilter(QueryFilter):
    field_class = CodeChoiceField

    def __init__(self, *, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        # The labels may be lazy translations, read in the language of the page.
        codes = [code for code, _ in choices]
        blank = [("", kwargs.pop("blank_label"))] if "blank_label" in kwargs else []
        super().__init__(
            schema={"type": "string", "enum": codes}, choices=[*blank, *choices], **kwargs
        )


class CodesFilter(QueryFilter):
    field_class = CodesField

    def __init__(self, *, schema_codes: Sequence[str] = (), **kwargs: Any) -> None:
        items: dict[str, Any] = {"type": "string"}
        if schema_codes:
            items["enum"] = list(schema_codes)
        else:
            items["pattern"] = f"^{kwargs['pattern']}$"
        kwargs["help_text"] = format_lazy(
            "{} {}",
            kwargs["help_text"],
            lazy_format(
                gettext_lazy("One code or a comma-separated list, e.g. %(example)s."),
                example=kwargs["example"],
            ),
        )
        super().__init__(schema={"type": "array", "items": items}, **kwargs)


class TextFilter(QueryFilter):
    field_class = TextField

    def __init__(self, **kwargs: Any) -> None:
        schema: dict[str, Any] = {"type": "string", "maxLength": kwargs["max_length"]}
        if kwargs.get("pattern"):
            schema["pattern"] = f"^(?:{kwargs['pattern']})$"
        super().__init__(schema=schema, **kwargs)


class WholeNumberFilter(QueryFilter):
    field_class = WholeNumberField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(schema={"type": "integer", "minimum": kwargs.get("minimum", 1)}, **kwargs)


# --- The FilterSet --------------------------------------------------------------------------


class QueryForm(forms.Form):
    """The FilterSet's form: each field, then what every parameter shares and the
    FilterSet's rules across parameters (`QueryFilterSet.check`)."""

    filterset: "QueryFilterSet"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, error in self.filterset.refused.items():
            self.add_error(name, error)
        self.filterset.check(cleaned)
        return cleaned


def _refused(name: str, given: list[str], many: bool) -> forms.ValidationError | None:
    if any(CONTROL_CHARACTERS.search(v) for v in given):
        return refusal("invalid_characters", _("Control characters are not allowed."))
    if not many and len(given) > 1:
        return refusal(
            "given_twice",
            _("Give %(name)s once, not %(count)s times.") % {"name": name, "count": len(given)},
        )
    return None


class QueryFilterSet(django_filters.FilterSet):
    """A list's parameters. `context` carries what the checks need from the caller (e.g. the
    instruments held in memory), so a check costs no query the view has not made."""

    class Meta:
        form = QueryForm

    def __init__(self, data: QueryDict | None = None, **context: Any) -> None:
        self.context = context
        data = data.copy() if data is not None else QueryDict(mutable=True)
        # What every parameter shares is checked on the raw values; a refused one is left
        # out of the form's data (so that it is not refused twice) and refused in its clean().
        self.refused: dict[str, forms.ValidationError] = {}
        for name, filter_ in self.base_filters.items():
            many = filter_.field_class.many
            given = [v for v in data.getlist(name) if v.strip()]
            error = _refused(name, given, many)
            if error is not None:
                self.refused[name] = error
                data.pop(name)
            elif many and name in data:  # `a,b` and `a&a=b` alike
                data.setlist(name, [p for v in given for p in v.split(",")])
        # No queryset: the selectors read (see the module's docstring).
        super().__init__(data, queryset=QuerySet())

    @classmethod
    def get_form_class(cls) -> type[QueryForm]:
        """The form class, made once per FilterSet class from its declarations (django-filter
        makes a class, and its fields, anew for every FilterSet). Each form still gets its
        own copies of the fields, which prepare() may change."""
        made = cls.__dict__.get("_form_class")
        if made is None:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            made = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = made
        return made

    @property
    def form(self) -> QueryForm:
        if not hasattr(self, "_form"):
            form = super().form
            form.filterset = self
            self.prepare(form)
            self._show_defaults(form)
        return self._form

    def _show_defaults(self, form: QueryForm) -> None:
        """Write each absent parameter's default into the form's data, so that the form on
        a page shows the date and the choices the answer is for, not a blank date or the
        first option of a list (the cleaned values do not change: absent means default)."""
        shown: dict[str, str] = {}
        for name, field in form.fields.items():
            if not isinstance(field, QueryField) or field.many or name in self.refused:
                continue
            if str(form.data.get(name, "")).strip():
                continue
            default = field.default_value()
            if default is not None and default != "":
                shown[name] = field.query_value(default)
        if shown:
            # A copy: django-filter's data for an empty query is an immutable QueryDict.
            data = QueryDict(mutable=True)
            data.update(form.data)
            for name, value in shown.items():
                data[name] = value
            form.data = data

    def prepare(self, form: QueryForm) -> None:
        """Set up fields from the context (e.g. the instruments' codes as choices)."""

    def check(self, cleaned: dict[str, Any]) -> None:
        """Rules across parameters; add errors with self.form.add_error(name, refusal(...))."""

    def problems(self) -> list[Problem]:
        """Every refused parameter, in declaration order."""
        errors = self.form.errors.as_data()
        return [
            Problem(None if name == "__all__" else name, error.code or "invalid", message)
            for name in [*self.filters, "__all__"]
            for error in errors.get(name, [])
            for message in error.messages
        ]

    def values(self) -> dict[str, Any]:
        """Every parameter's value (its default when absent); QueryRefused if any is bad."""
        if not self.form.is_valid():
            raise QueryRefused(self.problems())
        return dict(self.form.cleaned_data)

    def query(self, **first: str) -> dict[str, str]:
        """The canonical query: `first`, then the parameters written out (see QueryFilter)."""
        values = self.form.cleaned_data
        query = dict(first)
        for name, filter_ in self.filters.items():
            value = values.get(name)
            field = self.form.fields[name]
            assert isinstance(field, QueryField)
            if value in (None, "", []) or (value == field.default and not filter_.written):
                continue
            query[name] = field.query_value(value)
        return query

    def query_string(self, **first: str) -> str:
        return urlencode(self.query(**first), safe=",")

    @classmethod
    def openapi(cls) -> list[OpenApiParameter]:
        return [f.openapi(name) for name, f in cls.base_filters.items()]
