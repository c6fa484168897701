"""The filters of the public pages, read from the query string.

A page's URL is its permalink: these forms turn it into filters, refuse what they cannot
read with a message naming the parameter, and turn the filters back into the canonical
query string that the permalink and the download links (the API's exports) share.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils import timezone

from instruments.models import Instrument
from instruments.selectors import ORDERING_FIELDS
from states.models import Participant
from states.selectors import OSCE_ROLE_GROUPS

# The values the API's status/ export takes for osce_role, with the words a page shows.
OSCE_ROLE_CHOICES = [
    ("osce", "OSCE participating States and Partners for Co-operation"),
    ("participating", "OSCE participating States"),
    ("partner", "OSCE Partners for Co-operation"),
    ("partner_mediterranean", "Mediterranean Partners for Co-operation"),
    ("partner_asian", "Asian Partners for Co-operation"),
    ("none", "Neither OSCE participating States nor Partners"),
    ("any", "All participants"),
]
OSCE_ROLE_LABELS = dict(OSCE_ROLE_CHOICES)
assert set(OSCE_ROLE_LABELS) == set(OSCE_ROLE_GROUPS) | {"any"}

_ORDER_WORDS = {
    "name": ("name, A to Z", "name, Z to A"),
    "signature_date": ("signature date, earliest first", "signature date, latest first"),
    "consent_date": ("consent date, earliest first", "consent date, latest first"),
    "entry_into_force": ("entry into force, earliest first", "entry into force, latest first"),
}
ORDERING_CHOICES = [
    (prefix + field, _ORDER_WORDS[field][index].capitalize())
    for field in ORDERING_FIELDS
    for index, prefix in enumerate(("", "-"))
]
DATE_FORMAT_MESSAGE = "Enter the date as YYYY-MM-DD, for example 2007-06-30."


def _comma_values(data: QueryDict, name: str) -> list[str]:
    """`name=a,b` and `name=a&name=b` alike, as one list without blanks."""
    return [
        part.strip() for value in data.getlist(name) for part in value.split(",") if part.strip()
    ]


def _with_comma_lists(data: QueryDict, *names: str) -> QueryDict:
    data = data.copy()
    for name in names:
        data.setlist(name, _comma_values(data, name))
    return data


def _choices_message(what: str, choices: list[tuple[str, str]]) -> str:
    return f"Unknown {what} “%(value)s”; use one of {', '.join(v for v, _ in choices)}."


class InstrumentChoiceMixin:
    """An `instrument` field taking codes (repeated or comma-separated), in the
    instruments' own order; all of them is the same as none."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def setup_instruments(self, instruments: list[Instrument]) -> None:
        self.instrument_codes = [i.code for i in instruments]
        field = self.fields["instrument"]
        field.choices = [(i.code, i.short_title) for i in instruments]
        codes = ", ".join(self.instrument_codes)
        field.error_messages["invalid_choice"] = (
            f"Unknown instrument code “%(value)s”; the codes are {codes}."
        )

    def clean_instrument(self) -> list[str]:
        chosen = set(self.cleaned_data["instrument"])
        if chosen == set(self.instrument_codes):
            return []
        return [code for code in self.instrument_codes if code in chosen]


class StateCodesMixin:
    """A `state` field taking ISO alpha-3 codes separated by commas (one query to check)."""

    cleaned_data: dict[str, Any]

    def clean_state(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["state"].split(",") if c.strip()]
        if not codes:
            return []
        malformed = [c for c in codes if len(c) != 3 or not c.isascii() or not c.isalpha()]
        if malformed:
            raise forms.ValidationError(
                f"“{malformed[0]}” is not a participant code: use ISO 3166-1 alpha-3 codes "
                "such as AUT, separated by commas."
            )
        known = set(Participant.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(f"No participant has the code {', '.join(unknown)}.")
        return list(dict.fromkeys(codes))


def _instrument_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Instruments",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all four.",
    )


def _state_field() -> forms.CharField:
    return forms.CharField(
        label="Only these participants",
        required=False,
        max_length=400,
        help_text="ISO codes separated by commas, e.g. AUT,DEU; empty for all.",
    )


class AsOfForm(forms.Form):
    """The date a page answers for: any day up to today; today when not given."""

    as_of = forms.DateField(
        label="Status as at",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="YYYY-MM-DD; empty for today.",
        error_messages={"invalid": DATE_FORMAT_MESSAGE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data: QueryDict, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = timezone.localdate()
        self.fields["as_of"].widget.attrs["max"] = self.today.isoformat()

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data["as_of"] or self.today
        if as_of > self.today:
            raise forms.ValidationError(
                f"The date cannot be after today ({self.today:%Y-%m-%d}): the tracker records "
                "actions once they have happened."
            )
        return as_of

    def query(self) -> dict[str, str]:
        """The canonical query string, with the date always written out, so that a link
        made today still shows today's answer tomorrow."""
        return {"as_of": self.cleaned_data["as_of"].isoformat()}

    def query_string(self, **first: str) -> str:
        return urlencode(first | self.query(), safe=",")


class RoleFilterForm(AsOfForm):
    """A date, a group of participants by OSCE role, and a sort order."""

    osce_role = forms.ChoiceField(
        label="Participants",
        choices=OSCE_ROLE_CHOICES,
        required=False,
        error_messages={"invalid_choice": _choices_message("OSCE role", OSCE_ROLE_CHOICES)},
    )
    ordering = forms.ChoiceField(
        label="Sort by",
        choices=ORDERING_CHOICES,
        required=False,
        error_messages={"invalid_choice": _choices_message("sort order", ORDERING_CHOICES)},
    )

    def __init__(self, data: QueryDict, *, default_role: str = "osce", **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.default_role = default_role

    def clean_osce_role(self) -> str:
        return self.cleaned_data["osce_role"] or self.default_role

    def clean_ordering(self) -> str:
        return self.cleaned_data["ordering"] or "name"

    def query(self) -> dict[str, str]:
        query = super().query() | {"osce_role": self.cleaned_data["osce_role"]}
        if self.cleaned_data["ordering"] != "name":
            query["ordering"] = self.cleaned_data["ordering"]
        return query


@dataclass(frozen=True)
class StatusFilters:
    as_of: date
    osce_role: str
    instruments: list[str] | None  # None: every instrument
    states: list[str] | None  # None: every participant the role selects
    ordering: str


class StatusFilterForm(InstrumentChoiceMixin, StateCodesMixin, RoleFilterForm):
    """The status matrix's filters: the same parameters as the API's status/ export."""

    instrument = _instrument_field()
    state = _state_field()

    field_order = ["as_of", "osce_role", "instrument", "state", "ordering"]

    def __init__(self, data: QueryDict, *, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(_with_comma_lists(data, "instrument"), **kwargs)
        self.setup_instruments(instruments)

    def filters(self) -> StatusFilters:
        data = self.cleaned_data
        return StatusFilters(
            as_of=data["as_of"],
            osce_role=data["osce_role"],
            instruments=data["instrument"] or None,
            states=data["state"] or None,
            ordering=data["ordering"],
        )

    def query(self) -> dict[str, str]:
        """Date and role always; instruments, participants and a sort other than by name
        only when chosen. The API's status/ export takes the same parameters."""
        query = {
            "as_of": self.cleaned_data["as_of"].isoformat(),
            "osce_role": self.cleaned_data["osce_role"],
        }
        if self.cleaned_data["instrument"]:
            query["instrument"] = ",".join(self.cleaned_data["instrument"])
        if self.cleaned_data["state"]:
            query["state"] = ",".join(self.cleaned_data["state"])
        if self.cleaned_data["ordering"] != "name":
            query["ordering"] = self.cleaned_data["ordering"]
        return query


class FeedFilterForm(InstrumentChoiceMixin, StateCodesMixin, forms.Form):
    """The action feed's filters: instruments and participants by code."""

    instrument = _instrument_field()
    state = _state_field()

    def __init__(self, data: QueryDict, *, instruments: list[Instrument]) -> None:
        super().__init__(_with_comma_lists(data, "instrument"))
        self.setup_instruments(instruments)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search participants and declarations",
        max_length=100,
        required=False,
        help_text="A participant's name or former name, a code such as AUT, or words from a "
        "declaration.",
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )
