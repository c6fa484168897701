"""Query parameters, declared once as django-filter FilterSets, read by pages and API alike.

A list declares its parameters in one FilterSet. The page renders the FilterSet's form (and
shows its errors); the API parses the same FilterSet and refuses with one 400 in the
`{field, rule, message}` shape; drf-spectacular documents it from the same declaration
(each filter carries its OpenAPI schema). So a parameter's default, its bounds and its
message cannot differ between a page and the API.

The FilterSets declare and check; they do not read. The selectors own the reads (the status
matrix and the compliance standings are not querysets), so a view passes `values()` on.

Every parameter, whatever its kind:
- given empty (`?osce_role=`, as an HTML form sends an unselected choice) counts as absent;
- with control characters is refused (`invalid_characters`: PostgreSQL refuses NUL outright);
- given twice is refused (`given_twice`), unless it takes a list of codes, which may be
  given comma-separated, repeated, or both.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import OpenApiParameter

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMAT_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2007-06-30."


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


def refusal(rule: str, message: str) -> forms.ValidationError:
    return forms.ValidationError(message, code=rule)


# --- Fields: what one parameter accepts ---------------------------------------------------------


class QueryField(forms.Field):
    """A parameter's form field: `default` stands in for an absent value."""

    many = False  # takes a list of codes

    def __init__(self, *, default: Any = None, **kwargs: Any) -> None:
        self.default = default
        kwargs["required"] = False
        super().__init__(**kwargs)

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def clean(self, value: Any) -> Any:
        if value in self.empty_values:
            return self.default_value()
        return super().clean(value)

    def query_value(self, value: Any) -> str:
        """The value as it is written back into a query string (permalinks, downloads)."""
        return str(value)


class IsoDateField(QueryField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value: Any) -> date:
        value = value.strip()
        if not ISO_DATE.fullmatch(value):
            raise refusal("date_format", DATE_FORMAT_MESSAGE)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise refusal("invalid_date", f"{value} is not a date in the calendar.") from None

    def query_value(self, value: date) -> str:
        return value.isoformat()


class CodeChoiceField(QueryField, forms.ChoiceField):
    """One of a fixed set of words (an OSCE role group, an order, a status)."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what

    def to_python(self, value: Any) -> str:
        return value.strip()

    def validate(self, value: str) -> None:
        if not self.valid_value(value):
            codes = ", ".join(str(code) for code, _ in self.choices if code)  # type: ignore[misc,union-attr]
            raise refusal("invalid_choice", f"Unknown {self.what} “{value}”; use one of {codes}.")


class CodesInput(forms.TextInput):
    """A text box for codes separated by commas, reading every value given."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return super().format_value(value)


class CodesField(QueryField):
    """Codes given comma-separated or repeated: well-formed, normalised, each naming
    something (`known` gives the known codes from the codes asked about, at most one query;
    `choices`, when the codes are a small fixed set, also gives the page's checkboxes)."""

    many = True
    widget = CodesInput

    def __init__(
        self,
        *,
        pattern: str,
        example: str,
        what: str = "code",
        normalise: Callable[[str], str] = str.lower,
        known: Callable[[list[str]], Iterable[str]] | None = None,
        choices: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.pattern = re.compile(pattern)
        self.example = example
        self.what = what
        self.normalise = normalise
        self.known = known
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[tuple[str, str]]) -> None:
        self.choices = list(choices)
        if hasattr(self.widget, "choices"):  # the page's checkboxes
            self.widget.choices = self.choices

    def clean(self, value: Any) -> list[str] | None:
        given = [part.strip() for v in value or [] for part in str(v).split(",") if part.strip()]
        if not given:
            return self.default_value()
        malformed = [c for c in given if not self.pattern.fullmatch(c)]
        if malformed:
            raise refusal(
                "code_format", f"“{malformed[0]}” is not a {self.what} (e.g. {self.example})."
            )
        codes = list(dict.fromkeys(self.normalise(c) for c in given))
        choices = self.choices
        known = set(self.known(codes)) if self.known else {code for code, _ in choices}
        unknown = [c for c in codes if c not in known]
        if unknown:
            # The same words whether the codes were checked in memory or by a query, so that
            # a page and the API refuse alike.
            given_unknown = ", ".join(f"“{c}”" for c in unknown)
            raise refusal("unknown_code", f"Unknown {self.what} {given_unknown}.")
        if choices:  # in the set's own order (the instruments': the Convention first)
            codes = [code for code, _ in choices if code in codes]
        return codes

    def query_value(self, value: list[str]) -> str:
        return ",".join(value)


class TextField(QueryField):
    def __init__(
        self, *, max_length: int, pattern: str | None = None, example: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.example = example
        self.widget.attrs["maxlength"] = str(max_length)

    def to_python(self, value: Any) -> str:
        value = value.strip()
        if len(value) > self.max_length:
            raise refusal("too_long", f"Give at most {self.max_length} characters.")
        if self.pattern and not self.pattern.fullmatch(value):
            raise refusal("format", f"“{value}” is not of the form {self.example}.")
        return value


class WholeNumberField(QueryField):
    """A whole number from `minimum`; above `maximum` it is capped, not refused."""

    def __init__(self, *, minimum: int = 1, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def to_python(self, value: Any) -> int:
        value = value.strip()
        if not re.fullmatch(r"\d{1,12}", value) or int(value) < self.minimum:
            raise refusal("whole_number", f"Give a whole number from {self.minimum}.")
        return min(int(value), self.maximum) if self.maximum is not None else int(value)


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

    def __init__(self, *, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
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
        kwargs["help_text"] += f" One code or a comma-separated list, e.g. {kwargs['example']}."
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
        return refusal("invalid_characters", "Control characters are not allowed.")
    if not many and len(given) > 1:
        return refusal("given_twice", f"Give {name} once, not {len(given)} times.")
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
