"""The parameters of the treaty-data lists, declared once (see core.filters) and used by the
pages and the API alike:

- StatusFilterSet: the status page (/status/) and status/;
- InstrumentTableFilterSet: an instrument's page (/instruments/<code>/), whose table is
  status/ with that instrument;
- AsOfFilterSet: a date alone (home page and instruments/, a participant's page and
  states/<iso3>/, the OSCE report);
- ActionFilterSet (actions/), ActionFeedFilterSet (the Atom feed), DeclarationFilterSet
  (declarations/), SearchFilterSet (/search/).

A FilterSet with `as_of` or `instrument` takes the instruments held in memory as context
(`instruments=instrument_list_at(revision)`), so its checks cost no query.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.filters import (
    ChoiceFilter,
    CodesFilter,
    DateFilter,
    QueryFilterSet,
    QueryForm,
    TextFilter,
    refusal,
)
from core.i18n import lazy_format, long_date
from instruments import domain
from instruments.models import Declaration, Instrument, TreatyAction
from instruments.selectors import ORDERING_FIELDS
from instruments.status_view import STATUS_CHOICES
from states.filters import osce_role_filter, state_filter

INSTRUMENT_CODES = ("untoc", "tip", "som", "fir")  # for the schema; the data hold the truth


def known_instruments(codes: list[str]) -> Any:
    return Instrument.objects.filter(code__in=codes).values_list("code", flat=True)


def instrument_filter() -> CodesFilter:
    return CodesFilter(
        label=_("Instruments"),
        help_text=_(
            "Instruments by code: untoc (the Convention), tip (Trafficking in Persons "
            "Protocol), som (Smuggling of Migrants Protocol), fir (Firearms Protocol); none for "
            "all."
        ),
        pattern=r"[A-Za-z]{2,8}",
        example="untoc,tip",
        what=_("instrument code"),
        schema_codes=INSTRUMENT_CODES,
        known=known_instruments,
        widget=forms.CheckboxSelectMultiple,
    )


def as_of_filter() -> DateFilter:
    return DateFilter(
        label=_("Status as at"),
        help_text=_(
            "The day the answer is for, YYYY-MM-DD; today unless given. Not after today, "
            "nor before the instrument asked about was adopted. An action counts from the day it "
            "was signed, deposited or received."
        ),
        default=timezone.localdate,
        written=True,
    )


def as_of_page_hint(first: Instrument, today: date) -> str:
    """What a page's date field accepts, in words (the API documents YYYY-MM-DD)."""
    return gettext(
        "Any day from %(adopted_on)s, when the %(title)s was adopted, to today (%(today)s); "
        "today unless changed. An action counts from the day it was signed, deposited or "
        "received."
    ) % {
        "adopted_on": long_date(first.adopted_on),
        "title": first.short_title,
        "today": long_date(today),
    }


class InstrumentsContext(QueryFilterSet):
    """Checks with the instruments held in memory (context `instruments`, which `as_of`
    needs): the `instrument` codes, the `as_of` rules (instruments.domain.as_of_violation)
    for the instruments asked about. Without them, codes given cost one query."""

    def prepare(self, form: QueryForm) -> None:
        self.instruments: list[Instrument] = self.context.get("instruments", [])
        self.today = timezone.localdate()
        if "instrument" in form.fields and "instruments" in self.context:
            field = form.fields["instrument"]
            field.known = None
            field.set_choices([(i.code, i.local_short_title) for i in self.instruments])
        if "ordering" in form.fields and dict(form.fields["ordering"].choices).get("status"):
            self.prepare_ordering(form)
        if "as_of" in form.fields:
            field = form.fields["as_of"]
            field.widget.attrs["max"] = self.today.isoformat()
            asked_about = self.asked_about({})
            if asked_about:
                first = min(asked_about, key=lambda i: i.adopted_on)
                field.widget.attrs["min"] = first.adopted_on.isoformat()
                # The page's date field shows dates in the reader's own format, so its hint
                # gives the range it accepts in words rather than the address's YYYY-MM-DD.
                field.help_text = as_of_page_hint(first, self.today)

    def prepare_ordering(self, form: QueryForm) -> None:
        """The page's select offers the general orders; a column heading's order (for one
        instrument) is shown only while it is the one in effect."""
        field = form.fields["ordering"]
        given = form.data.get("ordering", "")
        field.widget.choices = [
            choice for choice in field.choices if ":" not in choice[0] or choice[0] == given
        ]
        field.help_text = gettext(
            "Dates earliest first, or latest first; entries without that date come last. "
            "The dates and the status are those of the first instrument shown."
        )

    def asked_about(self, cleaned: dict[str, Any]) -> list[Instrument]:
        codes = cleaned.get("instrument") or self.context.get("instrument_codes")
        return [i for i in self.instruments if not codes or i.code in codes]

    def check(self, cleaned: dict[str, Any]) -> None:
        as_of: date | None = cleaned.get("as_of")
        if as_of is None:
            return
        assert "instruments" in self.context, "as_of is checked against the instruments"
        adoptions = [domain.Adoption(i.title, i.adopted_on) for i in self.asked_about(cleaned)]
        violation = domain.as_of_violation(as_of, today=self.today, adoptions=adoptions)
        if violation is not None:
            self.form.add_error(violation.field, refusal(violation.rule, violation.message))


class AsOfFilterSet(InstrumentsContext):
    as_of = as_of_filter()


_ORDER_WORDS = {
    "name": (_("name, A to Z"), _("name, Z to A")),
    "signature_date": (_("signature date, earliest first"), _("signature date, latest first")),
    "consent_date": (_("consent date, earliest first"), _("consent date, latest first")),
    "entry_into_force": (
        _("entry into force, earliest first"),
        _("entry into force, latest first"),
    ),
}
_ORDER_WORDS["status"] = (_("status, parties first"), _("status, no action first"))
_INSTRUMENT_WORDS = {
    "untoc": _("Convention"),
    "tip": _("Trafficking in Persons Protocol"),
    "som": _("Smuggling of Migrants Protocol"),
    "fir": _("Firearms Protocol"),
}
ORDERING_CHOICES = [
    (prefix + field, capfirst(_ORDER_WORDS[field][index]))
    for field in (*ORDERING_FIELDS, "status")
    for index, prefix in enumerate(("", "-"))
]


def order_words(ordering: str) -> str:
    """An ordering in words as they read inside a sentence ("sorted by name, A to Z"): the
    words as each language writes them there, not a lowercased heading (German nouns keep
    their capital). An ordering of no known kind is given as it is."""
    descending = ordering.startswith("-")
    field, _colon, code = ordering.removeprefix("-").partition(":")
    words = _ORDER_WORDS.get(field)
    if words is None or (code and code not in _INSTRUMENT_WORDS):
        return ordering
    order = words[1 if descending else 0]
    if code:
        return str(
            lazy_format(
                _("%(instrument)s: %(order)s"), instrument=_INSTRUMENT_WORDS[code], order=order
            )
        )
    return str(order)


# What a column heading of the status table sorts by: a field of that instrument.
COLUMN_ORDERING_CHOICES = [
    (
        f"{prefix}{field}:{code}",
        lazy_format(
            _("%(instrument)s: %(order)s"), instrument=words, order=_ORDER_WORDS[field][index]
        ),
    )
    for code, words in _INSTRUMENT_WORDS.items()
    for field in ("status", *ORDERING_FIELDS[1:])
    for index, prefix in enumerate(("", "-"))
]
assert set(_INSTRUMENT_WORDS) == set(INSTRUMENT_CODES)


def status_ordering_filter() -> ChoiceFilter:
    return ChoiceFilter(
        label=_("Sort by"),
        choices=ORDERING_CHOICES + COLUMN_ORDERING_CHOICES,
        default="name",
        what=_("sort order"),
        help_text=_(
            "name: by participant. A date (signature_date, consent_date, "
            "entry_into_force) or status (parties in force first): of the first instrument "
            "shown, or of the instrument after a colon (status:tip, consent_date:fir). Dates "
            "earliest first, '-' reverses; entries without that date come last either way."
        ),
    )


def status_filter() -> CodesFilter:
    return CodesFilter(
        label=_("Status"),
        help_text=_(
            "Participants with one of these statuses for at least one instrument "
            "shown (give one instrument to ask about it alone): party (consent in effect), "
            "party_in_force, signatory (signed, not a party), none (no action on record), "
            "denounced, not_party (any of the last three); none given for all."
        ),
        pattern=r"[a-z_]{2,20}",
        example="signatory,none",
        what=_("status"),
        choices=STATUS_CHOICES,
        schema_codes=[code for code, _ in STATUS_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )


def view_filter() -> ChoiceFilter:
    return ChoiceFilter(
        label=_("Cells"),
        choices=[
            ("compact", _("Compact: the status and its date, one line per participant")),
            ("detailed", _("Detailed: every date of each status")),
        ],
        default="compact",
        what=_("view"),
        help_text=_(
            "compact (the default: each cell gives the status and its date on one "
            "line) or detailed (each cell gives every date). The API's rows are the same."
        ),
    )


class StatusFilterSet(InstrumentsContext):
    as_of = as_of_filter()
    osce_role = osce_role_filter()
    instrument = instrument_filter()
    state = state_filter()
    status = status_filter()
    ordering = status_ordering_filter()
    view = view_filter()


class InstrumentTableFilterSet(InstrumentsContext):
    """StatusFilterSet for one instrument, named by the page's path (context
    `instrument_codes`)."""

    as_of = as_of_filter()
    osce_role = osce_role_filter()
    state = state_filter()
    ordering = status_ordering_filter()


ACTION_ORDERINGS = {
    "date": ("date", "participant__name", "instrument__display_order", "id"),
    "-date": ("-date", "participant__name", "instrument__display_order", "-id"),
    "state": ("participant__name", "instrument__display_order", "date", "id"),
    "-state": ("-participant__name", "instrument__display_order", "date", "id"),
    "instrument": ("instrument__display_order", "participant__name", "date", "id"),
    "-instrument": ("-instrument__display_order", "participant__name", "date", "id"),
}


class ActionFilterSet(InstrumentsContext):
    state = state_filter()
    instrument = instrument_filter()
    kind = CodesFilter(
        label=_("Kinds of action"),
        help_text=lazy_format(
            _(
                "Kinds of action: %(kinds)s (consent: a consent whose kind the source does not "
                "give)."
            ),
            kinds=", ".join(TreatyAction.Kind.values),
        ),
        pattern=r"[a-z_]+",
        example="ratification,accession",
        what=_("kind of action"),
        choices=TreatyAction.Kind.choices,
        schema_codes=TreatyAction.Kind.values,
    )
    osce_role = osce_role_filter()
    date_from = DateFilter(label=_("From"), help_text=_("Actions dated on or after this day."))
    date_to = DateFilter(label=_("To"), help_text=_("Actions dated on or before this day."))
    ordering = ChoiceFilter(
        label=_("Sort by"),
        choices=[(o, o) for o in ACTION_ORDERINGS],
        default="date",
        what=_("sort order"),
        help_text=_("date (the default), state (participant name) or instrument; '-' reverses."),
    )


class ActionFeedFilterSet(InstrumentsContext):
    """The Atom feed of the latest actions: by instrument and participant, as actions/."""

    instrument = instrument_filter()
    state = state_filter()


class DeclarationFilterSet(InstrumentsContext):
    state = state_filter()
    instrument = instrument_filter()
    kind = CodesFilter(
        label=_("Kinds of statement"),
        help_text=lazy_format(
            _("Kinds of statement: %(kinds)s."), kinds=", ".join(Declaration.Kind.values)
        ),
        pattern=r"[a-z_]+",
        example="reservation,objection",
        what=_("kind of statement"),
        choices=Declaration.Kind.choices,
        schema_codes=Declaration.Kind.values,
    )
    article = TextFilter(
        label=_("Article"),
        help_text=_(
            "An article, with or without its paragraph: 18 matches 18, 18(13) and "
            "18(14); 18(13) matches only that paragraph. Or general, territorial, succession, "
            "unspecified."
        ),
        max_length=30,
        pattern=r"[0-9]{1,3}[a-z]?(\([0-9a-z]{1,4}\)){0,3}|[A-Za-z]{2,20}",
        example="18 or 18(13)",
    )
    search = TextFilter(
        label=_("Words"),
        help_text=_("Text in the summary or the article reference."),
        max_length=100,
    )


class SearchFilterSet(QueryFilterSet):
    q = TextFilter(
        label=_("Search participants and declarations"),
        help_text=_(
            "A participant's name or former name, a code such as AUT, or words from a declaration."
        ),
        max_length=100,
    )
