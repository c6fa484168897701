"""The form fields of query parameters (core.filters declares them): what one parameter
accepts, its default when absent, and how its value is written back into a query string.
A refused value names its rule (`refusal`), as every parameter's error does."""

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMAT_MESSAGE = gettext_lazy("Enter the date as YYYY-MM-DD, for example 2007-06-30.")


def refusal(rule: str, message: Any) -> forms.ValidationError:
    return forms.ValidationError(message, code=rule)


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
            raise refusal(
                "invalid_date", _("%(value)s is not a date in the calendar.") % {"value": value}
            ) from None

    def query_value(self, value: date) -> str:
        return value.isoformat()


class CodeChoiceField(QueryField, forms.ChoiceField):
    """One of a fixed set of words (an OSCE role group, an order, a status)."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what

    def __deepcopy__(self, memo: dict[int, Any]) -> "CodeChoiceField":
        # The choices are pairs of strings, never changed in place: a new list of the same
        # pairs is copy enough (ChoiceField deep-copies every pair, for every form made).
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = list(self._choices)  # type: ignore[attr-defined]
        return result

    def to_python(self, value: Any) -> str:
        return value.strip()

    def validate(self, value: str) -> None:
        if not self.valid_value(value):
            codes = ", ".join(str(code) for code, _ in self.choices if code)  # type: ignore[misc,union-attr]
            raise refusal(
                "invalid_choice",
                _("Unknown %(what)s “%(value)s”; use one of %(codes)s.")
                % {"what": self.what, "value": value, "codes": codes},
            )


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
                "code_format",
                _("“%(value)s” is not a %(what)s (e.g. %(example)s).")
                % {"value": malformed[0], "what": self.what, "example": self.example},
            )
        codes = list(dict.fromkeys(self.normalise(c) for c in given))
        choices = self.choices
        known = set(self.known(codes)) if self.known else {code for code, _ in choices}
        unknown = [c for c in codes if c not in known]
        if unknown:
            # The same words whether the codes were checked in memory or by a query, so that
            # a page and the API refuse alike.
            given_unknown = ", ".join(f"“{c}”" for c in unknown)
            raise refusal(
                "unknown_code",
                _("Unknown %(what)s %(codes)s.") % {"what": self.what, "codes": given_unknown},
            )
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
            raise refusal(
                "too_long", _("Give at most %(count)s characters.") % {"count": self.max_length}
            )
        if self.pattern and not self.pattern.fullmatch(value):
            raise refusal(
                "format",
                _("“%(value)s” is not of the form %(example)s.")
                % {"value": value, "example": self.example},
            )
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
            raise refusal(
                "whole_number",
                _("Give a whole number from %(minimum)s.") % {"minimum": self.minimum},
            )
        return min(int(value), self.maximum) if self.maximum is not None else int(value)
